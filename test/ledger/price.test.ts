// Usage priced by kind of token, exactly in nano-USD: cache reads, the two lifetimes of cache
// writes and reasoning each at their own price, falling back as the config reference says.

import { describe, expect, test } from "bun:test";
import type { Usage } from "../../core/kit/canonical.ts";
import { priceFromUsdPerMillion, usageCost, type Price } from "../../core/money.ts";

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
