// Per-key request rate limits: a token bucket per key, refilled continuously, in memory. Each
// gateway instance enforces the limit on its own traffic.

import { errors, type SwitchyardError } from "../errors.ts";
import type { Principal } from "../kit/plugin.ts";

interface RateDecision {
  ok: boolean;
  /** When refused: how long until one request would be let through. */
  retryAfterMs: number;
}

interface Bucket {
  tokens: number;
  updated: number;
  perMinute: number;
}

/** Buckets idle this long are full again and can be forgotten. */
const FORGET_AFTER_MS = 60_000;
const SWEEP_EVERY = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private takes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one request from the key's bucket of `perMinute` requests (burst up to `perMinute`). */
  take(keyId: string, perMinute: number): RateDecision {
    const now = this.now();
    if (++this.takes % SWEEP_EVERY === 0) this.sweep(now);
    let bucket = this.buckets.get(keyId);
    if (!bucket || bucket.perMinute !== perMinute) {
      bucket = { tokens: perMinute, updated: now, perMinute };
      this.buckets.set(keyId, bucket);
    }
    const perMs = perMinute / 60_000;
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.updated) * perMs);
    bucket.updated = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true, retryAfterMs: 0 };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
  }

  private sweep(now: number): void {
    for (const [keyId, bucket] of this.buckets) if (now - bucket.updated > FORGET_AFTER_MS) this.buckets.delete(keyId);
  }
}

/**
 * The caller's rate limit: a 429 when its bucket is empty, else null. Taken as soon as the caller is
 * known, before its body is read: a limited key's requests cost no more than its key's check.
 */
export function rateCheck(limiter: RateLimiter, principal: Principal): SwitchyardError | null {
  if (!principal.rateLimit) return null;
  // Static keys have no id: their name is unique within the auth plugin's list.
  const decision = limiter.take(principal.keyId ?? `name:${principal.name}`, principal.rateLimit);
  if (decision.ok) return null;
  return errors.rateLimited(`key "${principal.name}" is limited to ${principal.rateLimit} requests per minute`, {
    retryAfterMs: decision.retryAfterMs,
    retryable: false,
  });
}
