// Server-sent events: a streaming reader for vendor responses and the framing for our own streams.

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
  const decoder = new TextDecoder();
  const message = new MessageBuilder();
  let buffer = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      // Vendors end lines with LF; a CR anywhere means CR or CRLF line ends: normalise them first.
      // A CR at the very end may be half of a CRLF split across chunks: keep it for the next one.
      if (buffer.includes("\r")) {
        const tail = buffer.endsWith("\r") ? "\r" : "";
        buffer = (tail ? buffer.slice(0, -1) : buffer).replace(/\r\n?/g, "\n") + tail;
      }
      let start = 0;
      let end = buffer.indexOf("\n");
      while (end >= 0) {
        const complete = message.line(buffer.slice(start, end));
        if (complete) yield complete;
        start = end + 1;
        end = buffer.indexOf("\n", start);
      }
      buffer = start === 0 ? buffer : buffer.slice(start);
    }
    buffer += decoder.decode();
    for (const line of buffer.replace(/\r\n?/g, "\n").split("\n")) {
      const complete = message.line(line);
      if (complete) yield complete;
    }
    const last = message.line("");
    if (last) yield last;
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => {});
  }
}

/** Accumulates the fields of one message; a blank line completes it. */
class MessageBuilder {
  private event = "";
  private data: string[] = [];
  private id: string | undefined;

  line(line: string): SseMessage | null {
    if (line === "") {
      if (this.data.length === 0) {
        this.event = "";
        return null;
      }
      const message: SseMessage = { event: this.event || "message", data: this.data.join("\n") };
      if (this.id) message.id = this.id;
      this.event = "";
      this.data = [];
      return message;
    }
    if (line.charCodeAt(0) === 58) return null; // ":" comment / keep-alive
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id") this.id = value;
    return null;
  }
}

/** Frames one SSE message. `event` is omitted for OpenAI-style streams. */
export function formatSse(data: string, event?: string): string {
  return event ? `event: ${event}\ndata: ${data}\n\n` : `data: ${data}\n\n`;
}
