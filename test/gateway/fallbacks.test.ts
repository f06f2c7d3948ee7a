// Resilience: fallbacks on vendor errors and timeouts, retry-after, attempts reporting, and
// errors that must not be retried elsewhere.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { anthropicError, anthropicErrorEvent, startFakeAnthropic } from "../fakes/anthropic.ts";
import { openaiErrorBody, startFakeOpenAI } from "../fakes/openai.ts";
import { anthropicClient, attemptsOf, chatBody, generation, openaiClient, postJson, startGateway, streamedMessage, type Gateway } from "./harness.ts";

const openaiFake = startFakeOpenAI();
const anthropicFake = startFakeAnthropic();
let gateway: Gateway;
let client: OpenAI;

const config = () => `
version: 1
auth: { use: none }
providers:
  anthropic: { use: anthropic, api_key: "sk-ant-fallback-secret", base_url: "${anthropicFake.url}" }
  openai: { use: openai, api_key: "sk-openai-fallback-secret", base_url: "${openaiFake.url}/v1" }
models:
  claude-sonnet:
    - { provider: anthropic, model: claude-sonnet-4-5, price: { input: 3, output: 15 }, context: 200000, timeout: 300ms }
  gpt-5-mini:
    - { provider: openai, model: gpt-5-mini, price: { input: 0.25, output: 2 }, context: 400000, timeout: 300ms }
routes:
  - name: claude-first
    when: model == "claude-sonnet"
    to: claude-sonnet
    fallback: [gpt-5-mini]
  - name: gpt-first
    when: model == "gpt-first"
    to: gpt-5-mini
    fallback: [claude-sonnet]
  - name: claude-alone
    when: model == "claude-alone"
    to: claude-sonnet
  - name: direct
    to: $model
`;

beforeAll(async () => {
  // A high breaker threshold: the failures these tests provoke must not open the circuit for the next test.
  gateway = await startGateway(config(), { stats: { failureThreshold: 1000 } });
  client = openaiClient(gateway);
});
afterAll(async () => {
  await gateway.close();
  await openaiFake.close();
  await anthropicFake.close();
});

describe("fallbacks", () => {
  test("an OpenAI-compatible stream with no chunk in it falls back, rather than passing for an empty answer", async () => {
    openaiFake.enqueue({ kind: "fail", reply: { text: "never sent" }, afterFrames: 0, frame: "data: [DONE]\n\n" });
    anthropicFake.enqueue({ kind: "reply", reply: { text: "served after an empty stream" } });
    const { data: stream, response } = await client.chat.completions
      .create({ model: "gpt-first", messages: [{ role: "user", content: "hello" }], stream: true })
      .withResponse();
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("served after an empty stream");
    expect(await attemptsOf(gateway, response)).toEqual([
      ["openai/gpt-5-mini", 502],
      ["anthropic/claude-sonnet-4-5", 200],
    ]);
  });

  test("with every candidate overloaded, an Anthropic client reads overloaded_error, with DESIGN.md's 502", async () => {
    anthropicFake.enqueue({ kind: "error", status: 529, body: anthropicError("overloaded_error", "Overloaded") });
    const error = await anthropicClient(gateway)
      .messages.create({ model: "claude-alone", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(502);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: "error", error: { type: "overloaded_error" } });
    // An OpenAI client reads the same failure as the 502 it is.
    anthropicFake.enqueue({ kind: "error", status: 529, body: anthropicError("overloaded_error", "Overloaded") });
    const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("claude-alone", "hi"));
    expect(response.status).toBe(502);
  });

  test("a prompt too long for every candidate's context is the 400 that says so, after each larger context was tried", async () => {
    anthropicFake.enqueue({ kind: "error", status: 400, body: anthropicError("invalid_request_error", "prompt is too long: 408310 tokens > 200000 maximum") });
    openaiFake.enqueue({ kind: "error", status: 400, body: openaiErrorBody("This model's maximum context length is 400000 tokens.", "invalid_request_error", "context_length_exceeded", "messages") });
    const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("claude-sonnet", "a very long prompt"));
    const body = (await response.json()) as { error: { code: string; metadata: { attempts: { status: number }[] } } };
    expect([response.status, body.error.code]).toEqual([400, "context_length_exceeded"]);
    expect(body.error.metadata.attempts.map((a) => a.status)).toEqual([400, 400]);
  });

  test("Anthropic's 529 overloaded falls back to OpenAI and both attempts are reported", async () => {
    anthropicFake.enqueue({ kind: "error", status: 529, body: anthropicError("overloaded_error", "Overloaded") });
    openaiFake.enqueue({ kind: "reply", reply: { text: "served by the fallback" } });
    const { data, response } = await client.chat.completions
      .create({ model: "claude-sonnet", messages: [{ role: "user", content: "hello" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("served by the fallback");
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
    expect(response.headers.get("x-switchyard-provider")).toBe("openai");
    const row = await generation(gateway, data.id);
    expect(row.attempts.map((a) => [a.endpoint, a.status])).toEqual([
      ["anthropic/claude-sonnet-4-5", 529],
      ["openai/gpt-5-mini", 200],
    ]);
  });

  test("a stream Anthropic opens and then reports overloaded falls back, and the Anthropic client reads the fallback's answer", async () => {
    // message_start, then, a read later, the error event Anthropic sends instead of content under load.
    const frame = anthropicErrorEvent("overloaded_error", "Overloaded");
    anthropicFake.enqueue({ kind: "fail", reply: { text: "never said" }, afterFrames: 1, frame, frameGapMs: 30 });
    openaiFake.enqueue({ kind: "reply", reply: { text: "served by the fallback", usage: { input: 4, output: 4 } } });
    const { message, response } = await streamedMessage(gateway, "claude-sonnet", "hello");
    expect(message.content).toEqual([{ type: "text", text: "served by the fallback" }] as never);
    expect(response.headers.get("x-switchyard-provider")).toBe("openai");
    expect(await attemptsOf(gateway, response)).toEqual([
      ["anthropic/claude-sonnet-4-5", 529],
      ["openai/gpt-5-mini", 200],
    ]);
  });

  test("an error once the answer has reached the client is the client's to see: the stream ends with it, with no second vendor", async () => {
    const begun = Promise.withResolvers<void>();
    // message_start, the text block's start, a ping and a first piece; overloaded once the client has that piece.
    const frame = anthropicErrorEvent("overloaded_error", "Overloaded");
    anthropicFake.enqueue({ kind: "fail", reply: { text: "half an answer" }, afterFrames: 4, frame, until: begun.promise });
    const openaiCalls = openaiFake.requests.length;
    const stream = await client.chat.completions.create({ model: "claude-sonnet", messages: [{ role: "user", content: "hello" }], stream: true });
    let text = "";
    const error = await (async () => {
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        if (text) begun.resolve();
      }
    })().catch((e: unknown) => e);
    expect(text).toBe("half a");
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain("Overloaded");
    expect(openaiFake.requests.length).toBe(openaiCalls);
  });

  test("an Anthropic client whose stream Anthropic overloads after the answer began reads overloaded_error, as Anthropic says it", async () => {
    const begun = Promise.withResolvers<void>();
    const frame = anthropicErrorEvent("overloaded_error", "Overloaded");
    anthropicFake.enqueue({ kind: "fail", reply: { text: "half an answer" }, afterFrames: 4, frame, until: begun.promise });
    const stream = anthropicClient(gateway).messages.stream({ model: "claude-sonnet", max_tokens: 100, messages: [{ role: "user", content: "hello" }] });
    stream.on("text", () => begun.resolve());
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: "error", error: { type: "overloaded_error", message: expect.stringContaining("Overloaded") } });
  });

  test("a vendor that does not answer within the endpoint timeout falls back", async () => {
    anthropicFake.enqueue({ kind: "hang" });
    openaiFake.enqueue({ kind: "reply", reply: { text: "on time" } });
    const completion = await client.chat.completions.create({ model: "claude-sonnet", messages: [{ role: "user", content: "hi" }] });
    expect(completion.choices[0]!.message.content).toBe("on time");
    const row = await generation(gateway, completion.id);
    expect(row.attempts[0]).toMatchObject({ endpoint: "anthropic/claude-sonnet-4-5", status: 408 });
  });

  test("a stream whose first token does not come in time falls back before any byte reaches the client", async () => {
    anthropicFake.enqueue({ kind: "stall", reply: { text: "never" }, afterFrames: 0 });
    openaiFake.enqueue({ kind: "reply", reply: { text: "streamed instead" } });
    const stream = await client.chat.completions.create({ model: "claude-sonnet", messages: [{ role: "user", content: "hi" }], stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("streamed instead");
  });

  test("when every candidate fails the client gets 502 listing each attempt", async () => {
    anthropicFake.enqueue({ kind: "error", status: 503, body: anthropicError("api_error", "upstream down") });
    openaiFake.enqueue({ kind: "error", status: 500, body: openaiErrorBody("The server had an error", "server_error") });
    const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("claude-sonnet", "hi"));
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; metadata: { attempts: { endpoint: string; status: number; duration_ms: number }[] } } };
    expect(body.error.code).toBe("upstream_error");
    expect(body.error.metadata.attempts.map((a) => [a.endpoint, a.status])).toEqual([
      ["anthropic/claude-sonnet-4-5", 503],
      ["openai/gpt-5-mini", 500],
    ]);
    for (const attempt of body.error.metadata.attempts) expect(attempt.duration_ms).toBeGreaterThanOrEqual(0);
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
  });

  test("when every candidate times out the client gets 408 listing each attempt", async () => {
    anthropicFake.enqueue({ kind: "hang" });
    openaiFake.enqueue({ kind: "hang" });
    const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("claude-sonnet", "hi"));
    expect(response.status).toBe(408);
    const body = (await response.json()) as { error: { code: string; metadata: { attempts: { status: number }[] } } };
    expect(body.error.code).toBe("timeout");
    expect(body.error.metadata.attempts.map((a) => a.status)).toEqual([408, 408]);
  });

  test("when every candidate is rate limited the client gets 429 with the shortest retry-after", async () => {
    anthropicFake.enqueue({ kind: "error", status: 429, body: anthropicError("rate_limit_error", "slow down"), headers: { "retry-after": "7" } });
    openaiFake.enqueue({ kind: "error", status: 429, body: openaiErrorBody("Rate limit reached", "requests", "rate_limit_exceeded"), headers: { "retry-after": "3" } });
    // Its own gateway: the penalties it provokes would hold back the shared one's endpoints.
    const own = await startGateway(config());
    try {
      const response = await postJson(`${own.url}/v1/chat/completions`, chatBody("claude-sonnet", "hi"));
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("3");
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
      // While both sit out their retry-after, a request finds none to try: a 503 that says when the first is back.
      const benched = await postJson(`${own.url}/v1/chat/completions`, chatBody("claude-sonnet", "again"));
      expect(benched.status).toBe(503);
      expect(benched.headers.get("retry-after")).toBe("3");
      // The route that matched and could not serve is named, as on any failure it answers.
      expect(benched.headers.get("x-switchyard-route")).toBe(response.headers.get("x-switchyard-route"));
      expect(benched.headers.get("x-switchyard-route")).not.toBe("none");
    } finally {
      await own.close();
    }
  });

  test("a request the vendor refuses as malformed is returned, not retried elsewhere, with no secret in it", async () => {
    anthropicFake.enqueue({
      kind: "error",
      status: 400,
      body: anthropicError("invalid_request_error", "messages.0: bad content (key sk-ant-fallback-secret)"),
    });
    const before = openaiFake.requests.length;
    const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("claude-sonnet", "hi"));
    expect(response.status).toBe(400);
    // The headers name the endpoint that refused it.
    expect([response.headers.get("x-switchyard-model"), response.headers.get("x-switchyard-provider")]).toEqual(["claude-sonnet", "anthropic"]);
    const text = await response.text();
    expect(text).toContain("bad content");
    expect(text).not.toContain("sk-ant-fallback-secret");
    expect(openaiFake.requests.length).toBe(before);
  });

  test("Anthropic's 400 for an account out of credit is the account's failure, not the request's: the fallback serves", async () => {
    anthropicFake.enqueue({
      kind: "error",
      status: 400,
      body: anthropicError("invalid_request_error", "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."),
    });
    openaiFake.enqueue({ kind: "reply", reply: { text: "served by the fallback" } });
    // Its own gateway: the failure counts against the endpoint's health.
    const own = await startGateway(config());
    try {
      const response = await postJson(`${own.url}/v1/chat/completions`, chatBody("claude-sonnet", "hi"));
      expect(response.status).toBe(200);
      expect(response.headers.get("x-switchyard-provider")).toBe("openai");
      expect(((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe("served by the fallback");
    } finally {
      await own.close();
    }
  });

  test("retry-after keeps the endpoint out of rotation until it has passed", async () => {
    anthropicFake.enqueue({ kind: "error", status: 429, body: anthropicError("rate_limit_error", "slow down"), headers: { "retry-after": "60" } });
    openaiFake.enqueue({ kind: "reply", reply: { text: "first" } }, { kind: "reply", reply: { text: "second" } });
    await client.chat.completions.create({ model: "claude-sonnet", messages: [{ role: "user", content: "one" }] });
    const anthropicCalls = anthropicFake.requests.length;
    const second = await client.chat.completions.create({ model: "claude-sonnet", messages: [{ role: "user", content: "two" }] });
    expect(second.choices[0]!.message.content).toBe("second");
    expect(anthropicFake.requests.length).toBe(anthropicCalls);
  });
});
