// A fake vendor: a real HTTP server on 127.0.0.1 (port 0) that records every request and answers
// from a queue of scripted behaviours, so tests can replay a vendor's exact wire format and faults.

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  body: unknown;
  /** The body as it came over the wire. */
  text: string;
}

/** One scripted answer, the same for every vendor fake; each fake renders it in its own wire format. */
export interface FakeReply {
  text?: string;
  reasoning?: string;
  /** OpenAI only: what the model said in declining, sent as `refusal` with no content. */
  refusal?: string;
  /** Anthropic only: a redacted_thinking block's encrypted data, sent after the thinking block. */
  redactedThinking?: string;
  toolCalls?: { id: string; name: string; arguments: string }[];
  /**
   * Anthropic only: content blocks sent as they are after the text (a server tool's call and
   * result, text with citations), streamed as Anthropic streams them.
   */
  blocks?: Record<string, unknown>[];
  /** Anthropic only: the web searches its usage reports (`server_tool_use`). */
  webSearches?: number;
  usage?: { input: number; output: number; cached?: number; cacheWrite?: number; /** Of cacheWrite, those for an hour. */ cacheWrite1h?: number; reasoning?: number };
  /** OpenAI's Responses API only: the answer as messages of a phase each (a commentary, a final answer), in place of `text`. */
  phases?: { phase: string; text: string }[];
  /** Anthropic only: the stop sequence that ended the answer, sent with the stop reason `stop_sequence`. */
  stopSequence?: string;
  /** Canonical finish reason; the fake sends the vendor's native one. Default: stop, or tool_calls. */
  finish?: "stop" | "length" | "tool_calls" | "content_filter";
  /** Model name the vendor reports; default: the requested one. */
  model?: string;
}

/** What the fake does for one request. Vendor fakes turn these into their own wire format. */
export type Behaviour<Reply> =
  /**
   * `inOneRead`: a stream's frames as one body of known length, as a fast vendor's short answer arrives.
   * `frameGapMs`: the vendor's pace, a pause before each frame after the first.
   */
  | { kind: "reply"; reply: Reply; delayMs?: number; inOneRead?: boolean; frameGapMs?: number }
  | { kind: "error"; status: number; body: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Streams `afterFrames` SSE frames then ends the connection without the stream's terminator. */
  | { kind: "break"; reply: Reply; afterFrames: number }
  /** Never answers; the test observes the client giving up (`aborted`). */
  | { kind: "hang" }
  /** Sends the stream's first frames, then waits forever: lets a test watch a client disconnect. */
  | { kind: "stall"; reply: Reply; afterFrames: number }
  /** Sends the stream's first frames, falls silent until `until` resolves, then sends the rest: a vendor thinking. */
  | { kind: "pause"; reply: Reply; afterFrames: number; until: Promise<void> }
  /**
   * Sends the stream's first frames, then `frame` (the vendor's error event, already framed), and
   * ends; with `until`, waits for it before the error; `frameGapMs` as for a reply.
   */
  | { kind: "fail"; reply: Reply; afterFrames: number; frame: string; until?: Promise<void>; frameGapMs?: number };

export interface FakeServer<Reply> {
  url: string;
  requests: RecordedRequest[];
  /** Queue behaviours for the next requests, in order; when empty, `fallback` answers. */
  enqueue(...behaviours: Behaviour<Reply>[]): void;
  fallback: Behaviour<Reply>;
  /** Number of requests whose client went away before the fake finished answering. */
  aborted: number;
  /** Resolves at the next client abort. */
  nextAbort(): Promise<void>;
  close(): Promise<void>;
}

export interface VendorWire<Reply> {
  /** Route check: return null to answer 404 for paths the vendor does not have. */
  matches(method: string, path: string): boolean;
  /** Whether this request asks for a stream (body flag, or a streaming path). */
  isStream(request: RecordedRequest): boolean;
  json(reply: Reply, request: RecordedRequest): unknown;
  /** The SSE frames of a streamed reply, each already framed (`event: ...\ndata: ...\n\n`). */
  frames(reply: Reply, request: RecordedRequest): string[];
  /**
   * The vendor's 400 for a request its API refuses, by the rules a gateway that moves conversations
   * between vendors meets (ids, empty turns, signatures), or null; checked before any behaviour.
   */
  refusal?(request: RecordedRequest): Response | null;
}

const encoder = new TextEncoder();
const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache" };

export function startFakeServer<Reply>(wire: VendorWire<Reply>, fallback: Behaviour<Reply>): FakeServer<Reply> {
  const queue: Behaviour<Reply>[] = [];
  let abortWaiters: (() => void)[] = [];
  const fake: FakeServer<Reply> = {
    url: "",
    requests: [],
    enqueue: (...behaviours) => queue.push(...behaviours),
    fallback,
    aborted: 0,
    nextAbort: () => new Promise<void>((resolve) => abortWaiters.push(resolve)),
    close: async () => server.stop(true),
  };
  const noteAbort = () => {
    fake.aborted++;
    const waiters = abortWaiters;
    abortWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const text = await req.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {}
      const recorded: RecordedRequest = {
        method: req.method,
        path: url.pathname,
        search: url.search,
        headers: Object.fromEntries(req.headers),
        body,
        text,
      };
      fake.requests.push(recorded);
      if (!wire.matches(req.method, url.pathname)) return Response.json({ error: "not found" }, { status: 404 });
      const refused = wire.refusal?.(recorded);
      if (refused) return refused;
      const behaviour = queue.shift() ?? fake.fallback;
      req.signal.addEventListener("abort", noteAbort, { once: true });
      return answer(behaviour, recorded, req.signal);
    },
  });
  fake.url = `http://127.0.0.1:${server.port}`;

  async function answer(behaviour: Behaviour<Reply>, request: RecordedRequest, signal: AbortSignal): Promise<Response> {
    if ("delayMs" in behaviour && behaviour.delayMs) await Bun.sleep(behaviour.delayMs);
    switch (behaviour.kind) {
      case "error":
        return Response.json(behaviour.body, { status: behaviour.status, headers: behaviour.headers });
      case "hang":
        return new Promise<Response>(() => {});
      case "reply":
        if (!wire.isStream(request)) return Response.json(wire.json(behaviour.reply, request));
        if (behaviour.inOneRead) return new Response(wire.frames(behaviour.reply, request).join(""), { headers: SSE_HEADERS });
        return sse(wire.frames(behaviour.reply, request), "end", signal, { gapMs: behaviour.frameGapMs });
      case "break":
        return sse(wire.frames(behaviour.reply, request).slice(0, behaviour.afterFrames), "drop", signal);
      case "stall":
        return sse(wire.frames(behaviour.reply, request).slice(0, behaviour.afterFrames), "stall", signal);
      case "fail": {
        const frames = [...wire.frames(behaviour.reply, request).slice(0, behaviour.afterFrames), behaviour.frame];
        return sse(frames, "end", signal, { pauseAt: behaviour.afterFrames, until: behaviour.until, gapMs: behaviour.frameGapMs });
      }
      case "pause":
        return sse(wire.frames(behaviour.reply, request), "end", signal, { pauseAt: behaviour.afterFrames, until: behaviour.until });
    }
  }

  /** `until` holds the frame at `pauseAt` back; `gapMs` paces every frame after the first. */
  function sse(frames: string[], ending: "end" | "drop" | "stall", signal: AbortSignal, pace: { pauseAt?: number; until?: Promise<void>; gapMs?: number } = {}): Response {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === pace.pauseAt && pace.until) await pace.until;
        if (sent++ > 0 && pace.gapMs && frames.length > 0) await Bun.sleep(pace.gapMs);
        const frame = frames.shift();
        if (frame !== undefined) return controller.enqueue(encoder.encode(frame));
        // "drop": the connection ends without the stream's terminator, as when a proxy or the vendor
        // gives up mid-answer (a reset would also discard the frames the client had not read yet).
        if (ending === "end" || ending === "drop") return controller.close();
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
        controller.close();
      },
    });
    return new Response(stream, { headers: SSE_HEADERS });
  }

  return fake;
}
