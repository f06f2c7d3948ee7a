// An endpoint's `timeout` bounds an answer and a stream's silence, not a stream's length: a long
// answer still being written is relayed whole, and a stream that goes quiet for its timeout ends
// with a timeout error.

import { afterAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { DEAF_STREAMER } from "../reload/plugin-files.ts";
import { generation, openaiClient, startGateway } from "./harness.ts";

const TIMEOUT_MS = 150;
const openaiFake = startFakeOpenAI();
const gateway = await startGateway(`
version: 1
auth: { use: none }
plugins: [./plugins]
providers:
  openai: { use: openai, api_key: "sk-openai-test-secret", base_url: "${openaiFake.url}/v1" }
  deaf: { use: deaf }
models:
  gpt-5-mini:
    - { provider: openai, model: gpt-5-mini, price: { input: 0.25, output: 2 }, timeout: ${TIMEOUT_MS}ms }
  deaf:
    - { provider: deaf, model: deaf, price: { input: 0, output: 0 }, timeout: ${TIMEOUT_MS}ms }
routes:
  - name: direct
    to: $model
`, { files: { "plugins/deaf.ts": DEAF_STREAMER } });
afterAll(async () => {
  await gateway.close();
  await openaiFake.close();
});
const client = openaiClient(gateway);

async function streamed(model = "gpt-5-mini"): Promise<{ text: string; error: unknown; id: string }> {
  const stream = await client.chat.completions.create({ model, messages: [{ role: "user", content: "write at length" }], stream: true });
  let id = "";
  let text = "";
  const error = await (async () => {
    for await (const chunk of stream) {
      id = chunk.id;
      text += chunk.choices[0]?.delta.content ?? "";
    }
  })().catch((e: unknown) => e);
  return { text, error, id };
}

describe("an endpoint's timeout on a stream", () => {
  test("a stream still sending when its timeout has passed is relayed whole", async () => {
    const answer = "one two three four five six seven eight nine ten eleven twelve";
    // Thirteen frames 40 ms apart: the answer takes over three times the endpoint's timeout.
    openaiFake.enqueue({ kind: "reply", reply: { text: answer }, frameGapMs: 40 });
    const started = performance.now();
    const { text, error } = await streamed();
    expect(error).toBeUndefined();
    expect(text).toBe(answer);
    expect(performance.now() - started).toBeGreaterThan(3 * TIMEOUT_MS);
  });

  test("a stream that falls silent for its timeout ends with a timeout error naming the silence", async () => {
    openaiFake.enqueue({ kind: "stall", reply: { text: "begins and then says nothing more" }, afterFrames: 3 });
    const { text, error } = await streamed();
    expect(text.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain(`sent nothing for its timeout of ${TIMEOUT_MS} ms`);
  });

  test("a plugin's stream deaf to its signal ends all the same at its timeout, with the error and a row saying so", async () => {
    const { text, error, id } = await streamed("deaf");
    expect(text).toBe("begins");
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain(`sent nothing for its timeout of ${TIMEOUT_MS} ms`);
    const row = await generation(gateway, id);
    expect([row.status, row.error_code]).toEqual([408, "timeout"]);
  });
});
