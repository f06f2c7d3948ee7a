// The openai provider: the shared suite, plus OpenAI's own defaults and headers.

import { afterAll, describe, expect, test } from "bun:test";
import plugin from "../../plugins/providers/openai/index.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { ask, instantiate, kit, openAIProviderSuite } from "./openai-contract.ts";

openAIProviderSuite("openai", plugin, (url) => ({ base_url: `${url}/v1`, api_key: "sk-openai" }));

describe("openai settings", () => {
  const fake = startFakeOpenAI();
  afterAll(() => fake.close());

  test("organization and project headers are sent with the key and max_completion_tokens", async () => {
    const provider = await instantiate(plugin, { base_url: `${fake.url}/v1`, api_key: "sk-openai", organization: "org-1", project: "proj-1" });
    await provider.chat({ ...ask("Hi"), topK: 5 }, new AbortController().signal);
    const request = fake.requests.at(-1)!;
    expect(request.headers).toMatchObject({ authorization: "Bearer sk-openai", "openai-organization": "org-1", "openai-project": "proj-1" });
    const body = request.body as Record<string, unknown>;
    expect(body.max_completion_tokens).toBe(256);
    expect(body.max_tokens).toBeUndefined();
    expect(body.top_k).toBeUndefined();
  });

  test("base_url defaults to OpenAI's API", () => {
    const definition = plugin(kit);
    expect(kit.Value.Default(definition.settings, { api_key: "k" })).toMatchObject({ base_url: "https://api.openai.com/v1" });
  });

  test("a vendor error message never carries the provider's key", async () => {
    fake.enqueue({ kind: "error", status: 401, body: { error: { message: "Incorrect API key provided: sk-openai", type: "invalid_request_error", param: null, code: "invalid_api_key" } } });
    const provider = await instantiate(plugin, { base_url: `${fake.url}/v1`, api_key: "sk-openai" });
    const error = await provider.chat(ask("Hi"), new AbortController().signal).catch((e: Error) => e);
    expect(JSON.stringify(error)).not.toContain("sk-openai");
    expect((error as Error).message).not.toContain("sk-openai");
  });
});
