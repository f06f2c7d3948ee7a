// The circuit breaker of the stats registry: every transition, driven by an injected clock.

import { describe, expect, test } from "bun:test";
import { StatsRegistry } from "../../core/stats/index.ts";

function setup(options: { failureThreshold?: number; cooldownMs?: number } = {}) {
  const clock = { now: 1_000_000 };
  const stats = new StatsRegistry({ failureThreshold: 3, cooldownMs: 10_000, ...options, now: () => clock.now });
  const call = (ok: boolean) => {
    stats.begin("openai/gpt-5-mini");
    stats.end("openai/gpt-5-mini", { ok, latencyMs: 100 });
  };
  return { clock, stats, call };
}

describe("circuit breaker", () => {
  test("an unknown endpoint is closed and available", () => {
    const { stats } = setup();
    expect(stats.available("openai/gpt-5-mini")).toBe(true);
    expect(stats.snapshot("openai/gpt-5-mini").circuit).toBe("closed");
  });

  test("the circuit stays closed below the failure threshold", () => {
    const { stats, call } = setup();
    call(false);
    call(false);
    expect(stats.snapshot("openai/gpt-5-mini").circuit).toBe("closed");
    expect(stats.available("openai/gpt-5-mini")).toBe(true);
  });

  test("a success resets the count of consecutive failures", () => {
    const { stats, call } = setup();
    call(false);
    call(false);
    call(true);
    call(false);
    call(false);
    expect(stats.snapshot("openai/gpt-5-mini").circuit).toBe("closed");
  });

  test("the circuit opens after the threshold of consecutive failures and refuses calls", () => {
    const { stats, call } = setup();
    call(false);
    call(false);
    call(false);
    expect(stats.snapshot("openai/gpt-5-mini").circuit).toBe("open");
    expect(stats.available("openai/gpt-5-mini")).toBe(false);
    expect(stats.begin("openai/gpt-5-mini")).toBe(false);
  });

  test("an open circuit turns half-open once the cooldown has passed", () => {
    const { clock, stats, call } = setup();
    for (let i = 0; i < 3; i++) call(false);
    clock.now += 9_999;
    expect(stats.available("openai/gpt-5-mini")).toBe(false);
    clock.now += 1;
    expect(stats.available("openai/gpt-5-mini")).toBe(true);
    expect(stats.snapshot("openai/gpt-5-mini").circuit).toBe("half-open");
  });

  test("a half-open circuit lets exactly one probe through at a time", () => {
    const { clock, stats, call } = setup();
    for (let i = 0; i < 3; i++) call(false);
    clock.now += 10_000;
    expect(stats.begin("openai/gpt-5-mini")).toBe(true);
    expect(stats.available("openai/gpt-5-mini")).toBe(false);
    expect(stats.begin("openai/gpt-5-mini")).toBe(false);
    expect(stats.snapshot("openai/gpt-5-mini").inflight).toBe(1);
  });

  test("a successful probe closes the circuit", () => {
    const { clock, stats, call } = setup();
    for (let i = 0; i < 3; i++) call(false);
    clock.now += 10_000;
    call(true);
    expect(stats.snapshot("openai/gpt-5-mini").circuit).toBe("closed");
    expect(stats.available("openai/gpt-5-mini")).toBe(true);
  });

  test("a failed probe opens the circuit again for a new cooldown", () => {
    const { clock, stats, call } = setup();
    for (let i = 0; i < 3; i++) call(false);
    clock.now += 10_000;
    call(false);
    expect(stats.snapshot("openai/gpt-5-mini").circuit).toBe("open");
    clock.now += 9_999;
    expect(stats.available("openai/gpt-5-mini")).toBe(false);
    clock.now += 1;
    expect(stats.available("openai/gpt-5-mini")).toBe(true);
  });

  test("late failures of calls begun before the circuit opened do not extend the cooldown", () => {
    const { clock, stats, call } = setup();
    stats.begin("openai/gpt-5-mini");
    for (let i = 0; i < 3; i++) call(false);
    clock.now += 5_000;
    stats.end("openai/gpt-5-mini", { ok: false, latencyMs: 100 });
    clock.now += 5_000;
    expect(stats.snapshot("openai/gpt-5-mini").circuit).toBe("half-open");
  });
});

describe("retry-after penalty", () => {
  test("a penalized endpoint is unavailable until the given time", () => {
    const { clock, stats } = setup();
    stats.penalize("anthropic/claude-sonnet-4-5", clock.now + 2_000);
    expect(stats.available("anthropic/claude-sonnet-4-5")).toBe(false);
    expect(stats.snapshot("anthropic/claude-sonnet-4-5").retryAfterUntil).toBe(clock.now + 2_000);
    clock.now += 2_000;
    expect(stats.available("anthropic/claude-sonnet-4-5")).toBe(true);
    expect(stats.snapshot("anthropic/claude-sonnet-4-5").retryAfterUntil).toBeUndefined();
  });

  test("a shorter penalty does not cut a longer one short", () => {
    const { clock, stats } = setup();
    stats.penalize("anthropic/claude-sonnet-4-5", clock.now + 5_000);
    stats.penalize("anthropic/claude-sonnet-4-5", clock.now + 1_000);
    clock.now += 1_000;
    expect(stats.available("anthropic/claude-sonnet-4-5")).toBe(false);
  });
});

describe("cancelled calls", () => {
  test("a cancelled half-open probe lets the next request probe instead", () => {
    let now = 0;
    const stats = new StatsRegistry({ failureThreshold: 1, cooldownMs: 1000, now: () => now });
    stats.begin("a/m");
    stats.end("a/m", { ok: false, latencyMs: 5 });
    now = 1001;
    expect(stats.begin("a/m")).toBe(true);
    expect(stats.available("a/m")).toBe(false);
    stats.cancel("a/m");
    expect(stats.snapshot("a/m").inflight).toBe(0);
    expect(stats.available("a/m")).toBe(true);
    expect(stats.snapshot("a/m").samples).toBe(1);
  });
});
