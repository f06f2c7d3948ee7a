// Writes router.config.schema.json (for editors' YAML completion) from the TypeBox config schema.
// Run: bun core/config/export-schema.ts

import { ConfigSchema } from "./schema.ts";

/** `${VAR}` or `${VAR:-default}`, which the compiler reads as the value it stands for. */
const REFERENCE = { type: "string", pattern: "^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$" };

/**
 * The schema of the file as written, not as read: a number or a boolean may be written as an
 * environment reference (`port: ${PORT:-8787}`), and a map may take YAML's merge key (`<<: *anchor`).
 */
function asWritten(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(asWritten);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === "properties" ? Object.fromEntries(Object.entries(value as object).map(([name, schema]) => [name, asWritten(schema)])) : asWritten(value);
  if (out.type === "integer" || out.type === "number" || out.type === "boolean") return { anyOf: [out, REFERENCE] };
  if (out.type === "object" && out.additionalProperties === false && out.properties) out.properties = { ...(out.properties as object), "<<": {} };
  return out;
}

/** The JSON Schema text, exactly as committed at the repository root. */
export function configJsonSchema(): string {
  const schema = { $schema: "http://json-schema.org/draft-07/schema#", ...(asWritten(JSON.parse(JSON.stringify(ConfigSchema))) as object) };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export const SCHEMA_FILE = new URL("../../router.config.schema.json", import.meta.url);

if (import.meta.main) {
  await Bun.write(SCHEMA_FILE, configJsonSchema());
  console.log(`wrote ${SCHEMA_FILE.pathname.split("/").pop()}`);
}
