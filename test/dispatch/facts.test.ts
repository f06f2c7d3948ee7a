// Lazy request facts: each computed on first read, memoized, and estimated the documented way.

import { describe, expect, test } from "bun:test";
import { createRequestFacts } from "../../core/dispatch/index.ts";
import type { ChatRequest } from "../../core/kit/canonical.ts";

const request: ChatRequest = {
  model: "gpt-5-mini",
  stream: true,
  maxTokens: 512,
  messages: [
    { role: "system", content: [{ type: "text", text: "a".repeat(40) }] },
    {
      role: "user",
      content: [
        { type: "text", text: "b".repeat(21) },
        { type: "image", source: { kind: "url", url: "https://example.com/chart.png" } },
      ],
    },
  ],
};

function reader(classify: (name: string) => string | undefined = () => undefined) {
  return createRequestFacts({
    request,
    model: "auto",
    principal: { keyId: "k1", name: "ci-bot", tags: ["internal"], creditLimit: null },
    headers: new Headers({ "X-Team": "search" }),
    classify,
  });
}

describe("request facts", () => {
  test("model is the public model the client named, not the upstream one", () => {
    expect(reader().get("model")).toBe("auto");
  });

  test("tokens.input is ceil(chars / 4) over text parts plus 85 per image", () => {
    expect(reader().get("tokens.input")).toBe(Math.ceil(61 / 4) + 85);
  });

  test("tokens.input counts a Chinese character as about a token, as tokenizers do, not a quarter", () => {
    const chinese: ChatRequest = { ...request, messages: [{ role: "user", content: [{ type: "text", text: "请帮我重构这个函数".repeat(10) }] }] };
    const facts = createRequestFacts({ request: chinese, model: "auto", principal: null, headers: new Headers(), classify: () => undefined });
    // 90 characters of three bytes each: a quarter token and a half for each of the two bytes more.
    expect(facts.get("tokens.input")).toBe(Math.ceil(90 * 1.25));
  });

  test("a document counts its text, or 2,000 tokens a PDF page, its pages counted where they can be", () => {
    const pages = (count: number) => Buffer.from(`%PDF-1.7 1 0 obj << /Type /Pages /Count ${count} >> ${"<< /Type /Page >> ".repeat(count)}`).toString("base64");
    const compressed = Buffer.alloc(120_000, 7).toString("base64");
    const withDocuments: ChatRequest = {
      ...request,
      messages: [{
        role: "user",
        content: [
          { type: "document", source: { kind: "base64", mediaType: "application/pdf", data: pages(3) } },
          { type: "document", source: { kind: "base64", mediaType: "application/pdf", data: compressed } },
          { type: "document", source: { kind: "url", url: "https://example.com/q4.pdf" } },
          { type: "document", source: { kind: "text", text: "c".repeat(40) } },
        ],
      }],
    };
    const facts = createRequestFacts({ request: withDocuments, model: "auto", principal: null, headers: new Headers(), classify: () => undefined });
    // 3 counted pages, 120 KB of compressed ones as 3, one page for a URL; 40 chars of text.
    expect(facts.get("tokens.input")).toBe((3 + 3 + 1) * 2000 + 10);
    expect(facts.get("images")).toBe(0);
  });

  test("stream, max_tokens, tools and images come from the request", () => {
    const facts = reader();
    expect([facts.get("stream"), facts.get("max_tokens"), facts.get("tools"), facts.get("images")]).toEqual([true, 512, 0, 1]);
  });

  test("key facts come from the principal and header facts from the headers, case-insensitively", () => {
    const facts = reader();
    expect(facts.get("key.name")).toBe("ci-bot");
    expect(facts.get("key.tags")).toEqual(["internal"]);
    expect(facts.get("header.x-team")).toBe("search");
    expect(facts.get("header.X-Team")).toBe("search");
    expect(facts.get("header.x-missing")).toBeUndefined();
  });

  test("a classifier is asked once however often its fact is read", () => {
    const asked: string[] = [];
    const facts = reader((name) => {
      asked.push(name);
      return "coding";
    });
    expect(facts.get("intent")).toBe("coding");
    expect(facts.get("intent")).toBe("coding");
    expect(asked).toEqual(["intent"]);
  });

});
