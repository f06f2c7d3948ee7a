// Fake OpenAI Chat Completions vendor: chat.completion JSON and chat.completion.chunk SSE as the API
// reference shows them (see test/fixtures/openai/), on a real loopback server.

import { startFakeServer, type Behaviour, type FakeReply, type FakeServer, type RecordedRequest, type VendorWire } from "./base.ts";

const CREATED = 1_741_569_952;
const FINGERPRINT = "fp_44709d6fcb";
const WORD_PIECES = /\s*\S+/g;

/** An OpenAI error body, as the API sends it. */
export function openaiErrorBody(message: string, type: string, code: string | null = null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

type Body = { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } };
const bodyOf = (request: RecordedRequest): Body => (typeof request.body === "object" && request.body !== null ? (request.body as Body) : {});

function finishOf(reply: FakeReply): string {
  return reply.finish ?? (reply.toolCalls?.length ? "tool_calls" : "stop");
}

function usageOf(reply: FakeReply) {
  const produced = (reply.text ?? "").length + (reply.toolCalls ?? []).reduce((n, call) => n + call.arguments.length, 0);
  const usage = reply.usage ?? { input: 10, output: Math.max(1, Math.ceil(produced / 4)) };
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cached ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoning ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function completion(reply: FakeReply, request: RecordedRequest): unknown {
  const message: Record<string, unknown> = { role: "assistant", content: reply.text ?? null, refusal: reply.refusal ?? null, annotations: [] };
  // OpenAI keeps reasoning hidden; compatible vendors (DeepSeek) return it in this field.
  if (reply.reasoning) message.reasoning_content = reply.reasoning;
  if (reply.toolCalls?.length) {
    message.tool_calls = reply.toolCalls.map((call) => ({ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } }));
  }
  return {
    id: `chatcmpl-fake${fakeSequence++}`,
    object: "chat.completion",
    created: CREATED,
    model: reply.model ?? bodyOf(request).model ?? "gpt-4o-mini",
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishOf(reply) }],
    usage: usageOf(reply),
    service_tier: "default",
    system_fingerprint: FINGERPRINT,
  };
}

let fakeSequence = 1;

/** Splits a string into `count` roughly equal pieces, as vendors stream tool arguments. */
function pieces(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / count));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function chunks(reply: FakeReply, request: RecordedRequest): string[] {
  const body = bodyOf(request);
  const includeUsage = body.stream_options?.include_usage === true;
  const head = {
    id: `chatcmpl-fake${fakeSequence++}`,
    object: "chat.completion.chunk",
    created: CREATED,
    model: reply.model ?? body.model ?? "gpt-4o-mini",
    service_tier: "default",
    system_fingerprint: FINGERPRINT,
  };
  const frame = (choices: unknown[], usage?: unknown) =>
    `data: ${JSON.stringify({ ...head, choices, ...(includeUsage ? { usage: usage ?? null } : {}) })}\n\n`;
  const delta = (d: Record<string, unknown>, finish: string | null = null) =>
    frame([{ index: 0, delta: d, logprobs: null, finish_reason: finish }]);
  const calls = reply.toolCalls ?? [];
  const start = (i: number) => ({ index: i, id: calls[i]!.id, type: "function", function: { name: calls[i]!.name, arguments: "" } });

  const frames: string[] = [];
  const toolsFirst = !reply.text && !reply.reasoning && calls.length > 0;
  frames.push(delta({ role: "assistant", content: toolsFirst ? null : "", ...(toolsFirst ? { tool_calls: [start(0)] } : {}), refusal: null }));
  for (const piece of pieces(reply.reasoning ?? "", 3)) frames.push(delta({ reasoning_content: piece }));
  for (const word of (reply.text ?? "").match(WORD_PIECES) ?? []) frames.push(delta({ content: word }));
  for (const word of (reply.refusal ?? "").match(WORD_PIECES) ?? []) frames.push(delta({ refusal: word }));
  calls.forEach((call, i) => {
    if (!(toolsFirst && i === 0)) frames.push(delta({ tool_calls: [start(i)] }));
    for (const part of pieces(call.arguments, 3)) frames.push(delta({ tool_calls: [{ index: i, function: { arguments: part } }] }));
  });
  frames.push(delta({}, finishOf(reply)));
  if (includeUsage) frames.push(frame([], usageOf(reply)));
  frames.push("data: [DONE]\n\n");
  return frames;
}

const wire: VendorWire<FakeReply> = {
  matches: (method, path) => method === "POST" && (path === "/v1/chat/completions" || path === "/chat/completions"),
  isStream: (request) => bodyOf(request).stream === true,
  json: completion,
  frames: chunks,
};

export function startFakeOpenAI(
  fallback: Behaviour<FakeReply> = { kind: "reply", reply: { text: "Hello! How can I assist you today?" } },
): FakeServer<FakeReply> {
  return startFakeServer(wire, fallback);
}
