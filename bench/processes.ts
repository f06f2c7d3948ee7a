// Child processes of a bench run: start a server, wait for the line that names its port, keep its
// output drained (a full pipe would stall it), read its memory, stop it with SIGTERM.

import { readdirSync, readFileSync } from "node:fs";
import type { Subprocess } from "bun";

export interface ServerProcess {
  name: string;
  pid: number;
  port: number;
  url: string;
  /** The last lines the process wrote, for error reports. */
  tail(): string;
  /** Resident set size in MB, from /proc/<pid>/status (VmRSS). */
  rssMb(): number;
  /** CPU time used so far (user + system), in ms, from /proc/<pid>/stat. */
  cpuMs(): number;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
}

const PORT_PATTERNS = [/^listening (\d+)$/, /"url":"http:\/\/[^"]*:(\d+)"/];

export function rssMbOf(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** Clock ticks per second of /proc/<pid>/stat: 100 on every Linux this runs on. */
const USER_HZ = 100;

/** utime + stime of a /proc/<pid>/stat line, in ms. */
export function cpuMsOfStat(stat: string): number {
  // The fields after the command name (which may hold spaces and parentheses) start at "state";
  // utime and stime are the 12th and 13th of them.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
}

/**
 * CPU time so far of each of a process's threads, in ms, summed by thread name ("main" for the
 * JavaScript thread): Bun's fetch sends and receives on its own "HTTP Client" thread, and the
 * collector marks on helper threads, so the main thread alone understates what a request costs.
 */
export function threadCpuMs(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let name: string;
    let ms: number;
    try {
      name = tid === String(pid) ? "main" : readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      ms = cpuMsOfStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8"));
    } catch {
      continue; // the thread ended between the listing and the read
    }
    byName.set(name, (byName.get(name) ?? 0) + ms);
  }
  return byName;
}

const cpuMsOf = (pid: number) => cpuMsOfStat(readFileSync(`/proc/${pid}/stat`, "utf8"));

/** Reads a stream line by line, calling `onLine` for each; resolves when the stream ends. */
async function drainLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const part of stream) {
    pending += decoder.decode(part, { stream: true });
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      onLine(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
  }
  if (pending) onLine(pending);
}

/** Starts `cmd` and resolves once it prints its port; rejects if it exits first. */
export async function startServer(name: string, cmd: string[], cwd: string, env?: Record<string, string>): Promise<ServerProcess> {
  const options = { cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe", ...(env ? { env: { ...process.env, ...env } } : {}) } as const;
  const proc: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn(cmd, options);
  const lines: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const onLine = (line: string) => {
      lines.push(line);
      if (lines.length > 40) lines.shift();
      for (const pattern of PORT_PATTERNS) {
        const match = pattern.exec(line);
        if (match) resolve(Number(match[1]));
      }
    };
    void drainLines(proc.stdout, onLine);
    void drainLines(proc.stderr, onLine);
    void proc.exited.then((code) => reject(new Error(`${name} exited with ${code} before listening:\n${lines.join("\n")}`)));
  });
  return {
    name,
    pid: proc.pid,
    port,
    url: `http://127.0.0.1:${port}`,
    tail: () => lines.join("\n"),
    rssMb: () => rssMbOf(proc.pid),
    cpuMs: () => cpuMsOf(proc.pid),
    async stop() {
      proc.kill("SIGTERM");
      return await proc.exited;
    },
  };
}

/** Runs a command to completion and returns its standard output; throws with its stderr on failure. */
export async function runCommand(cmd: string[], cwd: string): Promise<string> {
  const proc = Bun.spawn(cmd, { cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited with ${code}:\n${err}`);
  return out;
}
