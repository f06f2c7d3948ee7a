// An OpenAI client in front of an OpenAI-compatible vendor: the vendor gets the client's own body
// with the upstream model (and its max-tokens field) swapped in, or our encoding when they differ
// or when the body is short enough that encoding it costs less.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { openaiClient, startGateway, type Gateway } from "./harness.ts";

let vendor: ReturnType<typeof startFakeOpenAI>;
let gateway: Gateway;
let client: OpenAI;

beforeAll(async () => {
  vendor = startFakeOpenAI();
  gateway = await startGateway(`
version: 1
auth: { use: none }
providers:
  local: { use: openai-compatible, base_url: "${vendor.url}/v1" }
  like-openai: { use: openai-compatible, base_url: "${vendor.url}/v1", openai_fields: true }
models:
  team-model:
    - { provider: local, model: upstream-model-7, price: { input: 1, output: 2 } }
  fields-model:
    - { provider: like-openai, model: upstream-fields, price: { input: 1, output: 2 } }
  capped-model:
    - { provider: local, model: upstream-capped, price: { input: 1, output: 2 }, max_output: 100 }
routes:
  - name: direct
    to: $model
`);
  client = openaiClient(gateway);
});
afterAll(async () => {
  await gateway.close();
  await vendor.close();
});

// A system prompt of a few KB, as agents send: a short body is not forwarded (last test).
const messages = [
  { role: "system" as const, content: `Answer in "quotes" and keep \\ escapes.\nTwo lines.\n${"Follow the house style. ".repeat(200)}` },
  { role: "user" as const, content: "Say hi" },
];

describe("forwarding the client's body", () => {
  test("the vendor gets the client's text with the upstream model and max_tokens swapped in", async () => {
    const completion = await client.chat.completions.create({ model: "team-model", messages, max_completion_tokens: 64, temperature: 0.5 });
    expect(completion.choices[0]!.message.content).toBeTruthy();
    const sent = vendor.requests.at(-1)!;
    expect(sent.body).toMatchObject({ model: "upstream-model-7", max_tokens: 64, temperature: 0.5, messages, stream: false });
    expect(sent.body).not.toHaveProperty("max_completion_tokens");
    // The SDK's own text went out, edited in place (its key order, `stream` added in front); our
    // encoding would have put the fields in another order.
    const forwarded = { stream: false, model: "upstream-model-7", messages, max_tokens: 64, temperature: 0.5 };
    expect(sent.text).toBe(JSON.stringify(forwarded));
  });

  test("the sampling penalties reach the vendor, in the forwarded text", async () => {
    await client.chat.completions.create({ model: "team-model", messages, presence_penalty: 0.5, frequency_penalty: -0.25 });
    const sent = vendor.requests.at(-1)!;
    expect(sent.body).toMatchObject({ model: "upstream-model-7", presence_penalty: 0.5, frequency_penalty: -0.25 });
    expect(sent.text.startsWith('{"stream":false,"model":"upstream-model-7"')).toBe(true);
  });

  test("n: 1 and logprobs: false, which say what leaving them out says, are forwarded as they came", async () => {
    await client.chat.completions.create({ model: "team-model", messages, n: 1, logprobs: false });
    const sent = vendor.requests.at(-1)!;
    expect(sent.text).toBe(JSON.stringify({ stream: false, model: "upstream-model-7", messages, n: 1, logprobs: false }));
  });

  test("OpenAI's own fields go, in the forwarded text, to a vendor set to take them; to others, our encoding without them", async () => {
    const fields = { store: true, metadata: { ticket: "T-1" }, service_tier: "auto" as const, prompt_cache_key: "agent-7" };
    await client.chat.completions.create({ model: "fields-model", messages, ...fields });
    const taken = vendor.requests.at(-1)!;
    expect(taken.body).toMatchObject({ model: "upstream-fields", ...fields });
    expect(taken.text.startsWith('{"stream":false,"model":"upstream-fields"')).toBe(true);

    await client.chat.completions.create({ model: "team-model", messages, ...fields });
    const plain = vendor.requests.at(-1)!;
    for (const field of Object.keys(fields)) expect(plain.body).not.toHaveProperty(field);
    expect(plain.text).toBe(JSON.stringify(plain.body));
  });

  test("a stream asks for the usage chunk even when the client did not, and the client does not see it", async () => {
    const stream = await client.chat.completions.create({ model: "team-model", messages, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(vendor.requests.at(-1)!.body).toMatchObject({ model: "upstream-model-7", stream: true, stream_options: { include_usage: true } });
  });

  test("when the endpoint changes a value (an output cap), the request is encoded anew", async () => {
    await client.chat.completions.create({ model: "capped-model", messages, max_tokens: 500 });
    const sent = vendor.requests.at(-1)!;
    expect(sent.body).toMatchObject({ model: "upstream-capped", max_tokens: 100 });
    expect(sent.text).toBe(JSON.stringify(sent.body));
  });

  test("a body whose values are written with \\u escapes, as Python's and Go's encoders write them, is forwarded as it came", async () => {
    // What `json.dumps` sends for non-ASCII text, and Go's encoding/json for `<`, `>` and `&`.
    const system = JSON.stringify(messages[0]!.content);
    const text = `{"model":"team-model","messages":[{"role":"system","content":${system}},{"role":"user","content":"caf\\u00e9 \\u003cb\\u003e \\u0026"}],"max_completion_tokens":64}`;
    const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: text });
    expect(response.status).toBe(200);
    const sent = vendor.requests.at(-1)!;
    expect(sent.text).toBe(`{"stream":false,${text.slice(1).replace('"team-model"', '"upstream-model-7"').replace("max_completion_tokens", "max_tokens")}`);
    expect(sent.body).toMatchObject({ messages: [messages[0], { role: "user", content: "café <b> &" }] });
  });

  test("a short body is encoded anew, in our field order", async () => {
    const short = [{ role: "user" as const, content: "Say hi" }];
    await client.chat.completions.create({ model: "team-model", messages: short, max_completion_tokens: 64, temperature: 0.5 });
    const sent = vendor.requests.at(-1)!;
    expect(sent.body).toMatchObject({ model: "upstream-model-7", max_tokens: 64, temperature: 0.5, messages: short });
    expect(sent.text).toBe(JSON.stringify(sent.body));
    expect(sent.text.startsWith('{"model":"upstream-model-7"')).toBe(true);
  });
});
