// The runtime's settings for a long-running gateway, which the runtime reads from the environment
// once, as the process starts: `serve` re-executes itself with those missing (the same process,
// arguments and environment), an operator's own value of each standing.
//
// - The allocator (mimalloc) hands the memory that requests freed back to the system within
//   milliseconds, and the next requests take it again, a page fault for each page. Kept a second
//   before it is handed back, freed memory is reused instead (the gateway took 0.93–0.94 of the CPU
//   on the bench's agent turns and 0.96 on its chat turns, bench/README.md), and an idle gateway
//   still shrinks a second after its load ends.
// - Bun's `fetch` sends at most 256 requests at once and queues the rest: 256 long streams (agents'
//   turns last minutes) held every other request to any vendor, with no deadline but their own.

/** The allocator's variable: how long freed memory is kept before it is handed back, in ms. */
export const PURGE_DELAY_VARIABLE = "MIMALLOC_PURGE_DELAY";
export const SERVER_PURGE_DELAY_MS = 1000;
/** Bun's variable: how many requests `fetch` sends at once. */
export const FETCH_LIMIT_VARIABLE = "BUN_CONFIG_MAX_HTTP_REQUESTS";
export const SERVER_FETCH_LIMIT = 16384;

/** What a serving process runs with, unless its environment says otherwise. */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = {
  [PURGE_DELAY_VARIABLE]: String(SERVER_PURGE_DELAY_MS),
  [FETCH_LIMIT_VARIABLE]: String(SERVER_FETCH_LIMIT),
};

type Execve = (file: string, args: string[], env: Record<string, string | undefined>) => never;

interface ProcessView {
  env: Record<string, string | undefined>;
  argv: string[];
  execArgv: string[];
  execPath: string;
  execve?: Execve;
}

/**
 * Replaces this process with itself under the server's settings; returns only when it does not:
 * every setting is there already (any value, so an operator's own wins), the platform has no exec,
 * or the exec failed (said on `warn`); the gateway then runs with the runtime's defaults.
 */
export function useServerEnvironment(
  warn: (text: string) => void = (text) => void process.stderr.write(text),
  current: ProcessView = process as ProcessView,
): void {
  const missing = Object.entries(SERVER_ENVIRONMENT).filter(([name]) => current.env[name] === undefined);
  if (missing.length === 0) return;
  if (typeof current.execve !== "function") return; // no exec on this platform (Windows): the defaults stand
  try {
    current.execve(current.execPath, commandLine(current), { ...current.env, ...Object.fromEntries(missing) });
  } catch (error) {
    const settings = missing.map(([name, value]) => `${name}=${value}`).join(" ");
    warn(`switchyard: could not restart with ${settings} (${(error as Error).message}); running with the runtime's defaults\n`);
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
