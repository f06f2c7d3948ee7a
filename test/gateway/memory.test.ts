import { describe, expect, test } from "bun:test";
import { MAX_BUSY_SHARE, TrimPolicy } from "../../core/server/memory.ts";

const MB = 1024 * 1024;

describe("memory trim policy", () => {
  test("below the soft line nothing is collected, idle or busy", () => {
    const policy = new TrimPolicy(96 * MB);
    expect(policy.shouldCollect(0, 90 * MB, 0)).toBe(false);
    expect(policy.shouldCollect(0, 90 * MB, 64)).toBe(false);
  });

  test("above it, an idle gateway collects at every check", () => {
    const policy = new TrimPolicy(96 * MB);
    policy.collected(1000, 1030);
    expect(policy.shouldCollect(1031, 120 * MB, 0)).toBe(true);
  });

  test("under load, collections are spaced so they take at most their share of the time", () => {
    const policy = new TrimPolicy(96 * MB);
    expect(policy.shouldCollect(0, 180 * MB, 64)).toBe(true);
    policy.collected(0, 25); // a 25 ms collection
    const spacing = 25 / MAX_BUSY_SHARE;
    expect(policy.shouldCollect(25 + spacing - 1, 180 * MB, 64)).toBe(false);
    expect(policy.shouldCollect(25 + spacing, 180 * MB, 64)).toBe(true);
  });
});
