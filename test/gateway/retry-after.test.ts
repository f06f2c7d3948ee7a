// A vendor's retry-after on a failure that is not a 429 (Anthropic's 529, OpenAI's 503): the endpoint
// sits it out, and a client whose every candidate said when to come back is told the soonest, so
// its SDK waits that long once instead of retrying at once into a 503.

import { afterAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { anthropicError, startFakeAnthropic } from "../fakes/anthropic.ts";
import { anthropicClient, startGateway } from "./harness.ts";

const anthropicFake = startFakeAnthropic();
const gateway = await startGateway(`
providers: { anthropic: { use: anthropic, api_key: "sk-ant-test", base_url: "${anthropicFake.url}" } }
models: { claude: [{ provider: anthropic, model: claude-sonnet-4-5, price: { input: 3, output: 15 } }] }
routes: [{ name: direct, to: $model }]
`);
afterAll(async () => {
  await gateway.close();
  await anthropicFake.close();
});

test("every candidate overloaded with a retry-after: the client gets overloaded_error with that retry-after", async () => {
  anthropicFake.enqueue({ kind: "error", status: 529, body: anthropicError("overloaded_error", "Overloaded"), headers: { "retry-after": "7" } });
  const error = await anthropicClient(gateway)
    .messages.create({ model: "claude", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Anthropic.InternalServerError);
  expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: "error", error: { type: "overloaded_error" } });
  expect((error as InstanceType<typeof Anthropic.APIError>).headers?.get("retry-after")).toBe("7");
});
