// Writes router.config.schema.json (for editors' YAML completion) from the TypeBox config schema.
// Run: bun core/config/export-schema.ts

import { ConfigSchema } from "./schema.ts";

/** The JSON Schema text, exactly as committed at the repository root. */
export function configJsonSchema(): string {
  const schema = { $schema: "http://json-schema.org/draft-07/schema#", ...JSON.parse(JSON.stringify(ConfigSchema)) };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export const SCHEMA_FILE = new URL("../../router.config.schema.json", import.meta.url);

if (import.meta.main) {
  await Bun.write(SCHEMA_FILE, configJsonSchema());
  console.log(`wrote ${SCHEMA_FILE.pathname.split("/").pop()}`);
}
