// Fake Mistral vendor: Mistral's Chat Completions as its API sends them (docs.mistral.ai), on a real
// loopback server: a stream's usage in its last chunk, unasked; a reasoning model's answer as
// content chunks, `thinking` (of text chunks) then `text`, whole and streamed; and its 422 for any
// field it does not define (`extra_forbidden`, each field named in `message.detail`).

import { startFakeServer, type Behaviour, type FakeReply, type FakeServer, type RecordedRequest, type VendorWire } from "./base.ts";

const CREATED = 1_750_000_000;
const WORD_PIECES = /\s*\S+/g;

/** The fields Mistral's chat completion request defines; it refuses any other. */
const FIELDS = new Set([
  "model", "messages", "temperature", "top_p", "max_tokens", "stream", "stop", "random_seed", "metadata", "response_format", "tools",
  "tool_choice", "presence_penalty", "frequency_penalty", "n", "prediction", "parallel_tool_calls", "prompt_mode", "reasoning_effort", "safe_prompt",
]);
/** The fields of an assistant message. */
const ASSISTANT_FIELDS = new Set(["role", "content", "tool_calls", "prefix"]);

type Body = { model?: string; stream?: boolean; messages?: Record<string, unknown>[] };
const bodyOf = (request: RecordedRequest): Body => (typeof request.body === "object" && request.body !== null ? (request.body as Body) : {});

/** Mistral's 422 for fields it does not define, as it sends it. */
function refusal(request: RecordedRequest): Response | null {
  const body = bodyOf(request) as Record<string, unknown>;
  const extra: { loc: (string | number)[]; input: unknown }[] = [];
  for (const key of Object.keys(body)) if (!FIELDS.has(key)) extra.push({ loc: ["body", key], input: body[key] });
  for (const [at, message] of (bodyOf(request).messages ?? []).entries()) {
    if (message.role !== "assistant") continue;
    for (const key of Object.keys(message)) if (!ASSISTANT_FIELDS.has(key)) extra.push({ loc: ["body", "messages", at, "assistant", key], input: message[key] });
  }
  if (!extra.length) return null;
  const detail = extra.map(({ loc, input }) => ({ type: "extra_forbidden", loc, msg: "Extra inputs are not permitted", input }));
  return Response.json({ object: "error", message: { detail }, type: "invalid_request_error", param: null, code: null }, { status: 422 });
}

function usageOf(reply: FakeReply) {
  const usage = reply.usage ?? { input: 10, output: Math.max(1, Math.ceil((reply.text ?? "").length / 4)) };
  return { prompt_tokens: usage.input, total_tokens: usage.input + usage.output, completion_tokens: usage.output };
}

const finishOf = (reply: FakeReply) => reply.finish ?? (reply.toolCalls?.length ? "tool_calls" : "stop");
const toolCallsOf = (reply: FakeReply) =>
  reply.toolCalls?.length ? reply.toolCalls.map((call, index) => ({ id: call.id, function: { name: call.name, arguments: call.arguments }, index })) : null;

let sequence = 1;

const thinking = (text: string) => ({ type: "thinking", thinking: [{ type: "text", text }] });

/** A reasoning model's content is chunks, its thinking first; another model's a string. */
const contentOf = (reply: FakeReply) => (reply.reasoning ? [thinking(reply.reasoning), { type: "text", text: reply.text ?? "" }] : (reply.text ?? ""));

function completion(reply: FakeReply, request: RecordedRequest): unknown {
  return {
    id: `cmpl-fake${sequence++}`,
    object: "chat.completion",
    model: reply.model ?? bodyOf(request).model ?? "mistral-small-latest",
    usage: usageOf(reply),
    created: CREATED,
    choices: [{ index: 0, message: { role: "assistant", tool_calls: toolCallsOf(reply), content: contentOf(reply) }, finish_reason: finishOf(reply) }],
  };
}

/** Mistral sends each tool call whole in one chunk, and usage with the finish, asked or not. */
function chunks(reply: FakeReply, request: RecordedRequest): string[] {
  const head = { id: `cmpl-fake${sequence++}`, object: "chat.completion.chunk", created: CREATED, model: reply.model ?? bodyOf(request).model ?? "mistral-small-latest" };
  const frame = (delta: Record<string, unknown>, finish: string | null = null, usage?: unknown) =>
    `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
  const frames = [frame({ role: "assistant", content: "" })];
  for (const word of (reply.reasoning ?? "").match(WORD_PIECES) ?? []) frames.push(frame({ content: [thinking(word)] }));
  for (const word of (reply.text ?? "").match(WORD_PIECES) ?? []) frames.push(frame({ content: word }));
  const calls = toolCallsOf(reply);
  if (calls) frames.push(frame({ tool_calls: calls }));
  frames.push(frame({ content: "" }, finishOf(reply), usageOf(reply)), "data: [DONE]\n\n");
  return frames;
}

const wire: VendorWire<FakeReply> = {
  matches: (method, path) => method === "POST" && (path === "/v1/chat/completions" || path === "/chat/completions"),
  isStream: (request) => bodyOf(request).stream === true,
  json: completion,
  frames: chunks,
  refusal,
};

export function startFakeMistral(fallback: Behaviour<FakeReply> = { kind: "reply", reply: { text: "Bonjour ! Comment puis-je vous aider ?" } }): FakeServer<FakeReply> {
  return startFakeServer(wire, fallback);
}
