// A plugin's `settings` written as plain JSON Schema, turned into the TypeBox schema the host checks
// settings with: a plain-object plugin in the single binary has no TypeBox of its own to import
// (the function form gets `kit.Type`), and JSON Schema is what TypeBox schemas stand for anyway.

import { type TSchema, Type } from "@sinclair/typebox";

/** Keywords that only constrain or describe a value: carried over as they are. */
const CONSTRAINTS = [
  "description", "title", "default", "examples", "format", "pattern", "minLength", "maxLength", "minimum", "maximum",
  "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
] as const;

/** The TypeBox schema a JSON Schema stands for, or what it holds that cannot be read (with its path). */
export function fromJsonSchema(schema: unknown, path = "settings"): TSchema | string {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return `${path} is not a schema object`;
  const raw = schema as Record<string, unknown>;
  const options: Record<string, unknown> = {};
  for (const key of CONSTRAINTS) if (raw[key] !== undefined) options[key] = raw[key];
  if (raw.const !== undefined) return literal(raw.const, options, path);
  if (Array.isArray(raw.enum)) return union(raw.enum.map((value, i) => literal(value, {}, `${path}.enum[${i}]`)), options);
  const alternatives = raw.anyOf ?? raw.oneOf;
  if (Array.isArray(alternatives)) return union(alternatives.map((item, i) => fromJsonSchema(item, `${path}.anyOf[${i}]`)), options);
  if (Array.isArray(raw.type)) return union(raw.type.map((type) => fromJsonSchema({ ...raw, type }, path)), options);
  switch (raw.type) {
    case "string":
      return Type.String(options);
    case "number":
      return Type.Number(options);
    case "integer":
      return Type.Integer(options);
    case "boolean":
      return Type.Boolean(options);
    case "null":
      return Type.Null(options);
    case "array": {
      const items = raw.items === undefined ? Type.Unknown() : fromJsonSchema(raw.items, `${path}.items`);
      return typeof items === "string" ? items : Type.Array(items, options);
    }
    case "object":
    case undefined:
      if (raw.type === undefined && raw.properties === undefined) return Object.keys(raw).length === 0 ? Type.Unknown() : `${path} names no type`;
      return object(raw, options, path);
    default:
      return `${path} has type ${JSON.stringify(raw.type)}, which JSON Schema does not have`;
  }
}

function object(raw: Record<string, unknown>, options: Record<string, unknown>, path: string): TSchema | string {
  const required = new Set(Array.isArray(raw.required) ? raw.required : []);
  const properties: Record<string, TSchema> = {};
  for (const [name, property] of Object.entries((raw.properties ?? {}) as Record<string, unknown>)) {
    const converted = fromJsonSchema(property, `${path}.${name}`);
    if (typeof converted === "string") return converted;
    properties[name] = required.has(name) ? converted : Type.Optional(converted);
  }
  if (typeof raw.additionalProperties === "boolean") options.additionalProperties = raw.additionalProperties;
  return Type.Object(properties, options);
}

function literal(value: unknown, options: Record<string, unknown>, path: string): TSchema | string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return Type.Literal(value, options);
  return value === null ? Type.Null(options) : `${path} is ${JSON.stringify(value)}: only a string, number, boolean or null can be one value`;
}

function union(members: (TSchema | string)[], options: Record<string, unknown>): TSchema | string {
  const problem = members.find((member) => typeof member === "string");
  if (problem !== undefined) return problem;
  return Type.Union(members as TSchema[], options);
}
