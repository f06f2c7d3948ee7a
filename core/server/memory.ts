// Keeps the resident set near what the gateway really holds: the JS engine collects lazily and a
// busy gateway's garbage (request bodies, parsed JSON) piles up between collections. Above a soft
// line, a full collection runs every second (about 10 ms for a busy gateway's heap, so a
// pause of about 1% of the time); below it nothing runs.

const CHECK_EVERY_MS = 1_000;

export function trimMemory(softLimitMb: number): () => void {
  const limit = softLimitMb * 1024 * 1024;
  const timer = setInterval(() => {
    if (process.memoryUsage.rss() > limit) Bun.gc(true);
  }, CHECK_EVERY_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}
