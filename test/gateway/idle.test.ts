// An answer slower than the server's idle timeout (a reasoning model's; 255 s is Bun's most) must
// reach the client whole, and a connection left idle after its answer must still close. Bun 1.4
// spares a pending request that came with a body from its idle timeout, though its documentation
// says otherwise, so the first two tests pin the outcome whichever way a later Bun goes; the third
// pins that the gateway's lifting of the timeout (core/server/idle.ts) ends with the answer. The
// gateway runs with Bun's shortest idle timeout, which closes a silent connection about 4 s on; its
// vendors answer later than that.

import { afterAll, describe, expect, test } from "bun:test";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { vendorConfig } from "./configs.ts";
import { generation, openaiClient, startGateway, streamedMessage } from "./harness.ts";

/** Past the moment Bun closes a connection silent since the request came, 4 s on at its shortest timeout. */
const SLOWER_THAN_IDLE_MS = 5_500;
const SLOW_TEST_MS = 15_000;

const openaiFake = startFakeOpenAI();
const anthropicFake = startFakeAnthropic();
const config = vendorConfig({ openai: openaiFake.url, anthropic: anthropicFake.url }).replaceAll("timeout: 2s", "timeout: 30s");
const gateway = await startGateway(config, { idleTimeoutS: 1 });
// The tests run at once; the quick answer has a vendor of its own, so no test takes another's answer.
const quickFake = startFakeOpenAI();
const quickGateway = await startGateway(vendorConfig({ openai: quickFake.url, anthropic: quickFake.url }), { idleTimeoutS: 1 });
afterAll(async () => {
  await gateway.close();
  await quickGateway.close();
  for (const fake of [openaiFake, anthropicFake, quickFake]) await fake.close();
});

describe("the server's idle timeout", () => {
  test.concurrent(
    "a non-streamed answer slower than the idle timeout reaches the OpenAI SDK whole, and the ledger has it",
    async () => {
      openaiFake.enqueue({ kind: "reply", reply: { text: "took its time", usage: { input: 6, output: 3 } }, delayMs: SLOWER_THAN_IDLE_MS });
      const { data, response } = await openaiClient(gateway)
        .chat.completions.create({ model: "gpt-5-mini", messages: [{ role: "user", content: "think for a while" }] })
        .withResponse();
      expect(data.choices[0]!.message.content).toBe("took its time");
      const row = await generation(gateway, response.headers.get("x-request-id")!);
      expect(row).toMatchObject({ status: 200, tokens_prompt: 6 });
    },
    SLOW_TEST_MS,
  );

  test.concurrent(
    "a stream whose first event comes after the idle timeout reaches the Anthropic SDK whole",
    async () => {
      anthropicFake.enqueue({ kind: "reply", reply: { text: "late but whole", usage: { input: 8, output: 3 } }, delayMs: SLOWER_THAN_IDLE_MS });
      const { message } = await streamedMessage(gateway, "claude-sonnet", "think for a while");
      expect(message.content).toEqual([{ type: "text", text: "late but whole" }] as never);
      expect(message.usage).toMatchObject({ input_tokens: 8, output_tokens: 3 });
    },
    SLOW_TEST_MS,
  );

  test.concurrent(
    "a keep-alive connection left idle after its answer is closed by the server",
    async () => {
      const closed = Promise.withResolvers<void>();
      const answered = Promise.withResolvers<void>();
      let heard = "";
      const { port } = new URL(quickGateway.url);
      const socket = await Bun.connect({
        hostname: "127.0.0.1",
        port: Number(port),
        socket: {
          data(_socket, bytes) {
            heard += bytes.toString();
            if (heard.includes("took no time")) answered.resolve();
          },
          close: () => closed.resolve(),
          error: (_socket, error) => closed.reject(error),
        },
      });
      quickFake.enqueue({ kind: "reply", reply: { text: "took no time", usage: { input: 1, output: 3 } } });
      const body = JSON.stringify({ model: "gpt-5-mini", messages: [{ role: "user", content: "quick one" }] });
      socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
      await answered.promise;
      expect(heard).toStartWith("HTTP/1.1 200");
      // Kept open by HTTP/1.1 until the server's idle timeout closes it; a timeout lifted for good never would.
      await closed.promise;
    },
    SLOW_TEST_MS,
  );
});
