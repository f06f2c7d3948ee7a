// Usage priced by kind of token, exactly in nano-USD: cache reads, the two lifetimes of cache
// writes and reasoning each at their own price, falling back as the config reference says; web
// searches at their price each, and held for before a credit-limited key's request; a vendor's
// counts metered as whole non-negative numbers.

import { describe, expect, test } from "bun:test";
import type { Usage } from "../../core/kit/canonical.ts";
import type { EndpointSpec } from "../../core/config/graph.ts";
import { maximumCharge, meter } from "../../core/gateway/meter.ts";
import type { FeeInstance, Principal } from "../../core/kit/plugin.ts";
import { priceFromUsdPerMillion, usageCost, usdToNano, type Price } from "../../core/money.ts";

const usd = (perMillion: number) => priceFromUsdPerMillion(perMillion);
/** Claude Sonnet's list prices: input 3, output 15, cache reads 0.3, 5-minute writes 3.75, hour writes 6. */
const sonnet: Price = { input: usd(3), output: usd(15), cachedInput: usd(0.3), cacheWrite: usd(3.75), cacheWrite1h: usd(6) };
// 1,000 input tokens: 200 read from the cache, 300 written to it (180 of them for an hour), 500 plain.
const turn: Usage = { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 200, cacheWriteTokens: 300, cacheWrite1hTokens: 180 };

describe("usage cost", () => {
  test("writes to the hour-long cache are priced at cache_write_1h, the rest at their own prices", () => {
    // 500×3 + 200×0.3 + 120×3.75 + 180×6 + 100×15 = 4,590 USD per million tokens.
    expect(usageCost(turn, sonnet)).toBe(4_590_000);
  });

  test("without cache_write_1h an hour's writes cost what cache_write says", () => {
    const { cacheWrite1h: _, ...fiveMinuteOnly } = sonnet;
    // 180 tokens at 3.75 instead of 6.
    expect(usageCost(turn, fiveMinuteOnly)).toBe(4_185_000);
  });

  test("an hour's writes never count beyond the writes themselves", () => {
    expect(usageCost({ ...turn, cacheWrite1hTokens: 900 }, sonnet)).toBe(usageCost({ ...turn, cacheWrite1hTokens: 300 }, sonnet));
  });
});

describe("web searches", () => {
  /** $10 per thousand searches, as the config's `web_search: 10` is read. */
  const searching: Price = { ...sonnet, webSearch: usdToNano(10 / 1000) };

  test("each search costs a cent on top of the tokens", () => {
    expect(usageCost({ ...turn, webSearches: 3 }, searching)).toBe(4_590_000 + 30_000_000);
  });

  test("a credit hold counts the searches a web search tool may make: its max_uses, else ten", () => {
    const endpoint = { id: "anthropic/claude-sonnet-4-5", provider: "anthropic", model: "claude-sonnet-4-5", publicModel: "claude-sonnet", price: searching } as EndpointSpec;
    const fee = { instance: { quote: () => 0 } as FeeInstance, name: "none" };
    const principal: Principal = { keyId: "key_a", name: "team-a", tags: [], creditLimit: 1_000_000_000 };
    const hold = (tools?: Record<string, unknown>[]) => maximumCharge([endpoint], { maxTokens: 100, anthropicTools: tools }, 1000, fee, principal);
    const tokens = hold();
    expect(hold([{ type: "web_search_20250305", name: "web_search", max_uses: 3 }]) - tokens).toBe(30_000_000);
    expect(hold([{ type: "web_search_20250305", name: "web_search" }]) - tokens).toBe(100_000_000);
    expect(hold([{ type: "web_fetch_20250910", name: "web_fetch" }])).toBe(tokens);
  });
});

describe("credit hold", () => {
  const endpoint = { id: "anthropic/claude-sonnet-4-5", provider: "anthropic", model: "claude-sonnet-4-5", publicModel: "claude-sonnet", price: sonnet } as EndpointSpec;
  const fee = { instance: { quote: () => 0 } as FeeInstance, name: "none" };
  const principal: Principal = { keyId: "key_a", name: "team-a", tags: [], creditLimit: 1_000_000_000 };
  const hold = (request: Parameters<typeof maximumCharge>[1], on = endpoint) => maximumCharge([on], request, 1000, fee, principal);
  /** What `tokens` more output tokens cost at Sonnet's $15 per million. */
  const output = (tokens: number) => tokens * 15_000;

  test("an uncapped request that asks for thinking holds its budget beside the default room for the answer", () => {
    const plain = hold({});
    expect(hold({ reasoning: { budgetTokens: 16_000 } }) - plain).toBe(output(16_000));
    // An effort holds the most it means to a vendor: 24,576 thinking tokens for `high`.
    expect(hold({ reasoning: { effort: "high" } }) - plain).toBe(output(24_576));
  });

  test("where reasoning is priced above output, the whole output is held at the reasoning price", () => {
    const thinking = { ...endpoint, price: { ...sonnet, reasoning: usd(60) } };
    // 1,000 input at $3 and 2,000 output at $60 a million.
    expect(hold({ maxTokens: 2000 }, thinking)).toBe(1000 * 3000 + 2000 * 60_000);
    // Priced below output, reasoning holds nothing less than plain output would.
    const cheap = { ...endpoint, price: { ...sonnet, reasoning: usd(1) } };
    expect(hold({ maxTokens: 2000 }, cheap)).toBe(hold({ maxTokens: 2000 }));
  });

  test("a request that marks a cache breakpoint holds its input at the dearest cache write", () => {
    const marked: Parameters<typeof maximumCharge>[1] = {
      maxTokens: 100,
      messages: [{ role: "user", content: [{ type: "text", text: "the long context", cacheControl: { ttl: "1h" } }] }],
    };
    // 1,000 input written to the hour-long cache at $6 a million, 100 output at $15.
    expect(hold(marked)).toBe(1000 * 6000 + output(100));
    // Unmarked, nothing is written: the input is held at the input price.
    expect(hold({ maxTokens: 100, messages: [{ role: "user", content: [{ type: "text", text: "a question" }] }] })).toBe(1000 * 3000 + output(100));
  });

  test("a cap, the client's or the model's, bounds the thinking too: it holds no more than the cap", () => {
    expect(hold({ maxTokens: 2000, reasoning: { effort: "high" } })).toBe(hold({ maxTokens: 2000 }));
    const capped = { ...endpoint, maxOutput: 2000 };
    expect(hold({ reasoning: { budgetTokens: 16_000 } }, capped)).toBe(hold({}, capped));
  });
});

describe("a vendor's counts", () => {
  const endpoint = { id: "anthropic/claude-sonnet-4-5", provider: "anthropic", model: "claude-sonnet-4-5", publicModel: "claude-sonnet", price: sonnet } as EndpointSpec;
  const fee = { instance: { quote: () => 0 } as FeeInstance, name: "none" };
  const principal: Principal = { keyId: "key_a", name: "team-a", tags: [], creditLimit: null };

  test("negative, fractional and non-finite counts are metered as whole non-negative ones, never as a credit", () => {
    // A broken server's cache count below zero would otherwise price 5,000 tokens at minus $0.30 per million.
    const metered = meter({ inputTokens: 1000.4, outputTokens: -50, cachedInputTokens: -5000, reasoningTokens: Number.NaN }, endpoint, fee, principal);
    expect(metered.usage).toEqual({ inputTokens: 1000, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 });
    expect(metered.cost).toBe(1000 * 3000);
  });

  test("counts as they should be are metered as reported, with no copy", () => {
    expect(meter(turn, endpoint, fee, principal).usage).toBe(turn);
  });
});
