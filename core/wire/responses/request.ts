// Responses API request bodies → canonical ChatRequest. The conversation comes whole in `input`
// (the gateway keeps no state between calls): messages, the model's function calls and their
// outputs, in order; `instructions` is the system message.

import { errors } from "../../errors.ts";
import type { ChatRequest, ContentPart, Message, ReasoningOptions, ResponseFormat, ToolChoice, ToolDefinition } from "../../kit/canonical.ts";
import { decodeEffort, fileDataSource, imageSource } from "../openai/request.ts";
import { RESPONSES_STEERING_FIELD_NAMES, STEERING_FIELD_NAMES } from "../openai/schema.ts";
import { freeformArguments, freeformParameters } from "./freeform.ts";
import { ownFields } from "../own-fields.ts";
import type { ItemBody, PartBody, ResponsesBody, ToolBody } from "./schema.ts";

const { invalidField } = errors;

/**
 * What only a stateful or hosted Responses service could do: refused, the field named, rather
 * than served as if the client had not asked.
 */
const STATEFUL: [field: string, why: string][] = [
  ["previous_response_id", "the gateway keeps no responses to continue; send the whole conversation in `input`"],
  ["conversation", "the gateway keeps no conversations; send the whole conversation in `input`"],
  ["prompt", "stored prompts are OpenAI's own; send the prompt's text in `instructions` and `input`"],
];

const LOGPROBS = "message.output_text.logprobs";
/** OpenAI's steering fields a Responses body may hold: Chat Completions' and its own. */
const OWN_FIELDS = [...STEERING_FIELD_NAMES, ...RESPONSES_STEERING_FIELD_NAMES];

/**
 * What a response object repeats of the request that made it, as OpenAI's do (the SDKs type these
 * members as always there): kept beside the canonical request, which has no place for them.
 */
const echoes = new WeakMap<ChatRequest, Record<string, unknown>>();

/** The members of the response object that repeat `request`'s client body; none for another dialect's request. */
export function requestEcho(request: ChatRequest | undefined): Record<string, unknown> | undefined {
  return request && echoes.get(request);
}

function echoOf(body: ResponsesBody): Record<string, unknown> {
  const own = body as Record<string, unknown>;
  const reasoning = body.reasoning;
  return {
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: reasoning?.effort ?? null, summary: reasoning?.summary ?? null },
    // Stateless: nothing is kept, whatever the client asked.
    store: false,
    temperature: body.temperature ?? 1,
    text: own.text ?? { format: { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: own.truncation ?? "disabled",
    user: body.user ?? null,
    metadata: own.metadata ?? {},
  };
}

export function decodeRequest(body: ResponsesBody): ChatRequest {
  for (const [field, why] of STATEFUL) if ((body as Record<string, unknown>)[field] != null) throw invalidField(field, why);
  const { background, include, top_logprobs } = body as { background?: unknown; include?: unknown; top_logprobs?: unknown };
  if (background === true) throw invalidField("background", "responses are served while the client waits; leave it out or send false");
  // As `logprobs` in Chat Completions: the answer could not carry them back.
  if (Array.isArray(include) && include.includes(LOGPROBS)) throw invalidField("include", `log probabilities are not relayed; leave out ${LOGPROBS}`);
  if (typeof top_logprobs === "number" && top_logprobs > 0) throw invalidField("top_logprobs", "log probabilities are not relayed; leave it out or send 0");
  const messages: Message[] = [];
  if (body.instructions) messages.push({ role: "system", content: [{ type: "text", text: body.instructions }] });
  if (typeof body.input === "string") messages.push({ role: "user", content: [{ type: "text", text: body.input }] });
  else for (let at = 0; at < body.input.length; at++) decodeItem(body.input[at]!, at, messages);

  const request: ChatRequest = { model: body.model, messages, stream: body.stream === true };
  if (body.tools?.length) request.tools = body.tools.map(decodeTool);
  if (isAllowedTools(body.tool_choice)) allowTools(request, body.tool_choice);
  else if (body.tool_choice !== undefined) request.toolChoice = decodeToolChoice(body.tool_choice);
  if (body.parallel_tool_calls != null) request.parallelToolCalls = body.parallel_tool_calls;
  if (body.text?.format) request.responseFormat = decodeFormat(body.text.format);
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  if (body.max_output_tokens != null) request.maxTokens = body.max_output_tokens;
  if (body.user != null) request.user = body.user;
  const reasoning: ReasoningOptions = {};
  if (body.reasoning?.effort) reasoning.effort = decodeEffort(body.reasoning.effort, "reasoning.effort");
  if (body.reasoning?.summary) reasoning.summary = body.reasoning.summary;
  if (reasoning.effort || reasoning.summary) request.reasoning = reasoning;
  // The fields that steer only OpenAI's service, Chat Completions' under the same names and the
  // Responses API's own: passed on as OPENAI_FIELDS are (`verbosity` comes from `text.verbosity`).
  let steering = ownFields(body, OWN_FIELDS);
  if (body.text?.verbosity != null) (steering ??= {}).verbosity = body.text.verbosity;
  if (steering) request.openaiFields = steering;
  echoes.set(request, echoOf(body));
  return request;
}

/**
 * One input item, appended to `messages`. A function call joins the assistant turn just before it
 * (the model's text and its calls are separate items here, one message in every other dialect).
 * So does a reasoning item's encrypted reasoning, which only OpenAI reads back (its Responses API
 * upstream sends it on; other vendors leave it out); a summary alone is left out, as the
 * vendor's own words, which a Chat Completions client never sends back either.
 */
function decodeItem(item: ItemBody, at: number, messages: Message[]): void {
  const type = item.type ?? "message";
  switch (type) {
    case "message": {
      const message = decodeMessage(item, at);
      const last = messages.at(-1);
      // The text of a turn its reasoning opened.
      if (message.role === "assistant" && last?.role === "assistant" && last.content.length === 0 && !last.toolCalls) {
        last.content = message.content;
        if (message.phase) last.phase = message.phase;
      }
      else messages.push(message);
      return;
    }
    case "function_call": {
      if (item.call_id === undefined || item.name === undefined) throw invalidField(`input.${at}`, "a function_call item needs its `call_id` and `name`");
      (assistantTurn(messages).toolCalls ??= []).push({ id: item.call_id, name: item.name, arguments: item.arguments ?? "" });
      return;
    }
    case "custom_tool_call": {
      // A freeform tool's call: its text is the canonical call's one argument.
      if (item.call_id === undefined || item.name === undefined || typeof item.input !== "string") {
        throw invalidField(`input.${at}`, "a custom_tool_call item needs its `call_id`, `name` and `input`");
      }
      (assistantTurn(messages).toolCalls ??= []).push({ id: item.call_id, name: item.name, arguments: freeformArguments(item.input) });
      return;
    }
    case "function_call_output":
    case "custom_tool_call_output": {
      if (item.call_id === undefined || item.output === undefined) throw invalidField(`input.${at}`, `a ${type} item needs its \`call_id\` and \`output\``);
      messages.push({ role: "tool", toolCallId: item.call_id, content: decodeContent(item.output, `input.${at}.output`) });
      return;
    }
    case "reasoning": {
      if (!item.encrypted_content) return;
      // Reasoning that follows an answer's message or call begins the next part of the turn: it goes
      // back to OpenAI where it came, before what follows it, not before the message it followed.
      const last = messages.at(-1);
      const turn = last?.role === "assistant" && (last.content.length > 0 || last.toolCalls?.length) ? pushTurn(messages) : assistantTurn(messages);
      (turn.reasoningBlocks ??= []).push({ type: "openai", id: item.id ?? "", encrypted: item.encrypted_content });
      return;
    }
    default:
      throw invalidField(`input.${at}.type`, `a \`${type}\` item is not relayed; send message, function_call and function_call_output items`);
  }
}

/** The assistant turn a function call or reasoning joins: the last message when it is one, else a new one. */
function assistantTurn(messages: Message[]): Extract<Message, { role: "assistant" }> {
  const last = messages.at(-1);
  return last?.role === "assistant" ? last : pushTurn(messages);
}

/** A new, empty assistant turn at the end. */
function pushTurn(messages: Message[]): Extract<Message, { role: "assistant" }> {
  const turn: Extract<Message, { role: "assistant" }> = { role: "assistant", content: [] };
  messages.push(turn);
  return turn;
}

function decodeMessage(item: ItemBody, at: number): Message {
  const content = decodeContent(item.content ?? [], `input.${at}.content`);
  switch (item.role) {
    case "user":
      return { role: "user", content };
    case "assistant":
      return item.phase ? { role: "assistant", content, phase: item.phase } : { role: "assistant", content };
    case "system":
      return { role: "system", content };
    case "developer":
      return { role: "system", content, developer: true };
    default:
      throw invalidField(`input.${at}.role`, "expected user, assistant, system or developer");
  }
}

/** A message's content or a function's output: text, or parts. `path` names a part in a refusal. */
function decodeContent(content: string | PartBody[], path: string): ContentPart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return content.map((part, at) => decodePart(part, `${path}.${at}`));
}

function decodePart(part: PartBody, path: string): ContentPart {
  switch (part.type) {
    case "input_text":
    case "output_text":
      if (part.text === undefined) throw invalidField(`${path}.text`, `an ${part.type} part needs its \`text\``);
      return { type: "text", text: part.text };
    case "refusal":
      // An assistant's refusal is what it said: any vendor reads it back as its text.
      if (part.refusal === undefined) throw invalidField(`${path}.refusal`, "a refusal part needs its `refusal`");
      return { type: "text", text: part.refusal };
    case "input_image": {
      if (part.image_url == null) throw invalidField(`${path}.${part.file_id != null ? "file_id" : "image_url"}`, STORED_FILE);
      const image: ContentPart = { type: "image", source: imageSource(part.image_url) };
      if (part.detail === "auto" || part.detail === "low" || part.detail === "high") image.detail = part.detail;
      return image;
    }
    case "input_file": {
      const data = part.file_data ?? part.file_url;
      if (data === undefined) throw invalidField(`${path}.${part.file_id != null ? "file_id" : "file_data"}`, STORED_FILE);
      const document: ContentPart = { type: "document", source: fileDataSource(data, part.filename) };
      if (part.filename !== undefined) document.title = part.filename;
      return document;
    }
    default: {
      const why = part.type === "input_audio" ? "audio input is not relayed" : `a \`${part.type}\` part is not relayed`;
      throw invalidField(`${path}.type`, `${why}; send input_text, input_image or input_file parts`);
    }
  }
}

const STORED_FILE = "a stored file's id names a file only the vendor holding it can read; send its content (`image_url` or `file_data` as a data: URL) or a URL";

/**
 * A function tool, or a freeform (`custom`) one as a function of one string. OpenAI's own tools run
 * inside OpenAI's service and have no form the gateway relays.
 */
function decodeTool(tool: ToolBody, at: number): ToolDefinition {
  if (tool.type !== "function" && tool.type !== "custom") {
    throw invalidField(`tools.${at}.type`, `OpenAI's own tool \`${tool.type}\` is not relayed; send function or custom tools`);
  }
  if (tool.name === undefined) throw invalidField(`tools.${at}.name`, `a ${tool.type} tool needs its \`name\``);
  if (tool.type === "custom") {
    const format = tool.format ?? undefined;
    const freeform: ToolDefinition = { name: tool.name, parameters: freeformParameters(format), freeform: format ? { format } : {} };
    if (tool.description != null) freeform.description = tool.description;
    return freeform;
  }
  const definition: ToolDefinition = { name: tool.name, parameters: tool.parameters ?? { type: "object", properties: {} } };
  if (tool.description != null) definition.description = tool.description;
  if (tool.strict != null) definition.strict = tool.strict;
  return definition;
}

interface AllowedTools {
  type: "allowed_tools";
  mode?: unknown;
  tools?: unknown;
}

function isAllowedTools(choice: ResponsesBody["tool_choice"]): choice is ResponsesBody["tool_choice"] & AllowedTools {
  return typeof choice === "object" && choice.type === "allowed_tools";
}

/**
 * `allowed_tools`: the model may call only the tools named (OpenAI keeps the full list in the prompt,
 * for its cache). Every vendor gets the same choice as the named tools alone, with `auto` or `required`.
 */
function allowTools(request: ChatRequest, choice: AllowedTools): void {
  const named = Array.isArray(choice.tools) ? (choice.tools as { type?: unknown; name?: unknown }[]) : [];
  const names = new Set<string>();
  for (const tool of named) {
    if ((tool.type !== "function" && tool.type !== "custom") || typeof tool.name !== "string") {
      throw invalidField("tool_choice.tools", "allowed tools are function or custom tools, each by its name");
    }
    names.add(tool.name);
  }
  if (choice.mode !== "auto" && choice.mode !== "required") throw invalidField("tool_choice.mode", "expected auto or required");
  const allowed = (request.tools ?? []).filter((tool) => names.has(tool.name));
  const missing = [...names].find((name) => !allowed.some((tool) => tool.name === name));
  if (missing !== undefined || allowed.length === 0) {
    throw invalidField("tool_choice.tools", `${missing === undefined ? "no tool is named" : `"${missing}" is not one of the request's tools`}`);
  }
  request.tools = allowed;
  request.toolChoice = choice.mode;
}

function decodeToolChoice(choice: NonNullable<ResponsesBody["tool_choice"]>): ToolChoice {
  if (typeof choice === "string") return choice;
  if ((choice.type === "function" || choice.type === "custom") && choice.name !== undefined) return { name: choice.name };
  throw invalidField("tool_choice", "expected auto, none, required or a function or custom tool by its name");
}

function decodeFormat(format: NonNullable<NonNullable<ResponsesBody["text"]>["format"]>): ResponseFormat {
  if (format.type !== "json_schema") return { type: format.type };
  if (format.name === undefined) throw invalidField("text.format.name", "a json_schema format needs its `name`");
  const decoded: ResponseFormat = { type: "json_schema", name: format.name, schema: format.schema ?? {} };
  if (format.strict != null) decoded.strict = format.strict;
  if (format.description !== undefined) decoded.description = format.description;
  return decoded;
}
