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
  /** Minor page faults so far, all its threads together, from /proc/<pid>/stat. */
  minorFaults(): number;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
  /** The collections logged so far, when the process runs with BUN_JSC_logGC=1 (see collectionOf). */
  collections(): Collections;
}

export interface Collections {
  eden: number;
  full: number;
  /** Their pauses, in ms, as the engine measured them. */
  pauseMs: number;
}

/**
 * A collection in the engine's GC log (BUN_JSC_logGC=1), whose line names its kind and ends with its
 * pause: `[GC<…>: START M 49177kb => EdenCollection, … p=2.526898ms (max …), cycle … END]`.
 */
export function collectionOf(line: string): { kind: "eden" | "full"; pauseMs: number } | null {
  const match = /=> (Eden|Full)Collection,.* p=([\d.]+)ms/.exec(line);
  return match ? { kind: match[1] === "Eden" ? "eden" : "full", pauseMs: Number(match[2]) } : null;
}

/** The GC log's other lines, kept out of a process's tail. */
const GC_LOG_LINE = /^(\[GC<|GC END!|Requesting GC )/;

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
function readTaskFile(pid: number, tid: string, file: "schedstat" | "comm" | "stat"): string | null {
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
  return byThreadName(pid, "schedstat", cpuMsOfSchedstat);
}

/** Minor page faults so far of each of a process's threads, summed by thread name. */
export function threadMinorFaults(pid: number): Map<string, number> {
  return byThreadName(pid, "stat", minorFaultsOfStat);
}

/**
 * The minor faults of a /proc stat line: its tenth field, counted after the command name in
 * parentheses, which may itself hold spaces and parentheses.
 */
export function minorFaultsOfStat(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[7]);
}

function byThreadName(pid: number, file: "schedstat" | "stat", read: (text: string) => number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const text = readTaskFile(pid, tid, file);
    const name = tid === String(pid) ? "main" : readTaskFile(pid, tid, "comm")?.trim();
    if (text === null || name === undefined) continue; // ended between the listing and the reads
    byName.set(name, (byName.get(name) ?? 0) + read(text));
  }
  return byName;
}

/** CPU time used so far by a process's live threads (user + system), in ms. */
export function processCpuMs(pid: number): number {
  let ms = 0;
  for (const spent of threadCpuMs(pid).values()) ms += spent;
  return ms;
}

/** Minor page faults so far, all a process's threads together. */
export const processMinorFaults = (pid: number) => minorFaultsOfStat(readFileSync(`/proc/${pid}/stat`, "utf8"));

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
  const collections: Collections = { eden: 0, full: 0, pauseMs: 0 };
  const port = await new Promise<number>((resolve, reject) => {
    const onLine = (line: string) => {
      if (GC_LOG_LINE.test(line)) {
        const collection = collectionOf(line);
        if (collection) {
          collections[collection.kind]++;
          collections.pauseMs += collection.pauseMs;
        }
        return;
      }
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
    cpuMs: () => processCpuMs(proc.pid),
    minorFaults: () => processMinorFaults(proc.pid),
    collections: () => ({ ...collections }),
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
