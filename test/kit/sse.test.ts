// The SSE reader every provider uses: line ends, frames split anywhere, multi-line data, comments.

import { describe, expect, test } from "bun:test";
import { formatSse, readSse, type SseMessage } from "../../core/kit/sse.ts";
import { decodeStreamBody } from "../../core/wire/openai/stream.ts";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function read(chunks: string[]): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const message of readSse(streamOf(chunks))) messages.push(message);
  return messages;
}

async function readBytes(chunks: Uint8Array[]): Promise<SseMessage[]> {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const messages: SseMessage[] = [];
  for await (const message of readSse(stream)) messages.push(message);
  return messages;
}

const EXPECTED: SseMessage[] = [
  { event: "message_start", data: '{"a":1}' },
  { event: "message", data: "line one\nline two" },
  { event: "message", data: "[DONE]" },
];

describe("readSse", () => {
  const text = 'event: message_start\ndata: {"a":1}\n\n: keep-alive\n\ndata: line one\ndata: line two\n\ndata: [DONE]\n\n';

  test("reads events, multi-line data and skips comments", async () => {
    expect(await read([text])).toEqual(EXPECTED);
  });

  test("gives the same messages whatever the chunk boundaries", async () => {
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(await read(chunks)).toEqual(EXPECTED);
    }
  });

  test("accepts CRLF and CR line ends, even a CRLF split across chunks", async () => {
    const crlf = text.replaceAll("\n", "\r\n");
    expect(await read([crlf])).toEqual(EXPECTED);
    expect(await read([crlf.slice(0, 21), crlf.slice(21)])).toEqual(EXPECTED); // splits "\r" from "\n"
    expect(await read([text.replaceAll("\n", "\r")])).toEqual(EXPECTED);
  });

  test("a lone data frame takes no field of the frame before it, split anywhere", async () => {
    const mixed = "data: a\n\nevent: e\ndata: b\n\ndata:c\n\ndata: d\n\n";
    const expected = [
      { event: "message", data: "a" },
      { event: "e", data: "b" },
      { event: "message", data: "c" },
      { event: "message", data: "d" },
    ];
    for (let size = 1; size <= mixed.length; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < mixed.length; i += size) chunks.push(mixed.slice(i, i + size));
      expect(await read(chunks)).toEqual(expected);
    }
  });

  test("keeps the id field and delivers a last message with no blank line after it", async () => {
    expect(await read(["id: 7\ndata: one\n\ndata: tail"])).toEqual([
      { event: "message", data: "one", id: "7" },
      { event: "message", data: "tail", id: "7" },
    ]);
  });

  test("decodes multi-byte characters split across chunks", async () => {
    const bytes = new TextEncoder().encode("data: héllo 🚀\n\n");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const messages: SseMessage[] = [];
    for await (const message of readSse(stream)) messages.push(message);
    expect(messages).toEqual([{ event: "message", data: "héllo 🚀" }]);
  });

  test("decodes characters split anywhere between chunks that end on ASCII and chunks that do not", async () => {
    const bytes = new TextEncoder().encode("data: é🚀x\n\ndata: ü\n\n");
    const expected = [
      { event: "message", data: "é🚀x" },
      { event: "message", data: "ü" },
    ];
    for (let first = 1; first < bytes.length; first++) {
      for (let second = first + 1; second < bytes.length; second++) {
        const parts = [bytes.slice(0, first), bytes.slice(first, second), bytes.slice(second)];
        expect(await readBytes(parts)).toEqual(expected);
      }
    }
  });

  test("a byte order mark is dropped at the stream's start, even split across chunks, and kept anywhere else", async () => {
    const bytes = new TextEncoder().encode("\uFEFFdata: a\n\ndata: \uFEFFb\n\n");
    const expected = [
      { event: "message", data: "a" },
      { event: "message", data: "\uFEFFb" },
    ];
    for (let cut = 1; cut < bytes.length; cut++) expect(await readBytes([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(expected);
  });

  test("a character cut short by ASCII reads as U+FFFD, as a streaming decoder makes it", async () => {
    const rocket = new TextEncoder().encode("🚀");
    const parts = [new TextEncoder().encode("data: a"), rocket.slice(0, 2), new TextEncoder().encode("b\n\n")];
    expect(await readBytes(parts)).toEqual([{ event: "message", data: "a\uFFFDb" }]);
  });

  test("leaving the loop early cancels the body", async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode("data: more\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const _ of readSse(stream)) break;
    expect(cancelled).toBe(true);
  });
});

test("formatSse frames a message with and without an event name", () => {
  expect(formatSse('{"x":1}')).toBe('data: {"x":1}\n\n');
  expect(formatSse("{}", "ping")).toBe("event: ping\ndata: {}\n\n");
});

test("formatSse frames data with line breaks as one message, which a reader reads back whole", async () => {
  const framed = formatSse("a\n\nb\r\nc", "note");
  expect(framed).toBe("event: note\ndata: a\ndata: \ndata: b\ndata: c\n\n");
  expect((await read([framed])).map((message) => message.data)).toEqual(["a\n\nb\nc"]);
});

describe("decodeSse: the body after the message that finishes the stream", () => {
  const encoder = new TextEncoder();
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ id: "c", model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const answer = chunk({ content: "hi" }, null) + chunk({}, "stop") + "data: [DONE]\n\n";

  /** A body that sends the answer in one read, then ends at once or holds its end back. */
  function body(ending: "ends" | "holds") {
    const state = { cancelled: false };
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(encoder.encode(answer));
          if (ending === "ends") controller.close();
          return;
        }
        await new Promise(() => {}); // "holds": the end never comes
      },
      cancel() {
        state.cancelled = true;
      },
    });
    return { stream, state };
  }

  async function texts(stream: ReadableStream<Uint8Array>): Promise<string> {
    let text = "";
    for await (const event of decodeStreamBody(stream)) if (event.type === "text") text += event.text;
    return text;
  }

  test("a body whose end comes with [DONE] gives its events, with nothing to cancel", async () => {
    const { stream, state } = body("ends");
    expect(await texts(stream)).toBe("hi");
    expect(state.cancelled).toBe(false);
  });

  test("an end that has not come by [DONE] is not waited for: the body is cancelled", async () => {
    const { stream, state } = body("holds");
    expect(await texts(stream)).toBe("hi");
    expect(state.cancelled).toBe(true);
  });
});
