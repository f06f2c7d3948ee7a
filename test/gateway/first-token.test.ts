// An endpoint's first_token_timeout and time to first token: both are measured to the first thing
// the model says, not to the stream's opening, which vendors send at once (message_start, a chunk
// with only the role). The keep-alive of 100 ms makes the default opening hold 100 ms, so every
// vendor here opens and falls silent well past it.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { vendorConfig } from "./configs.ts";
import { attemptsOf, generation, openaiClient, readChatStream, startGateway, streamedMessage, type Gateway } from "./harness.ts";

const openaiFake = startFakeOpenAI();
const anthropicFake = startFakeAnthropic();
let gateway: Gateway;

/** The shared two-vendor config, with a first_token_timeout on the Claude endpoint. */
const config = () =>
  vendorConfig({ openai: openaiFake.url, anthropic: anthropicFake.url }, "server: { keepalive: 100ms }").replace(
    "context: 200000, timeout: 2s }",
    "context: 200000, timeout: 2s, first_token_timeout: 600ms }",
  );

/** Resolved when the test is over: a vendor held silent on it is let go then, whatever happened. */
const over = Promise.withResolvers<void>();

beforeAll(async () => {
  gateway = await startGateway(config(), { stats: { failureThreshold: 1000 } });
});
afterAll(async () => {
  over.resolve();
  await gateway.close();
  await openaiFake.close();
  await anthropicFake.close();
});

/** A silence that starts when the fake vendor reaches it, after its opening, not when the test builds it. */
function silence(ms: number): Promise<void> {
  return { then: (resolve: () => void) => void setTimeout(resolve, ms) } as unknown as Promise<void>;
}

describe("first token", () => {
  test("a stream that opens at once and then says nothing within the endpoint's first_token_timeout falls back", async () => {
    // message_start, then silence until the test is over: the model never starts.
    anthropicFake.enqueue({ kind: "pause", reply: { text: "too late" }, afterFrames: 1, until: over.promise });
    openaiFake.enqueue({ kind: "reply", reply: { text: "served by the fallback", usage: { input: 4, output: 4 } } });
    const { data: stream, response } = await openaiClient(gateway)
      .chat.completions.create({ model: "claude-sonnet", messages: [{ role: "user", content: "hi" }], stream: true })
      .withResponse();
    expect((await readChatStream(stream)).text).toBe("served by the fallback");
    expect(response.headers.get("x-switchyard-provider")).toBe("openai");
    expect(await attemptsOf(gateway, response)).toEqual([
      ["anthropic/claude-sonnet-4-5", 408],
      ["openai/gpt-5-mini", 200],
    ]);
  });

  test("a first token within the first_token_timeout is served, however long the opening came before it", async () => {
    // Past the default hold, well within the endpoint's 600 ms.
    anthropicFake.enqueue({ kind: "pause", reply: { text: "worth the wait", usage: { input: 5, output: 3 } }, afterFrames: 1, until: silence(250) });
    const { message, response } = await streamedMessage(gateway, "claude-sonnet", "hi");
    expect(message.content).toEqual([{ type: "text", text: "worth the wait" }] as never);
    const row = await generation(gateway, response.headers.get("x-request-id")!);
    expect(row.attempts.map((a) => a.status)).toEqual([200]);
    expect(row.ttft).toBeGreaterThanOrEqual(240);
  });

  test("a stream committed on its opening alone records its time to first token when that token comes", async () => {
    // The role-only chunk OpenAI opens with, then silence past the 100 ms hold.
    openaiFake.enqueue({ kind: "pause", reply: { text: "thought it over", usage: { input: 4, output: 3 } }, afterFrames: 1, until: silence(300) });
    const { data: stream, response } = await openaiClient(gateway)
      .chat.completions.create({ model: "gpt-5-mini", messages: [{ role: "user", content: "hi" }], stream: true })
      .withResponse();
    expect((await readChatStream(stream)).text).toBe("thought it over");
    const row = await generation(gateway, response.headers.get("x-request-id")!);
    expect(row.ttft).toBeGreaterThanOrEqual(290);
  });

  test("a non-streamed answer, which comes whole, must come within the first_token_timeout", async () => {
    anthropicFake.enqueue({ kind: "reply", reply: { text: "too slow" }, delayMs: 1000 });
    openaiFake.enqueue({ kind: "reply", reply: { text: "in time" } });
    const completion = await openaiClient(gateway).chat.completions.create({ model: "claude-sonnet", messages: [{ role: "user", content: "hi" }] });
    expect(completion.choices[0]!.message.content).toBe("in time");
    const row = await generation(gateway, completion.id);
    expect(row.attempts.map((a) => [a.endpoint, a.status])).toEqual([
      ["anthropic/claude-sonnet-4-5", 408],
      ["openai/gpt-5-mini", 200],
    ]);
  });
});
