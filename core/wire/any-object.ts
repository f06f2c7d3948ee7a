// A JSON object whose members are not checked: a tool's parameters, a response format's schema.

import { Type } from "@sinclair/typebox";

/**
 * What `Type.Record(Type.String(), Type.Unknown())` accepts from parsed JSON, checked without
 * visiting the members: the record's compiled check runs `Object.entries(value).every(...)`, a
 * regular expression on every key of every tool's parameters, which cost 5% of a 30 KB agent
 * turn's CPU (bench/in-process.ts) to learn nothing. An object, not null, not an array.
 */
export const AnyObject = Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true }));
