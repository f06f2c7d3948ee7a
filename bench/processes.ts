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
  /** CPU time used so far by its live threads (user + system), in ms, from each thread's schedstat in /proc. */
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

/**
 * CPU time a thread has used, in ms, from its /proc/<pid>/task/<tid>/schedstat line, whose first
 * field is nanoseconds on a CPU (user and system). /proc/<pid>/stat counts 10 ms ticks, too coarse
 * for a slice of a fast server: one of a few hundred requests could read as no CPU at all.
 */
export function cpuMsOfSchedstat(schedstat: string): number {
  return Number(schedstat.slice(0, schedstat.indexOf(" "))) / 1e6;
}

/** A file of /proc/<pid>/task/<tid>, or null when the thread has ended. */
function readTaskFile(pid: number, tid: string, file: "schedstat" | "comm"): string | null {
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/${file}`, "utf8");
  } catch {
    return null;
  }
}

/**
 * CPU time so far of each of a process's threads, in ms, summed by thread name ("main" for the
 * JavaScript thread): Bun's fetch sends and receives on its own "HTTP Client" thread, and the
 * collector marks on helper threads, so the main thread alone understates what a request costs.
 * Only live threads count: the servers measured here keep theirs for the life of the process.
 */
export function threadCpuMs(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const schedstat = readTaskFile(pid, tid, "schedstat");
    const name = tid === String(pid) ? "main" : readTaskFile(pid, tid, "comm")?.trim();
    if (schedstat === null || name === undefined) continue; // ended between the listing and the reads
    byName.set(name, (byName.get(name) ?? 0) + cpuMsOfSchedstat(schedstat));
  }
  return byName;
}

const cpuMsOf = (pid: number) => {
  let ms = 0;
  for (const spent of threadCpuMs(pid).values()) ms += spent;
  return ms;
};

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
