// The floor for a gateway that reads what it routes and meters: a Bun.serve + fetch proxy that
// parses the request body (a router must look at it), forwards the same text, parses a JSON answer
// for its usage and passes a stream through while looking in each chunk for the usage. Nothing
// else: no auth, no routing table, no ledger. The gap between it and the bare proxy is the cost of
// touching the body in JavaScript; the gap between the gateway and it is the gateway's own.
// `--relay-only` forwards the request unread and only meters the answer: lower than any router can
// go, for bench/floor.ts. Run as `bun bench/parsing-proxy.ts <upstream-url> [--relay-only]`; prints
// `listening <port>`.

const USAGE = Buffer.from('"usage"');

/** Bun's direct stream controller: writes go to the response as they are, with no queue. */
interface DirectController {
  write(data: Uint8Array): number | Promise<number>;
  close(): void;
}

/** Whether `"usage"` occurs in `chunk`, or across the boundary with the bytes before it (`tail`). */
export function hasUsage(tail: Uint8Array, chunk: Uint8Array): boolean {
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (bytes.indexOf(USAGE) >= 0) return true;
  if (tail.length === 0) return false;
  return Buffer.concat([tail, bytes.subarray(0, USAGE.length - 1)]).indexOf(USAGE) >= 0;
}

type Read = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

const END_FRAME = Buffer.from("data: [DONE]\n\n");

/** Whether a chunk ends with the stream's end frame. */
function endsStream(chunk: Uint8Array): boolean {
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return bytes.length >= END_FRAME.length && bytes.subarray(bytes.length - END_FRAME.length).equals(END_FRAME);
}

/** A read that has already settled, or null while it waits. */
function settled(read: Promise<Read>): Read | null {
  const value = Bun.peek(read);
  return value === read ? null : (value as Read);
}

/**
 * The leanest JS relay we know of: each chunk searched for the usage as bytes and written on as it
 * came, through Bun's direct stream. A stream that ended within its first read goes out as one body
 * of known length instead (its end frame came with it), as the gateway sends it.
 * `ended` runs once the body has been relayed or the client has gone.
 */
export async function relayStream(body: ReadableStream<Uint8Array>, headers: Record<string, string>, ended: () => void, status = 200): Promise<Response> {
  const reader = body.getReader();
  const first = await reader.read();
  const next = reader.read();
  next.catch(() => {});
  if (first.done || endsStream(first.value)) {
    if (first.done || !hasUsage(new Uint8Array(0), first.value)) console.error("a stream ended without usage");
    ended();
    // What may follow the end frame is the body's own end: cancelled, as the gateway does, if it is not in yet.
    if (!first.done && !settled(next)?.done) void reader.cancel().catch(() => {});
    return new Response(first.done ? null : (first.value as Uint8Array<ArrayBuffer>), { status, headers });
  }
  let open = true;
  const end = () => {
    if (open) ended();
    open = false;
  };
  const relay = {
    type: "direct" as const,
    async pull(controller: DirectController) {
      let sawUsage = false;
      let tail: Uint8Array = new Uint8Array(0);
      try {
        for (let step: Read = first, pending = next; !step.done; pending = reader.read()) {
          sawUsage ||= hasUsage(tail, step.value);
          tail = step.value.subarray(Math.max(0, step.value.length - USAGE.length + 1));
          const written = controller.write(step.value);
          if (typeof written !== "number") await written;
          step = await pending;
        }
        if (!sawUsage) console.error("a stream ended without usage");
      } finally {
        // A read that fails ends the relay too: its timer and row must not wait for a client.
        end();
      }
      controller.close();
    },
    cancel(reason: unknown) {
      end();
      return reader.cancel(reason);
    },
  };
  return new Response(new ReadableStream(relay as unknown as UnderlyingDefaultSource<Uint8Array>), { status, headers });
}

export interface ParsingOptions {
  /** Parse the request body (a router must: it routes on it). Off, the bytes are forwarded unread: the relay-only floor. */
  parseRequest?: boolean;
}

export function startParsingProxy(upstream: string, port = 0, options: ParsingOptions = {}) {
  const base = upstream.replace(/\/$/, "");
  const parseRequest = options.parseRequest ?? true;
  return Bun.serve({
    hostname: "127.0.0.1",
    port,
    idleTimeout: 255,
    async fetch(request) {
      let body: string | ArrayBuffer;
      if (parseRequest) {
        body = await request.text();
        const parsed = JSON.parse(body) as { model?: unknown };
        if (typeof parsed.model !== "string") return Response.json({ error: "model is required" }, { status: 400 });
      } else {
        body = await request.arrayBuffer();
      }
      const response = await fetch(base + new URL(request.url).pathname, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: request.headers.get("authorization") ?? "" },
        body,
      });
      if (!response.body || !response.headers.get("content-type")?.startsWith("text/event-stream")) {
        const answer = await response.text();
        const usage = (JSON.parse(answer) as { usage?: unknown }).usage;
        if (response.ok && usage === undefined) return Response.json({ error: "no usage" }, { status: 502 });
        return new Response(answer, { status: response.status, headers: { "content-type": "application/json" } });
      }
      return relayStream(response.body, { "content-type": "text/event-stream" }, () => {}, response.status);
    },
  });
}

if (import.meta.main) {
  const upstream = process.argv[2];
  if (!upstream) throw new Error("usage: bun bench/parsing-proxy.ts <upstream-url> [--relay-only]");
  const server = startParsingProxy(upstream, Number(process.env.PORT ?? 0), { parseRequest: !process.argv.includes("--relay-only") });
  console.log(`listening ${server.port}`);
}
