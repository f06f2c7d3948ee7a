// The shipped router.config.yaml and the exported JSON Schema stay valid and up to date.

import { expect, test } from "bun:test";
import { compileConfig } from "../../core/config/compile.ts";
import { configJsonSchema, SCHEMA_FILE } from "../../core/config/export-schema.ts";
import { testCatalog } from "./catalog.ts";

const CONFIG_FILE = new URL("../../router.config.yaml", import.meta.url);

test("router.config.schema.json matches the TypeBox schema (run bun core/config/export-schema.ts)", async () => {
  expect(await Bun.file(SCHEMA_FILE).text()).toBe(configJsonSchema());
});

test("the JSON Schema describes the file as written: a number as an environment reference, a merge key in a map", () => {
  type Node = { anyOf?: { pattern?: string }[]; properties?: Record<string, Node>; additionalProperties?: unknown; items?: Node };
  const schema = JSON.parse(configJsonSchema()) as Node;
  const port = schema.properties!.server!.properties!.port!;
  const reference = new RegExp(port.anyOf!.find((choice) => choice.pattern)!.pattern!);
  expect(["${PORT}", "${PORT:-8787}"].map((text) => reference.test(text))).toEqual([true, true]);
  expect(["8787", "${PORT", "${ PORT }"].map((text) => reference.test(text))).toEqual([false, false, false]);
  expect(Object.keys(schema.properties!.server!.properties!)).toContain("<<");
});

test("the shipped config compiles with no API keys, every route reaching the echo demo", async () => {
  const text = await Bun.file(CONFIG_FILE).text();
  const result = compileConfig(text, { file: "router.config.yaml", env: {}, plugins: testCatalog });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(result.diagnostics.every((d) => d.code === "unavailable-target")).toBe(true);
  for (const route of result.graph!.routes) {
    expect(route.fallback.at(-1)).toEqual({ kind: "model", name: "echo" });
  }
  expect(result.graph!.models.get("echo")?.[0]?.available).toBe(true);
});

test("the shipped config compiles with keys set, with no diagnostics and the keys listed as secrets", async () => {
  const text = await Bun.file(CONFIG_FILE).text();
  const env = { ANTHROPIC_API_KEY: "sk-ant-1", OPENAI_API_KEY: "sk-oai-1", GEMINI_API_KEY: "gm-1234", DEEPSEEK_API_KEY: "sk-ds-1" };
  const result = compileConfig(text, { file: "router.config.yaml", env, plugins: testCatalog });
  expect(result.diagnostics).toEqual([]);
  expect([...result.graph!.secrets].sort()).toEqual(Object.values(env).sort());
});
