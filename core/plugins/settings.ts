// A plugin's settings as `create` receives them: the schema's defaults filled in, once, by the
// host. Plugins rely on it and never default a setting themselves.

import type { TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

/**
 * A deep copy of config data (maps, lists, scalars) whose keys all stay keys: TypeBox's Value.Clone
 * assigns them, which makes a key named __proto__ the copy's prototype, unseen by validation.
 */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copy(item)]));
}

export function withDefaults(schema: TSchema, raw: unknown): unknown {
  return Value.Default(schema, copy(raw));
}
