// The fast parse: it must build exactly what the `yaml` library builds, or decline, and positions of
// diagnostics in files it reads must be as exact as with the full parser.

import { describe, expect, test } from "bun:test";
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import { compileConfig } from "../../core/config/compile.ts";
import { countIndicators, fastParse } from "../../core/config/fast-parse.ts";
import { testCatalog } from "./catalog.ts";
import { generatedConfig } from "./generated.ts";

const SHIPPED = await Bun.file(new URL("../../router.config.yaml", import.meta.url)).text();

const SEEDS = [
  SHIPPED,
  generatedConfig(5),
  "a: |\n  x: y\n  z\nb: >-\n   q: r\n\n   s\nc:\n  - |\n    k: v\n  - d: |\n      e: f\n    g: h\n",
  "a: \"x: #y\"\nb: 'it''s: #'\nc: {\"k\":1, 'm': [1, {n: 2}], o: }\nd: [a: 1, b]\ne: http://127.0.0.1:9/v1 # note\n",
  "routes:\n  - name: a\n    when: >\n      model == \"x\" and\n      tokens.input > 10\n    to: m\n  - { name: b, to: $model }\n",
];
const PIECES = [":", " ", "\n", "-", "#", '"', "'", "{", "}", "[", "]", ",", "|", ">", "?", ": ", "- ", "\n  ", "x", "&a", "*a", "\t", "\r", "---", "a: 1\n", " #"];

/** The plain value the config source builds from the `yaml` library's document. */
function plain(doc: Document, node: Node | null): unknown {
  if (!node) return null;
  if (isAlias(node)) return plain(doc, node.resolve(doc) as Node);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      Object.defineProperty(out, name, { value: plain(doc, pair.value as Node), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => plain(doc, item as Node));
  return isScalar(node) ? node.value : null;
}

function mutate(text: string, random: () => number): string {
  const pick = (n: number) => Math.floor(random() * n);
  for (let edit = 1 + pick(3); edit > 0; edit--) {
    const at = pick(text.length + 1);
    const lines = text.split("\n");
    const line = pick(lines.length);
    switch (pick(4)) {
      case 0:
        text = text.slice(0, at) + text.slice(at + 1 + pick(3));
        break;
      case 1:
        text = text.slice(0, at) + PIECES[pick(PIECES.length)] + text.slice(at);
        break;
      case 2:
        lines.splice(pick(lines.length), 0, lines[line]!);
        text = lines.join("\n");
        break;
      default:
        lines[line] = pick(2) ? ` ${lines[line]}` : lines[line]!.replace(/^ {1,2}/, "");
        text = lines.join("\n");
    }
  }
  return text;
}

describe("the fast parse", () => {
  test("builds the same value as the yaml library on thousands of mutated files, or declines", () => {
    let seed = 20240611;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const mismatches: string[] = [];
    let taken = 0;
    for (let round = 0; round < 3000; round++) {
      const text = mutate(SEEDS[round % SEEDS.length]!, random);
      const fast = fastParse(text);
      if (!fast) continue;
      taken++;
      const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
      const expected = doc.errors.length > 0 ? `errors: ${doc.errors.map((e) => e.code).join(",")}` : JSON.stringify(plain(doc, doc.contents as Node));
      if (JSON.stringify(fast.value) !== expected) mismatches.push(JSON.stringify(text));
    }
    expect(mismatches).toEqual([]);
    expect(taken).toBeGreaterThan(800);
  }, 30_000);

  test("reads the shipped config and a generated 1,000-route config", () => {
    expect(fastParse(SHIPPED)).toBeDefined();
    expect(fastParse(generatedConfig(1000))).toBeDefined();
  });

  test("does not count lines of a block scalar that look like keys", () => {
    expect(countIndicators("a: |\n  x: y\n  - z: w\nb:\n  - c: >\n      d: e\n    f: g\n")).toBe(4);
  });

  test("does not count a colon inside a URL, a quoted string or a comment", () => {
    expect(countIndicators('a: http://127.0.0.1:9/v1\nb: "c: d" # e: f\ng: \'h: i\'\n')).toBe(3);
  });

  test("declines a key given twice in a flow map", () => {
    expect(fastParse("server: { port: 1, port: 2 }\n")).toBeUndefined();
  });

  test("declines a flow collection whose later lines sit left of its key, which only the native parser accepts", () => {
    expect(fastParse("models:\n  - { provider: openai\n}\n")).toBeUndefined();
    expect(fastParse("models:\n  - { provider: openai,\n      model: x }\n")).toBeDefined();
  });

  test("declines anchors, aliases and merge keys", () => {
    expect(fastParse("a: &p { input: 1 }\nb: *p\n")).toBeUndefined();
    expect(fastParse("a: { <<: { x: 1 } }\n")).toBeUndefined();
  });
});

describe("files read by the fast parse", () => {
  const compile = (text: string) => compileConfig(text, { file: "router.config.yaml", env: {}, plugins: testCatalog });

  test("a key given twice in a flow map is still duplicate-name at the second key", () => {
    const [d] = compile("server: { port: 1, port: 2 }\n").diagnostics;
    expect([d?.code, d?.line, d?.col]).toEqual(["duplicate-name", 1, 20]);
  });

  test("an expression error still points inside its scalar", () => {
    const text = `${generatedConfig(3)}  - { name: late, when: 'tokens.inptu > 1', to: m-0 }\n`;
    expect(fastParse(text)).toBeDefined();
    const diagnostics = compile(text).diagnostics.filter((d) => d.code === "expr-unknown-fact");
    const line = text.split("\n").length - 1;
    expect(diagnostics.map((d) => [d.line, d.col, d.length])).toEqual([[line, 26, 12]]);
  });

  test("a config with aliases compiles as before through the full parser", () => {
    const text = [
      "providers:",
      "  openai: { use: openai, api_key: sk-x }",
      "models:",
      "  a: [{ provider: openai, model: a, price: &price { input: 1, output: 2 } }]",
      "  b: [{ provider: openai, model: b, price: *price }]",
      "routes:",
      "  - { name: direct, to: $model }",
    ].join("\n");
    const result = compile(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.graph?.models.get("b")?.[0]?.price).toEqual(result.graph?.models.get("a")?.[0]?.price);
  });

  test("a merge key takes a shared endpoint's settings, the map's own keys winning", () => {
    const text = [
      "providers:",
      "  openai: { use: openai, api_key: sk-x }",
      "models:",
      "  small: [&base { provider: openai, model: gpt-5-mini, price: { input: 0.25, output: 2 }, timeout: 30s }]",
      "  large: [{ <<: *base, model: gpt-5, price: { input: 1.25, output: 10 } }]",
      "  listed: [{ <<: [*base, { context: 8000 }], model: gpt-5-nano }]",
      "routes:",
      "  - { name: direct, to: $model }",
    ].join("\n");
    const result = compile(text);
    expect(result.diagnostics).toEqual([]);
    const [small, large, listed] = ["small", "large", "listed"].map((name) => result.graph?.models.get(name)?.[0]);
    expect(large).toMatchObject({ provider: "openai", model: "gpt-5", timeoutMs: small!.timeoutMs });
    expect(large!.price).not.toEqual(small!.price);
    expect(listed).toMatchObject({ model: "gpt-5-nano", context: 8000, timeoutMs: small!.timeoutMs, price: small!.price });
  });

  test("a key misspelt beside a merge key is named where it is written; a merge of no map is an unknown key", () => {
    const text = [
      "providers:",
      "  openai: { use: openai, api_key: sk-x }",
      "models:",
      "  small: [&base { provider: openai, model: gpt-5-mini, price: { input: 0.25, output: 2 } }]",
      "  large: [{ <<: *base, modle: gpt-5 }]",
      "  odd: [{ <<: 5, provider: openai, model: x, price: { input: 1, output: 1 } }]",
      "routes:",
      "  - { name: direct, to: $model }",
    ].join("\n");
    const found = compile(text).diagnostics.map((d) => [d.code, d.line, d.col, d.message]);
    expect(found).toEqual([
      ["unknown-key", 5, 24, 'unknown key "modle"'],
      ["unknown-key", 6, 11, 'unknown key "<<"'],
    ]);
  });

  test("an alias that names a map holding it is an error at the alias, not an endless expansion", () => {
    for (const text of ["server: &x { port: 1, host: *x }\n", "server: &x { <<: *x, port: 1 }\n"]) {
      const found = compile(text).diagnostics.map((d) => [d.code, d.line, d.message]);
      expect(found).toContainEqual(["yaml-syntax", 1, "this alias names a map or list that holds it: a config cannot be recursive"]);
    }
  });
});
