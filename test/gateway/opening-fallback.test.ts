// A stream that fails before it says anything falls back, whatever its opening carried: Gemini
// counts the prompt on its first frame, and a first frame of counts alone is no answer begun.

import { afterAll, expect, test } from "bun:test";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { attemptsOf, openaiClient, startGateway } from "./harness.ts";

const usage = { promptTokenCount: 5, totalTokenCount: 5 };
/** Gemini's streamed answers, one body per request in turn: a failed call with no answer, then an error frame after a silent opening. */
const bodies = [
  `data: ${JSON.stringify({ candidates: [{ finishReason: "MALFORMED_FUNCTION_CALL", index: 0 }], usageMetadata: usage })}\r\n\r\n`,
  `data: ${JSON.stringify({ candidates: [{ content: { role: "model", parts: [{ text: "" }] }, index: 0 }], usageMetadata: usage })}\r\n\r\n` +
    `data: ${JSON.stringify({ error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } })}\r\n\r\n`,
];
let served = 0;
const gemini = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: () => new Response(bodies[served++ % bodies.length], { headers: { "content-type": "text/event-stream" } }),
});
const openaiFake = startFakeOpenAI({ kind: "reply", reply: { text: "served by the fallback" } });
const gateway = await startGateway(`
providers:
  gemini: { use: gemini, api_key: "gemini-test", base_url: "http://127.0.0.1:${gemini.port}/v1beta" }
  openai: { use: openai, api_key: "sk-openai-test", base_url: "${openaiFake.url}/v1" }
models:
  flash: [{ provider: gemini, model: gemini-2.5-flash, price: { input: 0.3, output: 2.5 } }]
  mini: [{ provider: openai, model: gpt-5-mini, price: { input: 0.25, output: 2 } }]
routes: [{ name: direct, to: $model, fallback: [mini] }]
`);
afterAll(async () => {
  await gateway.close();
  await openaiFake.close();
  await gemini.stop(true);
});

test("a Gemini stream whose first frame holds only the prompt's count, then fails, is served by the fallback", async () => {
  for (let i = 0; i < bodies.length; i++) {
    const { data, response } = await openaiClient(gateway).chat.completions.create({ model: "flash", stream: true, messages: [{ role: "user", content: "hi" }] }).withResponse();
    let text = "";
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("served by the fallback");
    expect((await attemptsOf(gateway, response)).map(([endpoint]) => endpoint)).toEqual(["gemini/gemini-2.5-flash", "openai/gpt-5-mini"]);
  }
});
