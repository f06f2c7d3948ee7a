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
  let buffer = "";
  let event = "";
  let data: string[] = [];
  let id: string | undefined;
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let start = 0;
      while (true) {
        let end = -1;
        let next = -1;
        for (let i = start; i < buffer.length; i++) {
          const c = buffer.charCodeAt(i);
          if (c === 10) { end = i; next = i + 1; break; }
          if (c === 13) {
            if (i + 1 >= buffer.length) break; // wait: may be CRLF split across chunks
            end = i;
            next = buffer.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
            break;
          }
        }
        if (end < 0) break;
        const line = buffer.slice(start, end);
        start = next;
        if (line === "") {
          if (data.length > 0) yield { event: event || "message", data: data.join("\n"), ...(id ? { id } : {}) };
          event = "";
          data = [];
          continue;
        }
        if (line.charCodeAt(0) === 58) continue; // ":" comment / keep-alive
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.charCodeAt(0) === 32) value = value.slice(1);
        if (field === "data") data.push(value);
        else if (field === "event") event = value;
        else if (field === "id") id = value;
      }
      buffer = buffer.slice(start);
    }
    buffer += decoder.decode();
    if (buffer.length > 0) {
      for (const line of buffer.split(/\r\n|\r|\n/)) {
        if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        else if (line.startsWith("event:")) event = line.slice(6).trim();
      }
    }
    if (data.length > 0) yield { event: event || "message", data: data.join("\n"), ...(id ? { id } : {}) };
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => {});
  }
}

/** Frames one SSE message. `event` is omitted for OpenAI-style streams. */
export function formatSse(data: string, event?: string): string {
  return event ? `event: ${event}\ndata: ${data}\n\n` : `data: ${data}\n\n`;
}
