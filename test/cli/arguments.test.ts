// What the command line takes: an unknown flag or argument is a usage error naming it, help and
// the version need no config, and a flag's value is checked before anything is done with it.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import packageJson from "../../package.json" with { type: "json" };
import { spawnCli } from "./spawn-cli.ts";

let dir: string;
const cli = (...args: string[]) => spawnCli(dir, args);
const keyNames = () => (JSON.parse(cli("keys", "list", "--json").out) as { name: string }[]).map((k) => k.name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchyard-args-"));
  // The default config, found where the commands run: a command that ignored its arguments would use it.
  await writeFile(
    join(dir, "router.config.yaml"),
    `storage: sqlite:./keys.db
auth: { use: api-keys }
providers: { demo: { use: echo } }
models: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("flags and arguments a command does not take", () => {
  test("a misspelt money flag is refused with the flag it is near, exits 64 and makes no key", () => {
    const typo = cli("keys", "create", "--name", "typo", "--credit-limt", "5", "--json");
    expect(typo.code).toBe(64);
    expect(typo.err).toContain("unknown flag --credit-limt (did you mean --credit-limit?)");
    expect(typo.out).toBe("");
    const tag = cli("keys", "create", "--name", "vip", "--tag", "vip");
    expect(tag.code).toBe(64);
    expect(tag.err).toContain("unknown flag --tag (did you mean --tags?)");
    expect(keyNames()).toEqual([]);
  });

  test("an unknown flag, or one another command takes, is refused naming it", () => {
    const cases: [args: string[], said: string][] = [
      [["check", "--bogus"], "unknown flag --bogus"],
      [["check", "--json"], "check does not take --json"],
      [["check", "-v"], "unknown flag -v"],
      [["usage", "--name", "x"], "usage does not take --name"],
      [["keys", "list", "--jsn"], "unknown flag --jsn (did you mean --json?)"],
      [["keys", "list", "--json=yes"], "--json takes no value"],
    ];
    for (const [args, said] of cases) {
      const result = cli(...args);
      expect(result.code).toBe(64);
      expect(result.err).toContain(said);
      expect(result.out).toBe("");
    }
  });

  test("an argument past those a command takes is refused naming it, and no key is made", () => {
    const extra = cli("keys", "create", "--name", "a", "b", "c");
    expect(extra.code).toBe(64);
    expect(extra.err).toContain('keys create takes no arguments, not "b"');
    expect(keyNames()).toEqual([]);
    expect(cli("explain", "one.json", "two.json").err).toContain('explain takes only REQUEST.json, not "two.json"');
  });

  test("check given a file checks nothing and says to use --config", () => {
    const result = cli("check", "c/ok.yaml");
    expect(result.code).toBe(64);
    expect(result.err).toContain('check takes no arguments, not "c/ok.yaml" (to use it as the config, use --config c/ok.yaml)');
    expect(result.out).not.toContain("router.config.yaml: ok");
  });

  test("every documented flag still works, as --flag value and --flag=value", () => {
    const created = cli("keys", "create", "--config", "router.config.yaml", "--name=ci", "--credit-limit", "5", "--rate-limit=60", "--tags", "a,b", "--json");
    expect(created.code).toBe(0);
    const key = JSON.parse(created.out) as { id: string; credit_limit: number; rate_limit: number; tags: string[] };
    expect(key).toMatchObject({ credit_limit: 5, rate_limit: 60, tags: ["a", "b"] });
    expect(cli("keys", "disable", key.id, "--json").code).toBe(0);
    expect(cli("usage", "--since", "7d", "--by", "key", "--json").code).toBe(0);
    expect(cli("check", "--config=router.config.yaml").out).toContain("router.config.yaml: ok");
    const explained = spawnCli(dir, ["explain", "-", "--config", "router.config.yaml"], { stdin: JSON.stringify({ model: "echo", messages: [{ role: "user", content: "hi" }] }) });
    expect(explained.code).toBe(0);
    expect(explained.out).toContain("route: direct");
  });
});

describe("help, the version and --config", () => {
  test("--help or -h on any command prints the usage and exits 0 without reading the config", () => {
    for (const args of [["--help"], ["-h"], ["help"], ["check", "--help"], ["keys", "--help"], ["keys", "create", "-h"], ["serve", "-h"], ["check", "--config", "no-such.yaml", "--help"]]) {
      const result = cli(...args);
      expect(result.code).toBe(0);
      expect(result.out).toContain("usage:");
      expect(result.err).toBe("");
    }
  });

  test("--version prints the package's version and exits 0", () => {
    const result = cli("--version");
    expect(result.code).toBe(0);
    expect(result.out).toBe(`switchyard ${packageJson.version}\n`);
  });

  test("--config with no value is an error, not the default file", () => {
    for (const args of [["check", "--config"], ["check", "--config="], ["keys", "list", "--config", "--json"]]) {
      const result = cli(...args);
      expect(result.code).toBe(64);
      expect(result.err).toContain("--config needs a value");
      expect(result.out).toBe("");
    }
  });
});

describe("serve --port", () => {
  test("a port that is no whole number from 0 to 65535 is named as such, not in Bun's words", () => {
    for (const port of ["abc", "99999", "-1", "1.5", ""]) {
      const result = cli("serve", "--port", port);
      expect(result.code).toBe(64);
      expect(result.err).toContain(`--port must be a whole number from 0 to 65535, got "${port}"`);
      expect(result.err).not.toContain("options.port");
    }
  });
});
