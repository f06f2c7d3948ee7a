// Pool `require:` filtering against endpoint facts, and endpoints removed by live stats.

import { describe, expect, test } from "bun:test";
import { buildDispatchTable } from "../../core/dispatch/index.ts";
import { StatsRegistry } from "../../core/stats/index.ts";
import { expr, facts, GraphBuilder, ids, record, statBelow } from "./graph-builder.ts";

function graph(require = statBelow("latency.p95", 2000)) {
  return new GraphBuilder()
    .model("gpt-5-mini", { provider: "openai", model: "gpt-5-mini", price: { input: 0.25, output: 2 } })
    .model("deepseek-chat", { provider: "deepseek", model: "deepseek-chat", price: { input: 0.27, output: 1.1 } })
    .pool("cheap-fast", "first", ["gpt-5-mini", "deepseek-chat"], require)
    .route("auto", "pool:cheap-fast")
    .build();
}

describe("require filtering", () => {
  test("endpoints without samples pass a latency requirement", () => {
    expect(ids(buildDispatchTable(graph()).dispatch({ model: "auto", facts: facts({}) }, { stats: new StatsRegistry() }))).toEqual([
      "openai/gpt-5-mini",
      "deepseek/deepseek-chat",
    ]);
  });

  test("an endpoint failing require is passed over with the values it was judged on", () => {
    const stats = new StatsRegistry();
    record(stats, "openai/gpt-5-mini", 5_000);
    const result = buildDispatchTable(graph()).dispatch({ model: "auto", facts: facts({}) }, { stats, trace: true });
    expect(ids(result)).toEqual(["deepseek/deepseek-chat"]);
    const entry = result.trace!.find((e) => e.name === "openai/gpt-5-mini");
    expect(entry?.outcome).toBe("passed-over");
    expect(entry?.reason).toMatch(/^require of pool cheap-fast failed: latency\.p95 < 2000 \(latency\.p95=\d+(\.\d+)?\)$/);
  });

  test("require reads price in USD per million tokens", () => {
    const cheapInput = expr("price.input < 0.26", ["price.input"], (f) => (f.get("price.input") as number) < 0.26);
    expect(ids(buildDispatchTable(graph(cheapInput)).dispatch({ model: "auto", facts: facts({}) }, { stats: new StatsRegistry() }))).toEqual([
      "openai/gpt-5-mini",
    ]);
  });
});

describe("availability", () => {
  test("an endpoint whose circuit is open is removed, and the trace says so", () => {
    const stats = new StatsRegistry({ failureThreshold: 1 });
    stats.begin("openai/gpt-5-mini");
    stats.end("openai/gpt-5-mini", { ok: false, latencyMs: 10 });
    const result = buildDispatchTable(graph()).dispatch({ model: "auto", facts: facts({}) }, { stats, trace: true });
    expect(ids(result)).toEqual(["deepseek/deepseek-chat"]);
    expect(result.trace).toContainEqual({ kind: "endpoint", name: "openai/gpt-5-mini", outcome: "passed-over", reason: "circuit open" });
  });

  test("an endpoint under a retry-after penalty is removed", () => {
    const stats = new StatsRegistry({ now: () => 0 });
    stats.penalize("deepseek/deepseek-chat", 60_000);
    const result = buildDispatchTable(graph()).dispatch({ model: "auto", facts: facts({}) }, { stats, trace: true });
    expect(ids(result)).toEqual(["openai/gpt-5-mini"]);
    expect(result.trace).toContainEqual({
      kind: "endpoint",
      name: "deepseek/deepseek-chat",
      outcome: "passed-over",
      reason: "retry-after until 1970-01-01T00:01:00.000Z",
    });
  });

  test("an endpoint flagged unavailable in the graph is never a candidate", () => {
    const table = buildDispatchTable(
      new GraphBuilder()
        .model("gpt-5-mini", { provider: "openai", model: "gpt-5-mini", available: false }, { provider: "azure", model: "gpt-5-mini" })
        .route("direct", "$model")
        .build(),
    );
    expect(ids(table.dispatch({ model: "gpt-5-mini", facts: facts({}) }, { stats: new StatsRegistry() }))).toEqual(["azure/gpt-5-mini"]);
  });

  test("the trace records the matched route and each selected endpoint in order", () => {
    const result = buildDispatchTable(graph()).dispatch({ model: "auto", facts: facts({}) }, { stats: new StatsRegistry(), trace: true });
    expect(result.trace).toEqual([
      { kind: "route", name: "auto", outcome: "matched", reason: "no when: matches every request" },
      { kind: "endpoint", name: "openai/gpt-5-mini", outcome: "selected", reason: "tried first" },
      { kind: "endpoint", name: "deepseek/deepseek-chat", outcome: "selected", reason: "tried 2nd, if those before it fail" },
    ]);
  });

  test("without the trace option no trace is built", () => {
    const result = buildDispatchTable(graph()).dispatch({ model: "auto", facts: facts({}) }, { stats: new StatsRegistry() });
    expect(result.trace).toBeNull();
  });
});

describe("trace order", () => {
  test("a skipped route's entry comes before the endpoints it passed over", () => {
    const table = buildDispatchTable(
      new GraphBuilder()
        .provider("anthropic", false)
        .model("claude-sonnet", { provider: "anthropic", model: "claude-sonnet-4-5" })
        .model("gpt-5-mini", { provider: "openai", model: "gpt-5-mini" })
        .route("coding", "claude-sonnet")
        .route("direct", "gpt-5-mini")
        .build(),
    );
    const result = table.dispatch({ model: "gpt-5-mini", facts: facts({}) }, { stats: new StatsRegistry(), trace: true });
    expect(result.trace).toEqual([
      { kind: "route", name: "coding", outcome: "skipped", reason: "its target has no available endpoint" },
      { kind: "endpoint", name: "anthropic/claude-sonnet-4-5", outcome: "passed-over", reason: "provider anthropic unavailable: api key is empty" },
      { kind: "route", name: "direct", outcome: "matched", reason: "no when: matches every request" },
      { kind: "endpoint", name: "openai/gpt-5-mini", outcome: "selected", reason: "tried first" },
    ]);
  });
});
