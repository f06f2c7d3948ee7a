// Sliding-window statistics: percentiles, error rate, in-flight count and expiry of old samples.

import { describe, expect, test } from "bun:test";
import { StatsRegistry } from "../../core/stats/index.ts";

const ID = "deepseek/deepseek-chat";

function setup() {
  const clock = { now: 5_000_000 };
  const stats = new StatsRegistry({ windowMs: 60_000, now: () => clock.now });
  const record = (latencyMs: number, ttftMs?: number, ok = true) => {
    stats.begin(ID);
    stats.end(ID, { ok, latencyMs, ttftMs });
  };
  return { clock, stats, record };
}

describe("sliding window", () => {
  test("an endpoint with no samples reports no percentiles and no error rate", () => {
    const { stats } = setup();
    const snapshot = stats.snapshot(ID);
    expect(snapshot.samples).toBe(0);
    expect(snapshot.latencyP50).toBeUndefined();
    expect(snapshot.errorRate).toBeUndefined();
  });

  test("a timeout is timed, as its answer took at least that long, where another failure is not", () => {
    const { stats } = setup();
    for (let i = 0; i < 3; i++) {
      stats.begin(ID);
      stats.end(ID, { ok: false, latencyMs: 5, timedOut: false });
    }
    expect(stats.snapshot(ID)).toMatchObject({ samples: 3, errorRate: 1, latencyP95: undefined });
    stats.begin(ID);
    stats.end(ID, { ok: false, latencyMs: 30_000, timedOut: true });
    const snapshot = stats.snapshot(ID);
    expect(Math.abs(snapshot.latencyP95! - 30_000) / 30_000).toBeLessThan(0.05);
    expect(Math.abs(snapshot.ttftP95! - 30_000) / 30_000).toBeLessThan(0.05);
  });

  test("latency percentiles are within 5% of the exact ones", () => {
    const { stats, record } = setup();
    for (let ms = 1; ms <= 1000; ms++) record(ms);
    const snapshot = stats.snapshot(ID);
    expect(snapshot.samples).toBe(1000);
    expect(Math.abs(snapshot.latencyP50! - 500) / 500).toBeLessThan(0.05);
    expect(Math.abs(snapshot.latencyP95! - 950) / 950).toBeLessThan(0.05);
  });

  test("time-to-first-token percentiles come only from calls that reported one", () => {
    const { stats, record } = setup();
    for (let i = 0; i < 19; i++) record(2_000, 200);
    record(2_000, 4_000);
    record(2_000);
    const snapshot = stats.snapshot(ID);
    expect(Math.abs(snapshot.ttftP50! - 200) / 200).toBeLessThan(0.05);
    expect(Math.abs(snapshot.ttftP95! - 200) / 200).toBeLessThan(0.05);
  });

  test("the error rate counts failures among all outcomes", () => {
    const { stats, record } = setup();
    for (let i = 0; i < 3; i++) record(100);
    record(100, undefined, false);
    expect(stats.snapshot(ID).errorRate).toBe(0.25);
  });

  test("failed calls do not pull the latency percentiles down", () => {
    const { stats, record } = setup();
    for (let i = 0; i < 10; i++) record(1_000);
    for (let i = 0; i < 10; i++) record(5, undefined, false);
    expect(stats.snapshot(ID).latencyP50!).toBeGreaterThan(950);
  });

  test("in-flight calls are counted between begin and end", () => {
    const { stats } = setup();
    stats.begin(ID);
    stats.begin(ID);
    expect(stats.snapshot(ID).inflight).toBe(2);
    stats.end(ID, { ok: true, latencyMs: 10 });
    expect(stats.snapshot(ID).inflight).toBe(1);
  });

  test("samples older than the window expire", () => {
    const { clock, stats, record } = setup();
    record(100);
    clock.now += 30_000;
    record(3_000);
    clock.now += 31_000;
    const snapshot = stats.snapshot(ID);
    expect(snapshot.samples).toBe(1);
    expect(snapshot.latencyP50!).toBeGreaterThan(2_800);
    clock.now += 60_000;
    expect(stats.snapshot(ID).samples).toBe(0);
    expect(stats.snapshot(ID).latencyP50).toBeUndefined();
  });

  test("a snapshot reflects an outcome recorded after the previous snapshot", () => {
    const { stats, record } = setup();
    record(100);
    expect(stats.snapshot(ID).samples).toBe(1);
    record(100);
    expect(stats.snapshot(ID).samples).toBe(2);
  });
});
