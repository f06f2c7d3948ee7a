// A fake Anthropic Messages API on loopback: renders scripted replies as message JSON or SSE events.

import { startFakeServer, type Behaviour, type FakeReply, type FakeServer, type RecordedRequest } from "./base.ts";

const STOP_REASON = { stop: "end_turn", length: "max_tokens", tool_calls: "tool_use", content_filter: "refusal" } as const;
export const FAKE_SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds";

function stopReason(reply: FakeReply): string {
  if (reply.stopSequence !== undefined) return "stop_sequence";
  return STOP_REASON[reply.finish ?? (reply.toolCalls?.length ? "tool_calls" : "stop")];
}

function requestedModel(request: RecordedRequest): string {
  return String((request.body as { model?: unknown } | undefined)?.model ?? "claude-sonnet-4-5");
}

/** `usage.input` of a fake reply counts all input; Anthropic reports the uncached part apart from cache reads and writes. */
function usageOf(reply: FakeReply) {
  const usage = reply.usage ?? { input: 12, output: 8 };
  const written = usage.cacheWrite ?? 0;
  const forAnHour = usage.cacheWrite1h ?? 0;
  return {
    input_tokens: usage.input - (usage.cached ?? 0) - written,
    cache_creation_input_tokens: written,
    cache_read_input_tokens: usage.cached ?? 0,
    cache_creation: { ephemeral_5m_input_tokens: written - forAnHour, ephemeral_1h_input_tokens: forAnHour },
    output_tokens: usage.output,
    ...(reply.webSearches !== undefined ? { server_tool_use: { web_search_requests: reply.webSearches, web_fetch_requests: 0 } } : {}),
  };
}

let counter = 0;
const messageId = () => `msg_01Fake${(++counter).toString().padStart(6, "0")}`;

function contentOf(reply: FakeReply): Record<string, unknown>[] {
  const content: Record<string, unknown>[] = [];
  if (reply.reasoning !== undefined) content.push({ type: "thinking", thinking: reply.reasoning, signature: FAKE_SIGNATURE });
  if (reply.redactedThinking !== undefined) content.push({ type: "redacted_thinking", data: reply.redactedThinking });
  if (reply.text !== undefined) content.push({ type: "text", text: reply.text });
  content.push(...(reply.blocks ?? []));
  for (const call of reply.toolCalls ?? []) content.push({ type: "tool_use", id: call.id, name: call.name, input: JSON.parse(call.arguments || "{}") });
  return content;
}

function messageJson(reply: FakeReply, request: RecordedRequest): Record<string, unknown> {
  return {
    id: messageId(),
    type: "message",
    role: "assistant",
    model: reply.model ?? requestedModel(request),
    content: contentOf(reply),
    stop_reason: stopReason(reply),
    stop_sequence: reply.stopSequence ?? null,
    usage: usageOf(reply),
  };
}

const frame = (data: Record<string, unknown>) => `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;

/** Splits text the way the vendor streams it: a few characters per delta. */
export function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function blockFrames(index: number, block: Record<string, unknown>): string[] {
  const delta = (d: Record<string, unknown>) => frame({ type: "content_block_delta", index, delta: d });
  const frames: string[] = [];
  if (block.type === "thinking") {
    frames.push(frame({ type: "content_block_start", index, content_block: { type: "thinking", thinking: "", signature: "" } }));
    for (const piece of pieces(String(block.thinking), 12)) frames.push(delta({ type: "thinking_delta", thinking: piece }));
    frames.push(delta({ type: "signature_delta", signature: block.signature }));
  } else if (block.type === "redacted_thinking") {
    // Arrives whole in its start event, with no deltas.
    frames.push(frame({ type: "content_block_start", index, content_block: block }));
  } else if (block.type === "text") {
    frames.push(frame({ type: "content_block_start", index, content_block: { type: "text", text: "" } }));
    // A cited text's citations come first, one delta each, as Anthropic streams web search answers.
    for (const citation of (block.citations as unknown[] | undefined) ?? []) frames.push(delta({ type: "citations_delta", citation }));
    for (const piece of pieces(String(block.text), 6)) frames.push(delta({ type: "text_delta", text: piece }));
  } else if (block.type === "server_tool_use") {
    frames.push(frame({ type: "content_block_start", index, content_block: { ...block, input: {} } }));
    for (const piece of pieces(JSON.stringify(block.input), 8)) frames.push(delta({ type: "input_json_delta", partial_json: piece }));
  } else if (block.type !== "tool_use") {
    // A server tool's result arrives whole in its start event.
    frames.push(frame({ type: "content_block_start", index, content_block: block }));
  } else {
    frames.push(frame({ type: "content_block_start", index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } }));
    frames.push(delta({ type: "input_json_delta", partial_json: "" }));
    for (const piece of pieces(JSON.stringify(block.input), 8)) frames.push(delta({ type: "input_json_delta", partial_json: piece }));
  }
  frames.push(frame({ type: "content_block_stop", index }));
  return frames;
}

function streamFrames(reply: FakeReply, request: RecordedRequest): string[] {
  const message = messageJson(reply, request);
  const usage = usageOf(reply);
  const start = { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } };
  const frames = [frame({ type: "message_start", message: start })];
  contentOf(reply).forEach((block, index) => {
    const [first, ...rest] = blockFrames(index, block);
    frames.push(first!);
    if (index === 0) frames.push(frame({ type: "ping" }));
    frames.push(...rest);
  });
  const final = { output_tokens: usage.output_tokens, ...(usage.server_tool_use ? { server_tool_use: usage.server_tool_use } : {}) };
  frames.push(frame({ type: "message_delta", delta: { stop_reason: stopReason(reply), stop_sequence: reply.stopSequence ?? null }, usage: final }));
  frames.push(frame({ type: "message_stop" }));
  return frames;
}

/** Anthropic's error body, e.g. `anthropicError("overloaded_error", "Overloaded")` with status 529. */
export function anthropicError(type: string, message: string) {
  return { type: "error", error: { type, message } };
}

/** The same error as a stream's `error` event, as Anthropic sends one after a 200 under load. */
export function anthropicErrorEvent(type: string, message: string): string {
  return frame(anthropicError(type, message));
}

const COUNT_TOKENS = "/v1/messages/count_tokens";
const TOOL_ID = /^[a-zA-Z0-9_-]+$/;

type Block = { type?: string; text?: string; id?: string; tool_use_id?: string; signature?: string };

interface Settings {
  model?: string;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  thinking?: { type?: string };
  tool_choice?: { type?: string };
  stop_sequences?: string[];
}

/** What the Messages API refuses of a body's settings, by the model's version, as its 400 says it. */
function settingsRefusal(body: Settings): string | null {
  const opus47 = /claude-opus-4-([7-9])(?!\d)/.test(body.model ?? "");
  const sampled = ["temperature", "top_p", "top_k"].find((field) => body[field as keyof Settings] !== undefined);
  if (opus47 && sampled) return `\`${sampled}\` is deprecated for this model.`;
  if (opus47 && body.thinking?.type === "enabled") return '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.';
  if (body.temperature !== undefined && body.top_p !== undefined) return "`temperature` and `top_p` cannot both be specified for this model. Please use only one.";
  if (body.stop_sequences?.some((stop) => !stop.trim())) return "stop_sequences: each stop sequence must contain non-whitespace";
  const thinking = body.thinking?.type === "enabled" || body.thinking?.type === "adaptive";
  if (!thinking) return null;
  if (body.tool_choice?.type === "any" || body.tool_choice?.type === "tool") return "Thinking may not be enabled when tool_choice forces tool use.";
  if (body.temperature !== undefined && body.temperature !== 1) return "`temperature` may only be set to 1 when thinking is enabled.";
  if (body.top_k !== undefined) return "`top_k` must be unset when thinking is enabled.";
  if (body.top_p !== undefined && body.top_p < 0.95) return "`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled.";
  return null;
}

/** What the Messages API refuses that a history from another vendor, or another dialect's settings, can hold, as its 400 says it. */
function messagesRefusal(request: RecordedRequest): Response | null {
  const messages = (request.body as { messages?: { role?: string; content?: string | Block[] }[] } | undefined)?.messages;
  if (request.method !== "POST" || !Array.isArray(messages)) return null;
  const refuse = (message: string) => Response.json(anthropicError("invalid_request_error", message), { status: 400 });
  const settings = request.path === COUNT_TOKENS ? null : settingsRefusal(request.body as Settings);
  if (settings) return refuse(settings);
  const thinking = (request.body as Settings).thinking?.type;
  if (request.path !== COUNT_TOKENS && (thinking === "enabled" || thinking === "adaptive")) {
    // A tool loop goes on from the last assistant turn: with thinking on, that turn must begin with its thinking.
    const at = messages.findLastIndex((message) => message.role === "assistant");
    const blocks = at >= 0 && typeof messages[at]!.content !== "string" ? ((messages[at]!.content ?? []) as Block[]) : [];
    const next = messages[at + 1]?.content;
    const continues = Array.isArray(next) && (next as Block[]).some((block) => block.type === "tool_result");
    // Adaptive thinking may have chosen not to think on a turn of Claude's own (its ids begin `toolu_`).
    const own = thinking === "adaptive" && blocks.some((block) => block.type === "tool_use") && blocks.every((block) => block.type !== "tool_use" || block.id?.startsWith("toolu_"));
    if (continues && !own && blocks[0]?.type !== "thinking" && blocks[0]?.type !== "redacted_thinking") {
      return refuse(`messages.${at}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${blocks[0]?.type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block.`);
    }
  }
  const toolIds = new Set<string>();
  // Each call is answered in the next message, and each result answers a call of the message before.
  for (const [at, message] of messages.entries()) {
    const blocks = typeof message.content === "string" ? [] : (message.content ?? []);
    const next = messages[at + 1];
    const nextBlocks = next && typeof next.content !== "string" ? (next.content ?? []) : [];
    const calls = message.role === "assistant" ? blocks.filter((block) => block.type === "tool_use").map((block) => block.id) : [];
    const answered = new Set(nextBlocks.filter((block) => block.type === "tool_result").map((block) => block.tool_use_id));
    const missing = calls.filter((id) => !answered.has(id));
    if (missing.length && at + 1 < messages.length) {
      return refuse(`messages.${at + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
    }
    const previous = at > 0 && messages[at - 1]!.role === "assistant" && typeof messages[at - 1]!.content !== "string" ? (messages[at - 1]!.content as Block[]) : [];
    const offered = new Set(previous.filter((block) => block.type === "tool_use").map((block) => block.id));
    const orphan = message.role === "user" ? blocks.find((block) => block.type === "tool_result" && !offered.has(block.tool_use_id)) : undefined;
    if (orphan) return refuse(`messages.${at}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${orphan.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
  }
  for (const [at, message] of messages.entries()) {
    const blocks = typeof message.content === "string" ? [{ type: "text", text: message.content }] : (message.content ?? []);
    const last = at === messages.length - 1;
    if (blocks.length === 0 && !(last && message.role === "assistant")) return refuse(`messages.${at}: all messages must have non-empty content except for the optional final assistant message`);
    for (const [i, block] of blocks.entries()) {
      const place = `messages.${at}.content.${i}`;
      if (block.type === "text" && !block.text?.trim()) return refuse(`${place}: text content blocks must contain non-whitespace text`);
      if (block.type === "tool_use" && !TOOL_ID.test(block.id ?? "")) return refuse(`${place}.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`);
      if (block.type === "tool_use" && toolIds.has(block.id!)) return refuse(`${place}: \`tool_use\` ids must be unique`);
      if (block.type === "tool_use") toolIds.add(block.id!);
      if (block.type === "tool_result" && !TOOL_ID.test(block.tool_use_id ?? "")) return refuse(`${place}.tool_result.tool_use_id: String should match pattern '^[a-zA-Z0-9_-]+$'`);
      // Its signatures are base64 it made: an empty one, or one holding a colon, is not one of them.
      if (block.type === "thinking" && (!block.signature || block.signature.includes(":"))) return refuse(`${place}: Invalid \`signature\` in \`thinking\` block`);
    }
    const final = blocks[blocks.length - 1];
    if (last && message.role === "assistant" && final?.type === "text" && final.text !== final.text?.trimEnd()) return refuse("final assistant content cannot end with trailing whitespace");
  }
  return null;
}

export function startFakeAnthropic(fallback?: Behaviour<FakeReply>): FakeServer<FakeReply> {
  return startFakeServer<FakeReply>(
    {
      matches: (method, path) =>
        (method === "POST" && (path === "/v1/messages" || path === COUNT_TOKENS)) || (method === "GET" && path === "/v1/models"),
      isStream: (request) => (request.body as { stream?: unknown } | undefined)?.stream === true,
      json: (reply, request) => {
        if (request.path === "/v1/models") {
          return { data: [{ type: "model", id: reply.model ?? "claude-sonnet-4-5", display_name: "Claude Sonnet 4.5", created_at: "2025-09-29T00:00:00Z" }], has_more: false, first_id: null, last_id: null };
        }
        // count_tokens answers with the count alone; a reply's input usage stands for it.
        return request.path === COUNT_TOKENS ? { input_tokens: reply.usage?.input ?? 25 } : messageJson(reply, request);
      },
      frames: streamFrames,
      refusal: messagesRefusal,
    },
    fallback ?? { kind: "reply", reply: { text: "Hello from the fake vendor." } },
  );
}
