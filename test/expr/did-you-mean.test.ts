// "Did you mean": edit distance with swaps, its early stop past a limit, and picking the nearest name.

import { expect, test } from "bun:test";
import { didYouMean, editDistance, suggestion } from "../../core/expr/did-you-mean.ts";

test("edit distance counts a swap of adjacent characters as one edit", () => {
  expect(editDistance("opnaei", "openai")).toBe(2);
  expect(editDistance("cheapst", "cheapest")).toBe(1);
  expect(editDistance("fastset", "fastest")).toBe(1);
});

test("edit distance past its limit reports the limit plus one, and is exact up to it", () => {
  expect(editDistance("gpt-5-mini", "claude-sonnet", 2)).toBe(3);
  expect(editDistance("gpt-5-mni", "gpt-5-mini", 2)).toBe(1);
  expect(editDistance("abcd", "badc", 2)).toBe(2);
});

test("the nearest of a thousand model names is suggested, and an unrelated word gets none", () => {
  const names = Array.from({ length: 1000 }, (_, i) => `model-${i}`);
  expect(didYouMean("modle-417", names)).toBe("model-417");
  expect(didYouMean("embedding", names)).toBeUndefined();
});

test("with no typo near, the one name the word begins is suggested; two such names, or a short word, get none", () => {
  const keys = ["input", "output", "cached_input", "cache_write", "cache_write_1h"];
  expect(suggestion("cached", keys)).toBe('did you mean "cached_input"?');
  expect(suggestion("cache", keys)).toBeUndefined();
  expect(suggestion("ca", ["cat-model"])).toBeUndefined();
  expect(suggestion("outptu", keys)).toBe('did you mean "output"?');
});
