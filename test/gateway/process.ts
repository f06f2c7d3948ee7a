// A gateway in its own process (the CLI from source, or the built binary): started, its log read
// as it is written, its URL taken from the "listening" line.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { SERVER_ENVIRONMENT } from "../../core/cli/server-environment.ts";

export const ROOT = join(import.meta.dir, "../..");

export interface GatewayProcess {
  child: Subprocess<"ignore", "ignore", "pipe">;
  url: string;
  /** Resolves once the log matches `pattern` (already written lines count). */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
}

/**
 * Starts `command serve --port 0 ...` (for example `[bun, "main.ts"]` or `[binary]`) and waits until
 * it listens; with `env` as its whole environment, else with this process's.
 */
export async function spawnGateway(command: string[], args: string[], cwd = ROOT, env?: Record<string, string>): Promise<GatewayProcess> {
  const child = Bun.spawn([...command, "serve", "--port", "0", ...args], { cwd, env, stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  const reader = child.stderr.getReader();
  const decoder = new TextDecoder();
  let log = "";
  const waitFor = async (pattern: RegExp) => {
    let match = pattern.exec(log);
    while (!match) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the gateway exited:\n${log}`);
      log += decoder.decode(value);
      match = pattern.exec(log);
    }
    return match;
  };
  const url = (await waitFor(/"url":"(http:\/\/[^"]+)"/))[1]!;
  return { child, url, waitFor };
}

/** A process's environment as the system sees it (Linux: /proc/PID/environ). */
export function environmentOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
  return Object.fromEntries(entries.map((entry) => {
    const equals = entry.indexOf("=");
    return [entry.slice(0, equals), entry.slice(equals + 1)];
  }));
}

/** This process's environment without the server's runtime settings, for a gateway that must choose its own. */
export function withoutServerSettings(): Record<string, string> {
  const env = { ...process.env } as Record<string, string>;
  for (const name of Object.keys(SERVER_ENVIRONMENT)) delete env[name];
  return env;
}
