// Keeps the resident set near what the gateway really holds. The JS engine collects lazily, and a
// busy gateway's garbage (request bodies, parsed JSON, their strings) piles up between its
// collections; the allocator keeps the pages until a full collection frees them. A full collection
// runs when an idle gateway sits above a soft line, and under load only above twice that line:
// under load the engine's own collections hold the heap steady, and a forced one (20–30 ms on a
// busy heap) is CPU taken from requests (about a tenth of it at the soft line).

const CHECK_EVERY_MS = 250;
/** Under load, collections may take at most this share of the time. */
export const MAX_BUSY_SHARE = 0.05;
/** An idle gateway collects again only once its resident set has grown this much since the last collection. */
export const IDLE_REGROWTH_BYTES = 8 * 1024 * 1024;

/** When to collect; the clock, the readings and the collection itself come from outside. */
export class TrimPolicy {
  private lastEnd = Number.NEGATIVE_INFINITY;
  private lastCost = 0;
  /** Resident bytes the last collection left: collecting again before it grows frees nothing. */
  private lastLeft = 0;

  constructor(private readonly softBytes: number) {}

  shouldCollect(now: number, rssBytes: number, inflight: number): boolean {
    if (inflight === 0) return rssBytes > this.softBytes && rssBytes > this.lastLeft + IDLE_REGROWTH_BYTES;
    return rssBytes > 2 * this.softBytes && now - this.lastEnd >= this.lastCost / MAX_BUSY_SHARE;
  }

  collected(start: number, end: number, rssBytes: number): void {
    this.lastEnd = end;
    this.lastCost = end - start;
    this.lastLeft = rssBytes;
  }
}

/**
 * One check: collect if the policy says so. A reading that fails skips the check: the resident set
 * is read from /proc, which a process out of file descriptors (a flood of idle connections) cannot
 * open, and a throw here, in a timer, would end the process.
 */
export function trimTick(policy: TrimPolicy, inflight: () => number, rss: () => number, collect: () => void): void {
  try {
    const start = performance.now();
    if (!policy.shouldCollect(start, rss(), inflight())) return;
    collect();
    policy.collected(start, performance.now(), rss());
  } catch {
    // Skipped; the next tick reads again.
  }
}

export function trimMemory(softLimitMb: number, inflight: () => number): () => void {
  const policy = new TrimPolicy(softLimitMb * 1024 * 1024);
  const timer = setInterval(trimTick, CHECK_EVERY_MS, policy, inflight, () => process.memoryUsage.rss(), () => Bun.gc(true));
  timer.unref?.();
  return () => clearInterval(timer);
}
