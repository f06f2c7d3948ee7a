// The rest of the HTTP surface: OpenRouter paths and request narrowing, Gemini behind an OpenAI
// client, health and Prometheus metrics.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import { startFakeGemini } from "../fakes/gemini.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { vendorConfig } from "./configs.ts";
import { chatBody, openaiClient, postJson, readChatStream, startGateway, type Gateway } from "./harness.ts";

const openaiFake = startFakeOpenAI();
const anthropicFake = startFakeAnthropic();
const geminiFake = startFakeGemini();
let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway(vendorConfig({ openai: openaiFake.url, anthropic: anthropicFake.url, gemini: geminiFake.url }));
});
afterAll(async () => {
  await gateway.close();
  await Promise.all([openaiFake.close(), anthropicFake.close(), geminiFake.close()]);
});

describe("OpenRouter compatibility", () => {
  test("everything under /v1 is also served under /api/v1", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { text: "via /api/v1" } });
    const client = new OpenAI({ baseURL: `${gateway.url}/api/v1`, apiKey: "unused", maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: "gpt-5-mini", messages: [{ role: "user", content: "hi" }] });
    expect(completion.choices[0]!.message.content).toBe("via /api/v1");
    const generation = await fetch(`${gateway.url}/api/v1/generation?id=${completion.id}`);
    expect(generation.status).toBe(200);
    expect((await (await fetch(`${gateway.url}/api/v1/models`)).json()) as { data: unknown[] }).toMatchObject({ object: "list" });
    expect(((await (await fetch(`${gateway.url}/api/v1/models/gpt-5-mini`)).json()) as { id: string }).id).toBe("gpt-5-mini");
    // What OpenRouter's clients read of a model before using it: what it takes in, and which parameters.
    const { data } = (await (await fetch(`${gateway.url}/api/v1/models`)).json()) as { data: { id: string; architecture: { input_modalities: string[] }; supported_parameters: string[] }[] };
    const mini = data.find((model) => model.id === "gpt-5-mini")!;
    expect(mini).toMatchObject({ canonical_slug: "gpt-5-mini", architecture: { modality: "text+image->text", output_modalities: ["text"] }, per_request_limits: null });
    expect(mini.supported_parameters).toEqual(expect.arrayContaining(["tools", "tool_choice", "reasoning", "response_format"]));
    // An id that is not percent-encoded text is a 404 like any unknown one, not a failure.
    for (const id of ["openai%2Fgpt-9", "%E0%A4%A"]) expect((await fetch(`${gateway.url}/v1/models/${id}`)).status).toBe(404);
  });

  test("provider.ignore narrows the candidates the route chose", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { text: "not from anthropic" } });
    const before = anthropicFake.requests.length;
    const response = await postJson(
      `${gateway.url}/v1/chat/completions`,
      chatBody("claude-sonnet", "please refactor this", { provider: { ignore: ["anthropic"] } }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchyard-provider")).toBe("openai");
    expect(anthropicFake.requests.length).toBe(before);
  });

  test("provider.only naming no candidate is a 503 that says why", async () => {
    const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("gpt-5-mini", "hi", { provider: { only: ["mistral"] } }));
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("no_endpoint");
  });

  test("models: [...] is the ordered fallback list of a $model route", async () => {
    geminiFake.enqueue({ kind: "error", status: 503, body: { error: { code: 503, message: "overloaded", status: "UNAVAILABLE" } } });
    anthropicFake.enqueue({ kind: "reply", reply: { text: "from the second model" } });
    // The route's own fallback is gpt-5-mini: the client's list comes before it.
    const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("gemini-flash", "hi", { models: ["claude-sonnet"] }));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchyard-model")).toBe("claude-sonnet");
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
  });

  test("models: [...] alone, as OpenRouter's guide sends it, asks its first and falls back on the rest", async () => {
    geminiFake.enqueue({ kind: "error", status: 503, body: { error: { code: 503, message: "overloaded", status: "UNAVAILABLE" } } });
    anthropicFake.enqueue({ kind: "reply", reply: { text: "from the second model" } });
    const body = { models: ["gemini-flash", "claude-sonnet"], messages: [{ role: "user", content: "hi" }] };
    const response = await postJson(`${gateway.url}/v1/chat/completions`, body);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchyard-model")).toBe("claude-sonnet");
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
    const neither = await postJson(`${gateway.url}/v1/chat/completions`, { messages: [{ role: "user", content: "hi" }] });
    expect(neither.status).toBe(400);
  });

  test("several choices or log probabilities, which the answer cannot carry back, are a 400 naming the field", async () => {
    const client = openaiClient(gateway);
    const messages = [{ role: "user" as const, content: "hi" }];
    const before = openaiFake.requests.length;
    for (const [extra, field] of [[{ n: 2 }, "`n`"], [{ logprobs: true, top_logprobs: 2 }, "`logprobs`"]] as const) {
      const refused = await client.chat.completions.create({ model: "gpt-5-mini", messages, ...extra }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
      expect((refused as InstanceType<typeof OpenAI.BadRequestError>).message).toContain(field);
    }
    expect(openaiFake.requests.length).toBe(before);
    openaiFake.enqueue({ kind: "reply", reply: { text: "one choice" } });
    const served = await client.chat.completions.create({ model: "gpt-5-mini", messages, n: 1, logprobs: false });
    expect(served.choices.map((choice) => choice.message.content)).toEqual(["one choice"]);
  });

  test("audio output, the deprecated function fields, an unpriced service tier and web search are a 400 naming the field", async () => {
    const client = openaiClient(gateway);
    const messages = [{ role: "user" as const, content: "hi" }];
    const before = openaiFake.requests.length;
    const refusals = [
      [{ modalities: ["text", "audio"] }, "`modalities`"],
      [{ audio: { voice: "alloy", format: "mp3" } }, "`audio`"],
      [{ functions: [{ name: "lookup", parameters: { type: "object" } }] }, "`functions`"],
      [{ logit_bias: { "50256": "ban" } }, "`logit_bias"],
      // Flex and priority processing cost another price than the one the config gives.
      [{ service_tier: "priority" }, "`service_tier`"],
      // Searches are billed per call, and the model would answer without one if the field were dropped.
      [{ web_search_options: { search_context_size: "low" } }, "`web_search_options`"],
      // OpenRouter's web plugin likewise: its own service, which no vendor here performs.
      [{ plugins: [{ id: "web" }] }, "`plugins`"],
    ] as const;
    for (const [extra, field] of refusals) {
      const refused = await client.chat.completions.create({ model: "gpt-5-mini", messages, ...(extra as object) }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
      expect((refused as InstanceType<typeof OpenAI.BadRequestError>).message).toContain(field);
    }
    expect(openaiFake.requests.length).toBe(before);
  });

  test("OpenAI's own steering fields reach OpenAI, and are left out for Anthropic", async () => {
    const client = openaiClient(gateway);
    const messages = [{ role: "user" as const, content: "hi" }];
    const fields = {
      logit_bias: { "50256": -100 },
      metadata: { ticket: "T-1" },
      store: true,
      service_tier: "default" as const,
      prompt_cache_key: "agent-7",
      safety_identifier: "hash-42",
      verbosity: "low" as const,
      modalities: ["text" as const],
    };
    openaiFake.enqueue({ kind: "reply", reply: { text: "steered" } });
    const served = await client.chat.completions.create({ model: "gpt-5-mini", messages, ...fields });
    expect(served.choices[0]!.message.content).toBe("steered");
    expect(openaiFake.requests.at(-1)!.body).toMatchObject({ model: "gpt-5-mini", ...fields });

    anthropicFake.enqueue({ kind: "reply", reply: { text: "unsteered" } });
    const elsewhere = await client.chat.completions.create({ model: "claude-sonnet", messages, ...fields });
    expect(elsewhere.choices[0]!.message.content).toBe("unsteered");
    const sent = anthropicFake.requests.at(-1)!.body as Record<string, unknown>;
    for (const field of Object.keys(fields)) expect(sent).not.toHaveProperty(field);
  });

  test("an invalid provider.sort is a 400 naming the field", async () => {
    const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("gpt-5-mini", "hi", { provider: { sort: "vibes" } }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain("provider.sort");
    // OpenRouter's object form is read by its `by`.
    openaiFake.enqueue({ kind: "reply", reply: { text: "sorted" } });
    const sorted = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("gpt-5-mini", "hi", { provider: { sort: { by: "price", partition: "none" } } }));
    expect(sorted.status).toBe(200);
    const wrong = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("gpt-5-mini", "hi", { provider: { sort: { by: "vibes" } } }));
    expect(wrong.status).toBe(400);
  });
});

describe("Gemini behind an OpenAI client", () => {
  test("a streamed request is served by Gemini's streamGenerateContent and comes back as OpenAI chunks", async () => {
    geminiFake.enqueue({ kind: "reply", reply: { text: "Gemini says hello", usage: { input: 6, output: 4 } } });
    const client = openaiClient(gateway);
    const stream = await client.chat.completions.create({
      model: "gemini-flash",
      messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hello" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const { text, usage } = await readChatStream(stream);
    expect(text).toBe("Gemini says hello");
    expect(usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 4 });
    const sent = geminiFake.requests.at(-1)!;
    expect(sent.path).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    expect(sent.search).toBe("?alt=sse");
    expect(sent.headers["x-goog-api-key"]).toBe("gemini-test-secret");
    expect(sent.body).toMatchObject({ systemInstruction: { parts: [{ text: "Be brief." }] } });
  });
});

describe("operations", () => {
  test("/health answers with the config version and whether the ledger's database answers", async () => {
    const response = await fetch(`${gateway.url}/health`);
    expect(await response.json()).toEqual({ status: "ok", config_version: 1, ledger: "ok" });
  });

  test("a model id past ASCII is answered, its header percent-encoded, JSON and stream", async () => {
    const own = await startGateway(`
providers: { demo: { use: echo } }
models: { "modèle-中文": [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`);
    try {
      for (const stream of [false, true]) {
        const response = await postJson(`${own.url}/v1/chat/completions`, chatBody("modèle-中文", "bonjour", { stream }));
        expect(response.status).toBe(200);
        expect(decodeURIComponent(response.headers.get("x-switchyard-model")!)).toBe("modèle-中文");
        expect(await response.text()).toContain("bonjour");
      }
    } finally {
      await own.close();
    }
  });

  test("every response carries a request id and the x-switchyard headers", async () => {
    for (const path of ["/health", "/metrics", "/v1/models", "/v1/key", "/admin/status", "/v1/nowhere"]) {
      const response = await fetch(`${gateway.url}${path}`);
      await response.arrayBuffer();
      expect(response.headers.get("x-request-id")).toMatch(/^gen-/);
      for (const name of ["x-switchyard-route", "x-switchyard-model", "x-switchyard-provider"]) expect(response.headers.has(name)).toBe(true);
    }
  });

  test("an endpoint asked with another method is a 405 in the error shape naming the one it takes, under both prefixes", async () => {
    for (const path of ["/v1/chat/completions", "/api/v1/chat/completions", "/v1/messages", "/api/v1/messages"]) {
      const response = await fetch(`${gateway.url}${path}`);
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
      const error = { message: `GET is not served at ${path}: use POST`, type: "invalid_request_error", code: "bad_request" };
      // Under Messages' path, Anthropic's wrapper too, as every error there has.
      expect(await response.json()).toEqual(path.endsWith("/messages") ? { type: "error", error } : { error });
    }
    const unknown = await fetch(`${gateway.url}/v1/messages/nowhere`, { method: "POST", body: "{}" });
    expect([unknown.status, ((await unknown.json()) as { type?: string }).type]).toEqual([404, "error"]);
    const models = await fetch(`${gateway.url}/v1/models`, { method: "POST", body: "{}" });
    expect([models.status, models.headers.get("allow")]).toEqual([405, "GET"]);
    // A path that is served by no method stays a 404.
    const nowhere = await fetch(`${gateway.url}/v1/nowhere`);
    expect([nowhere.status, ((await nowhere.json()) as { error: { message: string } }).error.message]).toEqual([404, "no such endpoint"]);
  });

  test("/metrics counts requests by route, model, provider and status, with no secret in it", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { text: "counted" } });
    await postJson(`${gateway.url}/v1/chat/completions`, chatBody("gpt-5-mini", "count me"));
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/switchyard_requests_total\{route="direct",model="gpt-5-mini",provider="openai",status="200"\} \d+/);
    expect(text).toContain("# TYPE switchyard_request_duration_seconds histogram");
    expect(text).toContain('switchyard_endpoint_inflight{endpoint="openai/gpt-5-mini"} 0');
    expect(text).not.toContain("sk-openai-test-secret");
  });

  test("a client gone before its body came whole is counted as the 499 it is, not as the gateway's 500", async () => {
    const count = async (status: number) =>
      Number(new RegExp(`switchyard_requests_total\\{route="none",model="none",provider="none",status="${status}"\\} (\\d+)`).exec(await (await fetch(`${gateway.url}/metrics`)).text())?.[1] ?? 0);
    const before = await count(499);
    const errorsBefore = await count(500);
    // Declares 60 bytes, sends 20, and hangs up.
    const socket = await Bun.connect({ hostname: "127.0.0.1", port: gateway.port, socket: { data() {} } });
    socket.write('POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\ncontent-length: 60\r\n\r\n{"model":"gpt-5-mini",');
    socket.end();
    while ((await count(499)) === before) await new Promise((resolve) => setImmediate(resolve));
    expect(await count(500)).toBe(errorsBefore);
  });

  test("a compressed body is a 415 that says to send it uncompressed, and an empty model name is shown as one", async () => {
    const gzipped = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: Bun.gzipSync(JSON.stringify(chatBody("gpt-5-mini", "hi"))),
    });
    expect(gzipped.status).toBe(415);
    expect(((await gzipped.json()) as { error: { message: string } }).error.message).toBe("a body with Content-Encoding gzip is not accepted: send it uncompressed");
    const unnamed = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("", "hi"));
    expect(((await unnamed.json()) as { error: { message: string } }).error.message).toStartWith('model "" is not configured');
  });

  test("/metrics counts a request refused before routing, a body that does not read, under route none", async () => {
    const count = async () => Number(/switchyard_requests_total\{route="none",model="none",provider="none",status="400"\} (\d+)/.exec(await (await fetch(`${gateway.url}/metrics`)).text())?.[1] ?? 0);
    const before = await count();
    const refused = await fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(refused.status).toBe(400);
    expect(await count()).toBe(before + 1);
  });

  test("/metrics reports the process's resident size beside its JS heap", async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const gauge = (pattern: RegExp) => Number(pattern.exec(text)?.[1]);
    const rss = gauge(/^process_resident_memory_bytes (\d+)$/m);
    const heapUsed = gauge(/^switchyard_js_heap_bytes\{kind="used"\} (\d+)$/m);
    expect(rss).toBeGreaterThan(heapUsed);
    expect(heapUsed).toBeGreaterThan(0);
    expect(text).toMatch(/^switchyard_external_memory_bytes \d+$/m);
  });

  test("/metrics reports the ledger's unwritten rows, failed writes and refused rows", async () => {
    await gateway.runtime.ledger.flush();
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/^switchyard_ledger_unwritten_rows 0$/m);
    expect(text).toMatch(/^switchyard_ledger_write_failures_total 0$/m);
    expect(text).toMatch(/^switchyard_ledger_refused_rows_total 0$/m);
  });
});
