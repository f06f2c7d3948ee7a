// Server-sent events: reading vendor streams (messages, or canonical events through a vendor's
// StreamDecoder, in batches per network read) and framing our own.

import { errors } from "../errors.ts";
import { batchedEvents, type BatchedEvents, type EventBatches, type StreamEvent } from "./canonical.ts";

export interface SseMessage {
  /** The `event:` field, or "message" when absent. */
  event: string;
  data: string;
  id?: string;
}

/**
 * Reads SSE messages from a byte stream as they arrive. Handles CRLF, LF and CR line ends,
 * multi-line data, comments and events split across chunks. Releases the reader on exit so an
 * abandoned loop cancels the upstream body.
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const parser = new SseParser();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      yield* parser.push(value);
    }
    yield* parser.end();
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => {});
  }
}

/**
 * A vendor's stream format, decoded one message at a time and synchronously: `message` appends the
 * canonical events a message stands for (and throws the vendor's error frame), `done` is set by the
 * message that ends the stream, and `end` adds what was held to the end or throws if the stream was
 * cut short.
 */
export interface StreamDecoder {
  readonly done: boolean;
  message(message: SseMessage, out: StreamEvent[]): void;
  end(out: StreamEvent[]): void;
}

/**
 * Whether the body's end has already arrived: a read that settles at once and says done. Seeing
 * it costs a fraction of cancelling a body that is over anyway. A read still waiting is left to
 * the cancel that follows, which ends it.
 */
function bodyHasEnded(reader: ReadableStreamDefaultReader<Uint8Array>): boolean {
  const next = reader.read();
  next.catch(() => {});
  const settled = Bun.peek(next);
  return settled !== next && (settled as ReadableStreamReadResult<Uint8Array>).done === true;
}

/**
 * A vendor's SSE body → canonical events, grouped per network read (see EVENT_BATCHES). The read
 * that ends the stream (its end message, or the body's end) comes with the step that says done.
 */
export function decodeSse(body: ReadableStream<Uint8Array>, decoder: StreamDecoder): BatchedEvents {
  return batchedEvents(() => new SseBatches(body.getReader(), decoder));
}

type BatchStep = IteratorResult<StreamEvent[], StreamEvent[] | undefined>;
type Read = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

const FINISHED: BatchStep = { done: true, value: undefined };

/**
 * decodeSse's batches as a plain iterator rather than an async generator: a read reaches its
 * consumer through the read's own promise, with no generator to resume (bench/in-process.ts, a
 * 100-token answer: 0.96 of the CPU).
 */
class SseBatches implements EventBatches {
  private readonly parser = new SseParser();
  /** The body was read to its end. */
  private ended = false;
  private finished = false;
  /** The read's callbacks, made once a stream rather than once a read. */
  private readonly onRead = (read: Read) => this.decode(read);
  private readonly onFailure = (error: unknown) => this.fail(error);

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly decoder: StreamDecoder,
  ) {}

  next(): Promise<BatchStep> {
    if (this.finished) return Promise.resolve(FINISHED);
    return this.reader.read().then(this.onRead, this.onFailure);
  }

  /** The consumer stopped early: the body is cancelled, which releases the upstream connection. */
  async return(): Promise<BatchStep> {
    await this.finish();
    return FINISHED;
  }

  private decode(read: Read): BatchStep {
    // Returned while this read was pending: the body is cancelled already.
    if (this.finished) return FINISHED;
    const { decoder } = this;
    this.ended = read.done;
    const out: StreamEvent[] = [];
    try {
      for (const message of read.done ? this.parser.end() : this.parser.push(read.value)) {
        decoder.message(message, out);
        if (decoder.done) break;
      }
      if (!decoder.done && !read.done) return { done: false, value: out };
      decoder.end(out);
    } catch (error) {
      return this.fail(error);
    }
    void this.finish();
    return { done: true, value: out };
  }

  private fail(error: unknown): never {
    void this.finish();
    throw error;
  }

  /**
   * A body read to its end is done with, and so is one whose end came with the message that
   * finished the stream. One left early (the consumer stopped, a read failed, the vendor says
   * more after its end) is cancelled, which releases the upstream connection.
   */
  private async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (!this.ended && !(this.decoder.done && bodyHasEnded(this.reader))) await this.reader.cancel().catch(() => {});
  }
}

/** The same from messages already read, one event at a time. */
export async function* decodeSseMessages(messages: AsyncIterable<SseMessage>, decoder: StreamDecoder): AsyncGenerator<StreamEvent> {
  const out: StreamEvent[] = [];
  for await (const message of messages) {
    decoder.message(message, out);
    if (out.length) yield* out.splice(0);
    if (decoder.done) break;
  }
  decoder.end(out);
  yield* out;
}

/** TextDecoder options for a chunk of a longer stream: made once, not per read. */
const STREAMING: TextDecodeOptions = { stream: true };

/** Byte order marks are kept by the decoder: a chunk decoded as a last one would lose any at its start. */
function utf8Decoder(): TextDecoder {
  return new TextDecoder("utf-8", { ignoreBOM: true });
}

/** Decodes the chunks that end between characters, for every stream: it keeps no state between them. */
const WHOLE = utf8Decoder();

/** Bytes in, complete messages out, synchronously; keeps a partial line for the next chunk. */
/** The most a stream may send of one line before its end: no frame of an answer comes near it. */
const MOST_PENDING = 8 * 1024 * 1024;

class SseParser {
  /**
   * The stream's own decoder, made when a chunk first ends mid-character (it holds the character's
   * first bytes for the next chunk); until then chunks are decoded whole by the shared one.
   */
  private decoder: TextDecoder | null = null;
  private readonly message = new MessageBuilder();
  private buffer = "";
  /** Whether any text has been decoded: the stream's own byte order mark, if any, comes first. */
  private started = false;

  push(bytes: Uint8Array): SseMessage[] {
    // A chunk ending on an ASCII byte ends between characters: it is decoded as a last chunk
    // (which still completes a character begun in the chunk before), without the streaming mode,
    // which costs several times a token frame's decoding. Any other may end mid-character.
    const whole = (bytes[bytes.length - 1] ?? 0x80) < 0x80;
    let text = whole ? (this.decoder ?? WHOLE).decode(bytes) : (this.decoder ??= utf8Decoder()).decode(bytes, STREAMING);
    if (!this.started && text) {
      this.started = true;
      // The one leading byte order mark a stream may have is not part of it (the SSE standard).
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let buffer = this.buffer + text;
    // Vendors end lines with LF; a CR anywhere means CR or CRLF line ends: normalise them first.
    // A CR at the very end may be half of a CRLF split across chunks: keep it for the next one.
    if (buffer.includes("\r")) {
      const tail = buffer.endsWith("\r") ? "\r" : "";
      buffer = (tail ? buffer.slice(0, -1) : buffer).replace(/\r\n?/g, "\n") + tail;
    }
    const out: SseMessage[] = [];
    let start = 0;
    let end = buffer.indexOf("\n");
    while (end >= 0) {
      // The frame vendors send nearly always, one `data: ` line and the blank line ending it, in
      // one step: one slice, no fields to collect. Anything else (or a frame whose blank line has
      // not arrived yet) goes line by line.
      if (buffer.charCodeAt(end + 1) === 10 && buffer.startsWith("data: ", start)) {
        const lone = this.message.lone(buffer.slice(start + 6, end));
        if (lone) {
          out.push(lone);
          start = end + 2;
          end = buffer.indexOf("\n", start);
          continue;
        }
      }
      const complete = this.message.line(buffer.slice(start, end));
      if (complete) out.push(complete);
      start = end + 1;
      end = buffer.indexOf("\n", start);
    }
    this.buffer = start === 0 ? buffer : buffer.slice(start);
    // A line that never ends would be held, and scanned again with each chunk, without bound.
    if (this.buffer.length > MOST_PENDING) {
      throw errors.upstream(`the vendor's stream sent a line of over ${MOST_PENDING / 1024 / 1024} MB with no end`, { retryable: true });
    }
    return out;
  }

  /** The stream ended: whatever is left, as if a blank line followed. */
  end(): SseMessage[] {
    const out: SseMessage[] = [];
    const rest = this.decoder ? this.buffer + this.decoder.decode() : this.buffer;
    this.buffer = "";
    for (const line of rest.replace(/\r\n?/g, "\n").split("\n")) {
      const complete = this.message.line(line);
      if (complete) out.push(complete);
    }
    const last = this.message.line("");
    if (last) out.push(last);
    return out;
  }
}

/** Accumulates the fields of one message; a blank line completes it. */
class MessageBuilder {
  private event = "";
  /** The data lines so far, joined by newlines; null before the first. */
  private data: string | null = null;
  private id: string | undefined;

  line(line: string): SseMessage | null {
    if (line === "") {
      if (this.data === null) {
        this.event = "";
        return null;
      }
      const message: SseMessage = { event: this.event || "message", data: this.data };
      if (this.id) message.id = this.id;
      this.event = "";
      this.data = null;
      return message;
    }
    // The common line first: "data: ..." (one space after the colon is part of the syntax).
    if (line.startsWith("data:")) return this.addData(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
    if (line.charCodeAt(0) === 58) return null; // ":" comment / keep-alive
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") return this.addData(value);
    if (field === "event") this.event = value;
    else if (field === "id") this.id = value;
    return null;
  }

  /** The message of a lone data line with nothing collected before it; null when fields are pending. */
  lone(data: string): SseMessage | null {
    if (this.data !== null || this.event !== "") return null;
    const message: SseMessage = { event: "message", data };
    if (this.id) message.id = this.id;
    return message;
  }

  private addData(value: string): null {
    this.data = this.data === null ? value : `${this.data}\n${value}`;
    return null;
  }
}

/** Frames one SSE message. `event` is omitted for OpenAI-style streams. */
export function formatSse(data: string, event?: string): string {
  // A line break in the data would end the field, or the message: each line goes as a `data:` line
  // of its own, which a reader joins back with "\n" (JSON, as nearly every caller sends, has none).
  const lines = data.includes("\n") || data.includes("\r") ? data.split(/\r\n|\r|\n/).join("\ndata: ") : data;
  return event ? `event: ${event}\ndata: ${lines}\n\n` : `data: ${lines}\n\n`;
}
