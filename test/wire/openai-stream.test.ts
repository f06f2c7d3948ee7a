// Round trips of chat.completion.chunk streams and the vendor stream quirks the decoder handles.

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { errors, isSwitchyardError } from "../../core/errors.ts";
import { EVENT_BATCHES, type StreamEvent } from "../../core/kit/canonical.ts";
import { decodeStream, decodeStreamBody, StreamEncoder } from "../../core/wire/openai/index.ts";
import { decodeBoth, readBatches } from "./decode-both.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/openai/${name}`, import.meta.url), "utf8");

const collect = (text: string) => decodeBoth({ decodeStream, decodeStreamBody }, text);

const info = { id: "gen-9", model: "gpt-5-mini", created: 1_741_569_952, includeUsage: true };

const toolTurn: StreamEvent[] = [
  { type: "start", id: "gen-9", model: "gpt-5-mini" },
  { type: "reasoning", text: "Look at the log." },
  { type: "text", text: "Reading" },
  { type: "text", text: " it." },
  { type: "tool_call_start", index: 0, id: "call_1", name: "read_file" },
  { type: "tool_call_delta", index: 0, arguments: '{"path":' },
  { type: "tool_call_delta", index: 0, arguments: '"build.log"}' },
  { type: "tool_call_start", index: 1, id: "call_2", name: "grep" },
  { type: "tool_call_delta", index: 1, arguments: "{}" },
  { type: "finish", reason: "tool_calls", native: "tool_calls" },
];
const usage = { inputTokens: 300, outputTokens: 25, cachedInputTokens: 256, reasoningTokens: 5 };

describe("OpenAI stream codec", () => {
  test("a stream read from its body comes in one batch per network read, the last with the end, and iterates event by event", async () => {
    const text = fixture("chat-completion-stream.sse");
    const frames = text.split("\n\n").filter(Boolean).map((frame) => `${frame}\n\n`);
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        // Two reads: the first frame alone, then the rest at once.
        controller.enqueue(new TextEncoder().encode(frames[0]!));
        controller.enqueue(new TextEncoder().encode(frames.slice(1).join("")));
        controller.close();
      },
    });
    const { batches, last } = await readBatches(decodeStreamBody(source)[EVENT_BATCHES]());
    // The second read held [DONE]: its batch comes with the step that ends the stream.
    expect(batches.length).toBe(1);
    expect(batches[0]![0]!.type).toBe("start");
    expect(last?.at(-1)?.type).toBe("finish");
    batches.push(last!);
    const flat: StreamEvent[] = [];
    for await (const event of decodeStreamBody(new Response(text).body!)) flat.push(event);
    expect(flat).toEqual(batches.flat());
  });

  test("a streamed tool-call turn survives encode then decode, usage before finish", async () => {
    const encoder = new StreamEncoder(info);
    const text = toolTurn.map((event) => encoder.encode(event)).join("") + encoder.end(usage, 0.0004);
    const expected = [...toolTurn.slice(0, -1), { type: "usage", usage }, toolTurn.at(-1)];
    expect(await collect(text)).toEqual(expected as StreamEvent[]);
  });

  test("the encoder sends the usage chunk with empty choices and cost, then [DONE]", () => {
    const text = new StreamEncoder(info).end(usage, 0.0004);
    const [usageFrame, done] = text.split("\n\n");
    const chunk = JSON.parse(usageFrame!.slice("data: ".length));
    expect(chunk.choices).toEqual([]);
    expect(chunk.usage).toMatchObject({ prompt_tokens: 300, completion_tokens: 25, cost: 0.0004 });
    expect(done).toBe("data: [DONE]");
  });

  test("the encoder sends no usage chunk when the client did not ask for one", () => {
    expect(new StreamEncoder({ ...info, includeUsage: false }).end(usage, 0.0004)).toBe("data: [DONE]\n\n");
  });

  test("the encoder ignores usage events and opens with the assistant role even without a start event", () => {
    const encoder = new StreamEncoder(info);
    expect(encoder.encode({ type: "usage", usage })).toBe("");
    const frames = encoder.encode({ type: "text", text: "Hi" }).trim().split("\n\n");
    expect(frames.map((frame) => JSON.parse(frame.slice(6)).choices[0].delta)).toEqual([{ role: "assistant", content: "", refusal: null }, { content: "Hi" }]);
  });

  test("the error frame carries the OpenAI error shape and no [DONE]", () => {
    const frame = new StreamEncoder(info).error(errors.rateLimited("slow down"));
    expect(JSON.parse(frame.slice(6))).toEqual({ error: { message: "slow down", type: "rate_limit_error", code: "rate_limited" } });
    expect(frame).not.toContain("[DONE]");
  });

  test("the API reference's stream decodes to text, usage and finish", async () => {
    expect(await collect(fixture("chat-completion-stream.sse"))).toEqual([
      { type: "start", id: "chatcmpl-123", model: "gpt-4o-mini" },
      { type: "text", text: "Hello" },
      { type: "text", text: " there" },
      { type: "usage", usage: { inputTokens: 9, outputTokens: 2 } },
      { type: "finish", reason: "stop", native: "stop" },
    ]);
  });

  test("the API reference's tool-call stream decodes to a call start and argument deltas", async () => {
    const events = await collect(fixture("chat-completion-stream-tool-calls.sse"));
    expect(events.slice(1)).toEqual([
      { type: "tool_call_start", index: 0, id: "call_abc123", name: "get_current_weather" },
      { type: "tool_call_delta", index: 0, arguments: '{"location"' },
      { type: "tool_call_delta", index: 0, arguments: ': "Boston, MA"}' },
      { type: "finish", reason: "tool_calls", native: "tool_calls" },
    ]);
  });

  test("an error frame in a vendor stream throws a gateway error", async () => {
    const text = 'data: {"id":"a","model":"m","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n' +
      'data: {"id":"a","error":{"code":429,"message":"Rate limit exceeded upstream"},"choices":[{"index":0,"delta":{},"finish_reason":"error"}]}\n\n';
    const error = await collect(text).catch((e: unknown) => e);
    expect(isSwitchyardError(error)).toBe(true);
    expect(error).toMatchObject({ code: "rate_limited", message: "Rate limit exceeded upstream" });
  });

  test("usage sent with every chunk counts once, the last value winning", async () => {
    const chunk = (content: string, out: number, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: "g", model: "m", choices: [{ index: 0, delta: { content }, finish_reason: finish }], usage: { prompt_tokens: 5, completion_tokens: out } })}\n\n`;
    const events = await collect(chunk("a", 1) + chunk("b", 2, "stop") + "data: [DONE]\n\n");
    expect(events.filter((event) => event.type === "usage")).toEqual([{ type: "usage", usage: { inputTokens: 5, outputTokens: 2 } }]);
  });

  test("a whole tool call in one chunk without an index yields a start and its arguments", async () => {
    const chunk = { id: "g", model: "m", choices: [{ delta: { tool_calls: [{ id: "c1", function: { name: "f", arguments: "{}" } }] }, finish_reason: "tool_calls" }] };
    const events = await collect(`data: ${JSON.stringify(chunk)}\n\n`);
    expect(events.slice(1, 3)).toEqual([
      { type: "tool_call_start", index: 0, id: "c1", name: "f" },
      { type: "tool_call_delta", index: 0, arguments: "{}" },
    ]);
  });

  test("a tool call streamed without an id still opens with a start event", async () => {
    const chunk = { id: "g", model: "m", choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: "f", arguments: "{}" } }] } }] };
    const events = await collect(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`);
    expect(events[1]).toEqual({ type: "tool_call_start", index: 0, id: "call_0", name: "f" });
  });

  test("a stream that ends with neither a finish reason nor [DONE] is a retryable upstream error", async () => {
    const chunk = { id: "g", model: "m", choices: [{ index: 0, delta: { content: "half an ans" } }] };
    const error = await collect(`data: ${JSON.stringify(chunk)}\n\n`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "upstream_error", retryable: true });
  });

  test("a stream with no chunk in it, [DONE] or not, is a retryable upstream error, not an empty answer", async () => {
    for (const text of ["data: {not json}\n\ndata: [DONE]\n\n", "data: [DONE]\n\n", ": just a comment\n\n"]) {
      const error = await collect(text).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "upstream_error", retryable: true, message: expect.stringContaining("without a single chunk") });
    }
  });

  test("a stream whose chunks hold no choice, [DONE] or not, is a retryable upstream error, not an empty answer", async () => {
    const error = await collect('data: {"id":"c","object":"chat.completion.chunk","model":"m"}\n\ndata: [DONE]\n\n').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "upstream_error", retryable: true, message: expect.stringContaining("without a choice in any chunk") });
  });

  test("refusal deltas become refusal events and go out as refusal deltas", async () => {
    const frame = (delta: object) => `data: ${JSON.stringify({ id: "g", model: "m", choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
    const vendor = frame({ role: "assistant", refusal: "" }) + frame({ refusal: "I'm sorry," }) + frame({ refusal: " no." }) + "data: [DONE]\n\n";
    const events = await collect(vendor);
    expect(events.slice(1)).toEqual([{ type: "refusal", text: "I'm sorry," }, { type: "refusal", text: " no." }]);
    const encoder = new StreamEncoder({ ...info, includeUsage: false });
    const out = events.map((event) => encoder.encode(event)).join("");
    const deltas = out.split("\n\n").filter(Boolean).map((line) => JSON.parse(line.slice(6)).choices[0].delta);
    expect(deltas).toEqual([{ role: "assistant", content: "", refusal: null }, { refusal: "I'm sorry," }, { refusal: " no." }]);
  });

  test("reasoning deltas from DeepSeek and OpenRouter both become reasoning events", async () => {
    const frame = (delta: object) => `data: ${JSON.stringify({ id: "g", model: "m", choices: [{ index: 0, delta }] })}\n\n`;
    const events = await collect(frame({ reasoning_content: "one" }) + frame({ reasoning: "two" }) + "data: [DONE]\n\n");
    expect(events.slice(1)).toEqual([{ type: "reasoning", text: "one" }, { type: "reasoning", text: "two" }]);
  });

  test("a stream of tool calls that ended with stop (OpenAI's for a named tool_choice, Ollama's, vLLM's) finishes for its tool calls, the native stop kept", async () => {
    const frame = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ id: "c1", model: "gpt-4o", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const vendor =
      frame({ role: "assistant", content: null, tool_calls: [{ index: 0, id: "call_abc", type: "function", function: { name: "get_weather", arguments: "" } }] }) +
      frame({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] }) +
      frame({}, "stop") +
      `data: ${JSON.stringify({ id: "c1", model: "gpt-4o", choices: [], usage: { prompt_tokens: 10, completion_tokens: 5 } })}\n\n` +
      "data: [DONE]\n\n";
    const events = await collect(vendor);
    expect(events.at(-1)).toEqual({ type: "finish", reason: "tool_calls", native: "stop" });
    expect((await collect(frame({ content: "Hi" }) + frame({}, "stop"))).at(-1)).toEqual({ type: "finish", reason: "stop", native: "stop" });
  });

  test("content deltas as chunks (Mistral's reasoning models) become reasoning from thinking chunks and text from text chunks", async () => {
    const frame = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: "m1", object: "chat.completion.chunk", created: 1, model: "magistral-medium-latest", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const thinking = (text: string) => ({ type: "thinking", thinking: [{ type: "text", text }] });
    const vendor =
      frame({ role: "assistant", content: "" }) +
      frame({ content: [thinking("Let me")] }) +
      frame({ content: [thinking(" compute.")] }) +
      frame({ content: [{ type: "text", text: "The answer" }] }) +
      frame({ content: " is 4." }) +
      frame({ content: "" }, "stop") +
      "data: [DONE]\n\n";
    expect((await collect(vendor)).slice(1)).toEqual([
      { type: "reasoning", text: "Let me" },
      { type: "reasoning", text: " compute." },
      { type: "text", text: "The answer" },
      { type: "text", text: " is 4." },
      { type: "finish", reason: "stop", native: "stop" },
    ]);
  });
});

describe("OpenAI stream codec: token frames of one shape", () => {
  const head = '{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":"fp"';
  // OpenAI pads its frames with random characters by default; every frame here is padded or none.
  let padded = false;
  let frameCount = 0;
  const frame = (delta: string, finish = "null", tail = ',"usage":null') =>
    `data: ${head},"choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]${tail}${
      padded ? `,"obfuscation":"${"aZ9".repeat(frameCount++ % 5)}"` : ""
    }}\n\n`;
  const text = (literal: string) => frame(`{"content":${literal}}`);
  const opening = () => frame('{"role":"assistant","content":""}');
  const closing = () => frame("{}", '"stop"') + "data: [DONE]\n\n";

  /** Each frame decoded alone, the long way: after the opening frame, in a stream of its own. */
  async function oneByOne(frames: string[]): Promise<StreamEvent[]> {
    const events: StreamEvent[] = [];
    for (const middle of frames) {
      const alone = await collect(opening() + middle + closing());
      events.push(...alone.slice(1, -1));
    }
    return events;
  }

  // Strings as vendors write them: JSON.stringify's escapes, other escapes of the same text, and
  // bodies that would end the string early or change the frame's structure if taken as they are.
  // A stream learns its token frames' shape after its first few (LEARN_AFTER in stream.ts): plain
  // ones first, so that every frame after them is read by the shape, or found not to be of it.
  const plain = () => Array.from({ length: 10 }, (_, i) => text(`"plain ${i} "`));
  const frames = () => [
    ...plain(),
    text('"The "'),
    text('"answer"'),
    text(JSON.stringify('say "hi"\\n\tand\u0001 é ☃ 😀')),
    text('"caf\\u00e9 \\/ \\""'),
    text('""'),
    text('"a"},"finish_reason":"stop","x":{"y":"b"'),
    text('"a\\"'),
    frame('{"content":"mid"}', "null", ',"usage":{"prompt_tokens":3,"completion_tokens":1}'),
    frame('{"reasoning_content":"think"}'),
    frame('{"reasoning_content":"ing \\"hard\\""}'),
    frame('{"reasoning":"other key"}'),
    frame('{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]}'),
    frame('{"tool_calls":[{"index":0,"function":{"arguments":"{\\"path\\":"}}]}'),
    frame('{"tool_calls":[{"index":0,"function":{"arguments":"\\"a.txt\\"}"}}]}'),
    text('"after the call"'),
    text('"and more"'),
  ];

  /** A stream of `count` token frames decoded, and the frames JSON.parse was given meanwhile. */
  async function decodedTokens(count: number): Promise<{ events: StreamEvent[]; frameParses: number }> {
    const parse = JSON.parse;
    let frameParses = 0;
    JSON.parse = ((source: string, reviver?: Parameters<typeof parse>[1]) => {
      if (source.startsWith("{")) frameParses++;
      return parse(source, reviver);
    }) as typeof JSON.parse;
    try {
      const tokens = Array.from({ length: count }, (_, i) => text(JSON.stringify(`token ${i} `)));
      return { events: await collect(opening() + tokens.join("") + closing()), frameParses };
    } finally {
      JSON.parse = parse;
    }
  }

  test.each([false, true])("a stream of repeated shapes gives, frame for frame, what each frame gives decoded alone (padded: %p)", async (padding) => {
    padded = padding;
    const sent = frames();
    // Text where the padding goes that makes the frame say more (here, usage) is another shape.
    if (padding) sent.push(text('"x"').replace('"obfuscation":"', '"obfuscation":"a","usage":{"prompt_tokens":4,"completion_tokens":2},"x":"'));
    const whole = await collect(opening() + sent.join("") + closing());
    const usage = whole.filter((event) => event.type === "usage");
    const expected = (await oneByOne(sent)).filter((event) => event.type !== "usage");
    expect(whole.slice(1, -2)).toEqual(expected);
    expect(usage).toEqual([{ type: "usage", usage: padding ? { inputTokens: 4, outputTokens: 2 } : { inputTokens: 3, outputTokens: 1 } }]);
    expect(whole.filter((event) => event.type === "text").map((event) => (event as { text: string }).text)).toContain('say "hi"\\n\tand\u0001 é ☃ 😀');
  });

  test.each([false, true])("token frames after a stream's first few are read without parsing the frame (padded: %p)", async (padding) => {
    padded = padding;
    const { events, frameParses } = await decodedTokens(100);
    expect(events.filter((event) => event.type === "text")).toHaveLength(100);
    // Both decodings in collect(): the opening, the tokens before the shape is learned (the ninth
    // teaches it), the shape's check and the close, each.
    expect(frameParses).toBeLessThanOrEqual(2 * (1 + 9 + 1 + 1));
  });

  test("a short answer's frames are all parsed: no shape is learned that it could not repay", async () => {
    padded = false;
    const { events, frameParses } = await decodedTokens(6);
    expect(events.filter((event) => event.type === "text")).toHaveLength(6);
    // Both decodings: the opening, six tokens and the close, and no probe frame.
    expect(frameParses).toBe(2 * (1 + 6 + 1));
  });

  test("the encoder writes a string delta as the generic chunk would", () => {
    const encoder = new StreamEncoder(info);
    encoder.encode({ type: "start", id: "x", model: "m" });
    const value = 'say "hi"\n\u0001 é 😀 \\';
    const chunkOf = (delta: object) =>
      `data: ${JSON.stringify({ id: info.id, object: "chat.completion.chunk", created: info.created, model: info.model, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
    expect(encoder.encode({ type: "text", text: value })).toBe(chunkOf({ content: value }));
    expect(encoder.encode({ type: "reasoning", text: value })).toBe(chunkOf({ reasoning: value }));
    // Calls' arguments interleaved: each frame names its own call.
    for (const index of [2, 2, 0, 2]) {
      expect(encoder.encode({ type: "tool_call_delta", index, arguments: value })).toBe(
        chunkOf({ tool_calls: [{ index, function: { arguments: value } }] }),
      );
    }
  });

  test("a token before any start event comes after the opening role chunk", () => {
    const role = new StreamEncoder(info).encode({ type: "start", id: "x", model: "m" });
    const token = (encoder: StreamEncoder) => encoder.encode({ type: "text", text: "hi" });
    const started = new StreamEncoder(info);
    started.encode({ type: "start", id: "x", model: "m" });
    const unstarted = new StreamEncoder(info);
    expect(token(unstarted)).toBe(role + token(started));
    expect(token(unstarted)).toBe(token(started));
  });

  test("the encoder writes the opening and finish chunks as the generic chunk would", () => {
    const chunkOf = (choice: object) =>
      `data: ${JSON.stringify({ id: info.id, object: "chat.completion.chunk", created: info.created, model: info.model, choices: [choice] })}\n\n`;
    const opening = chunkOf({ index: 0, delta: { role: "assistant", content: "", refusal: null }, finish_reason: null });
    expect(new StreamEncoder(info).encode({ type: "start", id: "x", model: "m" })).toBe(opening);
    // A finish with nothing before it opens the stream first; the vendor's own reason goes along when known.
    expect(new StreamEncoder(info).encode({ type: "finish", reason: "length" })).toBe(
      opening + chunkOf({ index: 0, delta: {}, finish_reason: "length" }),
    );
    const encoder = new StreamEncoder(info);
    encoder.encode({ type: "start", id: "x", model: "m" });
    expect(encoder.encode({ type: "finish", reason: "stop", native: 'end_"turn' })).toBe(
      chunkOf({ index: 0, delta: {}, finish_reason: "stop", native_finish_reason: 'end_"turn' }),
    );
  });
});
