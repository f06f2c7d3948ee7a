// Classifiers run lazily, only when a rule reads them (DESIGN.md's request path): a route matched
// before the rule, or an `and` decided without it (its cheap side is checked first), never pays for
// a classifier that may be a model call. Driven through the gateway with a user's classifier plugin that counts its calls.

import { afterAll, beforeEach, expect, test } from "bun:test";
import { postJson, startGateway } from "./harness.ts";

// Loaded by the gateway from the plugins folder, in this process: it records each call on globalThis.
const COUNTING = `
export default (kit) => ({
  kind: "classifier",
  name: "counting",
  settings: kit.Type.Object({
    answer: kit.Type.String(),
    async: kit.Type.Boolean({ default: false }),
    fail: kit.Type.Boolean({ default: false }),
  }),
  create(settings) {
    return {
      classify() {
        (globalThis.__classifierCalls ??= []).push(settings.answer);
        if (settings.fail) return Promise.reject(new Error("classifier down"));
        return settings.async ? (async () => settings.answer)() : settings.answer;
      },
    };
  },
});
`;

// A classifier that waits for its signal: it answers only once the client has gone away.
const WAITING = `
export default (kit) => ({
  kind: "classifier",
  name: "waiting",
  settings: kit.Type.Object({}),
  create() {
    return {
      classify(request, signal) {
        globalThis.__classifierStarted?.();
        return new Promise((resolve) => {
          signal.addEventListener("abort", () => {
            globalThis.__classifierAborted?.(signal.aborted);
            resolve("gone");
          });
        });
      },
    };
  },
});
`;

const gateway = await startGateway(
  `
version: 1
auth: { use: none }
plugins: [./plugins]
providers: { demo: { use: echo } }
models:
  fast: [{ provider: demo, model: fast, price: { input: 0, output: 0 } }]
  smart: [{ provider: demo, model: smart, price: { input: 0, output: 0 } }]
classifiers:
  quick: { use: counting, answer: quick-says-coding }
  slow: { use: counting, answer: slow-says-coding, async: true }
  broken: { use: counting, answer: broken, fail: true }
  patient: { use: waiting }
routes:
  - { name: cheap-first, when: 'quick == "quick-says-coding" and header.x-tier == "cheap"', to: smart }
  - { name: waits, when: 'header.x-tier == "patient" and patient == "gone"', to: fast }
  - { name: vip, when: 'header.x-tier == "vip"', to: fast }
  - { name: fragile, when: 'header.x-tier == "fragile" and broken == "x"', to: fast }
  - { name: by-intent, when: 'slow == "slow-says-coding" and quick == "quick-says-coding"', to: smart }
  - { name: direct, to: $model }
`,
  { files: { "plugins/counting.ts": COUNTING, "plugins/waiting.ts": WAITING } },
);
afterAll(() => gateway.close());

const calls = () => ((globalThis as { __classifierCalls?: string[] }).__classifierCalls ??= []);
beforeEach(() => void calls().splice(0));

const ask = (headers: Record<string, string> = {}) =>
  postJson(`${gateway.url}/v1/chat/completions`, { model: "fast", messages: [{ role: "user", content: "hi" }] }, headers);

test("a route matched before any rule reads a classifier runs none", async () => {
  const response = await ask({ "x-tier": "vip" });
  expect(response.status).toBe(200);
  expect(response.headers.get("x-switchyard-route")).toBe("vip");
  expect(calls()).toEqual([]);
});

test("a rule checks its cheap conditions before its classifiers, wherever they are written", async () => {
  // cheap-first names its classifier first: a request its header test rules out never calls it.
  const passed = await ask({ "x-tier": "vip" });
  expect(passed.headers.get("x-switchyard-route")).toBe("vip");
  expect(calls()).toEqual([]);
  const response = await ask({ "x-tier": "cheap" });
  expect(response.headers.get("x-switchyard-route")).toBe("cheap-first");
  expect(calls()).toEqual(["quick-says-coding"]);
});

test("a rule that reads them runs each once, an async one included, and routes on their values", async () => {
  const response = await ask();
  expect(response.status).toBe(200);
  expect(response.headers.get("x-switchyard-route")).toBe("by-intent");
  expect(response.headers.get("x-switchyard-model")).toBe("smart");
  // `broken` sits behind a header test that is false: never asked.
  expect(calls()).toEqual(["slow-says-coding", "quick-says-coding"]);
});

test("a classifier that fails when a rule reads it is the request's error, naming the plugin", async () => {
  const response = await ask({ "x-tier": "fragile" });
  expect(response.status).toBe(500);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("plugin_failed");
  expect(body.error.message).toContain('plugin "broken" failed in classify: classifier down');
  expect(calls()).toEqual(["broken"]);
});

test("a classifier that takes the signal gets the request's: it aborts when the client goes away", async () => {
  const hooks = globalThis as { __classifierStarted?: () => void; __classifierAborted?: (value: boolean) => void };
  const started = new Promise<void>((resolve) => (hooks.__classifierStarted = resolve));
  const aborted = new Promise<boolean>((resolve) => (hooks.__classifierAborted = resolve));
  const client = new AbortController();
  const request = fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-tier": "patient" },
    body: JSON.stringify({ model: "fast", messages: [{ role: "user", content: "hi" }] }),
    signal: client.signal,
  });
  await started;
  client.abort();
  await request.catch(() => {});
  expect(await aborted).toBe(true);
});
