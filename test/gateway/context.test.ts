// An endpoint's configured `context`: a prompt that cannot fit is not sent there, and a prompt no
// candidate can hold is the client's 400, before any vendor is asked.

import { afterAll, expect, test } from "bun:test";
import { chatBody, postJson, startGateway } from "./harness.ts";

const gateway = await startGateway(`
providers: { small: { use: echo }, large: { use: echo } }
models:
  tiny: [{ provider: small, model: echo, price: { input: 0, output: 0 }, context: 1000 }]
  roomy: [{ provider: large, model: echo, price: { input: 0, output: 0 }, context: 200000 }]
routes:
  - { name: fits, when: model == "tiny", to: tiny, fallback: [roomy] }
  - { name: direct, to: $model }
`);
afterAll(() => gateway.close());

// About 1,500 tokens by the estimate: 6,000 characters of English.
const LONG = "Summarise the meeting notes below. ".repeat(172);

test("a prompt longer than an endpoint's context goes to the candidate that holds it", async () => {
  const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("tiny", LONG));
  expect(response.status).toBe(200);
  expect(response.headers.get("x-switchyard-provider")).toBe("large");
  const short = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("tiny", "Summarise this."));
  expect(short.headers.get("x-switchyard-provider")).toBe("small");
});

test("a prompt no candidate holds is a 400 context_length_exceeded, with no vendor asked", async () => {
  const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("roomy", "word ".repeat(200_000)));
  expect(response.status).toBe(400);
  const { error } = (await response.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe("context_length_exceeded");
  expect(error.message).toContain("the largest holds 200000");
  expect(response.headers.get("x-switchyard-attempts")).toBe("0");
});
