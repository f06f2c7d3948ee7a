// The body of a streamed answer: the relay's events, encoded in the client's dialect, one write
// per batch the vendor sent.

import { clientGone, isClientGone } from "../gateway/attempt.ts";
import type { Cancellation } from "../gateway/cancellation.ts";
import type { ChatOutcome, Settlement } from "../gateway/pipeline.ts";
import type { StreamEvent } from "../kit/canonical.ts";
import { toGatewayError } from "./http.ts";
import type { StreamEncoder } from "./ingress.ts";
import { KeepAlive, type KeptStream } from "./keepalive.ts";

const utf8 = new TextEncoder();
/** The streams of every request of this process, kept open while their vendors are quiet. */
const keeper = new KeepAlive();

/**
 * A direct stream: each batch's frames are written straight into the response, with no queue
 * between us and the socket (measured with bench/ab.ts: 3–5% less CPU per streamed turn than a
 * queued ReadableStream). A client slower than the upstream holds the loop at its write, so a slow
 * client slows the upstream read; a client that goes away cancels the stream, which aborts the
 * upstream call at once.
 */
export function sseBody(
  outcome: Extract<ChatOutcome, { kind: "stream" }>,
  stream: StreamEncoder,
  request: StreamedRequest,
): ReadableStream<Uint8Array> {
  // The DOM typings' constructor wins over Bun's direct-stream overload: the source is typed below.
  return new ReadableStream(sseSource(outcome, stream, request) as unknown as UnderlyingDefaultSource<Uint8Array>);
}

/** A streamed answer's own response headers, set on the served ones (which are returned). */
export function withStreamHeaders(headers: Record<string, string>): Record<string, string> {
  headers["content-type"] = "text/event-stream";
  headers["cache-control"] = "no-cache";
  return headers;
}

/** The request a body streams the answer of. */
export interface StreamedRequest {
  /** Aborted by the body when the client goes away. */
  readonly client: Cancellation;
  /** Called once, when the body has ended whichever way: the request is over. */
  release(): void;
  /** How long the stream may be silent before it gets a keep-alive comment; 0 for never. */
  readonly keepaliveMs: number;
}

/**
 * The whole answer as SSE text when the vendor's stream ended within its first read (the relay
 * ends as this takes its events), to go out as one body of known length: no chunked framing and
 * no stream to drive, as a plain proxy passes such an answer on. Null when more is to come.
 */
export function wholeSseText(outcome: Extract<ChatOutcome, { kind: "stream" }>, stream: StreamEncoder): string | null {
  const events = outcome.whole();
  return events && withClosingFrames(stream, framesOf(stream, events, ""), outcome.settlement());
}

/** `text` followed by the frames of a batch of events. */
export function framesOf(stream: StreamEncoder, events: readonly StreamEvent[], text: string): string {
  for (const event of events) text += stream.encode(event);
  return text;
}

/** `text` followed by the closing frames: the usage chunk where the client asked for it, and the end. */
export function withClosingFrames(stream: StreamEncoder, text: string, settled: Settlement | null): string {
  return text + stream.end(settled?.usage, settled?.costUsd);
}

export function sseSource(
  outcome: Extract<ChatOutcome, { kind: "stream" }>,
  stream: StreamEncoder,
  request: StreamedRequest,
): Bun.DirectUnderlyingSource<Uint8Array> {
  return new SseSource(outcome, stream, request);
}

/**
 * The direct stream's source: a class, its `pull` and `cancel` methods made once, not a
 * stream's worth of closures. A batch that is ready when asked for (the attempt's first, read
 * before the stream was committed to) is written before anything is awaited: the response head
 * then leaves with it in one packet instead of alone.
 */
class SseSource implements Bun.DirectUnderlyingSource<Uint8Array>, KeptStream {
  readonly type = "direct";
  private readonly iterator: AsyncIterator<StreamEvent[]>;
  private finished = false;
  /** The controller of the pull under way, for the keeper's comments. */
  private controller: ReadableStreamDirectController | null = null;
  wrote = true;

  constructor(
    private readonly outcome: Extract<ChatOutcome, { kind: "stream" }>,
    private readonly stream: StreamEncoder,
    private readonly request: StreamedRequest,
  ) {
    this.iterator = outcome.events[Symbol.asyncIterator]();
  }

  async pull(controller: ReadableStreamDirectController): Promise<void> {
    const { iterator, stream, outcome } = this;
    this.controller = controller;
    if (this.request.keepaliveMs > 0) keeper.add(this, this.request.keepaliveMs);
    // What is encoded and not yet written: complete frames, sent before any error frame.
    let text = "";
    try {
      while (true) {
        const next = iterator.next();
        const step = Bun.peek.status(next) === "fulfilled" ? (Bun.peek(next) as IteratorResult<StreamEvent[]>) : await next;
        if (step.done) break;
        text = framesOf(stream, step.value, text);
        // A batch that came after the relay settled is the vendor's last read: it goes out with
        // the closing frames, one packet instead of two.
        if (!text || outcome.settlement()) continue;
        let delivered = deliver(controller, text);
        text = "";
        this.wrote = true;
        if (typeof delivered !== "boolean") delivered = await delivered;
        if (!delivered) return await this.cancel();
      }
      quietly(controller, utf8.encode(withClosingFrames(stream, text, outcome.settlement())));
    } catch (error) {
      // A client still there (the gateway itself may have ended the call: a shutdown) hears why.
      const reason = this.request.client.reason;
      if (!reason || !isClientGone(reason)) quietly(controller, utf8.encode(text + stream.error(toGatewayError(error))));
      // A failure of the relay has ended it already; one of ours (an encoder that throws) must
      // still end it, which aborts the upstream call and writes the ledger row.
      await iterator.return?.(undefined).catch(() => {});
    }
    quietly(controller);
    this.finish();
  }

  async cancel(): Promise<void> {
    this.request.client.abort(clientGone());
    await this.iterator.return?.(undefined).catch(() => {});
    this.finish();
  }

  /** The keeper's comment, between two of the stream's own writes. */
  writeComment(bytes: Uint8Array): void {
    if (!this.finished && this.controller) quietly(this.controller, bytes);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    keeper.delete(this);
    this.request.release();
  }
}

/**
 * Writes a batch; waits while the client is behind. False once the client has gone away.
 * Synchronous unless the client is behind: a promise per write would be one more turn of the event
 * loop per token. Not flushed: the server sends what a direct stream wrote when the event loop
 * turns, so a batch still leaves at once (the pull awaits the vendor's next read), and batches
 * written in one turn leave together. Without a flush per write a 200-token stream took 0.94–1.00
 * of the CPU (bench/ab.ts, `--scenario 200-token`, three paired runs). Written as bytes: encoding
 * them here costs less than the write's own conversion of a string (bench/in-process.ts, chat
 * stream: 0.96 of the CPU). A fresh array each time, as the write keeps it when the body is read
 * in the same process rather than sent.
 */
function deliver(controller: ReadableStreamDirectController, text: string): boolean | Promise<boolean> {
  try {
    const written = controller.write(utf8.encode(text));
    if (typeof written !== "number") return written.then((count) => count !== 0, () => false);
    return written !== 0;
  } catch {
    return false; // the response is gone
  }
}

/**
 * The last write (`bytes`) or, without them, the close, whose failure has no one left to tell: the
 * client is gone or the stream is closed.
 */
function quietly(controller: ReadableStreamDirectController, bytes?: Uint8Array): void {
  try {
    const pending: unknown = bytes ? controller.write(bytes) : controller.close();
    if (pending instanceof Promise) pending.catch(() => {});
  } catch {}
}
