// The `llm` classifier inside a running gateway: its call goes to the named model's endpoints
// directly (not through the routes, which read its answer), the route follows the label it returns,
// and the call is metered in the ledger under the route `internal`, answered or failed.

import { afterAll, describe, expect, test } from "bun:test";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import { openaiErrorBody, startFakeOpenAI } from "../fakes/openai.ts";
import { vendorConfig } from "./configs.ts";
import { openaiClient, startGateway } from "./harness.ts";

const openaiFake = startFakeOpenAI();
const anthropicFake = startFakeAnthropic();
const KEYWORDS = 'intent: { use: keywords, labels: { coding: ["refactor"] } }';
const config = vendorConfig({ openai: openaiFake.url, anthropic: anthropicFake.url })
  .replace(KEYWORDS, "intent: { use: llm, model: small, labels: [coding, other], fallback: other, timeout: 2s }")
  .replace("models:\n", "models:\n  small:\n    - { provider: openai, model: gpt-4o-mini, price: { input: 0.15, output: 0.6 } }\n");
const gateway = await startGateway(config);
afterAll(async () => {
  await gateway.close();
  await openaiFake.close();
  await anthropicFake.close();
});

/** The ledger's totals for the route `internal`: the classifier's own calls. */
async function internalUsage() {
  await gateway.runtime.ledger.flush();
  const rows = await gateway.runtime.ledger.usage({ by: "route" });
  return rows.find((row) => row.group === "internal") ?? { requests: 0, inputTokens: 0, outputTokens: 0, cost: 0 };
}

/** The text of the latest user turn of a request the OpenAI fake received. */
function userText(body: unknown): string {
  const messages = (body as { messages: { role: string; content: unknown }[] }).messages;
  return JSON.stringify(messages.filter((message) => message.role === "user").at(-1)?.content);
}

describe("the llm classifier in the gateway", () => {
  test("its label picks the route, its call goes to the model it names, and the ledger meters it", async () => {
    const before = await internalUsage();
    const asked = openaiFake.requests.length;
    openaiFake.enqueue({ kind: "reply", reply: { text: "coding", usage: { input: 40, output: 1 } } });
    anthropicFake.enqueue({ kind: "reply", reply: { text: "debounce the click handler", usage: { input: 12, output: 4 } } });

    const { data, response } = await openaiClient(gateway)
      .chat.completions.create({ model: "gpt-5-mini", messages: [{ role: "user", content: "my page goes blank when I click twice" }] })
      .withResponse();

    expect(response.headers.get("x-switchyard-route")).toBe("coding");
    expect(response.headers.get("x-switchyard-provider")).toBe("anthropic");
    expect(data.choices[0]!.message.content).toBe("debounce the click handler");
    // The classifier's call, the one request the OpenAI fake saw: the `small` model's own endpoint.
    const calls = openaiFake.requests.slice(asked);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toMatchObject({ model: "gpt-4o-mini" });
    expect(userText(calls[0]!.body)).toContain("my page goes blank when I click twice");

    const after = await internalUsage();
    expect(after.requests - before.requests).toBe(1);
    expect(after.inputTokens - before.inputTokens).toBe(40);
    expect(after.outputTokens - before.outputTokens).toBe(1);
    // 40 input tokens at $0.15 and 1 output token at $0.60 per million, in nano-USD.
    expect(after.cost - before.cost).toBe(40 * 150 + 1 * 600);
  });

  test("a failed classification routes by the fallback label, and the failed call is still in the ledger", async () => {
    const before = await internalUsage();
    openaiFake.enqueue(
      { kind: "error", status: 500, body: openaiErrorBody("The server had an error while processing your request.", "server_error") },
      { kind: "reply", reply: { text: "Paris", usage: { input: 9, output: 1 } } },
    );

    const { data, response } = await openaiClient(gateway)
      .chat.completions.create({ model: "gpt-5-mini", messages: [{ role: "user", content: "what is the capital of France" }] })
      .withResponse();

    expect(response.headers.get("x-switchyard-route")).toBe("direct");
    expect(data.choices[0]!.message.content).toBe("Paris");
    const after = await internalUsage();
    expect(after.requests - before.requests).toBe(1);
    expect(after.cost - before.cost).toBe(0);
  });
});

describe("the llm classifier beside keys and a fee", () => {
  test("a key with no credit left is refused before the classifier calls a model, and the operator's classifier calls carry no fee", async () => {
    const keyed = config.replace("auth: { use: none }", "auth: { use: api-keys }\nfees: { use: flat, amount: 0.001 }");
    const billed = await startGateway(keyed);
    try {
      const spent = await billed.runtime.ledger.keys.create({ name: "spent", creditLimit: 0 });
      const asked = openaiFake.requests.length;
      const refused = await openaiClient(billed, spent.key)
        .chat.completions.create({ model: "gpt-5-mini", messages: [{ role: "user", content: "my page goes blank when I click twice" }] })
        .catch((error: { status: number }) => error);
      expect((refused as { status: number }).status).toBe(402);
      expect(openaiFake.requests.length).toBe(asked);

      const paying = await billed.runtime.ledger.keys.create({ name: "paying" });
      openaiFake.enqueue({ kind: "reply", reply: { text: "coding", usage: { input: 40, output: 1 } } });
      anthropicFake.enqueue({ kind: "reply", reply: { text: "debounce it", usage: { input: 12, output: 4 } } });
      await openaiClient(billed, paying.key).chat.completions.create({ model: "gpt-5-mini", messages: [{ role: "user", content: "my page goes blank when I click twice" }] });
      await billed.runtime.ledger.flush();
      const byRoute = await billed.runtime.ledger.usage({ by: "route" });
      expect(byRoute.find((row) => row.group === "internal")).toMatchObject({ requests: 1, cost: 40 * 150 + 600, fee: 0 });
      expect(byRoute.find((row) => row.group === "coding")).toMatchObject({ requests: 1, fee: 1_000_000 });
    } finally {
      await billed.close();
    }
  });
});
