// The `llm` classifier against a fake OpenAI vendor, reached through the real openai-compatible
// provider plugin behind a kit gateway.

import { afterAll, beforeEach, expect, test } from "bun:test";
import { compileConfig } from "../../core/config/compile.ts";
import { isSwitchyardError } from "../../core/errors.ts";
import type { ChatRequest, ClassifierInstance, Kit, KitGateway, ProviderInstance } from "../../core/kit/index.ts";
import { createKit } from "../../core/kit/kit.ts";
import llm from "../../plugins/classifiers/llm/index.ts";
import openaiCompatible from "../../plugins/providers/openai-compatible/index.ts";
import { buildRegistry } from "../../core/plugins/registry.ts";
import { builtinPlugins } from "../../plugins/builtin.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { instantiate } from "../plugin-instance.ts";

const fake = startFakeOpenAI({ kind: "reply", reply: { text: "coding" } });
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.fallback = { kind: "reply", reply: { text: "coding" } };
});

/** The gateway a host would offer: the public model `classifier-model` served by the fake. */
async function gatewayOf(kit: Kit): Promise<KitGateway> {
  const provider = await instantiate<ProviderInstance>(openaiCompatible, { base_url: `${fake.url}/v1`, api_key: "sk-test" }, kit);
  return {
    async complete(publicModel, request, signal) {
      if (publicModel !== "classifier-model") throw kit.errors.notFound(`model ${publicModel} is not configured`);
      const result = await provider.chat({ ...request, model: "gpt-4o-mini", stream: false }, signal);
      if (kit.isStream(result)) throw new Error("expected a response");
      return result;
    },
  };
}

interface Setup {
  settings?: Record<string, unknown>;
  now?: () => number;
  gateway?: boolean;
}

async function classifier(setup: Setup = {}): Promise<ClassifierInstance> {
  const kit = createKit(setup.now ? { now: setup.now } : {});
  if (setup.gateway !== false) kit.gateway = await gatewayOf(kit);
  const settings = { model: "classifier-model", labels: ["coding", "other"], fallback: "other", timeout: 100, ...setup.settings };
  return instantiate<ClassifierInstance>(llm, settings, kit);
}

function ask(text: string, system = "You are a helpful assistant."): ChatRequest {
  return {
    model: "auto",
    stream: false,
    messages: [
      { role: "system", content: [{ type: "text", text: system }] },
      { role: "user", content: [{ type: "text", text }] },
    ],
  };
}

const signal = () => new AbortController().signal;
type SentBody = { messages: { role: string; content: string }[]; max_tokens: number; temperature: number };

test("it returns the label the model answers with", async () => {
  const intent = await classifier();
  expect(await intent.classify(ask("my page goes blank when I click twice"), signal())).toBe("coding");
  expect(fake.requests).toHaveLength(1);
});

test("the model is asked for one label from the list, briefly and deterministically, about the latest user turn", async () => {
  const intent = await classifier({ settings: { instructions: "coding means software work." } });
  await intent.classify(ask("fix my regex", "x".repeat(25_000)), signal());
  const body = fake.requests[0]!.body as SentBody;
  expect(body.max_tokens).toBe(8);
  expect(body.temperature).toBe(0);
  expect(body.messages).toHaveLength(2);
  expect(body.messages[0]!.content).toContain("coding, other");
  expect(body.messages[0]!.content).toContain("coding means software work.");
  expect(body.messages[1]).toEqual({ role: "user", content: "fix my regex" });
});

test("a long user turn is cut to its first 4,000 characters", async () => {
  const intent = await classifier();
  await intent.classify(ask("a".repeat(10_000)), signal());
  expect((fake.requests[0]!.body as SentBody).messages[1]!.content).toBe("a".repeat(4000));
});

test("an answer in another case and wrapped in punctuation still names the label", async () => {
  fake.fallback = { kind: "reply", reply: { text: ' "Coding." ' } };
  const intent = await classifier();
  expect(await intent.classify(ask("write a parser"), signal())).toBe("coding");
});

test("a repeated prompt is answered from the cache without a second model call", async () => {
  const intent = await classifier();
  expect(await intent.classify(ask("refactor this function"), signal())).toBe("coding");
  expect(await intent.classify(ask("refactor this function", "another system prompt"), signal())).toBe("coding");
  expect(fake.requests).toHaveLength(1);
});

test("a model that does not answer within the timeout yields the fallback label and the call is cancelled", async () => {
  fake.enqueue({ kind: "hang" });
  const intent = await classifier({ settings: { timeout: 100 } });
  const cancelled = fake.nextAbort();
  const started = performance.now();
  expect(await intent.classify(ask("is this code?"), signal())).toBe("other");
  expect(performance.now() - started).toBeLessThan(1000);
  await cancelled;
});

test("a timed-out answer is not cached: the next request asks the model again", async () => {
  fake.enqueue({ kind: "reply", reply: { text: "coding" }, delayMs: 1000 });
  const intent = await classifier({ settings: { timeout: "100ms" } });
  expect(await intent.classify(ask("debug my loop"), signal())).toBe("other");
  expect(await intent.classify(ask("debug my loop"), signal())).toBe("coding");
  expect(fake.requests).toHaveLength(2);
});

test("an answer outside the label set yields the fallback label", async () => {
  fake.fallback = { kind: "reply", reply: { text: "Sure! This looks like" } };
  const intent = await classifier();
  expect(await intent.classify(ask("what is the capital of Peru?"), signal())).toBe("other");
});

test("an upstream error yields the fallback label", async () => {
  fake.enqueue({ kind: "error", status: 500, body: { error: { message: "boom", type: "server_error" } } });
  const intent = await classifier();
  expect(await intent.classify(ask("hello"), signal())).toBe("other");
});

test("the least recently used answer is dropped when the cache is full", async () => {
  const intent = await classifier({ settings: { cache_size: 2 } });
  for (const text of ["first", "second", "first", "third", "first", "second"]) await intent.classify(ask(text), signal());
  // "second" was the least recently used when "third" arrived, so only it is asked twice.
  const asked = fake.requests.map((request) => (request.body as SentBody).messages[1]!.content);
  expect(asked).toEqual(["first", "second", "third", "second"]);
});

test("a cached answer expires after cache_ttl", async () => {
  let now = 1_000_000;
  const intent = await classifier({ settings: { cache_ttl: "1m" }, now: () => now });
  await intent.classify(ask("explain closures"), signal());
  now += 59_000;
  await intent.classify(ask("explain closures"), signal());
  expect(fake.requests).toHaveLength(1);
  now += 2_000;
  await intent.classify(ask("explain closures"), signal());
  expect(fake.requests).toHaveLength(2);
});

test("the instance declares the configured labels", async () => {
  expect((await classifier()).labels).toEqual(["coding", "other"]);
});

test("a fallback that is not one of the labels is rejected when the classifier is created", async () => {
  const created = classifier({ settings: { fallback: "misc" } });
  await expect(created).rejects.toThrow('fallback "misc" is not one of the labels (coding, other)');
});

test("a timeout longer than a timer can wait is rejected when the classifier is created, not fired at once", async () => {
  await expect(classifier({ settings: { timeout: "720h" } })).rejects.toThrow("llm: timeout must be from 1ms to 596h");
  await expect(classifier({ settings: { timeout: "0.5ms" } })).rejects.toThrow("llm: timeout must be from 1ms to 596h");
});

test("classify throws a clear error when the host offers no gateway", async () => {
  const intent = await classifier({ gateway: false });
  const error = await Promise.resolve(intent.classify(ask("hello"), signal())).catch((caught: unknown) => caught);
  expect(isSwitchyardError(error)).toBe(true);
  expect((error as Error).message).toContain("no gateway");
});

/** A config using the classifier, compiled against the built-in plugins plus `llm`. */
async function compileWith(classifier: string, when: string) {
  const kit = createKit();
  const registry = await buildRegistry(kit, [...builtinPlugins, { source: "built-in classifiers/llm", exported: llm }], []);
  const text = [
    "version: 1",
    "providers: { local: { use: echo } }",
    "models: { small: [{ provider: local, model: echo, price: { input: 0, output: 0 } }] }",
    `classifiers: { intent: ${classifier} }`,
    `routes: [{ name: coding, when: '${when}', to: small }, { name: rest, to: small }]`,
  ].join("\n");
  const result = compileConfig(text, { file: "router.config.yaml", env: {}, plugins: registry.catalog() });
  return { result, problems: registry.problems };
}

test("settings from router.config.yaml get their defaults and the labels check rules", async () => {
  const ok = await compileWith("{ use: llm, model: small, labels: [coding, other], fallback: other }", 'intent == "coding"');
  expect(ok.result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(ok.result.graph!.classifiers.get("intent")!.settings).toMatchObject({ timeout: 2000, cache_size: 10_000, cache_ttl: 3_600_000 });
  const typo = await compileWith("{ use: llm, model: small, labels: [coding, other], fallback: other }", 'intent == "codng"');
  expect(typo.result.diagnostics.map((d) => d.code)).toContain("expr-unknown-label");
});

test("a config whose fallback is not a label is reported with the reason", async () => {
  const { result, problems } = await compileWith("{ use: llm, model: small, labels: [coding, other], fallback: misc }", 'intent == "coding"');
  const messages = [...result.diagnostics.map((d) => d.message), ...problems.map((p) => p.message)].join("\n");
  expect(messages).toContain('fallback "misc" is not one of the labels');
});
