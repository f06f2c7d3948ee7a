// The objects a request leaves on the engine's heap, counted between two reads of its statistics
// (bench/in-process.ts --objects).

import { heapStats } from "bun:jsc";

/** Objects per request by type: `count` requests one at a time, between two reads of the heap. */
export async function objectsPerRequest(send: () => Promise<void>, count: number): Promise<Record<string, number>> {
  Bun.gc(true);
  const canary = await collectionCanary();
  const before = heapStats().objectTypeCounts;
  for (let i = 0; i < count; i++) await send();
  const after = heapStats().objectTypeCounts;
  if (!canary.deref()) throw new Error(`a collection ran during the ${count} counted requests: give a smaller --objects`);
  const perRequest: Record<string, number> = {};
  for (const [type, total] of Object.entries(after)) perRequest[type] = (total - (before[type] ?? 0)) / count;
  return perRequest;
}

/**
 * A weak reference that any collection clears: if it is gone, objects the requests made were swept
 * before the count. Its target is made in a callback of its own: one that the counting function
 * made itself outlived the engine's collections during a count (the lean floor's agent streams, 50
 * requests, read 14 objects a request where 20 read 208), so the check never fired.
 */
export function collectionCanary(): Promise<WeakRef<object>> {
  return new Promise((resolve) => setTimeout(() => resolve(new WeakRef({})), 0));
}
