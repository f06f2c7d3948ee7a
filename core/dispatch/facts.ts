// Request facts for `when:` rules, computed lazily: a fact costs nothing until a rule reads it.

import type { ChatRequest } from "../kit/canonical.ts";
import type { ClassifierValue, Principal } from "../kit/plugin.ts";
import type { FactReader, FactValue } from "../expr/types.ts";

export interface RequestFactsInput {
  request: ChatRequest;
  /** The public model id the client named (the request's own `model` is the upstream one). */
  model: string;
  principal: Principal | null;
  headers: Headers | null;
  /** A classifier's value for this request, already resolved (classifiers may be async). */
  classify: (name: string) => ClassifierValue | undefined;
  /** The caller's own memoized estimate, so the request is not counted twice. */
  inputTokens?: () => number;
}

/** Tokens an image costs on the input side, roughly (OpenAI's low-detail figure). */
const IMAGE_TOKENS = 85;

/** Tokens a document page costs, roughly: Anthropic puts a PDF page of text at 1,500–3,000. */
const PAGE_TOKENS = 2000;
/** Bytes a PDF page takes, roughly, for one whose pages cannot be counted (they are compressed). */
const PAGE_BYTES = 50_000;

/** ceil(chars / 4) over every text the model reads, plus a flat figure per image and per document page. */
export function estimateInputTokens(request: ChatRequest): number {
  let chars = 0;
  let images = 0;
  let pages = 0;
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === "text") chars += part.text.length;
      else if (part.type === "image") images++;
      else if (part.source.kind === "text") chars += part.source.text.length;
      else if (part.source.kind === "base64" && part.source.mediaType.startsWith("text/")) chars += (part.source.data.length * 3) / 4;
      else pages += part.source.kind === "base64" ? pdfPages(part.source.data) : 1;
    }
    if (message.role === "assistant" && message.toolCalls) {
      for (const call of message.toolCalls) chars += call.name.length + call.arguments.length;
    }
  }
  // Agents offer a dozen tools per turn; their schemas are input too, and not a small part of it.
  if (request.tools) {
    for (const tool of request.tools) {
      chars += tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.parameters).length;
    }
  }
  return Math.ceil(chars / 4) + images * IMAGE_TOKENS + pages * PAGE_TOKENS;
}

/** A PDF's pages: its page objects counted, or, where they are compressed out of sight, its size in pages. */
function pdfPages(base64: string): number {
  const text = Buffer.from(base64, "base64").toString("latin1");
  const counted = text.match(PAGE_OBJECT)?.length ?? 0;
  return counted || Math.max(1, Math.ceil(text.length / PAGE_BYTES));
}

/** A page object's type; `/Pages` is the tree above them. */
const PAGE_OBJECT = /\/Type\s*\/Page(?![a-zA-Z])/g;

function countImages(request: ChatRequest): number {
  let images = 0;
  for (const message of request.messages) for (const part of message.content) if (part.type === "image") images++;
  return images;
}

class RequestFacts implements FactReader {
  private readonly memo = new Map<string, FactValue>();

  constructor(private readonly input: RequestFactsInput) {}

  get(name: string): FactValue {
    const { request, principal } = this.input;
    // Facts read straight off the request or the key need no memo: a map lookup costs more than
    // they do, and dispatch reads them once per route that tests them.
    switch (name) {
      case "model":
        return this.input.model;
      case "stream":
        return request.stream;
      case "max_tokens":
        return request.maxTokens;
      case "tools":
        return request.tools?.length ?? 0;
      case "key.name":
        return principal?.name;
      case "key.tags":
        return principal?.tags;
    }
    // One lookup on the hot path: a remembered undefined is rare enough to pay the second.
    const known = this.memo.get(name);
    if (known !== undefined || this.memo.has(name)) return known;
    const value = this.compute(name);
    this.memo.set(name, value);
    return value;
  }

  /** The facts worth remembering: walks over the request, headers, classifiers. */
  private compute(name: string): FactValue {
    const { request, headers } = this.input;
    switch (name) {
      case "tokens.input":
        return this.input.inputTokens?.() ?? estimateInputTokens(request);
      case "images":
        return countImages(request);
    }
    if (name.startsWith("header.")) return headers?.get(name.slice(7)) ?? undefined;
    return this.input.classify(name);
  }
}

/** A fact reader over one request; each fact is computed on first read and remembered. */
export function createRequestFacts(input: RequestFactsInput): FactReader {
  return new RequestFacts(input);
}
