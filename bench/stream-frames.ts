// Per-token cost of a relayed stream: a long OpenAI-style vendor stream decoded into events and
// encoded again for an OpenAI client, in one process, as the gateway does for every token frame.
// The socket benchmarks cannot show it: their instant upstream sends ten frames in one read.
//
//   bun bench/stream-frames.ts [checkout ...] [--frames 1000] [--runs 7]
//
// Prints µs per frame (median of runs, with the range) for each frame shape and checkout.

import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { markdownTable } from "./report.ts";
import { medianWithRange } from "./slices.ts";
import { ROOT } from "./targets.ts";

/** Bytes per network read: a few frames each, split anywhere, as a vendor's stream arrives. */
const READ_BYTES = 600;

interface Shape {
  name: string;
  /** Frames after the role frame and before the first token. */
  opening?: string;
  /** The vendor's frame for token `i`. */
  frame(i: number): string;
}

const word = (i: number) => (i % 7 ? `word${i % 13} ` : "line\n");
const head = '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_1"';
const delta = (body: string) => `data: ${head},"choices":[{"index":0,"delta":${body},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`;

const SHAPES: Shape[] = [
  { name: "text tokens", frame: (i) => delta(`{"content":${JSON.stringify(word(i))}}`) },
  {
    name: "tool-call arguments",
    opening: delta('{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]}'),
    frame: (i) => delta(`{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(`{"k${i}":`)}}}]}`),
  },
  // OpenAI pads each delta with random characters unless asked not to.
  { name: "text with OpenAI's obfuscation padding", frame: (i) => delta(`{"content":${JSON.stringify(word(i))}}`).replace(',"usage":null}', `,"usage":null,"obfuscation":"${"x".repeat(i % 9)}"}`) },
];

function vendorStream(shape: Shape, frames: number): Uint8Array[] {
  const parts = [delta('{"role":"assistant","content":"","refusal":null}')];
  if (shape.opening) parts.push(shape.opening);
  for (let i = 0; i < frames; i++) parts.push(shape.frame(i));
  parts.push(`data: ${head},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n`);
  parts.push(`data: ${head},"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":${frames},"total_tokens":${frames + 9}}}\n\n`, "data: [DONE]\n\n");
  const bytes = new TextEncoder().encode(parts.join(""));
  const reads: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += READ_BYTES) reads.push(bytes.subarray(at, at + READ_BYTES));
  return reads;
}

/** µs per frame of one checkout's codec, median of `runs` passes over the stream after a warm-up. */
async function measure(checkout: string, reads: Uint8Array[], frames: number, runs: number): Promise<number[]> {
  const { decodeStreamBody, StreamEncoder } = await import(join(checkout, "core/wire/openai/stream.ts"));
  const { EVENT_BATCHES } = await import(join(checkout, "core/kit/canonical.ts"));
  const relay = async () => {
    let next = 0;
    const body = new ReadableStream<Uint8Array>({ pull: (c) => (next < reads.length ? c.enqueue(reads[next++]!) : c.close()) });
    const encoder = new StreamEncoder({ id: "gen-1", model: "public-model", created: 1, includeUsage: true });
    const batches = decodeStreamBody(body)[EVENT_BATCHES]();
    let bytes = 0;
    for (let step = await batches.next(); !step.done; step = await batches.next()) {
      let text = "";
      for (const event of step.value) text += encoder.encode(event);
      bytes += text.length;
    }
    return bytes;
  };
  for (let i = 0; i < 50; i++) await relay();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    for (let i = 0; i < 20; i++) await relay();
    times.push(((performance.now() - start) * 1000) / 20 / frames);
  }
  return times;
}

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { frames: { type: "string", default: "1000" }, runs: { type: "string", default: "7" } },
});
const checkouts = (positionals.length ? positionals : [ROOT]).map((dir) => resolve(dir));
const frames = Number(values.frames);
const runs = Number(values.runs);
const labels = checkouts.length > 1 ? checkouts.map((_, i) => String.fromCharCode(65 + i)) : ["this checkout"];
if (checkouts.length > 1) checkouts.forEach((dir, i) => console.log(`${labels[i]}: ${dir}`));
console.log(`${frames} token frames a stream, ${READ_BYTES}-byte reads; µs per frame, median of ${runs} runs (range)\n`);
const rows: string[][] = [];
for (const shape of SHAPES) {
  const reads = vendorStream(shape, frames);
  const row = [shape.name];
  for (const checkout of checkouts) row.push(medianWithRange(await measure(checkout, reads, frames, runs), 3));
  rows.push(row);
}
console.log(markdownTable(["frames", ...labels.map((label) => `${label} µs/frame`)], rows));
