// Canonical request, response and stream-event types: what every ingress translates into and every
// provider plugin translates out of. They carry everything either dialect can say, losslessly.

export type ImageSource =
  | { kind: "url"; url: string }
  | { kind: "base64"; mediaType: string; data: string };

/**
 * A prompt-cache breakpoint the client set (Anthropic's `cache_control`, which OpenRouter takes on
 * OpenAI text parts too): the prompt up to and including the marked block is cached. `ttl` as the
 * client wrote it ("5m", "1h"); absent, the vendor's default.
 */
export interface CacheControl {
  ttl?: string;
}

/**
 * A document the model reads: a file's bytes with their media type (a PDF, as every vendor takes
 * one), a URL the vendor fetches, or plain text. Never a vendor's stored file id: only the vendor
 * holding the file could read one, and the ingress refuses it.
 */
export type DocumentSource =
  | { kind: "base64"; mediaType: string; data: string }
  | { kind: "url"; url: string }
  | { kind: "text"; text: string };

export type ContentPart =
  | { type: "text"; text: string; cacheControl?: CacheControl }
  | { type: "image"; source: ImageSource; detail?: "auto" | "low" | "high"; cacheControl?: CacheControl }
  | {
      type: "document";
      source: DocumentSource;
      /** The file's name (OpenAI's `filename`) or the document's title (Anthropic's `title`). */
      title?: string;
      /** What the client says about the document (Anthropic's `context`); other vendors get it as text after it. */
      context?: string;
      /** Anthropic's citations asked for (`citations: {enabled: true}`): only Anthropic gives them, so only it serves the request. */
      citations?: boolean;
      cacheControl?: CacheControl;
    };

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text, as the model produced it. */
  arguments: string;
  /** On the call as the assistant turn sent it back (Anthropic's tool_use block). */
  cacheControl?: CacheControl;
}

/**
 * A reasoning block as its vendor must get it back on the next turn: signed thinking, or thinking
 * the vendor returned encrypted. Only the vendor that made it can read it.
 */
export type ReasoningBlock =
  | { type: "thinking"; text: string; signature: string }
  | { type: "redacted"; data: string }
  /** OpenAI's reasoning item as its Responses API returns it to a stateless client: encrypted, with its id. */
  | { type: "openai"; id: string; encrypted: string };

export type Message =
  | { role: "system"; content: ContentPart[]; /** OpenAI's `developer` role. */ developer?: boolean }
  | { role: "user"; content: ContentPart[]; name?: string }
  | {
      role: "assistant";
      content: ContentPart[];
      toolCalls?: ToolCall[];
      reasoning?: string;
      /**
       * The thinking's signature, needed to send thinking back on the next turn: Anthropic's bare,
       * another vendor's marked `<vendor>:` by its provider (Gemini's `gemini:`), so that each
       * vendor gets back only what it signed.
       */
      reasoningSignature?: string;
      /**
       * Anthropic's thinking blocks as they came, in order, when there was more than one signed
       * block or a redacted one: replayed as they are. `reasoning` still holds their text.
       */
      reasoningBlocks?: ReasoningBlock[];
      /**
       * The turn's blocks as Anthropic sent them, when they hold its own tools' calls and results
       * (a web search and what it found) or citations: replayed to Anthropic as they are. `content`
       * and `toolCalls` still hold the turn's text and calls.
       */
      anthropicContent?: Record<string, unknown>[];
      /**
       * The message's phase in OpenAI's Responses API (`commentary`, `final_answer`): its Codex
       * models want it back on every assistant message. Other vendors leave it out.
       */
      phase?: string;
    }
  | { role: "tool"; toolCallId: string; content: ContentPart[]; isError?: boolean; /** On the result block itself. */ cacheControl?: CacheControl };

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
  strict?: boolean;
  /** A breakpoint on the definition: the tools up to it are cached. */
  cacheControl?: CacheControl;
  /**
   * A freeform tool (OpenAI's `custom` tool, as Codex's apply_patch is): the model writes its input
   * as plain text, held to `format` (a grammar) where the vendor enforces one. Every vendor gets it
   * as a function whose one string parameter, `input`, carries that text, as its calls do.
   */
  freeform?: { format?: Record<string, unknown> };
}

export type ToolChoice = "auto" | "none" | "required" | { name: string };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };

/** OpenAI's reasoning efforts, as its reference lists them: `none` asks for no thinking. */
export const EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh"] as const;
export type Effort = (typeof EFFORTS)[number];

/**
 * A response format as an instruction, for a vendor with no JSON mode (Anthropic), or none beside
 * function calling (Gemini 2.5): undefined for plain text.
 */
export function formatInstruction(format: ResponseFormat | undefined): string | undefined {
  if (format?.type === "json_object") return "Respond only with a single valid JSON object, with no text before or after it.";
  if (format?.type !== "json_schema") return undefined;
  const named = `${format.name}${format.description ? `: ${format.description}` : ""}`;
  return `Respond only with a single valid JSON value, with no text before or after it, that conforms to this JSON Schema (${named}):\n${JSON.stringify(format.schema)}`;
}

export interface ReasoningOptions {
  effort?: Effort;
  budgetTokens?: number;
  /** The client asked to be shown none of it (OpenRouter's `reasoning.exclude`, `include_reasoning: false`): the model may still think. */
  exclude?: boolean;
  /** The summary of its reasoning a Responses API client asks OpenAI for (`auto`, `concise`, `detailed`): OpenAI writes none unasked. */
  summary?: string;
}

/**
 * An effort as a thinking budget in tokens, on Anthropic's scale (whose smallest budget is 1024):
 * what the Anthropic encoder asks for, and the most any vendor thinks for it.
 */
export const EFFORT_THINKING_TOKENS = { minimal: 1024, low: 2048, medium: 8192, high: 24576, xhigh: 32768 } as const;

/** The thinking a request asks for, in tokens: its own budget, or its effort's; undefined when it asks for none. */
export function thinkingTokens(reasoning: ReasoningOptions | undefined): number | undefined {
  if (reasoning?.budgetTokens !== undefined) return reasoning.budgetTokens;
  const effort = reasoning?.effort;
  return effort && effort !== "none" ? EFFORT_THINKING_TOKENS[effort] : undefined;
}

/** A token budget as the effort nearest it, for a vendor that takes efforts: the least effort whose budget holds it. */
export function budgetEffort(tokens: number): Exclude<Effort, "none"> {
  if (tokens <= EFFORT_THINKING_TOKENS.minimal) return "minimal";
  if (tokens <= EFFORT_THINKING_TOKENS.low) return "low";
  if (tokens <= EFFORT_THINKING_TOKENS.medium) return "medium";
  return tokens <= EFFORT_THINKING_TOKENS.high ? "high" : "xhigh";
}

/**
 * The body the client sent, kept beside the canonical request under a symbol key (copied with the
 * request, never serialised with it). A provider that speaks the same dialect may forward `text`
 * instead of serialising its own encoding again, when both say the same thing.
 */
export const CLIENT_BODY: unique symbol = Symbol("switchyard.clientBody");

export interface ClientBody {
  dialect: "openai" | "anthropic";
  text: string;
  json: Record<string, unknown>;
}

export interface ChatRequest {
  [CLIENT_BODY]?: ClientBody;
  /** The upstream model id of the endpoint being tried (the gateway sets it per attempt). */
  model: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  temperature?: number;
  topP?: number;
  topK?: number;
  /** OpenAI's penalties (-2 to 2); Gemini takes them too, Anthropic has none and leaves them out. */
  presencePenalty?: number;
  frequencyPenalty?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  user?: string;
  reasoning?: ReasoningOptions;
  stream: boolean;
  /**
   * Fields of OpenAI's own Chat Completions API that steer only its vendor and that no other
   * dialect has (`logit_bias`, `store`, `metadata`, `service_tier`…), as the client sent them.
   * Sent on only to vendors that take them: OpenAI itself, and compatible vendors set to.
   */
  openaiFields?: Record<string, unknown>;
  /**
   * The same for Anthropic's Messages API: the fields it alone has (`context_management`,
   * `output_config`, a thinking mode other than a token budget…), as the client sent them, and the
   * beta features its `anthropic-beta` header turned on for them. Sent on only to Anthropic.
   */
  anthropicFields?: Record<string, unknown>;
  anthropicBetas?: string[];
  /**
   * Anthropic's own tools (web search, web fetch…), as the client sent them: they run inside
   * Anthropic's service, so they go to Anthropic beside `tools`, and to no other vendor.
   */
  anthropicTools?: Record<string, unknown>[];
  /**
   * Set when only Anthropic can serve the request (its own tools asked for, or their calls and
   * results in the conversation), saying why: the gateway tries no other vendor's endpoint.
   */
  anthropicOnly?: string;
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "error";

export interface Usage {
  /** All input tokens, cached ones included. */
  inputTokens: number;
  /** All output tokens, reasoning ones included. */
  outputTokens: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  /** Of `cacheWriteTokens`, those written to the hour-long cache (priced apart, see Price.cacheWrite1h). */
  cacheWrite1hTokens?: number;
  reasoningTokens?: number;
  /** Anthropic's web searches, priced apart from tokens (Price.webSearch). */
  webSearches?: number;
  /** True when the vendor reported no usage and the gateway estimated it. */
  estimated?: boolean;
}

export interface ChatResponse {
  id: string;
  /** The model the vendor says served the request. */
  model: string;
  created: number;
  text: string;
  reasoning?: string;
  reasoningSignature?: string;
  /** Whether `reasoning` is the vendor's summary of its reasoning (OpenAI's), not the reasoning itself. */
  reasoningSummary?: boolean;
  /** As on an assistant message: the vendor's blocks when one signature or one text cannot carry them. */
  reasoningBlocks?: ReasoningBlock[];
  toolCalls: ToolCall[];
  /** As on an assistant message: Anthropic's blocks as they came, when they hold its own tools' calls and results or citations. */
  anthropicContent?: Record<string, unknown>[];
  /** What the model said in declining the request (OpenAI's `refusal`), apart from its text. */
  refusal?: string;
  finishReason: FinishReason;
  /** The vendor's own finish reason, kept as it was. */
  nativeFinishReason?: string;
  /** The stop sequence that ended the answer, where the vendor says which (Anthropic). */
  stopSequence?: string;
  /**
   * The answer's text as the vendor split it into messages of a phase each (OpenAI's Responses
   * API: a commentary, then the final answer), for a Responses client; `text` holds them joined.
   */
  phases?: { phase?: string; text: string }[];
  usage?: Usage;
}

export type StreamEvent =
  /** `usage`: the prompt's counts, where the vendor gives them as it opens (Anthropic's `message_start`). */
  | { type: "start"; id: string; model: string; usage?: Usage }
  /**
   * `phase`: the first text of a message of this phase (OpenAI's Responses API), which begins a
   * message of its own for a Responses client. The text of a later message begins with "\n\n",
   * the paragraph break that joins it to the one before for any other client.
   */
  | { type: "text"; text: string; phase?: string }
  /** A piece of the model's refusal (OpenAI's `delta.refusal`). */
  | { type: "refusal"; text: string }
  /**
   * `summary`: the text is the vendor's summary of its reasoning (OpenAI's), not the reasoning itself.
   * `item`: on the first text of one of OpenAI's reasoning items, its id: the `reasoning_item` that
   * ends it carries the same, and a Responses client gets the two as the one item they are.
   */
  | { type: "reasoning"; text: string; signature?: string; summary?: boolean; item?: string }
  /** A reasoning block the vendor sent encrypted: passed on whole to clients that can replay it. */
  | { type: "redacted_reasoning"; data: string }
  /** OpenAI's encrypted reasoning item, whole: for Responses API clients, which send it back on the next turn. */
  | { type: "reasoning_item"; id: string; encrypted: string }
  | { type: "tool_call_start"; index: number; id: string; name: string }
  | { type: "tool_call_delta"; index: number; arguments: string }
  /**
   * A block of Anthropic's own (a server tool's call or result) as it began: for Anthropic clients, as it came.
   * An empty `text` block here starts a text block after another: the text before it was a block of its own.
   */
  | { type: "anthropic_block"; block: Record<string, unknown> }
  /** A delta of Anthropic's own for the block being written (a server tool's input, a citation): for Anthropic clients. */
  | { type: "anthropic_delta"; delta: Record<string, unknown> }
  | { type: "usage"; usage: Usage }
  | { type: "finish"; reason: FinishReason; native?: string; stopSequence?: string };

export type ChatResult = ChatResponse | AsyncIterable<StreamEvent>;

/**
 * A stream may also offer its events grouped as they arrived (one array per network read) under
 * this key: the gateway then pays one await per read instead of one per event. Iterating the
 * stream itself still yields the events one by one.
 */
export const EVENT_BATCHES: unique symbol = Symbol("switchyard.eventBatches");

/**
 * Batches of events. The step that ends it may carry the last batch (`{ done: true, value }`): a
 * source that knows a read was the stream's last says so with it, and the gateway then writes that
 * batch and the client's closing frames as one packet instead of two.
 */
export type EventBatches = AsyncIterator<StreamEvent[], StreamEvent[] | undefined>;

export interface BatchedEvents extends AsyncIterable<StreamEvent> {
  [EVENT_BATCHES](): EventBatches;
}

/** A stream of events from a source of batches; read it either way, once. */
export function batchedEvents(batches: () => EventBatches): BatchedEvents {
  return new Batched(batches);
}

/** A class, not an object literal: a stream a request, and a literal's methods are made anew each time. */
class Batched implements BatchedEvents {
  readonly [EVENT_BATCHES]: () => EventBatches;

  constructor(batches: () => EventBatches) {
    this[EVENT_BATCHES] = batches;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<StreamEvent> {
    const iterator = this[EVENT_BATCHES]();
    try {
      let step = await iterator.next();
      for (; !step.done; step = await iterator.next()) yield* step.value;
      if (step.value) yield* step.value;
    } finally {
      await iterator.return?.();
    }
  }
}

export function isStream(result: ChatResult): result is AsyncIterable<StreamEvent> {
  return typeof (result as AsyncIterable<StreamEvent>)[Symbol.asyncIterator] === "function";
}

/** A plain-text document as the text of a vendor that has no text documents: its title, then its text. */
export function documentText(document: { title?: string }, text: string): string {
  return document.title === undefined ? text : `${document.title}\n\n${text}`;
}

/** The latest user turn's text: what classifiers judge (a long system prompt must not decide). */
export function latestUserText(request: Pick<ChatRequest, "messages">): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i]!;
    if (message.role !== "user") continue;
    let text = "";
    for (const part of message.content) if (part.type === "text") text += (text ? "\n" : "") + part.text;
    return text;
  }
  return "";
}
