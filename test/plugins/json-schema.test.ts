// A plain-object plugin's settings written as JSON Schema (it has no kit.Type to build TypeBox
// with): the host reads them as the TypeBox schema they stand for, defaults and checks included.

import { expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import { createKit } from "../../core/kit/kit.ts";
import { fromJsonSchema } from "../../core/plugins/json-schema.ts";
import { validatePlugin } from "../../core/plugins/validate.ts";

const SETTINGS = {
  type: "object",
  properties: {
    base_url: { type: "string", default: "http://127.0.0.1:9/v1" },
    region: { enum: ["eu", "us"] },
    retries: { type: "integer", minimum: 0, default: 2 },
    tags: { type: "array", items: { type: "string" } },
    timeout: { type: ["number", "null"] },
  },
  required: ["region"],
  additionalProperties: false,
};

test("a plain object's JSON Schema settings are checked and defaulted as TypeBox ones are", () => {
  const plugin = { kind: "provider", name: "plain", settings: SETTINGS, create: () => ({ chat: async () => ({}) }) };
  const result = validatePlugin(plugin, "plain.ts", createKit());
  if (!result.ok) throw new Error(result.problem.message);
  const schema = result.plugin.settings;
  expect(Value.Default(schema, { region: "eu" })).toEqual({ region: "eu", base_url: "http://127.0.0.1:9/v1", retries: 2 });
  expect(Value.Check(schema, { region: "eu", tags: ["a"], timeout: null })).toBe(true);
  expect(Value.Check(schema, { region: "asia" })).toBe(false);
  expect(Value.Check(schema, { region: "us", retries: -1 })).toBe(false);
  expect(Value.Check(schema, {})).toBe(false);
  expect(Value.Check(schema, { region: "us", extra: 1 })).toBe(false);
  // The module's own object is left as it was.
  expect(plugin.settings).toBe(SETTINGS);
});

test("a schema the host cannot read is refused, naming where", () => {
  expect(fromJsonSchema({ type: "object", properties: { port: { type: "int" } } })).toBe('settings.port has type "int", which JSON Schema does not have');
  const result = validatePlugin({ kind: "fee", name: "odd", settings: "none", create: () => ({}) }, "odd.ts", createKit());
  expect(!result.ok && result.problem.message).toBe('plugin "odd": `settings` must be a TypeBox schema (build it with kit.Type) or plain JSON Schema: settings is not a schema object');
});
