// Compares the fakes' JSON with the vendors' recorded examples by structure, not by value.

/** The structure of a JSON value (keys and value types, arrays by their elements), without the values. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shapeOf(v)]));
  return value === null ? "null" : typeof value;
}
