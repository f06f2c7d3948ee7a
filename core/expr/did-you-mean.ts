// "Did you mean" suggestions: the closest candidate by Damerau-Levenshtein distance, if close enough.

/** Three rows of the distance table, reused across calls: suggestions compare against every name. */
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of adjacent characters.
 * Past `max` the exact figure does not matter: it stops as soon as it must exceed `max` and returns
 * `max + 1`, so a typo is checked against a thousand names without a thousand full tables.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const cols = b.length + 1;
  if (rows[0].length < cols) rows = [new Int32Array(cols * 2), new Int32Array(cols * 2), new Int32Array(cols * 2)];
  let [before, previous, current] = rows;
  for (let j = 0; j < cols; j++) previous[j] = j;
  let previousMin = 0;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    // Later rows build on this one (and, by a swap, on the one before plus 1): both past max means done.
    if (rowMin > max && previousMin >= max) return max + 1;
    previousMin = rowMin;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[cols - 1]!, max + 1);
}

/**
 * The candidate nearest to `word`, or undefined when none is plausibly a typo of it: the distance
 * may be at most a third of the word's length (at least `atLeast`, 1 by default), so "opnai" finds
 * "openai" but "x" does not find "y".
 */
export function didYouMean(word: string, candidates: Iterable<string>, atLeast = 1): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(atLeast, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: most candidates are ruled out without a table.
    if (candidate === word || Math.abs(candidate.length - word.length) > Math.min(limit, bestDistance)) continue;
    const distance = editDistance(lower, candidate.toLowerCase(), Math.min(limit, bestDistance));
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `did you mean "x"?` or undefined, for hints: a typo's nearest name, else the one name the word begins ("cached" for "cached_input"). */
export function suggestion(word: string, candidates: Iterable<string>): string | undefined {
  const names = [...candidates];
  const best = didYouMean(word, names) ?? onlyStartingWith(word, names);
  return best === undefined ? undefined : `did you mean "${best}"?`;
}

function onlyStartingWith(word: string, names: readonly string[]): string | undefined {
  if (word.length < 3) return undefined;
  const lower = word.toLowerCase();
  const starting = names.filter((name) => name.length > word.length && name.toLowerCase().startsWith(lower));
  return starting.length === 1 ? starting[0] : undefined;
}
