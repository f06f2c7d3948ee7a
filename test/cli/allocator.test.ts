// `serve` restarts itself in place with the allocator's setting for servers, unless the operator
// set one; the command line it restarts with is the one it was started with.

import { afterAll, describe, expect, test } from "bun:test";
import { rm } from "node:fs/promises";
import { commandLine, PURGE_DELAY_VARIABLE, SERVER_PURGE_DELAY_MS, useServerAllocator } from "../../core/cli/allocator.ts";
import { writeConfigDir } from "../gateway/harness.ts";
import { environmentOf, spawnGateway, withoutAllocatorSetting } from "../gateway/process.ts";

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

describe("useServerAllocator", () => {
  test("re-executes the same command with the setting added to the environment", () => {
    const calls: Exec[] = [];
    useServerAllocator(() => {}, fakeProcess({ HOME: "/root" }, (file, args, env) => void calls.push({ file, args, env })));
    expect(calls).toEqual([
      { file: "/usr/bin/bun", args: ["/usr/bin/bun", "--smol", "/srv/main.ts", "serve", "--port", "8080"], env: { HOME: "/root", [PURGE_DELAY_VARIABLE]: String(SERVER_PURGE_DELAY_MS) } },
    ]);
  });

  test("leaves an operator's own setting alone, whatever its value", () => {
    const calls: Exec[] = [];
    useServerAllocator(() => {}, fakeProcess({ [PURGE_DELAY_VARIABLE]: "10" }, (file, args, env) => void calls.push({ file, args, env })));
    expect(calls).toEqual([]);
  });

  test("says so and runs on when the restart fails", () => {
    const warnings: string[] = [];
    useServerAllocator((text) => warnings.push(text), fakeProcess({}, () => {
      throw new Error("EACCES");
    }));
    expect(warnings).toEqual([`switchyard: could not restart with ${PURGE_DELAY_VARIABLE}=${SERVER_PURGE_DELAY_MS} (EACCES); running with the allocator's default\n`]);
  });

  test("does nothing where the platform cannot re-execute", () => {
    const warnings: string[] = [];
    useServerAllocator((text) => warnings.push(text), fakeProcess({}, null));
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

  test("runs with the setting, in the process that was started", async () => {
    const { child } = await spawnGateway([process.execPath, "main.ts"], config, undefined, withoutAllocatorSetting());
    try {
      expect(environmentOf(child.pid)[PURGE_DELAY_VARIABLE]).toBe(String(SERVER_PURGE_DELAY_MS));
    } finally {
      child.kill("SIGTERM");
      expect(await child.exited).toBe(0);
    }
  });

  test("keeps an operator's own setting", async () => {
    const { child } = await spawnGateway([process.execPath, "main.ts"], config, undefined, { ...withoutAllocatorSetting(), [PURGE_DELAY_VARIABLE]: "10" });
    try {
      expect(environmentOf(child.pid)[PURGE_DELAY_VARIABLE]).toBe("10");
    } finally {
      child.kill("SIGTERM");
      expect(await child.exited).toBe(0);
    }
  });
});
