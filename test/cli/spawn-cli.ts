// The CLI from source in a process of its own, as a user runs it: its exit code and what it printed.

import { join } from "node:path";
import { ROOT } from "../gateway/process.ts";

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `bun main.ts ...args` in `cwd`; a command that would keep running (a `serve` that starts) is killed after 15 s. */
export function spawnCli(cwd: string, args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): CliResult {
  const result = Bun.spawnSync([process.execPath, join(ROOT, "main.ts"), ...args], {
    cwd,
    stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
    stdout: "pipe",
    stderr: "pipe",
    env: { PATH: process.env.PATH ?? "", ...options.env },
    timeout: 15_000,
  });
  return { code: result.exitCode, out: result.stdout.toString(), err: result.stderr.toString() };
}
