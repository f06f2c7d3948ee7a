// The command line as a user runs it: check, explain, keys and usage, in their own processes.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLedger } from "../../core/ledger/index.ts";
import { generatedConfig } from "../config/generated.ts";
import { ROOT } from "../gateway/process.ts";
import { spawnCli } from "./spawn-cli.ts";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchyard-cli-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function cli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
  return spawnCli(dir, args, options);
}

const ECHO_ONLY = `providers: { demo: { use: echo } }
models: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`;

describe("switchyard check", () => {
  test("passes on the shipped config with no keys and prints the dispatch table", () => {
    const result = cli(["check", "--config", join(ROOT, "router.config.yaml")]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("routes (3, first match wins)");
    expect(result.out).toContain("anthropic (anthropic) unavailable: api_key is empty");
    expect(result.err).toContain("unavailable-target (warning)");
  });

  test("passes on a generated config with 1,000 routes", async () => {
    // 1,000 conditional routes and the catch-all.
    await writeFile(join(dir, "large.yaml"), generatedConfig(1001));
    const result = cli(["check", "--config", "large.yaml"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("routes (1001, first match wins)");
  });

  test("prints every diagnostic with file:line:col, the line and a caret, and exits 1", async () => {
    await writeFile(
      join(dir, "broken.yaml"),
      `providers:
  openai: { use: openai, api_key: "sk-test-1234", organisation: acme }
models:
  gpt: [{ provider: opnai, model: gpt-5-mini, price: { input: 1, output: 1 } }]
routes:
  - { name: direct, to: gtp }
`,
    );
    const result = cli(["check", "--config", "broken.yaml"]);
    expect(result.code).toBe(1);
    expect(result.err).not.toContain("sk-test-1234");
    expect(result.err).toContain('broken.yaml:4:21 unknown-provider: provider "opnai" is not defined');
    expect(result.err).toContain("  4 |   gpt: [{ provider: opnai,");
    expect(result.err).toContain('did you mean "organization"?');
    expect(result.err).toMatch(/broken\.yaml:6:\d+ unknown-target/);
    // The unknown key sits on the line holding the API key: the line is shown with the key masked
    // character for character, so that the caret still falls under the key it names.
    expect(result.err).toContain('  2 |   openai: { use: openai, api_key: "************", organisation: acme }\n    |                                                   ^^^^^^^^^^^^');
  });

  test("a plugin file that fails to load on a line holding a configured secret is shown with the secret masked", async () => {
    const folder = join(dir, "secret-plugins");
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, "keyed.ts"), 'const key = "sk-test-5678"; throw new Error("refused " + key);\nexport default {};\n');
    await writeFile(
      join(dir, "secret-plugins.yaml"),
      `plugins: [./secret-plugins]
providers: { demo: { use: echo }, openai: { use: openai, api_key: "sk-test-5678" } }
models: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`,
    );
    const result = cli(["check", "--config", "secret-plugins.yaml"]);
    expect(result.code).toBe(1);
    expect(result.err).not.toContain("sk-test-5678");
    expect(result.err).toContain(`${join(folder, "keyed.ts")}:1:39 invalid-plugin: failed to load: refused [redacted]`);
    expect(result.err).toContain('  1 | const key = "************"; throw new Error("refused " + key);\n    |                                       ^');
  });

  test("a config that cannot be read is a file-unreadable diagnostic that says what to do, for check and serve alike", () => {
    for (const command of ["check", "serve"]) {
      const missing = cli([command, "--config", "no-such.yaml"]);
      expect(missing.code).toBe(1);
      expect(missing.err).toContain("no-such.yaml:1:1 file-unreadable: cannot read the config file: there is no such file");
      expect(missing.err).toContain("pass --config FILE, or run where router.config.yaml is");
    }
    // Run in a folder without one, the default name is the one it names.
    expect(cli(["check"]).err).toContain("router.config.yaml:1:1 file-unreadable");
    expect(cli(["check", "--config", "."]).err).toContain("cannot read the config file: it is a folder");
  });

  test("a plugin folder that does not exist is named, with what to do", async () => {
    await writeFile(join(dir, "missing-plugins.yaml"), `plugins: [./no-such-folder]\n${ECHO_ONLY}`);
    const result = cli(["check", "--config", "missing-plugins.yaml"]);
    expect(result.code).toBe(1);
    expect(result.err).toContain("no-such-folder: there is no such folder (create it, or take it out of `plugins:`)");
  });
});

describe("switchyard check on plugin files that do not load", () => {
  test("each is named at its line and column, with the line, and a package import with what a plugin may import", async () => {
    // A syntax error, a package and a file that cannot be found, no default export, and a throw as the module runs.
    const folder = join(dir, "broken-plugins");
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, "syntax.ts"), 'export default {\n  kind: "provider",\n  name: "broken" +,\n};\n');
    // A comma left out: the runtime reports three errors at once, the first of which says where.
    await writeFile(join(folder, "several.ts"), 'export default {\n  kind: "provider",\n  name: "shout"\n  settings: {},\n};\n');
    await writeFile(join(folder, "package.ts"), '// needs a package\nimport OpenAI from "openai-not-installed";\nexport default OpenAI;\n');
    await writeFile(join(folder, "helper.ts"), 'import helper from "./no-such-helper.ts";\nexport default helper;\n');
    await writeFile(join(folder, "nothing.ts"), "export const x = 1;\n");
    await writeFile(join(folder, "throws.ts"), '// runs at import\nconst ready = false;\nif (!ready) throw new Error("not ready at import");\nexport default {};\n');
    await writeFile(join(dir, "broken-plugins.yaml"), `plugins: [./broken-plugins]\n${ECHO_ONLY}`);
    const result = cli(["check", "--config", "broken-plugins.yaml"]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${join(folder, "syntax.ts")}:3:19 invalid-plugin: failed to load: Unexpected ,`);
    expect(result.err).toContain('  3 |   name: "broken" +,\n    |                   ^');
    expect(result.err).toContain(`${join(folder, "several.ts")}:4:3 invalid-plugin: failed to load: Expected "}" but found "settings" (and 2 more)`);
    expect(result.err).toContain(`${join(folder, "package.ts")}:2:20 invalid-plugin: failed to load: Cannot find package 'openai-not-installed'`);
    expect(result.err).toContain("^ a plugin imports only types from packages");
    expect(result.err).toContain(`${join(folder, "helper.ts")}:1:20 invalid-plugin: failed to load: Cannot find module './no-such-helper.ts'`);
    expect(result.err).toContain(`${join(folder, "nothing.ts")}:1:1 invalid-plugin: the module has no default export`);
    expect(result.err).toContain(`${join(folder, "throws.ts")}:3:23 invalid-plugin: failed to load: not ready at import`);
    expect(result.err).toContain('  3 | if (!ready) throw new Error("not ready at import");');
    // The query that imports an edited file afresh is the loader's own business.
    expect(result.err).not.toContain("?v=");
    // The plugin the config uses may be one of them: its unknown-plugin says so.
    await writeFile(join(dir, "broken-use.yaml"), `plugins: [./broken-plugins]\nproviders: { loud: { use: shout } }\nmodels: { m: [{ provider: loud, model: m, price: { input: 0, output: 0 } }] }\nroutes: [{ name: direct, to: $model }]\n`);
    const using = cli(["check", "--config", "broken-use.yaml"]);
    expect(using.err).toContain('unknown-plugin: provider plugin "shout" is not installed');
    expect(using.err).toContain("or it is defined in a plugin file that failed to load (above): mend that file");
  });
});

describe("switchyard check on plugins that refuse their settings", () => {
  test("a plugin whose create refuses the config fails check, as it would fail serve, naming it", async () => {
    const folder = join(dir, "refusing-plugins");
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, "regional.ts"),
      'export default (kit: { Type: { Object(p: object): unknown } }) => ({ kind: "provider", name: "regional", settings: kit.Type.Object({}), create() { throw new Error("unknown region us"); } });\n',
    );
    await writeFile(
      join(dir, "refusing.yaml"),
      `plugins: [./refusing-plugins]
providers: { demo: { use: echo }, r: { use: regional } }
models: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`,
    );
    const result = cli(["check", "--config", "refusing.yaml"]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('provider "r": plugin "regional" failed in create: unknown region us');
    expect(result.err).toContain("1 plugin(s) refused the config; serve would not start");
  });
});

describe("switchyard explain", () => {
  test("names the route, the candidates in order and why other routes were passed over", () => {
    const request = JSON.stringify({
      model: "gpt-5-mini",
      messages: [{ role: "user", content: "Refactor this function:\n```ts\nfunction add(a, b) { return a + b }\n```" }],
    });
    const result = cli(["explain", "--config", join(ROOT, "router.config.yaml"), "-"], { stdin: request });
    expect(result.code).toBe(0);
    expect(result.out).toContain('classifier intent = "coding"');
    expect(result.out).toContain("route: coding");
    expect(result.out).toContain("1. demo/echo");
    expect(result.out).toMatch(/anthropic\/claude-sonnet-4-5: passed-over, provider anthropic unavailable/);
  });

  test("a Responses API body is read as /v1/responses reads it", () => {
    const request = JSON.stringify({ model: "gpt-5-mini", input: "Refactor this function:\n```ts\nfunction add(a, b) { return a + b }\n```" });
    const result = cli(["explain", "--config", join(ROOT, "router.config.yaml"), "-"], { stdin: request });
    expect(result.code).toBe(0);
    expect(result.out).toContain('classifier intent = "coding"');
    expect(result.out).toContain("route: coding");
  });

  test("an ordinary question skips the coding route", () => {
    const request = JSON.stringify({ model: "auto", messages: [{ role: "user", content: "What is the capital of France?" }] });
    const result = cli(["explain", "--config", join(ROOT, "router.config.yaml"), "-"], { stdin: request });
    expect(result.out).toContain('classifier intent = "other"');
    expect(result.out).toMatch(/route coding: skipped, when intent == "coding" is false/);
    expect(result.out).toContain("route: auto");
  });

  test("a request it cannot read, or that is not a JSON object, is named with what is wrong", async () => {
    const config = join(ROOT, "router.config.yaml");
    const cases: [args: string[], stdin: string | undefined, said: string][] = [
      [["no-such-request.json"], undefined, "cannot read the request file no-such-request.json: there is no such file"],
      [["-"], '{"model":"auto"', "the request on standard input is not valid JSON"],
      [["-"], "[1, 2]", "the request on standard input must be a JSON object"],
    ];
    for (const [args, stdin, said] of cases) {
      const result = cli(["explain", "--config", config, ...args], { stdin });
      expect(result.code).toBe(1);
      expect(result.err).toContain(`switchyard: ${said}`);
    }
  });
});

describe("switchyard keys and usage", () => {
  test("creates a key on a line of its own, lists and disables it", async () => {
    await writeFile(join(dir, "keys.yaml"), `storage: sqlite:./keys.db\nauth: { use: api-keys }\n${ECHO_ONLY}`);
    const created = cli(["keys", "create", "--config", "keys.yaml", "--name", "ci", "--credit-limit", "5", "--rate-limit", "60", "--tags", "a,b"]);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^sk-sy-\S+\n$/);
    const listed = JSON.parse(cli(["keys", "list", "--config", "keys.yaml", "--json"]).out) as { id: string; name: string; credit_limit: number; rate_limit: number; tags: string[] }[];
    expect(listed[0]).toMatchObject({ name: "ci", credit_limit: 5, rate_limit: 60, tags: ["a", "b"] });
    expect(cli(["keys", "disable", "--config", "keys.yaml", listed[0]!.id]).code).toBe(0);
    const after = JSON.parse(cli(["keys", "list", "--config", "keys.yaml", "--json"]).out) as { disabled: boolean }[];
    expect(after[0]!.disabled).toBe(true);
    const usage = cli(["usage", "--config", "keys.yaml", "--by", "model"]);
    expect(usage.code).toBe(0);
    expect(usage.out).toContain("requests");
  });

  test("usage by key names each key beside its id", async () => {
    await writeFile(join(dir, "named.yaml"), `storage: sqlite:./named.db\nauth: { use: api-keys }\n${ECHO_ONLY}`);
    const ledger = await openLedger(`sqlite:${join(dir, "named.db")}`);
    const { record } = await ledger.keys.create({ name: "team-a" });
    ledger.record({ id: "gen-named", keyId: record.id, route: "direct", requestedModel: "echo", model: "echo", provider: "demo", endpoint: "demo/echo", status: 200, errorCode: null, attempts: [], stream: false, usage: { inputTokens: 3, outputTokens: 2 }, cost: 0, fee: 0, latencyMs: 1, ttftMs: 1, createdAt: Date.now() });
    await ledger.close();
    const shown = cli(["usage", "--config", "named.yaml", "--by", "key"]);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(new RegExp(`^key\\s+name\\s+requests`, "m"));
    expect(shown.out).toMatch(new RegExp(`^${record.id}\\s+team-a\\s+1\\s`, "m"));
    const json = JSON.parse(cli(["usage", "--config", "named.yaml", "--by", "key", "--json"]).out) as { name: string }[];
    expect(json.map((row) => row.name)).toEqual(["team-a"]);
  });

  test("a credit limit that is no amount the ledger can hold is refused in dollars, and no key is made", async () => {
    await writeFile(join(dir, "limits.yaml"), `storage: sqlite:./limits.db\nauth: { use: api-keys }\n${ECHO_ONLY}`);
    const refusals = [
      ["", 'must be a number of USD, 0 or more, got ""'],
      ["-1", "must be a number of USD, 0 or more"],
      ["0.0000000001", "is less than a billionth of a dollar, the ledger's unit"],
      ["1e300", "is more than the ledger counts exactly (at most $9007199)"],
    ];
    for (const [limit, said] of refusals) {
      const result = cli(["keys", "create", "--config", "limits.yaml", "--name", "bad", "--credit-limit", limit!]);
      expect(result.code).toBe(64);
      expect(result.err).toContain(`--credit-limit ${said}`);
    }
    expect(JSON.parse(cli(["keys", "list", "--config", "limits.yaml", "--json"]).out)).toEqual([]);
  });

  test("an unknown command prints the usage and exits 64", () => {
    const result = cli(["frobnicate"]);
    expect(result.code).toBe(64);
    expect(result.err).toContain("usage:");
  });
});
