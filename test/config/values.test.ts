// Values the schema lets through but the runtime could not use: each a diagnostic at the value, with
// its code, message, line:col and a hint, from `check` rather than from `serve` or the first request.

import { describe, expect, test } from "bun:test";
import { Type } from "@sinclair/typebox";
import { compileConfig } from "../../core/config/compile.ts";
import type { Diagnostic } from "../../core/config/diagnostics.ts";
import { withDefaults } from "../../core/plugins/settings.ts";
import { testCatalog } from "./catalog.ts";

const PROVIDERS = `providers:
  openai: { use: openai, api_key: sk-test }
models:
  gpt-5-mini: [{ provider: openai, model: gpt-5-mini, price: { input: 0.25, output: 2 } }]
`;
const DIRECT = "routes: [{ name: direct, to: $model }]\n";

function compile(text: string, env: Record<string, string> = {}) {
  return compileConfig(text, { file: "router.config.yaml", env, plugins: testCatalog });
}

function only(text: string, env: Record<string, string> = {}): Diagnostic {
  const { diagnostics } = compile(text, env);
  expect(diagnostics.map((d) => `${d.code}: ${d.message}`)).toHaveLength(1);
  return diagnostics[0]!;
}

const where = (d: Diagnostic) => `${d.line}:${d.col}`;
const endpoint = (extra: string) => `${PROVIDERS}  slow: [{ provider: openai, model: o3, price: { input: 1, output: 1 }, ${extra} }]\n${DIRECT}`;
const TIMER_HINT = "write a duration from 1ms to 596h (about 24.8 days, the longest a timer waits)";

describe("durations a timer waits", () => {
  test("an endpoint timeout past what a timer can wait is out-of-range, with the allowed range", () => {
    const d = only(endpoint("timeout: 720h"));
    expect([d.code, d.message, d.hint, where(d)]).toEqual(["out-of-range", "timeout: 720h is longer than a timer can wait", TIMER_HINT, "5:82"]);
  });

  test("a timeout of 0, or under a millisecond, is out-of-range", () => {
    expect([only(endpoint("timeout: 0")).message, where(only(endpoint("timeout: 0")))]).toEqual(["timeout: 0 is under 1ms", "5:82"]);
    expect(only(endpoint("timeout: 0.5ms")).message).toBe("timeout: 0.5ms is under 1ms");
    const first = only(endpoint("first_token_timeout: 2147483648"));
    expect([first.code, first.message, where(first)]).toEqual(["out-of-range", "first_token_timeout: 2147483648 is longer than a timer can wait", "5:94"]);
  });

  test("the longest a timer waits, and 1ms, compile", () => {
    expect(compile(endpoint("timeout: 596h, first_token_timeout: 1ms")).diagnostics).toEqual([]);
    expect(compile(endpoint("timeout: 2147483647")).graph!.models.get("slow")![0]!.timeoutMs).toBe(2 ** 31 - 1);
  });

  test("server keepalive may be 0, which sends none, but not past a timer's limit", () => {
    expect(compile(`server: { keepalive: 0 }\n${DIRECT}`).graph!.server.keepaliveMs).toBe(0);
    const d = only(`server: { keepalive: 900h }\n${DIRECT}`);
    expect([d.code, d.message, d.hint, where(d)]).toEqual([
      "out-of-range",
      "keepalive: 900h is longer than a timer can wait",
      "write a duration 0 (no keep-alive comments), or from 1ms to 596h (about 24.8 days, the longest a timer waits)",
      "1:22",
    ]);
  });

  test("a ledger flush interval of 0 is out-of-range", () => {
    const d = only(`ledger: { flush_interval: 0 }\n${DIRECT}`);
    expect([d.code, d.message, where(d)]).toEqual(["out-of-range", "flush_interval: 0 is under 1ms", "1:27"]);
  });
});

describe("storage", () => {
  const storage = (value: string) => only(`storage: ${value}\n${DIRECT}`);

  test("a database the ledger cannot open is invalid-storage at the value", () => {
    const d = storage("mysql://x");
    expect([d.code, d.message, d.hint, where(d)]).toEqual([
      "invalid-storage",
      'unknown storage "mysql:"',
      "use sqlite:PATH (sqlite::memory: keeps nothing), or postgres://user@host:5432/db",
      "1:10",
    ]);
  });

  test("a near miss of a scheme suggests it", () => {
    expect(storage("postgress://app@127.0.0.1/db").hint).toStartWith('did you mean "postgres://"?');
    expect(storage("sqlit:./data.db").hint).toStartWith('did you mean "sqlite:"?');
  });

  test("a bare path says to write sqlite: before it", () => {
    const d = storage("./data.db");
    expect([d.message, d.hint]).toEqual(['storage "./data.db" names no database kind', "write sqlite:./data.db for a SQLite file, or postgres://user@host:5432/db"]);
  });

  test("sqlite: with no file and postgres: with no URL are invalid-storage", () => {
    expect(storage('"sqlite:"').message).toBe('storage "sqlite:" names no SQLite file');
    expect(storage("sqlite://").message).toBe('storage "sqlite://" names no SQLite file');
    expect(storage("postgres:db").message).toBe('storage "postgres:" is not a URL');
  });

  test("the forms the ledger opens compile", () => {
    for (const value of ["sqlite:./data/x.db", '"sqlite::memory:"', "postgres://app@127.0.0.1:5432/db", "postgresql://127.0.0.1/db"]) {
      expect(compile(`storage: ${value}\n${DIRECT}`).diagnostics).toEqual([]);
    }
  });
});

describe("names rules could not reach", () => {
  const classifier = (name: string) => only(`classifiers:\n  ${name}: { use: keywords, labels: { coding: [refactor] } }\n${DIRECT}`);

  test("a classifier named after a request fact is reserved-name at its key", () => {
    const d = classifier("model");
    expect([d.code, d.message, where(d)]).toEqual(["reserved-name", 'classifier "model" has the name of a request fact, which rules would read instead', "2:3"]);
    expect(d.hint).toStartWith("rename it");
    for (const name of ["stream", "tokens", "key", "header", "tools", "images", "max_tokens"]) expect(classifier(name).code).toBe("reserved-name");
  });

  test("a classifier named after a keyword, or with a dot, is reserved-name", () => {
    expect(classifier("and").message).toBe('classifier "and" is named after a keyword of the expression language');
    for (const name of ["or", "not", "in", "true", "false"]) expect(classifier(name).code).toBe("reserved-name");
    expect(classifier("intent.v2").message).toBe('classifier "intent.v2" has a ".", which rules read as a fact\'s field');
    expect(classifier('"coding intent"').message).toBe('classifier "coding intent" has a name rules cannot read');
  });

  test("a model or pool named $model or the empty string is reserved-name", () => {
    const model = only(`${PROVIDERS}  $model: [{ provider: openai, model: m, price: { input: 1, output: 1 } }]\n${DIRECT}`);
    expect([model.code, model.message, where(model)]).toEqual(["reserved-name", 'a model cannot be named "$model": a route\'s $model is the model the client names', "5:3"]);
    const pool = only(`${PROVIDERS}pools:\n  "": { pick: first, among: [gpt-5-mini] }\n${DIRECT}`);
    expect([pool.code, pool.message, where(pool)]).toEqual(["reserved-name", 'a pool cannot be named "": a target cannot be empty', "6:3"]);
  });
});

describe("environment references", () => {
  const key = (value: string, env: Record<string, string> = {}) => compile(`providers:\n  openai: { use: openai, api_key: "${value}" }\n${DIRECT}`, env);

  test("a default applies to a variable set to the empty string, as in a shell", () => {
    expect(key("${OPENAI_KEY:-sk-local}", { OPENAI_KEY: "" }).graph!.providers.get("openai")!.settings.api_key).toBe("sk-local");
    expect(key("${OPENAI_KEY:-sk-local}", { OPENAI_KEY: "sk-env" }).graph!.providers.get("openai")!.settings.api_key).toBe("sk-env");
  });

  test("a reference with a shell default other than :- is malformed-env, its default left out of the message", () => {
    const [d] = key("${OPENAI_KEY_UNSET-sk-x}").diagnostics;
    expect([d!.code, d!.message, d!.hint, where(d!)]).toEqual([
      "malformed-env",
      'malformed environment reference "${OPENAI_KEY_UNSET-…}"',
      "write ${OPENAI_KEY_UNSET:-default}: only :- gives a default",
      "2:36",
    ]);
    expect(key("${FOO:=x}").diagnostics.map((x) => [x.code, x.hint])).toEqual([["malformed-env", "write ${FOO:-default}: only :- gives a default"]]);
  });

  test("spaces inside the braces, and a reference left open, are malformed-env", () => {
    const spaced = key("${ FOO }").diagnostics;
    expect(spaced.map((d) => [d.code, d.message, d.hint, where(d)])).toEqual([["malformed-env", 'malformed environment reference "${ FOO }"', "write ${FOO}, with no spaces inside the braces", "2:36"]]);
    const open = key("sk-${FOO").diagnostics;
    expect(open.map((d) => [d.code, d.message, where(d)])).toEqual([["malformed-env", 'malformed environment reference "${FOO"', "2:39"]]);
    expect(open[0]!.hint).toStartWith("close it with }: write ${VAR} or ${VAR:-default}");
  });

  test("a variable named like an object's method is missing-env when unset, not the method's source", () => {
    const d = only(`providers:\n  openai: { use: openai, api_key: "\${constructor}" }\n${DIRECT}`);
    expect([d.code, d.message, where(d)]).toEqual(["missing-env", "environment variable constructor is not set", "2:36"]);
    expect(key("${toString:-sk-local}").graph!.providers.get("openai")!.settings.api_key).toBe("sk-local");
  });

  test("$${ writes a literal ${", () => {
    const result = key("sk-$${FOO}");
    expect(result.diagnostics).toEqual([]);
    expect(result.graph!.providers.get("openai")!.settings.api_key).toBe("sk-${FOO}");
  });
});

describe("YAML aliases", () => {
  test("an alias naming no anchor is one yaml-syntax at the alias, not a wrong-type after it", () => {
    const d = only(`${PROVIDERS}routes:\n  - name: direct\n    to: $model\n    fallback: *nope\n`);
    expect([d.code, d.message, d.hint, where(d)]).toEqual(["yaml-syntax", "alias *nope names no anchor", "mark the value it repeats with &nope, above this alias", "8:15"]);
  });

  test("a merge of an alias naming no anchor is not an unknown key <<", () => {
    const d = only(`providers:\n  openai:\n    <<: *defaults\n    use: openai\n    api_key: sk-test\n${DIRECT}`);
    expect([d.code, d.message, where(d)]).toEqual(["yaml-syntax", "alias *defaults names no anchor", "3:9"]);
  });

  test("a billion laughs is one alias-limit at the alias that crosses the limit, read in a moment", () => {
    // Ten lists of ten aliases of the list before: half a kilobyte that names ten billion strings.
    const lines = [`a0: &a0 [${Array(10).fill("lol").join(", ")}]`];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
    const started = performance.now();
    const { diagnostics } = compile(`${PROVIDERS}${lines.join("\n")}\n${DIRECT}`);
    expect(performance.now() - started).toBeLessThan(2000);
    const found = diagnostics.filter((d) => d.code === "alias-limit");
    expect(found.map((d) => [d.message, where(d)])).toEqual([["alias *a3 repeats 11111 values, which takes what aliases repeat past 100000", "9:45"]]);
    expect(found[0]!.hint).toContain("write the values out");
  });

  test("a shared endpoint merged into two thousand models is no alias bomb", () => {
    const models = Array.from({ length: 2000 }, (_, i) => `  m-${i}: [{ <<: *base, model: m-${i} }]`);
    const base = "  base: [&base { provider: openai, model: base, price: { input: 1, output: 2 }, timeout: 30s }]";
    const result = compile(`${PROVIDERS}${base}\n${models.join("\n")}\n${DIRECT}`);
    expect(result.diagnostics).toEqual([]);
    expect(result.graph!.models.get("m-1999")?.[0]).toMatchObject({ provider: "openai", model: "m-1999", timeoutMs: 30_000 });
  });
});

describe("keys named __proto__", () => {
  const ECHO = `models:\n  m: [{ provider: demo, model: m, price: { input: 1, output: 1 } }]\n${DIRECT}`;

  test("a __proto__ in a plugin's settings is reserved-name at the key, not a prefix the plugin inherits", () => {
    const d = only(`providers:\n  demo: { use: echo, __proto__: { prefix: "POLLUTED " } }\n${ECHO}`);
    expect([d.code, d.message, d.hint, where(d)]).toEqual([
      "reserved-name",
      '"__proto__" cannot be a key: JavaScript reads it as the map\'s prototype, not as one of its keys',
      "remove it: no section, setting, header or label is named so",
      "2:22",
    ]);
  });

  test("a __proto__ is reserved-name in a map of the user's own keys, and in a file read by the full parser", () => {
    const labels = only(`${PROVIDERS}classifiers:\n  intent: { use: keywords, labels: { coding: [refactor], __proto__: [x] } }\n${DIRECT}`);
    expect([labels.code, where(labels)]).toEqual(["reserved-name", "6:58"]);
    // An anchor sends the file past the fast parse.
    const anchored = only(`providers:\n  demo: &demo { use: echo }\n  other:\n    <<: *demo\n    __proto__: { prefix: x }\n${ECHO}`);
    expect([anchored.code, where(anchored)]).toEqual(["reserved-name", "5:5"]);
  });

  test("plugin settings keep a __proto__ key a key, and the prototype a plain object's", () => {
    const settings = withDefaults(Type.Object({ prefix: Type.String({ default: "echo: " }) }), JSON.parse('{ "__proto__": { "prefix": "POLLUTED " } }'));
    expect(Object.getPrototypeOf(settings)).toBe(Object.prototype);
    expect(settings).toMatchObject({ prefix: "echo: " });
    expect(Object.keys(settings as object)).toEqual(["__proto__", "prefix"]);
  });
});

describe("expressions", () => {
  test('a "(" left open is pointed at, with no offset inside the expression', () => {
    const d = only(`routes:\n  - name: a\n    when: (model == "x"\n    to: $model\n`);
    expect([d.code, d.message, d.hint, where(d)]).toEqual(["expr-syntax", '"(" is not closed', 'add a ")" where the group ends', "3:11"]);
  });
});
