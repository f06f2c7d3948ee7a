// The memory allocator's setting for a long-running gateway. Bun's allocator (mimalloc) hands the
// memory that requests freed back to the system within milliseconds, and the next requests take it
// again, a page fault for each page. Kept a second before it is handed back, freed memory is reused
// instead (the gateway took 0.93–0.94 of the CPU on the bench's agent turns and 0.96 on its chat
// turns, bench/README.md), and an idle gateway still shrinks a second after its load ends. The
// allocator reads its settings from the environment once, as the process starts: `serve`
// re-executes itself with the setting (the same process, arguments and environment) unless the
// environment names one already.

/** The allocator's variable: how long freed memory is kept before it is handed back, in ms. */
export const PURGE_DELAY_VARIABLE = "MIMALLOC_PURGE_DELAY";
export const SERVER_PURGE_DELAY_MS = 1000;

type Execve = (file: string, args: string[], env: Record<string, string | undefined>) => never;

interface ProcessView {
  env: Record<string, string | undefined>;
  argv: string[];
  execArgv: string[];
  execPath: string;
  execve?: Execve;
}

/**
 * Replaces this process with itself under the server's allocator setting; returns only when it
 * does not: the setting is there already (any value, so an operator's own wins), the platform has
 * no exec, or the exec failed (said on `warn`); the gateway then runs with the allocator's default.
 */
export function useServerAllocator(
  warn: (text: string) => void = (text) => void process.stderr.write(text),
  current: ProcessView = process as ProcessView,
): void {
  if (current.env[PURGE_DELAY_VARIABLE] !== undefined) return;
  if (typeof current.execve !== "function") return; // no exec on this platform (Windows): the default stands
  try {
    current.execve(current.execPath, commandLine(current), { ...current.env, [PURGE_DELAY_VARIABLE]: String(SERVER_PURGE_DELAY_MS) });
  } catch (error) {
    warn(`switchyard: could not restart with ${PURGE_DELAY_VARIABLE}=${SERVER_PURGE_DELAY_MS} (${(error as Error).message}); running with the allocator's default\n`);
  }
}

/**
 * The command line the process was started with. A compiled binary's `argv[1]` is its embedded
 * entry point, which the binary adds again by itself; from source, the runtime's own flags
 * (`--cpu-prof`, `--smol`) are in `execArgv`, not in `argv`.
 */
export function commandLine(current: Pick<ProcessView, "argv" | "execArgv">): string[] {
  const [runtime = "bun", entry, ...rest] = current.argv;
  if (entry?.startsWith("/$bunfs/")) return [runtime, ...rest];
  return [runtime, ...current.execArgv, ...(entry === undefined ? [] : [entry]), ...rest];
}
