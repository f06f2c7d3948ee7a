// The openai-compatible provider: the shared suite, plus its auth and field settings.

import { afterAll, describe, expect, test } from "bun:test";
import type { ChatRequest, ChatResponse } from "../../core/kit/index.ts";
import { createKit } from "../../core/kit/kit.ts";
import plugin from "../../plugins/providers/openai-compatible/index.ts";
import { startFakeMistral } from "../fakes/mistral.ts";
import { startFakeOpenAI, type CompatibleVendor } from "../fakes/openai.ts";
import { instantiate as build } from "../plugin-instance.ts";
import { ask, instantiate, kit, openAIProviderSuite } from "./openai-contract.ts";
import { collect, failure } from "./results.ts";

openAIProviderSuite("openai-compatible", plugin, (url) => ({ base_url: `${url}/v1`, api_key: "sk-compat" }));

describe("openai-compatible settings", () => {
  const fake = startFakeOpenAI();
  afterAll(() => fake.close());
  const signal = new AbortController().signal;

  test("the key goes out as a Bearer authorization header with max_tokens by default", async () => {
    await (await instantiate(plugin, { base_url: `${fake.url}/v1`, api_key: "sk-compat" })).chat(ask("Hi"), signal);
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe("Bearer sk-compat");
    expect((request.body as { max_tokens: number }).max_tokens).toBe(256);
  });

  test("a custom auth header with an empty scheme sends the bare key, plus extra headers", async () => {
    const settings = { base_url: fake.url, api_key: "k-123", auth_header: "api-key", auth_scheme: "", headers: { "x-title": "Switchyard" } };
    await (await instantiate(plugin, settings)).chat(ask("Hi"), signal);
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe("/chat/completions");
    expect(request.headers["api-key"]).toBe("k-123");
    expect(request.headers.authorization).toBeUndefined();
    expect(request.headers["x-title"]).toBe("Switchyard");
  });

  test("no key sends no authorization header, as local servers expect", async () => {
    await (await instantiate(plugin, { base_url: `${fake.url}/v1/` })).chat(ask("Hi"), signal);
    expect(fake.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  test("max_tokens_field switches the field name", async () => {
    await (await instantiate(plugin, { base_url: `${fake.url}/v1`, max_tokens_field: "max_completion_tokens" })).chat(ask("Hi"), signal);
    const body = fake.requests.at(-1)!.body as Record<string, unknown>;
    expect(body.max_completion_tokens).toBe(256);
    expect(body.max_tokens).toBeUndefined();
  });

  test("tool_ids: mistral fits another vendor's tool ids to nine letters and digits, alike at the call and its result", async () => {
    const request = {
      model: "mistral-large",
      stream: false,
      messages: [
        { role: "user" as const, content: [{ type: "text" as const, text: "Oslo?" }] },
        { role: "assistant" as const, content: [], toolCalls: [{ id: "toolu_01A09q90qw90lq917835lq9", name: "get_weather", arguments: "{}" }, { id: "D681PevKs", name: "get_time", arguments: "{}" }] },
        { role: "tool" as const, toolCallId: "toolu_01A09q90qw90lq917835lq9", content: [{ type: "text" as const, text: "-3" }] },
        { role: "tool" as const, toolCallId: "D681PevKs", content: [{ type: "text" as const, text: "noon" }] },
      ],
    };
    await (await instantiate(plugin, { base_url: `${fake.url}/v1`, tool_ids: "mistral" })).chat(request, signal);
    const messages = (fake.requests.at(-1)!.body as { messages: { tool_calls?: { id: string }[]; tool_call_id?: string }[] }).messages;
    const ids = messages[1]!.tool_calls!.map((call) => call.id);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9]{9}$/);
    // Mistral's own id goes as it came.
    expect(ids[1]).toBe("D681PevKs");
    expect([messages[2]!.tool_call_id, messages[3]!.tool_call_id]).toEqual(ids);
  });

  test("the settings schema requires base_url and refuses unknown keys", () => {
    const definition = plugin(kit);
    expect(kit.Value.Check(definition.settings, kit.Value.Default(definition.settings, {}))).toBe(false);
    expect(kit.Value.Check(definition.settings, kit.Value.Default(definition.settings, { base_url: "http://x", apikey: "k" }))).toBe(false);
  });
});

/**
 * A provider whose base URL is a vendor's own (`https://api.deepseek.com/v1`), with calls there
 * answered by `fake` on loopback: what the URL alone decides is tested without leaving the host.
 */
function atVendorUrl(vendorUrl: string, fake: { url: string }, settings: Record<string, unknown> = {}) {
  const loopback = createKit({ fetch: ((url: string, init?: RequestInit) => fetch(String(url).replace(vendorUrl, fake.url), init)) as typeof fetch });
  return build<{ chat: (request: ChatRequest, signal: AbortSignal) => Promise<unknown> }>(plugin, { base_url: `${vendorUrl}/v1`, ...settings }, loopback);
}

function fakeVendor(vendor: CompatibleVendor) {
  const fake = startFakeOpenAI(undefined, { vendor });
  afterAll(() => fake.close());
  return fake;
}

/** A second turn after a thinking turn that called a tool, as an agent sends it. */
const afterToolCall: ChatRequest = {
  model: "deepseek-v4-flash",
  stream: false,
  messages: [
    { role: "user", content: [{ type: "text", text: "Weather in Paris?" }] },
    { role: "assistant", content: [], reasoning: "I should call the tool.", toolCalls: [{ id: "call_00_abc", name: "get_weather", arguments: '{"city":"Paris"}' }] },
    { role: "tool", toolCallId: "call_00_abc", content: [{ type: "text", text: "sunny" }] },
  ],
};

describe("openai-compatible: an assistant turn's reasoning", () => {
  const deepseek = fakeVendor("deepseek");
  const signal = new AbortController().signal;
  const sentAssistant = () => (deepseek.requests.at(-1)!.body as { messages: Record<string, unknown>[] }).messages[1]!;

  test("DeepSeek's API gets it back as reasoning_content by default, which its thinking mode requires after a tool call", async () => {
    const provider = await atVendorUrl("https://api.deepseek.com", deepseek);
    const response = (await provider.chat(afterToolCall, signal)) as ChatResponse;
    expect(response.text).toBe("Hello! How can I assist you today?");
    expect(sentAssistant().reasoning_content).toBe("I should call the tool.");
  });

  test("another vendor gets none by default, and the one reasoning_field names when set", async () => {
    await (await instantiate(plugin, { base_url: `${deepseek.url}/v1`, reasoning_field: "reasoning" })).chat({ ...afterToolCall, model: "deepseek-chat" }, signal);
    expect(sentAssistant()).toMatchObject({ reasoning: "I should call the tool." });
    await (await instantiate(plugin, { base_url: `${deepseek.url}/v1` })).chat({ ...afterToolCall, model: "deepseek-chat" }, signal);
    expect(sentAssistant().reasoning_content).toBeUndefined();
    expect(sentAssistant().reasoning).toBeUndefined();
  });

  test("reasoning_field: none sends none to DeepSeek's API either", async () => {
    const provider = await atVendorUrl("https://api.deepseek.com", deepseek, { reasoning_field: "none" });
    await provider.chat({ ...afterToolCall, model: "deepseek-chat" }, signal);
    expect(sentAssistant().reasoning_content).toBeUndefined();
  });
});

describe("openai-compatible: Mistral's API", () => {
  const mistral = startFakeMistral();
  afterAll(() => mistral.close());
  const signal = new AbortController().signal;
  const sent = () => mistral.requests.at(-1)!.body as Record<string, unknown>;
  const settings: ChatRequest = { ...ask("Bonjour", true), seed: 7, user: "user-42", topK: 40 };

  test("its base URL has streams go without stream_options, seed as random_seed and no user, and the usage of its last chunk is read", async () => {
    mistral.enqueue({ kind: "reply", reply: { text: "Bonjour !", usage: { input: 7, output: 3 } } });
    const events = await collect(await (await atVendorUrl("https://api.mistral.ai", mistral)).chat(settings, signal));
    expect(events.filter((event) => event.type === "text").map((event) => event.type === "text" && event.text).join("")).toBe("Bonjour !");
    expect(events).toContainEqual({ type: "usage", usage: { inputTokens: 7, outputTokens: 3 } });
    expect(sent()).toMatchObject({ random_seed: 7 });
    for (const field of ["stream_options", "seed", "user", "top_k"]) expect(sent()[field]).toBeUndefined();
  });

  test("flavour: mistral keeps to its rules at any URL, its tool ids too", async () => {
    const request: ChatRequest = {
      ...settings,
      messages: [
        ...settings.messages,
        { role: "assistant", content: [], toolCalls: [{ id: "toolu_01A09q90qw90lq917835lq9", name: "get_weather", arguments: "{}" }] },
        { role: "tool", toolCallId: "toolu_01A09q90qw90lq917835lq9", content: [{ type: "text", text: "-3" }] },
      ],
    };
    await collect(await (await instantiate(plugin, { base_url: `${mistral.url}/v1`, flavour: "mistral" })).chat(request, signal));
    expect(sent().random_seed).toBe(7);
    expect((sent().messages as { tool_calls?: { id: string }[] }[])[1]!.tool_calls![0]!.id).toMatch(/^[a-zA-Z0-9]{9}$/);
  });

  test("a field it refuses comes back as its 422 says it, each field named", async () => {
    const error = await failure((await instantiate(plugin, { base_url: `${mistral.url}/v1` })).chat(settings, signal));
    expect(error).toMatchObject({ code: "bad_request", upstreamStatus: 422 });
    expect(error.message).toContain("body.stream_options: Extra inputs are not permitted");
    expect(error.message).toContain("body.seed: Extra inputs are not permitted");
  });
});
