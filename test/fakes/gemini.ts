// A fake Gemini API on loopback: renders scripted replies as GenerateContentResponse JSON or SSE frames.

import { startFakeServer, type Behaviour, type FakeReply, type FakeServer, type RecordedRequest } from "./base.ts";

const FINISH = { stop: "STOP", length: "MAX_TOKENS", tool_calls: "STOP", content_filter: "SAFETY" } as const;
const ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;
export const FAKE_THOUGHT_SIGNATURE = "CiQB0e2Kb3dQ1fakeThoughtSignature";

function modelOf(reply: FakeReply, request: RecordedRequest): string {
  return reply.model ?? ROUTE.exec(request.path)?.[1] ?? "gemini-2.5-flash";
}

/** `usage.output` of a fake reply counts thoughts too; Gemini reports them apart from candidatesTokenCount. */
function usageOf(reply: FakeReply): Record<string, number> {
  const usage = reply.usage ?? { input: 12, output: 8 };
  const thoughts = usage.reasoning ?? 0;
  const result: Record<string, number> = {
    promptTokenCount: usage.input,
    candidatesTokenCount: usage.output - thoughts,
    totalTokenCount: usage.input + usage.output,
  };
  if (usage.cached) result.cachedContentTokenCount = usage.cached;
  if (thoughts) result.thoughtsTokenCount = thoughts;
  return result;
}

function partsOf(reply: FakeReply): Record<string, unknown>[][] {
  const chunks: Record<string, unknown>[][] = [];
  if (reply.reasoning !== undefined) chunks.push([{ text: reply.reasoning, thought: true }]);
  if (reply.text !== undefined) {
    const half = Math.ceil(reply.text.length / 2);
    chunks.push([{ text: reply.text.slice(0, half) }], [{ text: reply.text.slice(half) }]);
  }
  const calls = (reply.toolCalls ?? []).map((call, i) => {
    const part: Record<string, unknown> = { functionCall: { name: call.name, args: JSON.parse(call.arguments || "{}") } };
    if (i === 0 && reply.reasoning !== undefined) part.thoughtSignature = FAKE_THOUGHT_SIGNATURE;
    return part;
  });
  if (calls.length > 0) chunks.push(calls);
  return chunks;
}

let counter = 0;

function response(parts: Record<string, unknown>[], reply: FakeReply, request: RecordedRequest, id: string, last: boolean): Record<string, unknown> {
  const candidate: Record<string, unknown> = { content: { parts, role: "model" }, index: 0 };
  if (last) candidate.finishReason = FINISH[reply.finish ?? (reply.toolCalls?.length ? "tool_calls" : "stop")];
  return {
    candidates: [candidate],
    usageMetadata: last ? usageOf(reply) : { promptTokenCount: reply.usage?.input ?? 12, totalTokenCount: reply.usage?.input ?? 12 },
    modelVersion: modelOf(reply, request),
    responseId: id,
  };
}

/** Google's error body, e.g. `googleError(429, "Resource has been exhausted", "RESOURCE_EXHAUSTED")`. */
export function googleError(code: number, message: string, status: string, details?: unknown[]) {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

/**
 * What generateContent refuses that a history from another vendor can hold: a turn with no parts,
 * and on Gemini 3 a function call of the model's without its thought signature.
 */
function contentsRefusal(request: RecordedRequest): Response | null {
  const contents = (request.body as { contents?: { role?: string; parts?: { functionCall?: unknown; thoughtSignature?: string }[] }[] } | undefined)?.contents;
  if (!Array.isArray(contents)) return null;
  const refuse = (message: string) => Response.json(googleError(400, message, "INVALID_ARGUMENT"), { status: 400 });
  const gemini3 = /models\/gemini-3/.test(request.path);
  const body = request.body as { tools?: unknown[]; generationConfig?: { stopSequences?: unknown[]; responseMimeType?: string; presencePenalty?: number; frequencyPenalty?: number } };
  const config = body.generationConfig ?? {};
  if ((config.stopSequences?.length ?? 0) > 5) return refuse("* GenerationConfig.stop_sequences: the number of stop_sequences must not exceed 5.");
  if (config.responseMimeType === "application/json" && body.tools?.length) return refuse("Function calling with a response mime type: 'application/json' is unsupported");
  if ((config.presencePenalty !== undefined || config.frequencyPenalty !== undefined) && !/models\/gemini-(1\.|2\.0)/.test(request.path)) {
    return refuse("Penalty is not enabled for this model");
  }
  for (const [at, content] of contents.entries()) {
    // A turn of calls is answered by as many function responses in the turn after it.
    const calls = (content.parts ?? []).filter((part) => part.functionCall).length;
    const answers = ((contents[at + 1]?.parts ?? []) as { functionResponse?: unknown }[]).filter((part) => part.functionResponse).length;
    if (content.role === "model" && calls > 0 && at + 1 < contents.length && answers !== calls) {
      return refuse("Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.");
    }
  }
  for (const [at, content] of contents.entries()) {
    const parts = content.parts ?? [];
    if (parts.length === 0) return refuse(`* GenerateContentRequest.contents[${at}].parts: contents.parts must not be empty.`);
    const call = parts.findIndex((part) => part.functionCall);
    if (gemini3 && content.role === "model" && call >= 0 && !parts[call]!.thoughtSignature) {
      return refuse(`Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call position ${call}.`);
    }
  }
  return null;
}

export function startFakeGemini(fallback?: Behaviour<FakeReply>): FakeServer<FakeReply> {
  return startFakeServer<FakeReply>(
    {
      matches: (method, path) => method === "POST" && ROUTE.test(path),
      isStream: (request) => request.path.endsWith(":streamGenerateContent"),
      json: (reply, request) => {
        // countTokens answers with the count alone; a reply's input usage stands for it.
        if (request.path.endsWith(":countTokens")) return { totalTokens: reply.usage?.input ?? 12, promptTokensDetails: [{ modality: "TEXT", tokenCount: reply.usage?.input ?? 12 }] };
        const parts = partsOf(reply).flat();
        // A whole reply carries its text as one part, as the non-streaming API does.
        const merged = parts.filter((p) => p.thought || p.functionCall);
        if (reply.text !== undefined) merged.splice(reply.reasoning !== undefined ? 1 : 0, 0, { text: reply.text });
        return response(merged, reply, request, `fake-${++counter}`, true);
      },
      frames: (reply, request) => {
        const id = `fake-${++counter}`;
        const chunks = partsOf(reply);
        if (chunks.length === 0) chunks.push([{ text: "" }]);
        // The live API separates SSE frames with CRLF pairs.
        return chunks.map((parts, i) => `data: ${JSON.stringify(response(parts, reply, request, id, i === chunks.length - 1))}\r\n\r\n`);
      },
      refusal: contentsRefusal,
    },
    fallback ?? { kind: "reply", reply: { text: "Hello from the fake vendor." } },
  );
}
