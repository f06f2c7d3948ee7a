// Each pool strategy's order of candidates: the chosen endpoint first, the rest as fallbacks.

import { describe, expect, test } from "bun:test";
import type { Strategy } from "../../core/config/graph.ts";
import { buildDispatchTable } from "../../core/dispatch/index.ts";
import { StatsRegistry } from "../../core/stats/index.ts";
import { facts, GraphBuilder, ids, record } from "./graph-builder.ts";

function poolOf(pick: Strategy) {
  return new GraphBuilder()
    .model("gpt-5-mini", { provider: "openai", model: "gpt-5-mini", price: { input: 0.25, output: 2 }, weight: 1 })
    .model("deepseek-chat", { provider: "deepseek", model: "deepseek-chat", price: { input: 0.27, output: 1.1 }, weight: 3 })
    .model("claude-haiku", { provider: "anthropic", model: "claude-haiku-4-5", price: { input: 1, output: 5 }, weight: 0 })
    .pool("cheap-fast", pick, ["gpt-5-mini", "deepseek-chat", "claude-haiku"])
    .route("auto", "pool:cheap-fast")
    .build();
}

describe("pool strategies", () => {
  test("first keeps the members in config order", () => {
    const table = buildDispatchTable(poolOf("first"));
    expect(ids(table.dispatch({ model: "auto", facts: facts({}) }, { stats: new StatsRegistry() }))).toEqual([
      "openai/gpt-5-mini",
      "deepseek/deepseek-chat",
      "anthropic/claude-haiku-4-5",
    ]);
  });

  test("cheapest orders by the expected cost of this request's input and output", () => {
    const table = buildDispatchTable(poolOf("cheapest"));
    const stats = new StatsRegistry();
    // Output-heavy: deepseek's cheaper output wins.
    const outputHeavy = table.dispatch({ model: "auto", facts: facts({}), inputTokens: 100, maxTokens: 4000 }, { stats });
    expect(ids(outputHeavy)).toEqual(["deepseek/deepseek-chat", "openai/gpt-5-mini", "anthropic/claude-haiku-4-5"]);
    // Input-heavy: gpt-5-mini's cheaper input wins.
    const inputHeavy = table.dispatch({ model: "auto", facts: facts({}), inputTokens: 1_000_000, maxTokens: 10 }, { stats });
    expect(ids(inputHeavy)[0]).toBe("openai/gpt-5-mini");
  });

  test("cheapest reads tokens.input from the request facts when no estimate is given", () => {
    const table = buildDispatchTable(poolOf("cheapest"));
    const result = table.dispatch({ model: "auto", facts: facts({ "tokens.input": 1_000_000 }), maxTokens: 10 }, { stats: new StatsRegistry() });
    expect(ids(result)[0]).toBe("openai/gpt-5-mini");
  });

  test("fastest orders by median latency, endpoints without samples first", () => {
    const table = buildDispatchTable(poolOf("fastest"));
    const stats = new StatsRegistry();
    record(stats, "openai/gpt-5-mini", 900);
    record(stats, "deepseek/deepseek-chat", 300);
    expect(ids(table.dispatch({ model: "auto", facts: facts({}) }, { stats }))).toEqual([
      "anthropic/claude-haiku-4-5",
      "deepseek/deepseek-chat",
      "openai/gpt-5-mini",
    ]);
  });

  test("fastest puts last an endpoint whose every call failed: it is no faster for failing fast", () => {
    const table = buildDispatchTable(poolOf("fastest"));
    const stats = new StatsRegistry();
    record(stats, "openai/gpt-5-mini", 900);
    stats.begin("deepseek/deepseek-chat");
    stats.end("deepseek/deepseek-chat", { ok: false, latencyMs: 3 });
    expect(ids(table.dispatch({ model: "auto", facts: facts({}) }, { stats }))).toEqual([
      "anthropic/claude-haiku-4-5",
      "openai/gpt-5-mini",
      "deepseek/deepseek-chat",
    ]);
  });

  test("lowest-ttft orders by median time to first token", () => {
    const table = buildDispatchTable(poolOf("lowest-ttft"));
    const stats = new StatsRegistry();
    record(stats, "openai/gpt-5-mini", 900, 100);
    record(stats, "deepseek/deepseek-chat", 300, 250);
    record(stats, "anthropic/claude-haiku-4-5", 500, 50);
    expect(ids(table.dispatch({ model: "auto", facts: facts({}) }, { stats }))).toEqual([
      "anthropic/claude-haiku-4-5",
      "openai/gpt-5-mini",
      "deepseek/deepseek-chat",
    ]);
  });

  test("least-busy orders by calls in flight", () => {
    const table = buildDispatchTable(poolOf("least-busy"));
    const stats = new StatsRegistry();
    stats.begin("openai/gpt-5-mini");
    stats.begin("openai/gpt-5-mini");
    stats.begin("anthropic/claude-haiku-4-5");
    expect(ids(table.dispatch({ model: "auto", facts: facts({}) }, { stats }))).toEqual([
      "deepseek/deepseek-chat",
      "anthropic/claude-haiku-4-5",
      "openai/gpt-5-mini",
    ]);
  });

  test("round-robin starts each request at the next member", () => {
    const table = buildDispatchTable(poolOf("round-robin"));
    const stats = new StatsRegistry();
    const firsts = [0, 1, 2, 3].map((_) => ids(table.dispatch({ model: "auto", facts: facts({}) }, { stats }))[0]);
    expect(firsts).toEqual(["openai/gpt-5-mini", "deepseek/deepseek-chat", "anthropic/claude-haiku-4-5", "openai/gpt-5-mini"]);
  });

  test("weighted picks by endpoint weight and keeps the rest in config order", () => {
    const table = buildDispatchTable(poolOf("weighted"));
    const stats = new StatsRegistry();
    // Weights 1, 3, 0: a draw below a quarter picks gpt-5-mini, above it deepseek, never claude-haiku.
    expect(ids(table.dispatch({ model: "auto", facts: facts({}) }, { stats, random: () => 0.2 }))[0]).toBe("openai/gpt-5-mini");
    expect(ids(table.dispatch({ model: "auto", facts: facts({}) }, { stats, random: () => 0.3 }))).toEqual([
      "deepseek/deepseek-chat",
      "openai/gpt-5-mini",
      "anthropic/claude-haiku-4-5",
    ]);
    expect(ids(table.dispatch({ model: "auto", facts: facts({}) }, { stats, random: () => 0.9999 }))[0]).toBe("deepseek/deepseek-chat");
  });

  test("balanced picks by inverse square of price, then the rest cheapest first", () => {
    const table = buildDispatchTable(poolOf("balanced"));
    const stats = new StatsRegistry();
    // Combined prices 2.25, 1.37, 6 → weights ∝ 0.1975, 0.5328, 0.0278 (sorted: deepseek, gpt, haiku).
    const total = 1 / 1.37 ** 2 + 1 / 2.25 ** 2 + 1 / 6 ** 2;
    const deepseekShare = 1 / 1.37 ** 2 / total;
    const low = table.dispatch({ model: "auto", facts: facts({}) }, { stats, random: () => deepseekShare - 0.01 });
    expect(ids(low)).toEqual(["deepseek/deepseek-chat", "openai/gpt-5-mini", "anthropic/claude-haiku-4-5"]);
    const mid = table.dispatch({ model: "auto", facts: facts({}) }, { stats, random: () => deepseekShare + 0.01 });
    expect(ids(mid)).toEqual(["openai/gpt-5-mini", "deepseek/deepseek-chat", "anthropic/claude-haiku-4-5"]);
    const high = table.dispatch({ model: "auto", facts: facts({}) }, { stats, random: () => 0.999 });
    expect(ids(high)[0]).toBe("anthropic/claude-haiku-4-5");
  });

  test("a round-robin pool in a round-robin pool is one turn of the outer, and its own members take their turns within it", () => {
    const graph = new GraphBuilder()
      .model("a", { provider: "pa", model: "a", price: { input: 1, output: 1 } })
      .model("b", { provider: "pb", model: "b", price: { input: 1, output: 1 } })
      .model("c", { provider: "pc", model: "c", price: { input: 1, output: 1 } })
      .model("d", { provider: "pd", model: "d", price: { input: 1, output: 1 } })
      .pool("inner", "round-robin", ["a", "b"])
      .pool("outer", "round-robin", ["pool:inner", "c", "d"])
      .route("auto", "pool:outer")
      .build();
    const table = buildDispatchTable(graph);
    const stats = new StatsRegistry();
    const firsts = Array.from({ length: 6 }, () => ids(table.dispatch({ model: "auto", facts: facts({}) }, { stats }))[0]);
    // The outer's turns: inner, c, d, inner, c, d; the inner's own: a, then b.
    expect(firsts).toEqual(["pa/a", "pc/c", "pd/d", "pb/b", "pc/c", "pd/d"]);
  });

  test("a round-robin pool a route names twice takes one turn a request", () => {
    const graph = new GraphBuilder()
      .model("a", { provider: "pa", model: "a", price: { input: 1, output: 1 } })
      .model("b", { provider: "pb", model: "b", price: { input: 1, output: 1 } })
      .model("c", { provider: "pc", model: "c", price: { input: 1, output: 1 } })
      .pool("inner", "round-robin", ["a", "b"])
      .pool("outer", "first", ["pool:inner", "c"])
      .route("auto", "pool:inner", { fallback: ["pool:outer"] })
      .build();
    const table = buildDispatchTable(graph);
    const stats = new StatsRegistry();
    const firsts = Array.from({ length: 4 }, () => ids(table.dispatch({ model: "auto", facts: facts({}) }, { stats }))[0]);
    expect(firsts).toEqual(["pa/a", "pb/b", "pa/a", "pb/b"]);
  });

  test("a model whose endpoints carry weights shares its traffic by them; one without keeps its endpoints as written", () => {
    const graph = new GraphBuilder()
      .model("sonnet", { provider: "anthropic", model: "claude-sonnet-4-5", price: { input: 3, output: 15 }, weight: 1 }, { provider: "bedrock", model: "claude-sonnet-4-5", price: { input: 3, output: 15 }, weight: 3 })
      .model("mini", { provider: "openai", model: "gpt-5-mini", price: { input: 0.25, output: 2 } }, { provider: "azure", model: "gpt-5-mini", price: { input: 0.25, output: 2 } })
      .route("direct", "$model")
      .build();
    const table = buildDispatchTable(graph);
    const stats = new StatsRegistry();
    const order = (model: string, draw: number) => ids(table.dispatch({ model, facts: facts({}) }, { stats, random: () => draw }));
    // Weights 1 and 3: a draw under a quarter picks Anthropic, above it Bedrock; the other follows as a fallback.
    expect(order("sonnet", 0.2)).toEqual(["anthropic/claude-sonnet-4-5", "bedrock/claude-sonnet-4-5"]);
    expect(order("sonnet", 0.3)).toEqual(["bedrock/claude-sonnet-4-5", "anthropic/claude-sonnet-4-5"]);
    expect(order("mini", 0.9)).toEqual(["openai/gpt-5-mini", "azure/gpt-5-mini"]);
  });

  test("a pool that names a pool orders the inner pool first, then applies its own strategy", () => {
    const graph = new GraphBuilder()
      .model("gpt-5-mini", { provider: "openai", model: "gpt-5-mini", price: { input: 0.25, output: 2 } })
      .model("deepseek-chat", { provider: "deepseek", model: "deepseek-chat", price: { input: 0.27, output: 1.1 } })
      .model("claude-sonnet", { provider: "anthropic", model: "claude-sonnet-4-5", price: { input: 3, output: 15 } })
      .pool("cheap", "round-robin", ["gpt-5-mini", "deepseek-chat"])
      .pool("any", "first", ["claude-sonnet", "pool:cheap"])
      .route("auto", "pool:any")
      .build();
    const table = buildDispatchTable(graph);
    const stats = new StatsRegistry();
    expect(ids(table.dispatch({ model: "auto", facts: facts({}) }, { stats }))).toEqual([
      "anthropic/claude-sonnet-4-5",
      "openai/gpt-5-mini",
      "deepseek/deepseek-chat",
    ]);
    expect(ids(table.dispatch({ model: "auto", facts: facts({}) }, { stats }))[1]).toBe("deepseek/deepseek-chat");
  });
});
