// Keeps the resident set near what the gateway really holds. The JS engine collects lazily, and a
// busy gateway's garbage (request bodies, parsed JSON, their strings) piles up between its
// collections; the allocator keeps the pages until a full collection frees them. Above a soft line
// a full collection runs: at once when the gateway is idle, and under load no more often than
// keeps the collections to a small share of the time (a busy heap takes 20–30 ms to collect).

const CHECK_EVERY_MS = 250;
/** Under load, collections may take at most this share of the time. */
export const MAX_BUSY_SHARE = 0.05;

/** When to collect; the clock, the readings and the collection itself come from outside. */
export class TrimPolicy {
  private lastEnd = Number.NEGATIVE_INFINITY;
  private lastCost = 0;

  constructor(private readonly limitBytes: number) {}

  shouldCollect(now: number, rssBytes: number, inflight: number): boolean {
    if (rssBytes <= this.limitBytes) return false;
    return inflight === 0 || now - this.lastEnd >= this.lastCost / MAX_BUSY_SHARE;
  }

  collected(start: number, end: number): void {
    this.lastEnd = end;
    this.lastCost = end - start;
  }
}

export function trimMemory(softLimitMb: number, inflight: () => number): () => void {
  const policy = new TrimPolicy(softLimitMb * 1024 * 1024);
  const timer = setInterval(() => {
    const start = performance.now();
    if (!policy.shouldCollect(start, process.memoryUsage.rss(), inflight())) return;
    Bun.gc(true);
    policy.collected(start, performance.now());
  }, CHECK_EVERY_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}
