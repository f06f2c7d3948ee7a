// One test per diagnostic class: its code, message and line:col, and that all of a file's are reported.

import { describe, expect, test } from "bun:test";
import { compileConfig } from "../../core/config/compile.ts";
import { type Diagnostic, formatDiagnostic } from "../../core/config/diagnostics.ts";
import { createKit } from "../../core/kit/kit.ts";
import { buildRegistry } from "../../core/plugins/registry.ts";
import { builtinPlugins } from "../../plugins/builtin.ts";
import { testCatalog } from "./catalog.ts";

const PROVIDERS = `providers:
  openai: { use: openai, api_key: sk-test }
models:
  gpt-5-mini: [{ provider: openai, model: gpt-5-mini, price: { input: 0.25, output: 2 } }]
`;

function diagnose(text: string, env: Record<string, string> = {}): Diagnostic[] {
  return compileConfig(text, { file: "router.config.yaml", env, plugins: testCatalog }).diagnostics;
}

function only(text: string, env: Record<string, string> = {}): Diagnostic {
  const diagnostics = diagnose(text, env);
  expect(diagnostics.map((d) => `${d.code}: ${d.message}`)).toHaveLength(1);
  return diagnostics[0]!;
}

const where = (d: Diagnostic) => `${d.line}:${d.col}`;

describe("diagnostics", () => {
  test("invalid YAML is yaml-syntax", () => {
    const codes = diagnose("server: { port: 1\nroutes: [").map((d) => d.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(["yaml-syntax"]));
  });

  test("a bracket left open is shown where it was opened, though YAML notices it a line later", () => {
    const d = diagnose('auth: { use: none\nroutes: [{ name: direct, to: $model }]\n')[0]!;
    expect([d.code, where(d), d.hint]).toEqual(["yaml-syntax", "2:1", "the `{` opened at line 1, column 7 is not closed: add its `}`"]);
    // A bracket inside a quoted string or a comment opens nothing.
    const quoted = diagnose('server: { host: "{[" # [\nroutes: []\n')[0]!;
    expect(quoted.hint).toBe("the `{` opened at line 1, column 9 is not closed: add its `}`");
  });

  test("a broken provider is reported once, not again at each route and pool that reaches it", () => {
    const d = only(`providers:
  openai: { use: openai, api_key: x, bogus: 1 }
models:
  gpt: [{ provider: openai, model: gpt-5, price: { input: 1, output: 2 } }]
  mini: [{ provider: openai, model: gpt-5-mini, price: { input: 1, output: 2 } }]
pools:
  p: { pick: cheapest, among: [gpt, mini] }
routes:
  - { name: a, when: model == "x", to: gpt, fallback: [mini] }
  - { name: b, when: model == "y", to: p }
  - { name: direct, to: $model }
`);
    expect([d.code, where(d)]).toEqual(["unknown-key", "2:38"]);
  });

  test("a key given twice is duplicate-name", () => {
    const d = only(`${PROVIDERS}  gpt-5-mini: []\n`);
    expect([d.code, where(d)]).toEqual(["duplicate-name", "5:3"]);
  });

  test("an unknown top-level key suggests the nearest key", () => {
    const d = only("sever: { port: 1 }\n");
    expect([d.code, d.message, d.hint, where(d)]).toEqual(["unknown-key", 'unknown key "sever"', 'did you mean "server"?', "1:1"]);
  });

  test("an unknown key in plugin settings is unknown-key at that key", () => {
    const d = only("providers:\n  openai: { use: openai, api_key: x, base_ulr: http://127.0.0.1 }\n");
    expect([d.code, d.message, d.hint, where(d)]).toEqual(["unknown-key", 'unknown key "base_ulr"', 'did you mean "base_url"?', "2:38"]);
  });

  test("a key that begins exactly one allowed key suggests it", () => {
    const d = only("models:\n  m: [{ provider: p, model: m, price: { input: 1, output: 1, cached: 0.1 } }]\nproviders: { p: { use: openai, api_key: x } }\n");
    expect([d.code, d.hint]).toEqual(["unknown-key", 'did you mean "cached_input"?']);
  });

  test("one item where a list belongs, and a list where one target belongs, say what to write", () => {
    const fallback = only(`${PROVIDERS}routes:\n  - { name: a, to: gpt-5-mini, fallback: gpt-5-mini }\n`);
    expect([fallback.code, fallback.hint, where(fallback)]).toEqual(["wrong-type", "write it as a list: [gpt-5-mini]", "6:42"]);
    const endpoint = only(`${PROVIDERS}  gpt-5: { provider: openai, model: gpt-5, price: { input: 1, output: 8 } }\n`);
    expect([endpoint.code, endpoint.hint]).toEqual(["wrong-type", "write it as a list of one: [{ ... }]"]);
    const to = only(`${PROVIDERS}routes:\n  - { name: a, to: [gpt-5-mini, gpt-5-mini] }\n`);
    expect([to.code, to.hint]).toEqual(["wrong-type", "name one target here, and the ones to try after it in fallback: [...]"]);
  });

  test("a wrong type names the expected type", () => {
    const d = only("server: { port: eighty }\n");
    expect([d.code, d.message, where(d)]).toEqual(["wrong-type", 'expected an integer at least 0 at most 65535, got the string "eighty"', "1:17"]);
  });

  test("an unknown strategy lists the strategies and suggests one", () => {
    const d = only(`${PROVIDERS}pools:\n  p: { pick: cheapst, among: [gpt-5-mini] }\n`);
    expect([d.code, d.hint, where(d)]).toEqual(["wrong-type", 'did you mean "cheapest"?', "6:14"]);
    expect(d.message).toStartWith("expected one of first, cheapest, fastest");
  });

  test("a missing required key is missing-key", () => {
    const d = only(`${PROVIDERS}routes:\n  - { name: a }\n`);
    expect([d.code, d.message, where(d)]).toEqual(["missing-key", 'missing required key "to"', "6:5"]);
  });

  test("an unset environment variable is missing-env at its ${", () => {
    const d = only('providers:\n  openai: { use: openai, api_key: "sk-${OPENAI_KEY}" }\n');
    expect([d.code, d.message, where(d)]).toEqual(["missing-env", "environment variable OPENAI_KEY is not set", "2:39"]);
  });

  test("a default makes an unset variable fine", () => {
    expect(diagnose('providers:\n  openai: { use: openai, api_key: "${OPENAI_KEY:-sk-local}" }\nroutes: [{ name: none, to: $model }]\n')).toEqual([]);
  });

  test("an unknown plugin suggests an installed one", () => {
    const d = only("providers:\n  openai: { use: opnai, api_key: x }\n");
    expect([d.code, d.message, d.hint, where(d)]).toEqual(["unknown-plugin", 'provider plugin "opnai" is not installed', 'did you mean "openai"?', "2:18"]);
  });

  test("an unknown provider suggests a defined one", () => {
    const d = only(`${PROVIDERS}  other: [{ provider: opnai, model: x, price: { input: 1, output: 1 } }]\n`);
    expect([d.code, d.message, d.hint, where(d)]).toEqual(["unknown-provider", 'provider "opnai" is not defined', 'did you mean "openai"?', "5:23"]);
  });

  test("an unknown target suggests a model or pool", () => {
    const d = only(`${PROVIDERS}routes:\n  - { name: a, to: gpt-5-mni }\n`);
    expect([d.code, d.message, d.hint, where(d)]).toEqual(["unknown-target", '"gpt-5-mni" is neither a model nor a pool', 'did you mean "gpt-5-mini"?', "6:20"]);
  });

  test("a near miss of $model suggests it", () => {
    const d = only(`${PROVIDERS}routes:\n  - { name: a, to: $modle }\n`);
    expect([d.code, d.hint, where(d)]).toEqual(["unknown-target", 'did you mean "$model"?', "6:20"]);
  });

  test("an endpoint with a missing key still has its unknown provider reported", () => {
    const diagnostics = diagnose(`${PROVIDERS}  other: [{ provider: opnai, model: x }]\n`);
    expect(diagnostics.map((d) => [d.code, where(d)])).toEqual([["missing-key", "5:11"], ["unknown-provider", "5:23"]]);
  });

  test("a pool with a wrong pick still has its unknown members and require reported", () => {
    const text = `${PROVIDERS}pools:\n  p: { pick: cheapst, among: [gpt-5-mni], require: latency.p59 < 2s }\n`;
    expect(diagnose(text).map((d) => [d.code, where(d)])).toEqual([["wrong-type", "6:14"], ["unknown-target", "6:31"], ["expr-unknown-fact", "6:52"]]);
  });

  test("a pool with its own error is not also an empty-target at each route naming it", () => {
    for (const pool of ["{ pick: first, among: [gpt-5-mini], requir: 'error_rate < 1' }", "{ pick: first, among: gpt-5-mini }", "{ pick: first, among: [] }"]) {
      const d = only(`${PROVIDERS}pools:\n  p: ${pool}\nroutes:\n  - { name: a, to: p }\n`);
      expect([d.code, d.line]).toEqual([d.code === "unknown-key" ? "unknown-key" : "wrong-type", 6]);
    }
  });

  test("an empty list where items are needed says it is empty", () => {
    const d = only(`${PROVIDERS}pools:\n  p: { pick: first, among: [] }\n`);
    expect([d.code, d.message, where(d)]).toEqual(["wrong-type", "expected a list with at least 1 item, got an empty list", "6:28"]);
  });

  test("an unset environment variable is not also a wrong value where it stood", () => {
    const port = only('server: { port: "${PORT}" }\nroutes: [{ name: direct, to: $model }]\n');
    expect([port.code, where(port)]).toEqual(["missing-env", "1:18"]);
    expect(only('storage: "${DB}"\nroutes: [{ name: direct, to: $model }]\n').code).toBe("missing-env");
    expect(only('server: { port: "${PORT" }\nroutes: [{ name: direct, to: $model }]\n').code).toBe("malformed-env");
  });

  test("a second YAML document says a config is one document, not the parser's API", () => {
    const d = only("routes: [{ name: direct, to: $model }]\n---\nserver: { port: 1 }\n");
    expect([d.code, d.message, d.hint, where(d)]).toEqual([
      "yaml-syntax",
      "a config is one YAML document, and a second one starts here",
      "remove the `---` and put what follows in the one document",
      "2:1",
    ]);
  });

  test("pools naming each other in a loop are a pool-cycle", () => {
    const d = only(`${PROVIDERS}pools:\n  a: { pick: first, among: [b] }\n  b: { pick: first, among: [a, gpt-5-mini] }\n`);
    expect([d.code, d.message, where(d)]).toEqual(["pool-cycle", "pools form a cycle: a → b → a", "6:3"]);
  });

  test("a name that is both a model and a pool is duplicate-name", () => {
    const d = only(`${PROVIDERS}pools:\n  gpt-5-mini: { pick: first, among: [gpt-5-mini] }\n`);
    expect([d.code, d.message, where(d)]).toEqual(["duplicate-name", '"gpt-5-mini" is both a model and a pool', "6:3"]);
  });

  test("two routes with one name are duplicate-name", () => {
    const d = only(`${PROVIDERS}routes:\n  - { name: a, when: stream, to: gpt-5-mini }\n  - { name: a, to: gpt-5-mini }\n`);
    expect([d.code, d.message, where(d)]).toEqual(["duplicate-name", 'route name "a" is already used by route 1', "7:13"]);
  });

  test("a route after a catch-all is unreachable-route naming the catch-all", () => {
    const d = only(`${PROVIDERS}routes:\n  - { name: all, to: gpt-5-mini }\n  - { name: late, when: stream, to: gpt-5-mini }\n`);
    expect([d.code, d.message, where(d)]).toEqual([
      "unreachable-route",
      'route "late" can never match: route "all" above it matches every request',
      "7:13",
    ]);
  });

  test("a route after one whose when: is always true is unreachable-route naming it", () => {
    for (const when of ["true", "not false", "1 < 2 or stream", "(true)"]) {
      const d = only(`${PROVIDERS}routes:\n  - { name: all, when: '${when}', to: gpt-5-mini }\n  - { name: late, when: stream, to: gpt-5-mini }\n`);
      expect([d.code, d.message, d.hint, where(d)]).toEqual([
        "unreachable-route",
        'route "late" can never match: route "all" above it matches every request (its when: is true whatever the request)',
        'move it above "all", or give "all" a when: some requests fail',
        "7:13",
      ]);
    }
    // Neither reads as a catch-all: the one has a fact that decides, the other is never true.
    expect(diagnose(`${PROVIDERS}routes:\n  - { name: a, when: 'true and stream', to: gpt-5-mini }\n  - { name: b, when: 'false', to: gpt-5-mini }\n  - { name: c, to: gpt-5-mini }\n`)).toEqual([]);
  });

  test("a target with no endpoints is empty-target", () => {
    const d = only(`${PROVIDERS}  empty: []\npools:\n  p: { pick: first, among: [empty] }\nroutes:\n  - { name: a, to: p }\n`);
    expect([d.code, d.message, where(d)]).toEqual(["empty-target", '"p" resolves to no endpoint', "9:20"]);
  });

  test("a pool whose require no member meets by its config is empty-target at the requirement, once, naming what each has", () => {
    const text = `${PROVIDERS}pools:\n  p: { pick: cheapest, among: [gpt-5-mini], require: price.input < 0.1 and latency.p95 < 2s }\nroutes:\n  - { name: a, to: p }\n`;
    const d = only(text);
    expect([d.code, d.message, d.hint, where(d)]).toEqual([
      "empty-target",
      'pool "p": no member meets require: price.input < 0.1 and latency.p95 < 2s by its config: openai/gpt-5-mini (price.input=0.25)',
      "loosen the requirement, or add a member that meets it",
      "6:54",
    ]);
    // A provider that is not one of the members' is the same mistake; a statistic alone never is (no samples pass).
    expect(only(`${PROVIDERS}pools:\n  p: { pick: first, among: [gpt-5-mini], require: provider == "opnai" }\n`).message).toContain("(provider=openai)");
    expect(diagnose(`${PROVIDERS}pools:\n  p: { pick: first, among: [gpt-5-mini], require: error_rate < 0.01 and price.input < 1 }\nroutes:\n  - { name: a, to: p }\n`)).toEqual([]);
    // inflight is live too: the config alone cannot fail it.
    expect(diagnose(`${PROVIDERS}pools:\n  p: { pick: first, among: [gpt-5-mini], require: inflight < 10 }\nroutes:\n  - { name: a, to: p }\n`)).toEqual([]);
  });

  test("a target whose providers have no key is an unavailable-target warning and still compiles", () => {
    const text = `providers:\n  openai: { use: openai, api_key: "\${KEY:-}" }\nmodels:\n  m: [{ provider: openai, model: m, price: { input: 1, output: 1 } }]\nroutes:\n  - { name: a, to: m }\n`;
    const result = compileConfig(text, { file: "router.config.yaml", env: {}, plugins: testCatalog });
    expect(result.diagnostics.map((d) => [d.code, d.severity, where(d)])).toEqual([["unavailable-target", "warning", "6:20"]]);
    expect(result.graph).not.toBeNull();
  });

  test("classifier settings of the wrong type are wrong-type at the setting", () => {
    const d = only("classifiers:\n  intent: { use: keywords, labels: [coding] }\n");
    expect([d.code, d.message, where(d)]).toEqual(["wrong-type", "expected a map, got a list", "2:36"]);
  });

  test("a plugin's duration setting written wrong asks for a duration, though its schema has only the kit's pattern", () => {
    const d = only('providers:\n  slow: { use: paced, pause: "2 s" }\n');
    expect([d.code, d.message]).toEqual(["wrong-type", 'expected a duration like 30s or 250ms, got the string "2 s"']);
  });

  test("a built-in provider's base_url without its scheme is wrong-type at the value, asking for a URL, where it failed only at the first request", async () => {
    const catalog = (await buildRegistry(createKit(), builtinPlugins, [])).catalog();
    for (const use of ["openai", "openai-compatible", "anthropic", "gemini"]) {
      const diagnostics = (base: string) =>
        compileConfig(`providers:\n  vendor: { use: ${use}, api_key: k, base_url: "${base}" }\n`, { file: "router.config.yaml", env: {}, plugins: catalog }).diagnostics;
      const [d, ...rest] = diagnostics("api.example.com/v1");
      expect([rest.length, d!.code, d!.message, where(d!)]).toEqual([0, "wrong-type", 'expected an http:// or https:// URL, got the string "api.example.com/v1"', `2:${42 + use.length}`]);
      for (const good of ["https://api.example.com/v1", "http://127.0.0.1:4000/v1"]) expect(diagnostics(good).filter((d) => d.code === "wrong-type")).toEqual([]);
    }
  });

  test("a classifier rejecting its settings is invalid-plugin", () => {
    const d = only("classifiers:\n  intent: { use: keywords, labels: { coding: [] } }\n");
    expect([d.code, d.message, where(d)]).toEqual(["invalid-plugin", 'classifier "intent" rejected its settings: label "coding" has no keywords', "2:11"]);
  });

  test("open auth on a public host is an open-auth warning", () => {
    const d = only("server: { host: 0.0.0.0 }\nroutes: [{ name: direct, to: $model }]\n");
    expect([d.code, d.severity, where(d)]).toEqual(["open-auth", "warning", "1:17"]);
  });

  test("expression errors point inside a plain scalar", () => {
    const d = only(`${PROVIDERS}routes:\n  - name: a\n    when: tokens.inptu > 5\n    to: gpt-5-mini\n`);
    expect([d.code, d.hint, where(d)]).toEqual(["expr-unknown-fact", 'did you mean "tokens.input"?', "7:11"]);
  });

  test("expression errors point inside a quoted scalar", () => {
    const d = only(`${PROVIDERS}pools:\n  p: { pick: first, among: [gpt-5-mini], require: "latency.p95 < 2" }\n`);
    expect([d.code, d.hint, where(d)]).toEqual(["expr-type", "write 2s or 2000ms", "6:66"]);
  });

  test("expression errors point at their token in a folded block scalar", () => {
    const d = only(`${PROVIDERS}routes:\n  - name: a\n    when: >\n      model == "a"\n      and stream\n      and modl == "x"\n    to: gpt-5-mini\n`);
    expect([d.code, where(d), d.length]).toEqual(["expr-unknown-fact", "10:11", 4]);
  });

  test("expression errors point at their token in a quoted scalar with escapes", () => {
    const d = only(`${PROVIDERS}routes:\n  - name: a\n    when: "model == \\"c\\" and modl == 'x'"\n    to: gpt-5-mini\n`);
    expect([d.code, where(d), d.length]).toEqual(["expr-unknown-fact", "7:31", 4]);
    const single = only(`${PROVIDERS}routes:\n  - { name: a, when: 'key.name == ''ops'' and modl', to: gpt-5-mini }\n`);
    expect([single.code, where(single)]).toEqual(["expr-unknown-fact", "6:47"]);
  });

  test("expression errors point at their token in a plain scalar over several lines", () => {
    const d = only(`${PROVIDERS}routes:\n  - name: a\n    when: model == "a"\n      and modl == "x"\n    to: gpt-5-mini\n`);
    expect([d.code, where(d), d.length]).toEqual(["expr-unknown-fact", "8:11", 4]);
  });

  test("an unknown classifier label is expr-unknown-label", () => {
    const text = `${PROVIDERS}classifiers:\n  intent: { use: keywords, labels: { coding: [x] } }\nroutes:\n  - { name: a, when: 'intent == "codng"', to: gpt-5-mini }\n`;
    const d = only(text);
    expect([d.code, d.hint, where(d)]).toEqual(["expr-unknown-label", 'did you mean "coding"?', "8:33"]);
  });

  test("every error of a file is reported, not just the first", () => {
    const text = `sever: 1\n${PROVIDERS}  other: [{ provider: opnai, model: x, price: { input: 1, output: 1 } }]\nroutes:\n  - { name: a, when: stream, to: nowhere }\n  - { name: b, when: 'model < 1', to: gpt-5-mini }\n`;
    expect(diagnose(text).map((d) => d.code)).toEqual(["unknown-key", "unknown-provider", "unknown-target", "expr-type"]);
  });

  test("a diagnostic prints with its location, source line, caret and hint", () => {
    const d = only(`${PROVIDERS}  other: [{ provider: opnai, model: x, price: { input: 1, output: 1 } }]\n`);
    expect(formatDiagnostic(d)).toBe(
      [
        'router.config.yaml:5:23 unknown-provider: provider "opnai" is not defined',
        "  5 |   other: [{ provider: opnai, model: x, price: { input: 1, output: 1 } }]",
        '    |                       ^^^^^ did you mean "openai"?',
      ].join("\n"),
    );
  });
});
