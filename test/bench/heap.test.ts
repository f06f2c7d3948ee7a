// Counting the objects a request leaves on the heap (bench/heap.ts): the count, and the check that
// no collection swept some of them before it was read.

import { expect, test } from "bun:test";
import { collectionCanary, objectsPerRequest } from "../../bench/heap.ts";

/** Short-lived objects, as a request makes: enough of them start the engine's own collections. */
async function garbage(objects: number): Promise<void> {
  let junk: object[] = [];
  for (let i = 0; i < objects; i++) {
    junk.push({ i });
    if (junk.length === 1000) {
      junk = [];
      await null; // a microtask, never a return to the event loop
    }
  }
}

test("the engine's own collections clear the canary", async () => {
  const canary = await collectionCanary();
  // Read only after: reading a WeakRef keeps its target alive to the end of the task.
  await garbage(3_000_000);
  expect(canary.deref()).toBeUndefined();
});

test("the objects each request leaves are counted by type", async () => {
  // A collection the rest of the suite's garbage starts during the count fails it, as it must
  // (the next test): counted again then, a few times at most.
  for (let attempt = 1; ; attempt++) {
    const kept: object[] = [];
    const counted = await objectsPerRequest(async () => {
      kept.push({ a: 1 }, { b: 2 }, { c: 3 });
    }, 20).catch((error: Error) => error);
    if (counted instanceof Error && counted.message.includes("a collection ran") && attempt < 5) continue;
    if (counted instanceof Error) throw counted;
    expect(counted.Object).toBeGreaterThanOrEqual(3);
    expect(kept.length).toBe(60);
    return;
  }
});

test("a collection during the requests fails the count instead of under-counting", async () => {
  await expect(objectsPerRequest(() => garbage(2_000_000), 5)).rejects.toThrow("a collection ran during the 5 counted requests");
});
