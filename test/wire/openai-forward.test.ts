import { describe, expect, test } from "bun:test";
import { openaiDialect } from "../../core/server/dialects.ts";
import { encodeRequest, type EncodeRequestOptions } from "../../core/wire/openai/request.ts";
import { forwardedBody, OPENAI_FORWARD, sameJson, uniqueKey } from "../../core/wire/forward.ts";

/** What the provider would send: the ingress decode, the endpoint's model and cap, the encoding. */
function forward(text: string, options: EncodeRequestOptions = {}, endpoint: { model?: string; maxTokens?: number } = {}, reusable = false) {
  const { request } = openaiDialect.decode(JSON.parse(text), text);
  const routed = { ...request, model: endpoint.model ?? "upstream-model", ...(endpoint.maxTokens ? { maxTokens: endpoint.maxTokens } : {}) };
  const encoded = encodeRequest(routed, { includeUsage: true, ...options });
  const out = forwardedBody(routed, encoded, OPENAI_FORWARD, reusable);
  return { out: out && new TextDecoder().decode(out), bytes: out, encoded: JSON.parse(JSON.stringify(encoded)) };
}

const chat = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: "client/model", messages: [{ role: "user", content: "hi" }], stream: false, ...extra });

describe("forwarding the client's Chat Completions body", () => {
  test("a body forwarded earlier keeps its bytes when the next one is forwarded", () => {
    const first = chat({ temperature: 0.25, messages: [{ role: "user", content: "first ".repeat(5000) }] });
    const second = chat({ temperature: 0.5, messages: [{ role: "user", content: "second" }] });
    const { request } = openaiDialect.decode(JSON.parse(first), first);
    const routed = { ...request, model: "upstream-model" };
    const kept = forwardedBody(routed, encodeRequest(routed, { includeUsage: true }), OPENAI_FORWARD)!;
    forward(second);
    expect(new TextDecoder().decode(kept)).toBe(first.replace('"client/model"', '"upstream-model"'));
  });

  test("a body larger than the reused buffer is forwarded as well", () => {
    const text = chat({ messages: [{ role: "user", content: "ünïcode ".repeat(200_000) }] });
    for (const reusable of [false, true]) {
      const { out, encoded } = forward(text, {}, {}, reusable);
      expect(out).toBe(text.replace('"client/model"', '"upstream-model"'));
      expect(JSON.parse(out!)).toEqual(encoded);
    }
  });

  test("for a sender that copies, the edited body is built in a buffer that the next one reuses", () => {
    const first = forward(chat({ messages: [{ role: "user", content: "first ".repeat(5000) }] }), {}, {}, true);
    const second = forward(chat({ messages: [{ role: "user", content: "second" }] }), {}, {}, true);
    expect(second.bytes!.buffer).toBe(first.bytes!.buffer);
    expect(JSON.parse(second.out!)).toEqual(second.encoded);
    expect(JSON.parse(first.out!)).toEqual(first.encoded); // decoded before the second overwrote it
    const own = forward(chat(), {}, {}, false);
    expect(own.bytes!.buffer).not.toBe(first.bytes!.buffer);
  });

  test("the reused buffers grow for a body that needs more room than the last, and keep its edits right", () => {
    for (const repeat of [3000, 40_000, 3000]) {
      const text = chat({ max_completion_tokens: 64, messages: [{ role: "user", content: "grow ".repeat(repeat) }] });
      for (const maxTokensField of ["max_tokens", "max_completion_tokens"] as const) {
        const { out, encoded } = forward(text, { maxTokensField }, { model: "a-much-longer-upstream-model-name" }, true);
        expect(JSON.parse(out!)).toEqual(encoded);
      }
    }
  });

  test("the client's text goes out with only the model swapped", () => {
    const text = chat({ temperature: 0.25 });
    const { out, encoded } = forward(text);
    expect(out).toBe(text.replace('"client/model"', '"upstream-model"'));
    expect(JSON.parse(out!)).toEqual(encoded);
  });

  test("edits land at byte offsets: text before the model key that takes more bytes than characters", () => {
    const text = JSON.stringify({ messages: [{ role: "user", content: "naïve 🚀 über" }], max_completion_tokens: 7, model: "client/model" });
    const { out, encoded } = forward(text, { maxTokensField: "max_tokens" });
    // `stream` inserted first, the field renamed and the model swapped after the multi-byte text.
    expect(out).toBe('{"stream":false,"messages":[{"role":"user","content":"naïve 🚀 über"}],"max_tokens":7,"model":"upstream-model"}');
    expect(JSON.parse(out!)).toEqual(encoded);
  });

  test("layout, escapes and key order are kept; a quoted key inside a string is not mistaken for one", () => {
    const text = `{\n  "messages": [{"role": "user", "content": "say \\"model\\": \\"x\\" and \\\\"}],\n  "model" :  "a\\"b",\n  "stream": false\n}`;
    const { out, encoded } = forward(text, {}, { model: 'up"model' });
    expect(out).not.toBeNull();
    expect(JSON.parse(out!)).toEqual(encoded);
    expect(out!.startsWith("{\n  \"messages\"")).toBe(true);
  });

  test("max_completion_tokens is renamed for a vendor that wants max_tokens, and kept for one that does not", () => {
    const text = chat({ max_completion_tokens: 300 });
    const renamed = forward(text, { maxTokensField: "max_tokens" });
    expect(JSON.parse(renamed.out!)).toEqual(renamed.encoded);
    expect(renamed.out).toContain('"max_tokens":300');
    const kept = forward(text, { maxTokensField: "max_completion_tokens" });
    expect(kept.out).toContain('"max_completion_tokens":300');
  });

  test("a field the encoding adds is inserted: stream_options for a metered stream, stream when absent", () => {
    const text = JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true });
    const { out, encoded } = forward(text);
    expect(JSON.parse(out!)).toEqual(encoded);
    expect(encoded.stream_options).toEqual({ include_usage: true });
    const bare = forward(JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }));
    expect(JSON.parse(bare.out!)).toEqual(bare.encoded);
  });

  test("a file part with its name is forwarded; one without is serialised with the name OpenAI requires", () => {
    const named = chat({ messages: [{ role: "user", content: [{ type: "file", file: { filename: "q3.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } }] }] });
    expect(forward(named).out).toBe(named.replace('"client/model"', '"upstream-model"'));
    const unnamed = forward(chat({ messages: [{ role: "user", content: [{ type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=" } }] }] }));
    expect(unnamed.out).toBeNull();
    expect(unnamed.encoded.messages[0].content[0].file.filename).toBe("document.pdf");
  });

  test("anything the encoding changes or drops falls back to serialising", () => {
    // A cap on the endpoint lowers max_tokens.
    expect(forward(chat({ max_tokens: 900 }), {}, { maxTokens: 100 }).out).toBeNull();
    // OpenRouter's routing fields are the gateway's, never the vendor's.
    expect(forward(chat({ models: ["a", "b"] })).out).toBeNull();
    // The client turned usage off; the gateway asks for it anyway.
    expect(forward(chat({ stream: true, stream_options: { include_usage: false } })).out).toBeNull();
    // A one-part content array goes out as a string.
    expect(forward(JSON.stringify({ model: "m", messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] })).out).toBeNull();
  });

  test("a second `model` key anywhere in the body falls back: the top-level one cannot be told apart", () => {
    const tool = { type: "function", function: { name: "pick", parameters: { type: "object", properties: { model: { type: "string" } } } } };
    const { out } = forward(chat({ tools: [tool] }));
    expect(out).toBeNull();
  });

  test("a duplicated top-level key falls back, however it is spelled: the vendor might read the other one", () => {
    const messages = '"messages":[{"role":"user","content":"hi"}]';
    expect(forward(`{"model":"gpt-4o",${messages},"model":"gpt-4o"}`).out).toBeNull();
    expect(forward(`{"model":"gpt-4o",${messages},"mod\\u0065l":"gpt-4o"}`).out).toBeNull();
    expect(forward(`{"model":"m",${messages},"max_completion_tokens":5,"max_completion_tokens":5}`, { maxTokensField: "max_tokens" }).out).toBeNull();
  });

  test("escapes in values are forwarded as they came; a key spelled with one falls back", () => {
    // As Python's json writes non-ASCII text by default, and Go's encoder writes `<`, `>` and `&`.
    const escaped = '{"model":"client/model","messages":[{"role":"user","content":"caf\\u00e9 \\u003cdiv\\u003e \\"q\\" \\\\u0041"}],"stream":false}';
    const { out, encoded } = forward(escaped);
    expect(out).toBe(escaped.replace('"client/model"', '"upstream-model"'));
    expect(JSON.parse(out!)).toEqual(encoded);
    expect(encoded.messages[0].content).toBe('café <div> "q" \\u0041');
    expect(forward('{"model":"m","messages":[{"role":"user","content":"hi"}],"temp\\u0065rature":0.5}').out).toBeNull();
    expect(forward('{"model":"m","messages":[{"role":"user","content":"\\u00e9"}],"temp\\u0065rature" : 0.5}').out).toBeNull();
  });

  test("on generated bodies, whatever goes out parses to exactly what our encoding says, or nothing does", () => {
    // Deterministic: a fixed seed, so a failure replays.
    let seed = 0x5eed;
    const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const texts = ["hi", 'say "model": x', "back\\slash", "line\nbreak", "uni ü 🚀", "\\u0041 literal", "}{,:"];
    const optional: [string, () => unknown][] = [
      ["temperature", () => pick([0, 0.5, 1])],
      ["max_tokens", () => pick([16, 100, 4096])],
      ["max_completion_tokens", () => pick([16, 100])],
      ["stream", () => pick([true, false])],
      ["stream_options", () => ({ include_usage: pick([true, false]) })],
      ["seed", () => 7],
      ["stop", () => pick(["END", ["a", "b"]])],
      ["user", () => "u-1"],
      ["tools", () => [{ type: "function", function: { name: "f", parameters: { type: "object", properties: pick([{ model: { type: "string" } }, { q: { type: "string" } }]) } } }]],
      ["models", () => ["a", "b"]],
    ];
    let forwardedCount = 0;
    for (let i = 0; i < 400; i++) {
      const fields: [string, unknown][] = [
        ["model", pick(["m", "team/model", 'we"ird'])],
        ["messages", [{ role: "user", content: pick(texts) }, ...(random() < 0.5 ? [{ role: "assistant", content: pick(texts) }] : [])]],
      ];
      for (const [key, value] of optional) if (random() < 0.35) fields.push([key, value()]);
      fields.sort(() => random() - 0.5);
      const body = Object.fromEntries(fields);
      const text = pick([JSON.stringify(body), JSON.stringify(body, null, 2), JSON.stringify(body).replaceAll(":", " : ")]);
      const field = pick(["max_tokens", "max_completion_tokens"] as const);
      const cap = random() < 0.2 ? { maxTokens: 50 } : {};
      let result: ReturnType<typeof forward>;
      try {
        result = forward(text, { maxTokensField: field }, { model: pick(["up", 'u"p']), ...cap }, random() < 0.5);
      } catch {
        continue; // a body the ingress refuses never reaches a provider
      }
      if (result.out === null) continue;
      forwardedCount++;
      expect(JSON.parse(result.out)).toEqual(result.encoded);
    }
    // The generator must exercise the forwarding path, not only the fallback.
    expect(forwardedCount).toBeGreaterThan(50);
  });

  test("uniqueKey finds a key once, ignores string values and escaped quotes", () => {
    const at = (text: string) => uniqueKey(Buffer.from(text), "model");
    const valueFirst = '{"a":"model","model":1}';
    expect(at(valueFirst)).toBe(valueFirst.lastIndexOf('"model"'));
    const quoted = '{"x":"\\"model\\":","model":1}';
    expect(at(quoted)).toBe(quoted.lastIndexOf('"model"'));
    expect(at('{"model":1,"y":{"model":2}}')).toBe(-1);
    expect(at('{"x":"\\"model":1}')).toBe(-1);
  });

  test("sameJson compares values, not key order, and treats undefined members as absent", () => {
    expect(sameJson({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameJson("1", 1)).toBe(false);
    // A dialect's equivalence is asked only where the values differ, at any depth.
    const shorthand = (a: unknown, b: unknown) => a === "x" && JSON.stringify(b) === '[{"type":"text","text":"x"}]';
    expect(sameJson({ c: ["x"] }, { c: [[{ type: "text", text: "x" }]] }, shorthand)).toBe(true);
    expect(sameJson({ c: ["y"] }, { c: [[{ type: "text", text: "x" }]] }, shorthand)).toBe(false);
  });
});
