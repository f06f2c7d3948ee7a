// Compiled TypeBox validators, and their errors → diagnostics at the YAML node each error's JSON
// pointer names.

import { Kind, type Static, type TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Value, ValueErrorType, type ValueError } from "@sinclair/typebox/value";
import { DURATION_PATTERN } from "../duration.ts";
import { HTTP_URL_PATTERN } from "../url.ts";
import { suggestion } from "../expr/did-you-mean.ts";
import type { ConfigSource } from "./source.ts";

const KIND_NAMES: Record<string, string> = {
  String: "a string",
  Number: "a number",
  Integer: "an integer",
  Boolean: "a boolean",
  Object: "a map",
  Record: "a map",
  Array: "a list",
};

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a map";
  return `${typeof value === "number" ? "the number" : `the ${typeof value}`} ${JSON.stringify(value)}`;
}

function literals(schema: TSchema): string[] | undefined {
  const options = (schema as { anyOf?: TSchema[] }).anyOf;
  if (!options?.every((o) => o[Kind] === "Literal")) return undefined;
  return options.map((o) => String((o as TSchema & { const?: unknown }).const));
}

function expected(schema: TSchema): string {
  if (typeof schema.description === "string") return schema.description;
  if (schema[Kind] === "Literal") return JSON.stringify((schema as TSchema & { const?: unknown }).const);
  // A plugin's setting made with the kit's duration pattern, and no description of its own.
  if (schema.pattern === DURATION_PATTERN) return "a duration like 30s or 250ms";
  if (schema.pattern === HTTP_URL_PATTERN) return "an http:// or https:// URL";
  if (typeof schema.pattern === "string") return `a string matching /${schema.pattern}/`;
  const name = KIND_NAMES[String(schema[Kind])] ?? "a valid value";
  const limits = [
    schema.minimum !== undefined ? `at least ${schema.minimum}` : "",
    schema.maximum !== undefined ? `at most ${schema.maximum}` : "",
    schema.minItems ? `with at least ${schema.minItems} item` : "",
    schema.minLength ? "that is not empty" : "",
  ].filter(Boolean);
  return [name, ...limits].join(" ");
}

export interface Validator<T extends TSchema> {
  check(value: unknown): value is Static<T>;
  /** Only walked when check fails: listing errors costs a full pass even over a valid value. */
  errors(value: unknown): Iterable<ValueError>;
}

const validators = new WeakMap<TSchema, Validator<TSchema>>();

function build<T extends TSchema>(schema: T): Validator<T> {
  try {
    const compiled = TypeCompiler.Compile(schema);
    return { check: (value): value is Static<T> => compiled.Check(value), errors: (value) => compiled.Errors(value) };
  } catch {
    // A schema the compiler does not know (a plugin's custom kind): the interpreter still checks it.
    return { check: (value): value is Static<T> => Value.Check(schema, value), errors: (value) => Value.Errors(schema, value) };
  }
}

/** The validator of `schema`, compiled on first use and kept for as long as the schema object lives. */
export function validatorOf<T extends TSchema>(schema: T): Validator<T> {
  let validator = validators.get(schema) as Validator<T> | undefined;
  if (!validator) {
    validator = build(schema);
    validators.set(schema, validator);
  }
  return validator;
}

/** A JSON pointer's segment as the key it names (`~1` is a slash, `~0` a tilde). */
const unescaped = (segment: string) => segment.replace(/~1/g, "/").replace(/~0/g, "~");

function report(source: ConfigSource, error: ValueError, pointer: string): void {
  const key = unescaped(pointer.slice(pointer.lastIndexOf("/") + 1));
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const known = Object.keys((error.schema as { properties?: object }).properties ?? {});
    const hint = suggestion(key, known) ?? (known.length ? `allowed keys: ${known.join(", ")}` : undefined);
    source.report("unknown-key", `unknown key "${key}"`, source.at(pointer, "key"), { hint });
  } else if (error.type === ValueErrorType.ObjectRequiredProperty) {
    const parent = pointer.slice(0, pointer.lastIndexOf("/"));
    source.report("missing-key", `missing required key "${key}"`, source.at(parent, "key"), { hint: `add ${key}: ${expected(error.schema)}` });
  } else {
    const options = literals(error.schema);
    const got = kindOf(error.value);
    const message = options ? `expected one of ${options.join(", ")}, got ${got}` : `expected ${expected(error.schema)}, got ${got}`;
    const hint = options && typeof error.value === "string" ? suggestion(error.value, options) : shapeHint(error.schema, error.value, key);
    source.report("wrong-type", message, source.at(pointer), { hint });
  }
}

/** What to write when the value is one item where a list belongs, or a list where one target does. */
function shapeHint(schema: TSchema, value: unknown, key: string): string | undefined {
  if (schema[Kind] === "Array" && typeof value === "string") return `write it as a list: [${value}]`;
  if (schema[Kind] === "Array" && kindOf(value) === "a map") return "write it as a list of one: [{ ... }]";
  if (key === "to" && Array.isArray(value)) return "name one target here, and the ones to try after it in fallback: [...]";
  return undefined;
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A substituted string read as YAML reads the same text written in place, when it is what the schema wants. */
function typedAs(kind: unknown, text: string): number | boolean | undefined {
  if ((kind === "Number" || kind === "Integer") && NUMBER.test(text)) return Number(text);
  if (kind === "Boolean" && (text === "true" || text === "false")) return text === "true";
  return undefined;
}

/** Sets the value at JSON pointer `path` inside `root` (whose parents exist); false if there is none to set. */
function setAt(root: unknown, path: string, value: unknown): boolean {
  const keys = path.split("/").slice(1).map(unescaped);
  const last = keys.pop();
  let parent = root;
  for (const key of keys) parent = (parent as Record<string, unknown> | null)?.[key];
  if (last === undefined || typeof parent !== "object" || parent === null) return false;
  (parent as Record<string, unknown>)[last] = value;
  return true;
}

/**
 * A `${VAR}` fills in a string, but a port, a price or a flag wants a number or a boolean: where the
 * schema wants one, a substituted string is read as YAML reads the same text written in place
 * (`port: ${PORT:-8787}` is the port 8787). Only substituted strings: a quoted "8787" written in the
 * file stays the string it says it is. Returns whether anything changed.
 */
function typeSubstituted(source: ConfigSource, validator: Validator<TSchema>, value: unknown, base: string): boolean {
  let changed = false;
  for (const error of validator.errors(value)) {
    if (typeof error.value !== "string" || !source.wasSubstituted(base + error.path)) continue;
    const typed = typedAs(error.schema[Kind], error.value.trim());
    if (typed !== undefined && setAt(value, error.path, typed)) changed = true;
  }
  return changed;
}

/**
 * Reports every schema error of `value` (which sits at `base` in the file), at most one per
 * location and none below a location already reported. Returns whether the value is valid.
 */
export function validateAt(source: ConfigSource, schema: TSchema, value: unknown, base: string): boolean {
  const validator = validatorOf(schema);
  if (validator.check(value)) return true;
  if (typeSubstituted(source, validator, value, base) && validator.check(value)) return true;
  const seen: string[] = [];
  for (const error of validator.errors(value)) {
    const pointer = base + error.path;
    if (seen.some((p) => pointer === p || pointer.startsWith(`${p}/`))) continue;
    seen.push(pointer);
    // An alias not followed (naming nothing, recursive, past the limit), or a `${VAR}` that is unset or malformed, is reported already: its value is no news.
    if (source.isUnfollowedAlias(pointer) || source.hasEnvProblem(pointer)) continue;
    report(source, error, pointer);
  }
  return seen.length === 0;
}
