// `serve` restarts itself in place with the runtime's settings for servers (the allocator's purge
// delay, fetch's concurrency), but for those the operator set; the command line it restarts with is
// the one it was started with.

import { afterAll, describe, expect, test } from "bun:test";
import { rm } from "node:fs/promises";
import {
  commandLine, FETCH_LIMIT_VARIABLE, PURGE_DELAY_VARIABLE, SERVER_FETCH_LIMIT, SERVER_PURGE_DELAY_MS, useServerEnvironment,
} from "../../core/cli/server-environment.ts";
import { writeConfigDir } from "../gateway/harness.ts";
import { environmentOf, spawnGateway, withoutServerSettings } from "../gateway/process.ts";

interface Exec {
  file: string;
  args: string[];
  env: Record<string, string | undefined>;
}

type FakeExecve = (file: string, args: string[], env: Record<string, string | undefined>) => void;

/** A process started as `bun --smol /srv/main.ts serve --port 8080`, whose exec is `execve` (none: a platform without). */
function fakeProcess(env: Record<string, string | undefined>, execve: FakeExecve | null) {
  return {
    env,
    argv: ["/usr/bin/bun", "/srv/main.ts", "serve", "--port", "8080"],
    execArgv: ["--smol"],
    execPath: "/usr/bin/bun",
    ...(execve ? { execve: execve as never } : {}),
  };
}

describe("useServerEnvironment", () => {
  test("re-executes the same command with the settings added to the environment", () => {
    const calls: Exec[] = [];
    useServerEnvironment(() => {}, fakeProcess({ HOME: "/root" }, (file, args, env) => void calls.push({ file, args, env })));
    expect(calls).toEqual([
      {
        file: "/usr/bin/bun",
        args: ["/usr/bin/bun", "--smol", "/srv/main.ts", "serve", "--port", "8080"],
        env: { HOME: "/root", [PURGE_DELAY_VARIABLE]: String(SERVER_PURGE_DELAY_MS), [FETCH_LIMIT_VARIABLE]: String(SERVER_FETCH_LIMIT) },
      },
    ]);
  });

  test("leaves an operator's own settings alone, whatever their values, and adds only those missing", () => {
    const calls: Exec[] = [];
    const record: FakeExecve = (file, args, env) => void calls.push({ file, args, env });
    useServerEnvironment(() => {}, fakeProcess({ [PURGE_DELAY_VARIABLE]: "10", [FETCH_LIMIT_VARIABLE]: "512" }, record));
    expect(calls).toEqual([]);
    useServerEnvironment(() => {}, fakeProcess({ [PURGE_DELAY_VARIABLE]: "10" }, record));
    expect(calls.map((call) => call.env)).toEqual([{ [PURGE_DELAY_VARIABLE]: "10", [FETCH_LIMIT_VARIABLE]: String(SERVER_FETCH_LIMIT) }]);
  });

  test("says so and runs on when the restart fails", () => {
    const warnings: string[] = [];
    useServerEnvironment((text) => warnings.push(text), fakeProcess({}, () => {
      throw new Error("EACCES");
    }));
    expect(warnings).toEqual([
      `switchyard: could not restart with ${PURGE_DELAY_VARIABLE}=${SERVER_PURGE_DELAY_MS} ${FETCH_LIMIT_VARIABLE}=${SERVER_FETCH_LIMIT} (EACCES); running with the runtime's defaults\n`,
    ]);
  });

  test("does nothing where the platform cannot re-execute", () => {
    const warnings: string[] = [];
    useServerEnvironment((text) => warnings.push(text), fakeProcess({}, null));
    expect(warnings).toEqual([]);
  });
});

describe("commandLine", () => {
  test("from source, the runtime's own flags go before the entry point", () => {
    expect(commandLine({ argv: ["bun", "main.ts", "serve"], execArgv: ["--cpu-prof", "--cpu-prof-dir", "/tmp/p"] })).toEqual([
      "bun", "--cpu-prof", "--cpu-prof-dir", "/tmp/p", "main.ts", "serve",
    ]);
  });

  test("a compiled binary's embedded entry point is left out: the binary adds it again", () => {
    expect(commandLine({ argv: ["bun", "/$bunfs/root/switchyard", "serve", "--no-watch"], execArgv: [] })).toEqual(["bun", "serve", "--no-watch"]);
  });
});

const { dir, configPath } = await writeConfigDir(`
storage: "sqlite::memory:"
providers: { demo: { use: echo } }
models: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.if(process.platform === "linux")("a served gateway", () => {
  const config = ["--config", configPath, "--no-watch"];

  test("runs with the settings, in the process that was started", async () => {
    const { child } = await spawnGateway([process.execPath, "main.ts"], config, undefined, withoutServerSettings());
    try {
      expect(environmentOf(child.pid)[PURGE_DELAY_VARIABLE]).toBe(String(SERVER_PURGE_DELAY_MS));
      expect(environmentOf(child.pid)[FETCH_LIMIT_VARIABLE]).toBe(String(SERVER_FETCH_LIMIT));
    } finally {
      child.kill("SIGTERM");
      expect(await child.exited).toBe(0);
    }
  });

  test("keeps an operator's own setting", async () => {
    const { child } = await spawnGateway([process.execPath, "main.ts"], config, undefined, { ...withoutServerSettings(), [PURGE_DELAY_VARIABLE]: "10" });
    try {
      expect(environmentOf(child.pid)[PURGE_DELAY_VARIABLE]).toBe("10");
    } finally {
      child.kill("SIGTERM");
      expect(await child.exited).toBe(0);
    }
  });
});
