import { describe, expect, test } from "bun:test";
import { IDLE_REGROWTH_BYTES, MAX_BUSY_SHARE, TrimPolicy, trimTick } from "../../core/server/memory.ts";

const MB = 1024 * 1024;

describe("memory trim policy", () => {
  test("below the soft line nothing is collected, idle or busy", () => {
    const policy = new TrimPolicy(96 * MB);
    expect(policy.shouldCollect(0, 90 * MB, 0)).toBe(false);
    expect(policy.shouldCollect(0, 90 * MB, 64)).toBe(false);
  });

  test("above it, an idle gateway collects, and again only once it has grown since", () => {
    const policy = new TrimPolicy(96 * MB);
    expect(policy.shouldCollect(0, 150 * MB, 0)).toBe(true);
    // The collection left 110 MB: more collections would free nothing until the set grows again.
    policy.collected(0, 30, 110 * MB);
    expect(policy.shouldCollect(1000, 110 * MB, 0)).toBe(false);
    expect(policy.shouldCollect(1000, 110 * MB + IDLE_REGROWTH_BYTES, 0)).toBe(false);
    expect(policy.shouldCollect(1000, 110 * MB + IDLE_REGROWTH_BYTES + 1, 0)).toBe(true);
  });

  test("under load, only above twice the soft line", () => {
    const policy = new TrimPolicy(96 * MB);
    expect(policy.shouldCollect(0, 150 * MB, 64)).toBe(false);
    expect(policy.shouldCollect(0, 192 * MB, 64)).toBe(false);
    expect(policy.shouldCollect(0, 193 * MB, 64)).toBe(true);
  });

  test("under load, collections are spaced so they take at most their share of the time", () => {
    const policy = new TrimPolicy(96 * MB);
    policy.collected(0, 25, 200 * MB); // a 25 ms collection that freed nothing
    const spacing = 25 / MAX_BUSY_SHARE;
    expect(policy.shouldCollect(25 + spacing - 1, 200 * MB, 64)).toBe(false);
    expect(policy.shouldCollect(25 + spacing, 200 * MB, 64)).toBe(true);
  });

  test("a resident set that cannot be read skips the check, where the throw in the timer ended the process", () => {
    // Bun reads it from /proc: a process out of file descriptors (a flood of idle connections) cannot.
    const policy = new TrimPolicy(96 * MB);
    let collections = 0;
    const unreadable = () => {
      throw new Error("Failed to get memory usage");
    };
    expect(() => trimTick(policy, () => 0, unreadable, () => collections++)).not.toThrow();
    trimTick(policy, () => 0, () => 150 * MB, () => collections++);
    expect(collections).toBe(1);
  });
});
