// Micro benchmark of the `keywords` classifier with the shipped `intent` settings: mean and p99 per call.
// Run: bun bench/classifier.ts

import type { ChatRequest } from "../core/kit/index.ts";
import { createIntent, SHIPPED_INTENT } from "../test/classifiers/intent-corpus.ts";

const intent = await createIntent();
// A second label keeps the classifier from stopping at the first code fence: every word is read.
const twoLabels = await createIntent({ labels: { ...SHIPPED_INTENT.labels, billing: ["refund", "invoice"] } });
const signal = new AbortController().signal;

const PROSE =
  "Our team is planning the spring offsite. We need a venue near the river, lunch for forty people, " +
  "and a short workshop on the roadmap. Could you suggest an agenda and a few icebreakers? ";
const CODE =
  "```ts\nexport async function loadOrders(db: Database, customerId: string): Promise<Order[]> {\n" +
  "  const rows = await db.query(\"SELECT * FROM orders WHERE customer_id = $1\", [customerId]);\n" +
  "  return rows.map((row) => ({ id: row.id, total: Number(row.total) }));\n}\n```\n";

function sized(bytes: number, withCode: boolean): string {
  let text = "";
  while (text.length < bytes) text += withCode && text.length % 2 === 0 ? CODE : PROSE;
  return text.slice(0, bytes) + "\nWhy does this return an empty list?";
}

function request(text: string): ChatRequest {
  return { model: "auto", stream: true, messages: [{ role: "user", content: [{ type: "text", text }] }] };
}

function measure(name: string, body: ChatRequest, iterations: number, classifier = intent): string {
  for (let i = 0; i < 500; i++) classifier.classify(body, signal); // warm the JIT
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = Bun.nanoseconds();
    classifier.classify(body, signal);
    samples[i] = (Bun.nanoseconds() - start) / 1000;
  }
  samples.sort();
  const mean = samples.reduce((sum, value) => sum + value, 0) / iterations;
  const p99 = samples[Math.floor(iterations * 0.99)]!;
  return `${name.padEnd(26)} ${mean.toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)}`;
}

console.log(`${"prompt".padEnd(26)} ${"mean µs".padStart(8)} ${"p99 µs".padStart(8)}`);
console.log(measure("200 B question", request("How do I read a JSON file in Node and handle a parse error gracefully?".repeat(3).slice(0, 200)), 20_000));
console.log(measure("200 B prose", request(PROSE.slice(0, 200)), 20_000));
console.log(measure("4 KB prose", request(sized(4_096, false)), 5_000));
console.log(measure("4 KB code and prose", request(sized(4_096, true)), 5_000));
console.log(measure("30 KB code and prose", request(sized(30_720, true)), 1_000));
console.log(measure("4 KB code, read in full", request(sized(4_096, true)), 5_000, twoLabels));
console.log(measure("30 KB code, read in full", request(sized(30_720, true)), 1_000, twoLabels));
