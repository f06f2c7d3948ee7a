// A plugin's settings as `create` receives them: the schema's defaults filled in, once, by the
// host. Plugins rely on it and never default a setting themselves.

import type { TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

export function withDefaults(schema: TSchema, raw: unknown): unknown {
  return Value.Default(schema, Value.Clone(raw));
}
