// Route matching: first match wins, the model index, fallbacks, $model and the models list, errors.

import { describe, expect, test } from "bun:test";
import { buildDispatchTable } from "../../core/dispatch/index.ts";
import { StatsRegistry } from "../../core/stats/index.ts";
import { expr, facts, GraphBuilder, ids, modelIs } from "./graph-builder.ts";

function models() {
  return new GraphBuilder()
    .model("claude-sonnet", { provider: "anthropic", model: "claude-sonnet-4-5" }, { provider: "bedrock", model: "claude-sonnet-4-5" })
    .model("gpt-5-mini", { provider: "openai", model: "gpt-5-mini" })
    .model("deepseek-chat", { provider: "deepseek", model: "deepseek-chat" });
}

const stats = () => new StatsRegistry();

describe("route matching", () => {
  test("the first route whose when is true wins, in file order", () => {
    const coding = expr('intent == "coding"', ["intent"], (f) => f.get("intent") === "coding");
    const table = buildDispatchTable(models().classifier("intent").route("coding", "claude-sonnet", { when: coding }).route("direct", "$model").build());
    const codingResult = table.dispatch({ model: "gpt-5-mini", facts: facts({ intent: "coding", model: "gpt-5-mini" }) }, { stats: stats() });
    expect(codingResult.ok && codingResult.route.name).toBe("coding");
    const other = table.dispatch({ model: "gpt-5-mini", facts: facts({ intent: "other", model: "gpt-5-mini" }) }, { stats: stats() });
    expect(other.ok && other.route.name).toBe("direct");
  });

  test("a route bound to another model is never evaluated", () => {
    const auto = modelIs("auto");
    const tools = expr("tools > 0", ["tools"], (f) => (f.get("tools") as number) > 0);
    const table = buildDispatchTable(
      models().route("auto", "deepseek-chat", { when: auto }).route("tools", "claude-sonnet", { when: tools }).route("direct", "$model").build(),
    );
    const result = table.dispatch({ model: "gpt-5-mini", facts: facts({ model: "gpt-5-mini", tools: 0 }) }, { stats: stats() });
    expect(result.ok && result.route.name).toBe("direct");
    expect(auto.calls).toBe(0);
    expect(tools.calls).toBe(1);
  });

  test("a route pinned to a model still comes after earlier unpinned routes", () => {
    const tools = expr("tools > 0", ["tools"], (f) => (f.get("tools") as number) > 0);
    const table = buildDispatchTable(
      models().route("tools", "claude-sonnet", { when: tools }).route("auto", "deepseek-chat", { when: modelIs("auto") }).build(),
    );
    const withTools = table.dispatch({ model: "auto", facts: facts({ model: "auto", tools: 3 }) }, { stats: stats() });
    expect(withTools.ok && withTools.route.name).toBe("tools");
    const without = table.dispatch({ model: "auto", facts: facts({ model: "auto", tools: 0 }) }, { stats: stats() });
    expect(without.ok && without.route.name).toBe("auto");
  });

  test("a route whose target has no available endpoint is skipped and matching continues", () => {
    const graph = models().provider("anthropic", false).provider("bedrock", false).route("coding", "claude-sonnet").route("direct", "$model").build();
    const result = buildDispatchTable(graph).dispatch({ model: "gpt-5-mini", facts: facts({}) }, { stats: stats(), trace: true });
    expect(result.ok && result.route.name).toBe("direct");
    expect(result.trace).toContainEqual({ kind: "route", name: "coding", outcome: "skipped", reason: "its target has no available endpoint" });
  });

  test("candidates are the primary target's endpoints then each fallback's, without duplicates", () => {
    const graph = models().route("coding", "claude-sonnet", { fallback: ["gpt-5-mini", "claude-sonnet", "deepseek-chat"] }).build();
    const result = buildDispatchTable(graph).dispatch({ model: "x", facts: facts({}) }, { stats: stats(), trace: true });
    expect(ids(result)).toEqual(["anthropic/claude-sonnet-4-5", "bedrock/claude-sonnet-4-5", "openai/gpt-5-mini", "deepseek/deepseek-chat"]);
    expect(result.trace).toContainEqual({ kind: "endpoint", name: "bedrock/claude-sonnet-4-5", outcome: "passed-over", reason: "duplicate: already a candidate" });
  });

  test("$model resolves the named model then each entry of the models list", () => {
    const table = buildDispatchTable(models().route("direct", "$model").build());
    const result = table.dispatch({ model: "gpt-5-mini", models: ["deepseek-chat", "gpt-5-mini"], facts: facts({}) }, { stats: stats() });
    expect(ids(result)).toEqual(["openai/gpt-5-mini", "deepseek/deepseek-chat"]);
  });

  test("unknown entries of the models list are passed over in the trace", () => {
    const table = buildDispatchTable(models().route("direct", "$model").build());
    const result = table.dispatch({ model: "gpt-5-mini", models: ["gpt-9"], facts: facts({}) }, { stats: stats(), trace: true });
    expect(ids(result)).toEqual(["openai/gpt-5-mini"]);
    expect(result.trace).toContainEqual({ kind: "endpoint", name: "gpt-9", outcome: "passed-over", reason: 'model "gpt-9" is not configured' });
  });

  test("an unknown named model is served by the models list when it resolves", () => {
    const table = buildDispatchTable(models().route("direct", "$model").build());
    const result = table.dispatch({ model: "gpt-9", models: ["deepseek-chat"], facts: facts({}) }, { stats: stats() });
    expect(ids(result)).toEqual(["deepseek/deepseek-chat"]);
  });
});

describe("dispatch errors", () => {
  test("an unknown model that nothing resolves is not_found with a suggestion", () => {
    const table = buildDispatchTable(models().route("direct", "$model").build());
    const result = table.dispatch({ model: "gpt-5-mnii", facts: facts({}) }, { stats: stats() });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("not_found");
    expect(result.error.status).toBe(404);
    expect(result.error.message).toBe("model gpt-5-mnii is not configured (did you mean gpt-5-mini?)");
  });

  test("an unknown model is not_found even when the $model route has fallbacks", () => {
    const table = buildDispatchTable(models().route("direct", "$model", { fallback: ["gpt-5-mini"] }).build());
    const result = table.dispatch({ model: "gpt-9", facts: facts({}) }, { stats: stats() });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("not_found");
  });

  test("a configured model that no route matches is no_route", () => {
    const table = buildDispatchTable(models().route("auto", "deepseek-chat", { when: modelIs("auto") }).build());
    const result = table.dispatch({ model: "gpt-5-mini", facts: facts({ model: "gpt-5-mini" }) }, { stats: stats() });
    expect(!result.ok && result.error.code).toBe("no_route");
  });

  test("no available endpoint anywhere is no_endpoint 503 listing why", () => {
    const table = buildDispatchTable(models().provider("openai", false).route("direct", "$model").build());
    const result = table.dispatch({ model: "gpt-5-mini", facts: facts({}) }, { stats: stats() });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("no_endpoint");
    expect(result.error.status).toBe(503);
    expect(result.error.metadata).toEqual({ reasons: ["openai/gpt-5-mini: provider openai unavailable: api key is empty"] });
    expect(result.trace).toBeNull();
  });
});

describe("table introspection", () => {
  test("classifiersFor lists only the classifiers of routes that could match the model", () => {
    const coding = expr('intent == "coding"', ["intent", "model"], () => true, ["gpt-5-mini"]);
    const tone = expr('tone == "formal"', ["tone"], () => true, ["auto"]);
    const graph = models().classifier("intent").classifier("tone").route("coding", "claude-sonnet", { when: coding }).route("formal", "gpt-5-mini", { when: tone }).build();
    const table = buildDispatchTable(graph);
    expect(table.classifiersFor("gpt-5-mini")).toEqual(["intent"]);
    expect(table.classifiersFor("auto")).toEqual(["tone"]);
    expect(table.classifiersFor("deepseek-chat")).toEqual([]);
  });

  test("describe prints one line per route with what its targets resolve to", () => {
    const graph = models()
      .pool("cheap", "cheapest", ["gpt-5-mini", "deepseek-chat"])
      .route("auto", "pool:cheap", { when: modelIs("auto"), fallback: ["claude-sonnet"] })
      .route("direct", "$model")
      .build();
    expect(buildDispatchTable(graph).describe()).toEqual([
      'auto: when model == "auto" → cheap (cheapest) [openai/gpt-5-mini, deepseek/deepseek-chat] fallback claude-sonnet [anthropic/claude-sonnet-4-5, bedrock/claude-sonnet-4-5]',
      "direct: always → $model (the model the client named)",
    ]);
  });
});
