// Fake OpenAI-compatible upstream for the benchmarks: answers /chat/completions at once, as one
// chat.completion JSON or as an SSE stream of chunks, a usage chunk and [DONE].
// Run alone with `bun bench/upstream.ts`; prints `listening <port>` when ready.

import { TOKENS_ASKED } from "./bodies.ts";

const encoder = new TextEncoder();
const USAGE = { prompt_tokens: 7400, completion_tokens: 12, total_tokens: 7412 };
const WORDS = ["The ", "answer ", "is ", "forty", "-two", "."];

/** The JSON body is built once: the upstream must cost nothing next to what is measured. */
const COMPLETION = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "bench-model",
  choices: [{ index: 0, message: { role: "assistant", content: WORDS.join("") }, finish_reason: "stop" }],
  usage: USAGE,
});

function chunk(delta: object, finish: string | null, usage: object | null = null): string {
  const choices = usage ? [] : [{ index: 0, delta, finish_reason: finish }];
  const body = { id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model: "bench-model", choices, usage };
  return `data: ${JSON.stringify(body)}\n\n`;
}

/** A stream of `words` token frames, encoded once; each frame is written as its own chunk. */
function streamFrames(words: readonly string[]): readonly Uint8Array[] {
  return [
    chunk({ role: "assistant", content: "" }, null),
    ...words.map((word) => chunk({ content: word }, null)),
    chunk({}, "stop"),
    chunk({}, null, USAGE),
    "data: [DONE]\n\n",
  ].map((frame) => encoder.encode(frame));
}

const STREAM_FRAMES = streamFrames(WORDS);

/** With the length Bun.serve declares for the same body over a socket: the in-process harness hands the gateway what the socket would. */
const JSON_HEADERS = { "content-type": "application/json", "content-length": String(Buffer.byteLength(COMPLETION)) };
const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache" };

/**
 * With `paceMs`, each frame after the first waits that long: over a socket, every frame is then a
 * read of its own. Without, the pull is synchronous, and the frames leave together.
 */
function streamResponse(frames = STREAM_FRAMES, paceMs = 0): Response {
  let i = 0;
  const next = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    const frame = frames[i++];
    if (frame) controller.enqueue(frame);
    else controller.close();
  };
  const pull = paceMs ? async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (i > 0) await Bun.sleep(paceMs);
    next(controller);
  } : next;
  return new Response(new ReadableStream<Uint8Array>({ pull }), { headers: SSE_HEADERS });
}

/** The answer to a chat completion request: the one stream or the one JSON body. */
export function cannedAnswer(stream: boolean): Response {
  return stream ? streamResponse() : new Response(COMPLETION, { headers: JSON_HEADERS });
}

/** The same stream as one chunk: one read in-process, as the fake upstream's ten frames arrive over loopback. */
const WHOLE_STREAM = [Buffer.concat(STREAM_FRAMES)];

export function wholeStreamAnswer(): Response {
  return streamResponse(WHOLE_STREAM);
}

/** A stream of `tokens` token frames, each its own read when read in-process, as a real answer's tokens come. */
export function longStreamAnswer(tokens: number): () => Response {
  const frames = tokenFrames(tokens);
  return () => streamResponse(frames);
}

function tokenFrames(tokens: number): readonly Uint8Array[] {
  return streamFrames(Array.from({ length: tokens }, (_, i) => WORDS[i % WORDS.length]!));
}

/** A real vendor's tokens come milliseconds apart; this is the least pause that keeps them apart on loopback. */
const TOKEN_PACE_MS = 1;
const pacedFrames = new Map<number, readonly Uint8Array[]>();

/** An answer of `tokens` token frames sent one at a time, as a vendor streams a long answer. */
function pacedStreamAnswer(tokens: number): Response {
  let frames = pacedFrames.get(tokens);
  if (!frames) pacedFrames.set(tokens, (frames = tokenFrames(tokens)));
  return streamResponse(frames, TOKEN_PACE_MS);
}

/** Reads only as much of the body as it must: the `stream` flag sits near the top of every bench body. */
async function handle(request: Request): Promise<Response> {
  if (request.method !== "POST" || !new URL(request.url).pathname.endsWith("/chat/completions")) {
    return new Response("not found", { status: 404 });
  }
  const text = await request.text();
  const stream = text.includes('"stream":true');
  const tokens = stream ? TOKENS_ASKED.exec(text) : null;
  return tokens ? pacedStreamAnswer(Number(tokens[1])) : cannedAnswer(stream);
}

export function startUpstream(port = 0) {
  return Bun.serve({ hostname: "127.0.0.1", port, idleTimeout: 255, fetch: handle });
}

if (import.meta.main) {
  const server = startUpstream(Number(process.env.PORT ?? 0));
  console.log(`listening ${server.port}`);
}
