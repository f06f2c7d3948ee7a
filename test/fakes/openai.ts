// Fake OpenAI vendor: chat.completion JSON and chat.completion.chunk SSE as the API reference shows
// them (see test/fixtures/openai/), and the Responses API's response and its events, on a real
// loopback server.

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

/** OpenAI ends calls to the tool a request named (`tool_choice: {function}`) with "stop", not "tool_calls". */
function finishOf(reply: FakeReply, request: RecordedRequest): string {
  const named = typeof (request.body as { tool_choice?: unknown } | undefined)?.tool_choice === "object";
  return reply.finish ?? (reply.toolCalls?.length && !named ? "tool_calls" : "stop");
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
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishOf(reply, request) }],
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
  frames.push(delta({}, finishOf(reply, request)));
  if (includeUsage) frames.push(frame([], usageOf(reply)));
  frames.push("data: [DONE]\n\n");
  return frames;
}

// ---- the Responses API (POST /v1/responses), as its reference shows a response and its events ----

const RESPONSES = "/v1/responses";

function responsesUsage(reply: FakeReply) {
  const usage = usageOf(reply);
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details.cached_tokens },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: usage.completion_tokens_details.reasoning_tokens },
    total_tokens: usage.total_tokens,
  };
}

/**
 * The output items of a reply, as they stand when done: a reasoning summary (its reasoning
 * encrypted when the request included it, as a stateless client must), the message, the calls.
 */
function outputItems(reply: FakeReply, id: string, request: RecordedRequest): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  const encrypted = (request.body as { include?: string[] }).include?.includes("reasoning.encrypted_content");
  if (reply.reasoning) {
    const reasoning: Record<string, unknown> = { type: "reasoning", id: `rs_${id}`, summary: [{ type: "summary_text", text: reply.reasoning }] };
    if (encrypted) reasoning.encrypted_content = `gAAAAAB${Buffer.from(reply.reasoning).toString("base64")}`;
    items.push(reasoning);
  }
  const content = reply.refusal !== undefined ? { type: "refusal", refusal: reply.refusal } : reply.text !== undefined ? { type: "output_text", text: reply.text, annotations: [], logprobs: [] } : null;
  if (content) items.push({ type: "message", id: `msg_${id}`, status: "completed", role: "assistant", content: [content] });
  (reply.phases ?? []).forEach((message, i) =>
    items.push({ type: "message", id: `msg_${id}_${i}`, status: "completed", role: "assistant", phase: message.phase, content: [{ type: "output_text", text: message.text, annotations: [], logprobs: [] }] }),
  );
  // A call to a custom (freeform) tool of the request carries its text as `input`.
  const custom = new Set(((request.body as { tools?: { type?: string; name?: string }[] }).tools ?? []).filter((tool) => tool.type === "custom").map((tool) => tool.name));
  (reply.toolCalls ?? []).forEach((call, i) =>
    items.push(
      custom.has(call.name)
        ? { type: "custom_tool_call", id: `ctc_${id}_${i}`, call_id: call.id, name: call.name, input: call.arguments }
        : { type: "function_call", id: `fc_${id}_${i}`, call_id: call.id, name: call.name, arguments: call.arguments, status: "completed" },
    ),
  );
  return items;
}

function responseObject(reply: FakeReply, request: RecordedRequest, id: string, status: string, output: unknown[]): Record<string, unknown> {
  const incomplete = status === "incomplete" ? { reason: reply.finish === "content_filter" ? "content_filter" : "max_output_tokens" } : null;
  return {
    id: `resp_${id}`, object: "response", created_at: CREATED, status, error: null, incomplete_details: incomplete,
    model: reply.model ?? bodyOf(request).model ?? "gpt-5", output, parallel_tool_calls: true, store: false, tools: [],
    ...(status === "in_progress" ? {} : { usage: responsesUsage(reply) }),
  };
}

function finalStatus(reply: FakeReply): string {
  return reply.finish === "length" || reply.finish === "content_filter" ? "incomplete" : "completed";
}

function response(reply: FakeReply, request: RecordedRequest): unknown {
  const id = `fake${fakeSequence++}`;
  return responseObject(reply, request, id, finalStatus(reply), outputItems(reply, id, request));
}

function responseEvents(reply: FakeReply, request: RecordedRequest): string[] {
  const id = `fake${fakeSequence++}`;
  let sequence = 0;
  const frames: string[] = [];
  const event = (type: string, data: Record<string, unknown>) => frames.push(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`);
  event("response.created", { response: responseObject(reply, request, id, "in_progress", []) });
  event("response.in_progress", { response: responseObject(reply, request, id, "in_progress", []) });
  const items = outputItems(reply, id, request);
  items.forEach((item, at) => {
    const base = { item_id: item.id, output_index: at };
    if (item.type === "reasoning") {
      const { encrypted_content: _, ...opening } = item;
      event("response.output_item.added", { output_index: at, item: { ...opening, summary: [] } });
      const text = reply.reasoning ?? "";
      event("response.reasoning_summary_part.added", { ...base, summary_index: 0, part: { type: "summary_text", text: "" } });
      for (const piece of pieces(text, 3)) event("response.reasoning_summary_text.delta", { ...base, summary_index: 0, delta: piece });
      event("response.reasoning_summary_text.done", { ...base, summary_index: 0, text });
      event("response.reasoning_summary_part.done", { ...base, summary_index: 0, part: { type: "summary_text", text } });
    } else if (item.type === "message") {
      const part = (item.content as Record<string, unknown>[])[0]!;
      const refusal = part.type === "refusal";
      event("response.output_item.added", { output_index: at, item: { ...item, status: "in_progress", content: [] } });
      event("response.content_part.added", { ...base, content_index: 0, part: refusal ? { type: "refusal", refusal: "" } : { type: "output_text", text: "", annotations: [] } });
      const whole = String(refusal ? part.refusal : part.text);
      for (const word of whole.match(WORD_PIECES) ?? []) event(refusal ? "response.refusal.delta" : "response.output_text.delta", { ...base, content_index: 0, delta: word, ...(refusal ? {} : { logprobs: [] }) });
      event(refusal ? "response.refusal.done" : "response.output_text.done", { ...base, content_index: 0, ...(refusal ? { refusal: whole } : { text: whole, logprobs: [] }) });
      event("response.content_part.done", { ...base, content_index: 0, part });
    } else if (item.type === "custom_tool_call") {
      event("response.output_item.added", { output_index: at, item: { ...item, input: "" } });
      for (const piece of pieces(String(item.input), 3)) event("response.custom_tool_call_input.delta", { ...base, delta: piece });
      event("response.custom_tool_call_input.done", { ...base, input: item.input });
    } else {
      event("response.output_item.added", { output_index: at, item: { ...item, arguments: "", status: "in_progress" } });
      for (const piece of pieces(String(item.arguments), 3)) event("response.function_call_arguments.delta", { ...base, delta: piece });
      event("response.function_call_arguments.done", { ...base, name: item.name, arguments: item.arguments });
    }
    event("response.output_item.done", { output_index: at, item });
  });
  const status = finalStatus(reply);
  event(status === "completed" ? "response.completed" : "response.incomplete", { response: responseObject(reply, request, id, status, items) });
  return frames;
}

type Refuse = (message: string, param: string, code: string) => Response;

/**
 * What OpenAI refuses of a body's settings, by its model, as its 400 says it: a reasoning model (the
 * o-series, GPT-5 but its chat models) takes no sampling settings, penalties or stop sequences while
 * it reasons; another model no effort; no model a `user` over 64 characters or over 4 stop sequences.
 */
function settingsRefusal(body: Record<string, unknown>, refuse: Refuse): Response | null {
  const model = String(body.model ?? "");
  const reasoning = /^(o\d|gpt-5|codex)/.test(model) && !model.includes("-chat");
  const effort = body.reasoning_effort ?? (body.reasoning as { effort?: unknown } | undefined)?.effort;
  if (reasoning && effort !== "none") {
    if (body.temperature !== undefined && body.temperature !== 1) {
      return refuse(`Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`, "temperature", "unsupported_value");
    }
    for (const field of ["top_p", "presence_penalty", "frequency_penalty", "stop"]) {
      if (body[field] !== undefined) return refuse(`Unsupported parameter: '${field}' is not supported with this model.`, field, "unsupported_parameter");
    }
  }
  if (!reasoning && effort !== undefined) return refuse("Unrecognized request argument supplied: reasoning_effort", "reasoning_effort", "unsupported_parameter");
  if (typeof body.user === "string" && body.user.length > 64) {
    return refuse(`Invalid 'user': string too long. Expected a string with maximum length 64, but got a string with length ${body.user.length} instead.`, "user", "string_above_max_length");
  }
  if (Array.isArray(body.messages) && !(Array.isArray(body.tools) && body.tools.length > 0)) {
    for (const field of ["parallel_tool_calls", "tool_choice"]) {
      if (body[field] !== undefined) return refuse(`Invalid value for '${field}': '${field}' is only allowed when 'tools' are specified.`, field, "invalid_value");
    }
  }
  // OpenAI's own models take no prompt-cache breakpoints (OpenRouter's), which it names as an unknown parameter.
  if (/^(gpt-|o\d|codex)/.test(model) && Array.isArray(body.messages)) {
    for (const [at, message] of (body.messages as { content?: unknown }[]).entries()) {
      const parts = Array.isArray(message.content) ? (message.content as Record<string, unknown>[]) : [];
      const marked = parts.findIndex((part) => "cache_control" in part);
      if (marked >= 0) return refuse(`Unknown parameter: 'messages[${at}].content[${marked}].cache_control'.`, `messages[${at}].content[${marked}].cache_control`, "unknown_parameter");
    }
  }
  if (Array.isArray(body.stop) && body.stop.length > 4) {
    return refuse(`Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length ${body.stop.length} instead.`, "stop", "array_above_max_length");
  }
  return null;
}

/** What Chat Completions refuses that a history from another vendor, or another dialect's settings, can hold, as its 400 says it. */
function chatRefusal(request: RecordedRequest): Response | null {
  const refuse: Refuse = (message, param, code) => Response.json(openaiErrorBody(message, "invalid_request_error", code, param), { status: 400 });
  const body = request.body as Record<string, unknown> | undefined;
  const settings = request.method === "POST" && body ? settingsRefusal(body, refuse) : null;
  if (settings) return settings;
  const messages = (body as { messages?: { role?: string; content?: unknown; tool_calls?: { id?: string }[]; tool_call_id?: string }[] } | undefined)?.messages;
  if (request.path === RESPONSES || !Array.isArray(messages)) return null;
  const tooLong = (id: string | undefined, param: string) =>
    (id?.length ?? 0) > 40 ? refuse(`Invalid '${param}': string too long. Expected a string with maximum length 40, but got a string with length ${id!.length} instead.`, param, "string_above_max_length") : null;
  // An assistant message's calls are each answered by the tool messages right after it, and a tool
  // message answers one of them.
  for (const [at, message] of messages.entries()) {
    const before = messages[at - 1];
    if (message.role === "tool" && !(before?.role === "tool" || before?.tool_calls?.length)) {
      return refuse("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", `messages.[${at}].role`, "invalid_value");
    }
    if (!message.tool_calls?.length) continue;
    const answered = new Set<string | undefined>();
    for (let next = at + 1; messages[next]?.role === "tool"; next++) answered.add(messages[next]!.tool_call_id);
    const missing = message.tool_calls.filter((call) => !answered.has(call.id));
    if (missing.length && at + 1 < messages.length) {
      return refuse(`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${missing.map((call) => call.id).join(", ")}`, `messages.[${at + 1}].role`, "invalid_value");
    }
  }
  for (const [at, message] of messages.entries()) {
    for (const [i, call] of (message.tool_calls ?? []).entries()) {
      const refused = tooLong(call.id, `messages[${at}].tool_calls[${i}].id`);
      if (refused) return refused;
    }
    if (message.role === "tool") {
      const refused = tooLong(message.tool_call_id, `messages[${at}].tool_call_id`);
      if (refused) return refused;
      const parts = Array.isArray(message.content) ? (message.content as { type?: string }[]) : [];
      const notText = parts.findIndex((part) => part.type !== "text");
      if (notText >= 0) return refuse(`Invalid 'messages[${at}].content[${notText}].type': for a tool message only 'text' is supported.`, `messages[${at}].content[${notText}].type`, "invalid_value");
    }
    if (message.role === "assistant" && message.content == null && !message.tool_calls?.length) {
      return refuse(`Invalid value for 'messages[${at}].content': expected a string, got null.`, `messages[${at}].content`, "invalid_type");
    }
  }
  return null;
}

/**
 * DeepSeek's thinking mode (on by default but for deepseek-chat) wants an assistant turn's
 * `reasoning_content` back on every later request once that turn called tools, and refuses one
 * without it, as its 400 says (api-docs.deepseek.com/guides/thinking_mode).
 */
function deepseekRefusal(request: RecordedRequest): Response | null {
  const body = request.body as { model?: string; thinking?: { type?: string }; messages?: { role?: string; tool_calls?: unknown[]; reasoning_content?: unknown }[] };
  if (body.thinking?.type === "disabled" || body.model === "deepseek-chat" || !Array.isArray(body.messages)) return null;
  const missing = body.messages.some((message) => message.role === "assistant" && message.tool_calls?.length && typeof message.reasoning_content !== "string");
  if (!missing) return null;
  const error = { error: { message: "The `reasoning_content` in the thinking mode must be passed back to the API.", type: "invalid_request_error", param: null, code: "invalid_request_error" } };
  return Response.json(error, { status: 400 });
}

/** A vendor of the Chat Completions dialect whose own rules the fake keeps too, beside OpenAI's. */
export type CompatibleVendor = "deepseek";

function chatWire(vendor?: CompatibleVendor): VendorWire<FakeReply> {
  const refusal = vendor === "deepseek" ? (request: RecordedRequest) => chatRefusal(request) ?? deepseekRefusal(request) : chatRefusal;
  return {
    matches: (method, path) => method === "POST" && (path === "/v1/chat/completions" || path === "/chat/completions" || path === RESPONSES),
    isStream: (request) => bodyOf(request).stream === true,
    json: (reply, request) => (request.path === RESPONSES ? response(reply, request) : completion(reply, request)),
    frames: (reply, request) => (request.path === RESPONSES ? responseEvents(reply, request) : chunks(reply, request)),
    refusal,
  };
}

/** `vendor`: a compatible vendor whose own refusals the fake makes too (OpenAI's alone by default). */
export function startFakeOpenAI(
  fallback: Behaviour<FakeReply> = { kind: "reply", reply: { text: "Hello! How can I assist you today?" } },
  options: { vendor?: CompatibleVendor } = {},
): FakeServer<FakeReply> {
  return startFakeServer(chatWire(options.vendor), fallback);
}
