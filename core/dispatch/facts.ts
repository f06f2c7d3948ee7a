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
/** The most an image costs: vendors scale a large one down to about 1,600 tokens (Anthropic) or 2,500 (OpenAI's patches). */
const MOST_IMAGE_TOKENS = 2500;

/** Tokens a document page costs, roughly: Anthropic puts a PDF page of text at 1,500–3,000. */
const PAGE_TOKENS = 2000;
/** The most a page costs: its text and its picture, which Anthropic reads too. */
const MOST_PAGE_TOKENS = 5000;
/** Bytes a PDF page takes, roughly, for one whose pages cannot be counted (they are compressed). */
const PAGE_BYTES = 50_000;
/** Tokens a vendor adds around each message (its role and separators), and around tools (their preamble). */
const MESSAGE_TOKENS = 8;
const TOOLS_TOKENS = 1000;

interface InputSize {
  /** Of every text the model reads, as `measure` counts it. */
  text: number;
  images: number;
  pages: number;
}

/** What a request gives the model to read: its texts measured by `measure`, its images and document pages counted. */
function inputSize(request: ChatRequest, measure: (text: string) => number): InputSize {
  const size: InputSize = { text: 0, images: 0, pages: 0 };
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === "text") size.text += measure(part.text);
      else if (part.type === "image") size.images++;
      else if (part.source.kind === "text") size.text += measure(part.source.text);
      else if (part.source.kind === "base64" && part.source.mediaType.startsWith("text/")) size.text += (part.source.data.length * 3) / 4;
      else size.pages += part.source.kind === "base64" ? pdfPages(part.source.data) : 1;
    }
    if (message.role === "assistant" && message.toolCalls) {
      for (const call of message.toolCalls) size.text += measure(call.name) + measure(call.arguments);
    }
  }
  // Agents offer a dozen tools per turn; their schemas are input too, and not a small part of it.
  if (request.tools) {
    for (const tool of request.tools) size.text += measure(tool.name) + measure(tool.description ?? "") + measure(JSON.stringify(tool.parameters));
  }
  return size;
}

/**
 * A quarter token a character of every text the model reads, and half a token more for each byte
 * past the first of a character's UTF-8 (a Chinese character, three bytes, is one and a quarter:
 * tokenizers make about one token of each), plus a flat figure per image and per document page.
 */
export function estimateInputTokens(request: ChatRequest): number {
  const size = inputSize(request, (text) => text.length + 2 * (Buffer.byteLength(text, "utf8") - text.length));
  return Math.ceil(size.text / 4) + size.images * IMAGE_TOKENS + size.pages * PAGE_TOKENS;
}

/**
 * The most input tokens a request can be counted: a vendor's tokenizer makes at most one token of
 * each byte of UTF-8 (four characters of English are one token; one of Chinese may be three), plus
 * the most an image or a page costs and what a vendor adds around messages and tools. What a
 * credit-limited key holds: an estimate, under the count for Chinese text or a large image, would
 * let concurrent requests spend past the limit.
 */
export function mostInputTokens(request: ChatRequest): number {
  const size = inputSize(request, (text) => Buffer.byteLength(text, "utf8"));
  const around = request.messages.length * MESSAGE_TOKENS + (request.tools?.length ? TOOLS_TOKENS : 0);
  return Math.ceil(size.text) + size.images * MOST_IMAGE_TOKENS + size.pages * MOST_PAGE_TOKENS + around;
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
