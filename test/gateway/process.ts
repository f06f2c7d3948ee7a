// A gateway in its own process (the CLI from source, or the built binary): started, its log read
// as it is written, its URL taken from the "listening" line.

import { join } from "node:path";
import type { Subprocess } from "bun";

export const ROOT = join(import.meta.dir, "../..");

export interface GatewayProcess {
  child: Subprocess<"ignore", "ignore", "pipe">;
  url: string;
  /** Resolves once the log matches `pattern` (already written lines count). */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
}

/** Starts `command serve --port 0 ...` (for example `[bun, "main.ts"]` or `[binary]`) and waits until it listens. */
export async function spawnGateway(command: string[], args: string[], cwd = ROOT): Promise<GatewayProcess> {
  const child = Bun.spawn([...command, "serve", "--port", "0", ...args], { cwd, stdin: "ignore", stdout: "ignore", stderr: "pipe" });
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
