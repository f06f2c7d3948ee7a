// The config compiler on valid files: the graph it builds, defaults, env substitution, secrets.

import { describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { compileConfig } from "../../core/config/compile.ts";
import { testCatalog } from "./catalog.ts";

const VALID = `
version: 1
server: { port: 9000, body_limit: 2mb }
storage: sqlite:./data/test.db
admin_key: "\${ADMIN_KEY}"
fees: { use: percentage, rate: 0.05 }
providers:
  openai: { use: openai, api_key: "\${OPENAI_API_KEY}" }
  anthropic: { use: anthropic, api_key: "\${ANTHROPIC_API_KEY:-}" }
models:
  gpt-5-mini:
    - { provider: openai, model: gpt-5-mini, price: { input: 0.25, output: 2, cached_input: 0.025 }, timeout: 30s }
  anthropic/claude-sonnet-4.5:
    - { provider: anthropic, model: claude-sonnet-4-5, price: { input: 3, output: 15 }, context: 200000 }
classifiers:
  intent: { use: keywords, labels: { coding: ["refactor"] } }
pools:
  cheap:
    pick: cheapest
    among: [gpt-5-mini]
    require: latency.p95 < 2s and error_rate < 0.2
routes:
  - name: coding
    when: intent == "coding"
    to: anthropic/claude-sonnet-4.5
    fallback: [gpt-5-mini]
  - name: auto
    when: model == "auto"
    to: cheap
  - name: direct
    to: $model
`;

const env = { OPENAI_API_KEY: "sk-test-openai", ADMIN_KEY: "admin-secret" };

function compileValid() {
  const result = compileConfig(VALID, { file: "/srv/switchyard/router.config.yaml", env, plugins: testCatalog });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.graph!;
}

describe("a valid config", () => {
  test("compiles into providers with validated settings and defaults applied", () => {
    const graph = compileValid();
    expect(graph.providers.get("openai")).toEqual({
      name: "openai",
      use: "openai",
      settings: { api_key: "sk-test-openai", base_url: "https://api.openai.com/v1" },
      available: true,
    });
  });

  test("marks a provider whose api_key is empty unavailable, with a warning on its targets", () => {
    const result = compileConfig(VALID, { file: "router.config.yaml", env, plugins: testCatalog });
    expect(result.graph?.providers.get("anthropic")).toMatchObject({ available: false, unavailableReason: "api_key is empty" });
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.line, d.col])).toEqual([["unavailable-target", "warning", 25, 9]]);
  });

  test("keeps a provider with no api_key at all available: a keyless local server", () => {
    const text = `
providers: { local: { use: openai-compatible, base_url: "http://127.0.0.1:11434/v1" } }
models: { llama: [{ provider: local, model: llama3, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`;
    const result = compileConfig(text, { file: "router.config.yaml", env, plugins: testCatalog });
    expect(result.graph?.providers.get("local")?.available).toBe(true);
  });

  test("converts prices to micro-USD per million and durations to milliseconds", () => {
    const [endpoint] = compileValid().models.get("gpt-5-mini")!;
    expect(endpoint).toEqual({
      id: "openai/gpt-5-mini",
      publicModel: "gpt-5-mini",
      provider: "openai",
      providerUse: "openai",
      model: "gpt-5-mini",
      price: { input: 250_000, output: 2_000_000, cachedInput: 25_000 },
      timeoutMs: 30_000,
      weight: 1,
      available: true,
    });
  });

  test("keeps public model ids with slashes", () => {
    expect(compileValid().models.get("anthropic/claude-sonnet-4.5")?.[0]?.id).toBe("anthropic/claude-sonnet-4-5");
  });

  test("resolves routes, targets and compiled conditions in file order", () => {
    const graph = compileValid();
    expect(graph.routes.map((r) => [r.name, r.index, r.to, r.fallback])).toEqual([
      ["coding", 0, { kind: "model", name: "anthropic/claude-sonnet-4.5" }, [{ kind: "model", name: "gpt-5-mini" }]],
      ["auto", 1, { kind: "pool", name: "cheap" }, []],
      ["direct", 2, { kind: "request-model" }, []],
    ]);
    expect(graph.routes[1]?.when?.models).toEqual(["auto"]);
    expect(graph.routes[0]?.when?.reads).toEqual(["intent"]);
  });

  test("compiles pools with their strategy and requirement", () => {
    const pool = compileValid().pools.get("cheap")!;
    expect(pool.pick).toBe("cheapest");
    expect(pool.require?.test({ get: () => undefined })).toBe(true);
  });

  test("gives classifiers the labels their plugin declares", () => {
    expect(compileValid().classifiers.get("intent")?.labels).toEqual(["coding", "other"]);
  });

  test("fills server, ledger and auth defaults and resolves paths against the config folder", () => {
    const graph = compileValid();
    expect(graph.server).toEqual({ host: "127.0.0.1", port: 9000, bodyLimit: 2 * 1024 * 1024, keepaliveMs: 15_000, corsOrigins: [] });
    expect(graph.ledger).toEqual({ flushIntervalMs: 250 });
    expect(graph.auth).toEqual({ use: "none", settings: {} });
    expect(graph.fees).toEqual({ use: "percentage", settings: { rate: 0.05 } });
    expect(graph.storage).toBe(`sqlite:${resolve("/srv/switchyard/data/test.db")}`);
    expect(graph.adminKey).toBe("admin-secret");
  });

  test("records substituted secrets for redaction", () => {
    expect([...compileValid().secrets].sort()).toEqual(["admin-secret", "sk-test-openai"]);
  });

  test("records secrets written inline too", () => {
    const text = `
providers: { openai: { use: openai, api_key: "sk-inline-secret" } }
models: { gpt: [{ provider: openai, model: gpt-5-mini, price: { input: 1, output: 1 } }] }
routes: [{ name: direct, to: $model }]
`;
    const result = compileConfig(text, { file: "router.config.yaml", env: {}, plugins: testCatalog });
    expect(result.graph?.secrets).toEqual(["sk-inline-secret"]);
  });

  test("credentials in a provider's headers are secrets, written inline or from the environment, with and without their scheme", () => {
    const text = `
providers:
  gateway:
    use: openai-compatible
    base_url: http://127.0.0.1:9/v1
    headers: { Authorization: "Bearer sk-header-inline-1", cf-aig-authorization: "Bearer \${GW_TOKEN}", Cookie: "session=abcdef", x-team: platform }
models: { m: [{ provider: gateway, model: m, price: { input: 1, output: 1 } }] }
routes: [{ name: direct, to: $model }]
`;
    const result = compileConfig(text, { file: "router.config.yaml", env: { GW_TOKEN: "gw-env-secret-2" }, plugins: testCatalog });
    expect(result.diagnostics).toEqual([]);
    expect([...result.graph!.secrets].sort()).toEqual(["Bearer sk-header-inline-1", "gw-env-secret-2", "session=abcdef", "sk-header-inline-1"]);
  });

  test("a secret on the line of a syntax error is masked in the line quoted, though it never parsed", () => {
    const text = `
providers:
  openai: { use: openai, api_key: "sk-openai-PROVSECRET-111" base_url: "http://127.0.0.1:9/v1" }
  other: { use: openai, api_key: 'sk-other-secret-222', base_url: "http://127.0.0.1:9/v1" }
models: { gpt: [{ provider: openai, model: gpt-5-mini, price: { input: 1, output: 1 } }] }
routes: [{ name: direct, to: $model }]
`;
    const result = compileConfig(text, { file: "router.config.yaml", env: {}, plugins: testCatalog });
    expect(result.diagnostics.length).toBeGreaterThan(0);
    const printed = JSON.stringify(result.diagnostics);
    expect(printed).not.toContain("PROVSECRET");
    expect(printed).not.toContain("sk-other-secret-222");
    expect(result.secrets).toEqual(expect.arrayContaining(["sk-openai-PROVSECRET-111", "sk-other-secret-222"]));
    // Masked character for character: the caret stays under the column it names.
    const line = result.diagnostics.find((d) => d.sourceLine.includes("api_key"))!.sourceLine;
    expect(line).toBe('  openai: { use: openai, api_key: "************************" base_url: "http://127.0.0.1:9/v1" }');
  });

  test("a config of routes alone compiles to defaults for the rest", () => {
    const result = compileConfig("routes: [{ name: direct, to: $model }]\n", { file: "router.config.yaml", env: {}, plugins: testCatalog });
    expect(result.diagnostics).toEqual([]);
    expect(result.graph?.server.bodyLimit).toBe(16 * 1024 * 1024);
    expect(result.graph?.storage.endsWith("/data/switchyard.db")).toBe(true);
  });

  test("an empty file, or one of comments alone, and a config with no routes are errors: a reload never swaps in a table that refuses everything", () => {
    const compile = (text: string) => compileConfig(text, { file: "router.config.yaml", env: {}, plugins: testCatalog });
    for (const text of ["", "# everything commented out\n"]) {
      const result = compile(text);
      expect(result.graph).toBeNull();
      expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([["missing-key", "the config file is empty"]]);
    }
    for (const [text, at] of [["auth: { use: none }\n", "1:1"], ["auth: { use: none }\nroutes: []\n", "2:9"]] as const) {
      const result = compile(text);
      expect(result.graph).toBeNull();
      expect(result.diagnostics.map((d) => [d.code, d.message, `${d.line}:${d.col}`])).toEqual([["missing-key", "the config has no routes: every request would be refused", at]]);
    }
  });
});

describe("a large config", () => {
  test("a generated config with 1,000 routes compiles with no diagnostics", () => {
    const lines = ["providers:", "  openai: { use: openai, api_key: sk-x }", "models:"];
    for (let i = 0; i < 100; i++) lines.push(`  m${i}: [{ provider: openai, model: m${i}, price: { input: 1, output: 2 } }]`);
    lines.push("routes:");
    for (let i = 0; i < 1000; i++) {
      lines.push(`  - { name: r${i}, when: 'model == "x${i}" and tokens.input < ${i + 1}000', to: m${i % 100}, fallback: [m${(i + 1) % 100}] }`);
    }
    const result = compileConfig(lines.join("\n"), { file: "router.config.yaml", env: {}, plugins: testCatalog });
    expect(result.diagnostics).toEqual([]);
    expect(result.graph?.routes.length).toBe(1000);
  });
});

describe("environment variables where a number or a boolean is wanted", () => {
  const text = [
    "server:",
    "  port: ${PORT:-8787}",
    "fees: { use: percentage, rate: \"${FEE_RATE:-0.05}\" }",
    "providers: { demo: { use: echo } }",
    "models:",
    "  echo: [{ provider: demo, model: echo, price: { input: \"${PRICE}\", output: 1 }, context: CONTEXT }]",
    "routes: [{ name: direct, to: $model }]",
  ].join("\n");
  const compile = (env: Record<string, string>, context = "8000") =>
    compileConfig(text.replace("CONTEXT", context), { file: "router.config.yaml", env, plugins: testCatalog });
  const errorsOf = (result: ReturnType<typeof compile>) => result.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.line, d.message]);

  test("a substituted number is the number, as if written in place, in the config and in a plugin's settings", () => {
    const result = compile({ PORT: "9000", PRICE: "2.5" });
    expect(errorsOf(result)).toEqual([]);
    expect(result.graph?.server.port).toBe(9000);
    expect(result.graph?.fees.settings).toMatchObject({ rate: 0.05 });
    const written = compileConfig(text.replace("CONTEXT", "8000").replace('"${PRICE}"', "2.5"), { file: "router.config.yaml", env: {}, plugins: testCatalog });
    expect(result.graph?.models.get("echo")?.[0]?.price).toEqual(written.graph!.models.get("echo")![0]!.price);
  });

  test("a number written quoted in the file stays the string it says it is", () => {
    expect(errorsOf(compile({ PRICE: "2.5" }, '"8000"'))).toEqual([["wrong-type", 6, 'expected an integer at least 1, got the string "8000"']]);
  });

  test("a substituted value that is no number is still a wrong type, at the line that substitutes it", () => {
    expect(errorsOf(compile({ PORT: "eighty", PRICE: "2.5" }))).toEqual([["wrong-type", 2, 'expected an integer at least 0 at most 65535, got the string "eighty"']]);
  });
});
