// Canonical requests → Gemini GenerateContentRequest bodies (contents/parts, generationConfig, tools).

import type { ChatRequest, ContentPart, Kit, Message, ReasoningOptions, ToolChoice } from "../../../core/kit/index.ts";

/** What of the kit the encoding uses: plain-text documents and a response format as words. */
type Texts = Pick<Kit, "documentText" | "formatInstruction">;

type Part = Record<string, unknown>;
interface Content {
  role: "user" | "model";
  parts: Part[];
}

/**
 * Gemini's thought signatures travel through clients marked as its own, so that a turn signed by
 * another vendor (Anthropic's signatures are bare base64) is never sent here, nor one of ours there.
 */
const SIGNATURE_MARK = "gemini:";
/** Google's documented signature for a function call the model did not make itself (another vendor's turn, a client that kept no signature). */
const FOREIGN_SIGNATURE = "skip_thought_signature_validator";

export const markedSignature = (signature: string) => SIGNATURE_MARK + signature;
const ownSignature = (signature: string | undefined) => (signature?.startsWith(SIGNATURE_MARK) ? signature.slice(SIGNATURE_MARK.length) : undefined);

/** Gemini's most stop sequences. */
const MOST_STOPS = 5;
/** The models that take presence and frequency penalties. */
const PENALISED = /^gemini-(1\.|2\.0)/;

const EFFORT_BUDGET = { minimal: 512, low: 1024, medium: 8192, high: 24576 } as const;
/** The most a model thinks: 32768 tokens for the Pro models, 24576 for Flash. */
const mostThinking = (model: string) => (model.includes("pro") ? 32768 : 24576);
const MIME_BY_EXTENSION: Record<string, string> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", gif: "image/gif", heic: "image/heic", pdf: "application/pdf", txt: "text/plain" };

function mediaTypeOf(url: string): string | undefined {
  const match = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url);
  return match ? MIME_BY_EXTENSION[match[1]!.toLowerCase()] : undefined;
}

function encodePart(part: ContentPart, kit: Texts): Part {
  if (part.type === "text") return { text: part.text };
  const source = part.source;
  // Only a document has a text source.
  if (source.kind === "text") return { text: kit.documentText(part as { title?: string }, source.text) };
  if (source.kind === "base64") return { inlineData: { mimeType: source.mediaType, data: source.data } };
  // URLs go to the vendor as URLs: the gateway never fetches what a client names.
  const mimeType = mediaTypeOf(source.url);
  return { fileData: { ...(mimeType ? { mimeType } : {}), fileUri: source.url } };
}

/** A turn's parts, without empty texts (which Gemini refuses); what a client said about a document follows it as text. */
function encodeParts(content: ContentPart[], kit: Texts): Part[] {
  const parts: Part[] = [];
  for (const part of content) {
    if (part.type === "text" && part.text === "") continue;
    parts.push(encodePart(part, kit));
    if (part.type === "document" && part.context !== undefined) parts.push({ text: part.context });
  }
  return parts;
}

/**
 * Gemini gives its calls no ids (but Gemini 3, at times); ours are `call_<answer><n>_<name>`: the
 * name, so that a result maps back to its function by it, and the answer's own letters (`salt`),
 * so that one conversation never holds one id twice: Anthropic refuses a history that does, and a
 * client pairs results with calls by id.
 */
export function toolCallId(index: number, name: string, salt: string): string {
  return `call_${salt}${index}_${name.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
}

/** Letters that tell one answer's tool call ids from another's. */
export function answerSalt(): string {
  return Math.random().toString(36).slice(2, 8).padEnd(6, "0");
}

function nameFromId(id: string): string {
  return id.replace(/^call_[a-z0-9]+?_/, "");
}

/**
 * A tool result: its text as the response object, and its images and documents as the response's
 * own parts (Gemini 3's multimodal function responses), not dropped. A text document is text, under
 * its title; what the client said about a document follows in the text, as it follows a turn's.
 */
function functionResponse(message: Extract<Message, { role: "tool" }>, name: string, kit: Texts): Part {
  let text = "";
  const media: Part[] = [];
  for (const part of message.content) {
    if (part.type === "text") text += part.text;
    else if (part.source.kind === "text") text += kit.documentText(part as { title?: string }, part.source.text);
    else media.push(encodePart(part, kit));
    if (part.type === "document" && part.context !== undefined) text += text ? `\n\n${part.context}` : part.context;
  }
  let response: unknown;
  try {
    response = JSON.parse(text);
  } catch {}
  // The API wants an object: "output" holds a result, "error" a failure, per the FunctionResponse reference.
  if (message.isError) response = { error: text };
  else if (typeof response !== "object" || response === null || Array.isArray(response)) response = { output: text };
  return { functionResponse: media.length ? { name, response, parts: media } : { name, response } };
}

function encodeTurn(message: Exclude<Message, { role: "system" }>, names: Map<string, string>, kit: Texts): Content {
  if (message.role === "user") return { role: "user", parts: encodeParts(message.content, kit) };
  if (message.role === "tool") return { role: "user", parts: [functionResponse(message, names.get(message.toolCallId) ?? nameFromId(message.toolCallId), kit)] };
  const parts = encodeParts(message.content, kit);
  (message.toolCalls ?? []).forEach((call, i) => {
    names.set(call.id, call.name);
    let args: unknown = {};
    try {
      args = JSON.parse(call.arguments || "{}");
    } catch {}
    const part: Part = { functionCall: { name: call.name, args } };
    // Thinking models want their thought signature back on the first function call of the turn,
    // and Gemini 3 refuses a call without one: a turn it did not sign gets the documented bypass.
    if (i === 0) part.thoughtSignature = ownSignature(message.reasoningSignature) ?? FOREIGN_SIGNATURE;
    parts.push(part);
  });
  return { role: "model", parts };
}

function toolConfig(choice: ToolChoice | undefined): Record<string, unknown> | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice === "object") return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [choice.name] } };
  return { functionCallingConfig: { mode: choice === "required" ? "ANY" : choice.toUpperCase() } };
}

function thinkingConfig(reasoning: ReasoningOptions | undefined, model: string): Record<string, unknown> | undefined {
  if (!reasoning) return undefined;
  const effort = reasoning.effort;
  // A budget of 0 stops the thinking; the Pro models think always, and refuse it.
  if (effort === "none" && reasoning.budgetTokens === undefined) return model.includes("pro") ? undefined : { thinkingBudget: 0 };
  const budget = reasoning.budgetTokens ?? (effort === "xhigh" ? mostThinking(model) : effort && effort !== "none" ? EFFORT_BUDGET[effort] : undefined);
  // Thoughts a client asked not to see are not asked for.
  if (reasoning.exclude) return budget !== undefined ? { thinkingBudget: budget } : undefined;
  return { ...(budget !== undefined ? { thinkingBudget: budget } : {}), includeThoughts: true };
}

function generationConfig(request: ChatRequest): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  // Penalties are enabled on Gemini 1.5 and 2.0 alone; later models refuse them ("Penalty is not enabled for this model").
  if (PENALISED.test(request.model)) {
    if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty;
    if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty;
  }
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.stop?.length) config.stopSequences = request.stop.slice(0, MOST_STOPS);
  if (request.seed !== undefined) config.seed = request.seed;
  const format = request.responseFormat;
  // Beside function calling Gemini refuses a JSON mime type: the format goes as an instruction then (encodeRequest).
  if (!request.tools?.length) {
    if (format?.type === "json_object" || format?.type === "json_schema") config.responseMimeType = "application/json";
    // responseJsonSchema takes JSON Schema as clients write it; responseSchema's OpenAPI subset rejects additionalProperties.
    if (format?.type === "json_schema") config.responseJsonSchema = format.schema;
  }
  const thinking = thinkingConfig(request.reasoning, request.model);
  if (thinking) config.thinkingConfig = thinking;
  return config;
}

/** A canonical request as a Gemini generateContent body (the model goes in the URL). */
export function encodeRequest(request: ChatRequest, kit: Texts): Record<string, unknown> {
  const contents: Content[] = [];
  const names = new Map<string, string>();
  const system: Part[] = [];
  for (const message of request.messages) {
    if (message.role === "system") {
      system.push(...message.content.filter((p) => p.type === "text").map((part) => encodePart(part, kit)));
      continue;
    }
    const turn = encodeTurn(message, names, kit);
    // A turn with no parts (another dialect's empty answer) is refused: the turns around it merge.
    if (turn.parts.length === 0) continue;
    const last = contents[contents.length - 1];
    // Parallel tool results must arrive together, in one user turn; consecutive turns of a role merge.
    if (last && last.role === turn.role) last.parts.push(...turn.parts);
    else contents.push(turn);
  }
  const body: Record<string, unknown> = { contents };
  const instruction = request.tools?.length ? kit.formatInstruction(request.responseFormat) : undefined;
  if (instruction) system.push({ text: instruction });
  if (system.length > 0) body.systemInstruction = { parts: system };
  const config = generationConfig(request);
  if (Object.keys(config).length > 0) body.generationConfig = config;
  if (request.tools?.length) {
    // parametersJsonSchema accepts full JSON Schema, which tool definitions from OpenAI clients use.
    const functionDeclarations = request.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parametersJsonSchema: tool.parameters,
    }));
    body.tools = [{ functionDeclarations }];
    const config = toolConfig(request.toolChoice);
    if (config) body.toolConfig = config;
  }
  return body;
}
