// The per-key token bucket, driven by an injected clock.

import { expect, test } from "bun:test";
import { RateLimiter } from "../../core/gateway/rate-limit.ts";

function setup() {
  const clock = { now: 1_000_000 };
  return { clock, limiter: new RateLimiter(() => clock.now) };
}

test("a key may burst up to its per-minute limit, then waits for the bucket to refill", () => {
  const { clock, limiter } = setup();
  for (let i = 0; i < 6; i++) expect(limiter.take("key_a", 6).ok).toBe(true);
  const refused = limiter.take("key_a", 6);
  expect(refused.ok).toBe(false);
  // Six a minute: one token every 10 s.
  expect(refused.retryAfterMs).toBe(10_000);
  clock.now += 9_999;
  expect(limiter.take("key_a", 6).ok).toBe(false);
  clock.now += 1;
  expect(limiter.take("key_a", 6).ok).toBe(true);
});

test("keys have buckets of their own", () => {
  const { limiter } = setup();
  expect(limiter.take("key_a", 1).ok).toBe(true);
  expect(limiter.take("key_a", 1).ok).toBe(false);
  expect(limiter.take("key_b", 1).ok).toBe(true);
});

test("a changed limit starts the key over with a full bucket of the new size", () => {
  const { limiter } = setup();
  expect(limiter.take("key_a", 1).ok).toBe(true);
  expect(limiter.take("key_a", 1).ok).toBe(false);
  expect(limiter.take("key_a", 2).ok).toBe(true);
  expect(limiter.take("key_a", 2).ok).toBe(true);
  expect(limiter.take("key_a", 2).ok).toBe(false);
});
