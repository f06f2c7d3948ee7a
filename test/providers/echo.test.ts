// The echo provider answers locally, with no keys and no network.

import { describe, expect, test } from "bun:test";
import type { ChatResponse, ProviderInstance } from "../../core/kit/index.ts";
import { createKit } from "../../core/kit/kit.ts";
import plugin from "../../plugins/providers/echo/index.ts";
import { instantiate } from "../plugin-instance.ts";
import { ask } from "./openai-contract.ts";
import { collect } from "./results.ts";

// Any network use fails the test: echo must answer with fetch unavailable.
const kit = createKit({
  fetch: (() => {
    throw new Error("echo must not use the network");
  }) as unknown as typeof fetch,
});
const definition = plugin(kit);
const create = (raw: Record<string, unknown> = {}) => instantiate<ProviderInstance>(plugin, raw, kit);
const signal = () => new AbortController().signal;

describe("echo provider", () => {
  test("it answers with the latest user text after the default prefix", async () => {
    const request = { ...ask("first"), messages: [...ask("first").messages, { role: "assistant" as const, content: [] }, ...ask("second question").messages] };
    const response = (await (await create()).chat(request, signal())) as ChatResponse;
    expect(response).toMatchObject({ text: "echo: second question", finishReason: "stop", model: "gpt-4o-mini" });
  });

  test("usage is computed from characters, four to a token", async () => {
    const response = (await (await create({ prefix: "> " })).chat(ask("hello world"), signal())) as ChatResponse;
    expect(response.usage).toEqual({ inputTokens: Math.ceil(11 / 4), outputTokens: Math.ceil(13 / 4) });
  });

  test("a stream yields the answer word by word, then usage and finish", async () => {
    const events = await collect(await (await create()).chat(ask("one two", true), signal()));
    expect(events[0]).toMatchObject({ type: "start", model: "gpt-4o-mini" });
    expect(events.slice(1)).toEqual([
      { type: "text", text: "echo: " },
      { type: "text", text: "one " },
      { type: "text", text: "two" },
      { type: "usage", usage: { inputTokens: 2, outputTokens: 4 } },
      { type: "finish", reason: "stop", native: "stop" },
    ]);
  });

  test("an aborted request is refused", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect((await create()).chat(ask("hi"), controller.signal)).rejects.toThrow();
  });

  test("the settings schema has a default prefix and refuses unknown keys", () => {
    expect(kit.Value.Default(definition.settings, {})).toEqual({ prefix: "echo: " });
    expect(kit.Value.Check(definition.settings, { prefix: "", api_key: "x" })).toBe(false);
  });
});
