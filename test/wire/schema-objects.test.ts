// A tool's parameters (and a response format's schema) must be a JSON object, whatever its members.

import { describe, expect, test } from "bun:test";
import { anthropicDialect, openaiDialect } from "../../core/server/dialects.ts";
import { isSwitchyardError } from "../../core/errors.ts";

function openaiTool(parameters: unknown) {
  return { model: "m", messages: [{ role: "user", content: "hi" }], tools: [{ type: "function", function: { name: "f", parameters } }] };
}

function anthropicTool(inputSchema: unknown) {
  return { model: "m", max_tokens: 10, messages: [{ role: "user", content: "hi" }], tools: [{ name: "f", input_schema: inputSchema }] };
}

/** The field a validation failure names, or null when the body passed. */
function rejected(validate: (body: unknown) => void, body: unknown): string | null {
  try {
    validate(body);
    return null;
  } catch (error) {
    if (!isSwitchyardError(error) || error.status !== 400) throw error;
    return String((error.metadata as { field?: string } | undefined)?.field ?? error.message);
  }
}

const SCHEMA = { type: "object", properties: { path: { type: "string" }, "odd key!": [1, null, { deep: true }] }, required: ["path"] };

describe("object-valued schema fields", () => {
  test("any object passes, with members of any kind", () => {
    expect(rejected(openaiDialect.validate, openaiTool(SCHEMA))).toBeNull();
    expect(rejected(openaiDialect.validate, openaiTool({}))).toBeNull();
    expect(rejected(anthropicDialect.validate, anthropicTool(SCHEMA))).toBeNull();
    const format = { model: "m", messages: [{ role: "user", content: "hi" }], response_format: { type: "json_schema", json_schema: { name: "x", schema: SCHEMA } } };
    expect(rejected(openaiDialect.validate, format)).toBeNull();
  });

  test.each([[[]], ["object"], [null], [3]])("%p is a 400 naming the field", (value) => {
    expect(rejected(openaiDialect.validate, openaiTool(value))).toBe("tools.0.function.parameters");
    expect(rejected(anthropicDialect.validate, anthropicTool(value))).toBe("tools.0.input_schema");
  });
});
