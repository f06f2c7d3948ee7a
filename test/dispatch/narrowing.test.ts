// OpenRouter-style provider preferences: they narrow and reorder the route's candidates, never add.

import { describe, expect, test } from "bun:test";
import { buildDispatchTable, type DispatchResult, type ProviderPreferences } from "../../core/dispatch/index.ts";
import { StatsRegistry } from "../../core/stats/index.ts";
import { facts, GraphBuilder, record } from "./graph-builder.ts";

const table = buildDispatchTable(
  new GraphBuilder()
    .model(
      "claude-sonnet",
      { provider: "anthropic", model: "claude-sonnet-4-5", price: { input: 3, output: 15 } },
      { provider: "bedrock", model: "claude-sonnet-4-5", price: { input: 3.3, output: 16.5 } },
      { provider: "vertex", model: "claude-sonnet-4-5", price: { input: 2.9, output: 15 } },
    )
    .model("gpt-5-mini", { provider: "openai", model: "gpt-5-mini", price: { input: 0.25, output: 2 } })
    .route("direct", "$model")
    .build(),
);

function narrowed(provider: ProviderPreferences, stats = new StatsRegistry()): string[] {
  const result: DispatchResult = table.dispatch({ model: "claude-sonnet", provider, facts: facts({}), inputTokens: 1000, maxTokens: 1000 }, { stats });
  if (!result.ok) throw result.error;
  return result.candidates.map((endpoint) => endpoint.provider);
}

describe("provider preferences", () => {
  test("only keeps the named providers, case-insensitively", () => {
    expect(narrowed({ only: ["Bedrock", "VERTEX"] })).toEqual(["bedrock", "vertex"]);
  });

  test("ignore drops the named providers", () => {
    expect(narrowed({ ignore: ["anthropic"] })).toEqual(["bedrock", "vertex"]);
  });

  test("order puts the named providers first, in that order, the rest after", () => {
    expect(narrowed({ order: ["vertex", "bedrock"] })).toEqual(["vertex", "bedrock", "anthropic"]);
  });

  test("sort by price puts the cheapest expected cost first", () => {
    expect(narrowed({ sort: "price" })).toEqual(["vertex", "anthropic", "bedrock"]);
  });

  test("sort by latency puts the lowest time to first token first", () => {
    const stats = new StatsRegistry();
    for (const [id, ttft] of [["anthropic/claude-sonnet-4-5", 900], ["bedrock/claude-sonnet-4-5", 300], ["vertex/claude-sonnet-4-5", 600]] as const) record(stats, id, 2000, ttft);
    expect(narrowed({ sort: "latency" }, stats)).toEqual(["bedrock", "vertex", "anthropic"]);
  });

  test("sort by throughput puts the lowest whole-request latency first", () => {
    const stats = new StatsRegistry();
    for (const [id, ms] of [["anthropic/claude-sonnet-4-5", 900], ["bedrock/claude-sonnet-4-5", 3000], ["vertex/claude-sonnet-4-5", 600]] as const) record(stats, id, ms);
    expect(narrowed({ sort: "throughput" }, stats)).toEqual(["vertex", "anthropic", "bedrock"]);
  });

  test("allow_fallbacks false keeps the providers order names, in turn, or with no order the first candidate", () => {
    expect(narrowed({ order: ["bedrock"], allow_fallbacks: false })).toEqual(["bedrock"]);
    expect(narrowed({ order: ["vertex", "bedrock"], allow_fallbacks: false })).toEqual(["vertex", "bedrock"]);
    expect(narrowed({ allow_fallbacks: false })).toEqual(["anthropic"]);
    expect(narrowed({ sort: "price", allow_fallbacks: false })).toEqual(["vertex"]);
  });

  test("allow_fallbacks false with an order naming none of the route's providers answers no_endpoint", () => {
    const result = table.dispatch({ model: "claude-sonnet", provider: { order: ["openai"], allow_fallbacks: false }, facts: facts({}) }, { stats: new StatsRegistry() });
    expect(result.ok).toBe(false);
  });

  test("max_price drops endpoints above either price", () => {
    expect(narrowed({ max_price: { prompt: 3 } })).toEqual(["anthropic", "vertex"]);
    expect(narrowed({ max_price: { completion: 15, prompt: 2.95 } })).toEqual(["vertex"]);
  });

  test("sort and order choose among the providers of the model asked for: a route's fallback model stays after them, however cheap", () => {
    const withFallback = buildDispatchTable(
      new GraphBuilder()
        .model(
          "claude-sonnet",
          { provider: "anthropic", model: "claude-sonnet-4-5", price: { input: 3, output: 15 } },
          { provider: "vertex", model: "claude-sonnet-4-5", price: { input: 2.9, output: 15 } },
        )
        .model("gpt-5-mini", { provider: "openai", model: "gpt-5-mini", price: { input: 0.25, output: 2 } })
        .route("direct", "$model", { fallback: ["gpt-5-mini"] })
        .build(),
    );
    const order = (provider: ProviderPreferences) => {
      const result = withFallback.dispatch({ model: "claude-sonnet", provider, facts: facts({}), inputTokens: 1000, maxTokens: 1000 }, { stats: new StatsRegistry() });
      if (!result.ok) throw result.error;
      return result.candidates.map((endpoint) => endpoint.id);
    };
    expect(order({ sort: "price" })).toEqual(["vertex/claude-sonnet-4-5", "anthropic/claude-sonnet-4-5", "openai/gpt-5-mini"]);
    expect(order({ order: ["openai", "vertex"] })).toEqual(["vertex/claude-sonnet-4-5", "anthropic/claude-sonnet-4-5", "openai/gpt-5-mini"]);
  });

  test("a provider the route did not choose is never added", () => {
    expect(narrowed({ order: ["openai", "vertex"] })).toEqual(["vertex", "anthropic", "bedrock"]);
  });

  test("preferences that exclude every candidate answer no_endpoint with the reasons", () => {
    const result = table.dispatch({ model: "claude-sonnet", provider: { only: ["openai"] }, facts: facts({}) }, { stats: new StatsRegistry() });
    expect(!result.ok && result.error.code).toBe("no_endpoint");
    expect(!result.ok && result.error.metadata).toEqual({
      reasons: [
        "anthropic/claude-sonnet-4-5: narrowed out: provider not in provider.only",
        "bedrock/claude-sonnet-4-5: narrowed out: provider not in provider.only",
        "vertex/claude-sonnet-4-5: narrowed out: provider not in provider.only",
      ],
    });
  });
});
