// Micro-benchmark of forwarding the client's own body (core/wire/forward.ts) on the bench's
// 30 KB agent turn, in one process: µs per call for a vendor that takes the client's max-tokens
// field as it is and for one that wants it renamed, the model swapped for a longer one in both;
// for the body as a client that writes non-ASCII text as \u escapes sends it (Python's json by
// default), and as one that always sends `n: 1` and `logprobs: false`; for the same turn as an
// Anthropic client sends it to Anthropic; and, for comparison, serialising the request instead,
// the cost of a body that cannot be forwarded.
//
//   bun bench/forward.ts [--calls 20000] [--runs 5]
//
// Each run is a fresh process (where the reused buffers land, and so how their copies align,
// changes from process to process); prints each case's median over the runs with their range.

import { parseArgs } from "node:util";
import type { ChatRequest } from "../core/kit/canonical.ts";
import { anthropicDialect, openaiDialect } from "../core/server/dialects.ts";
import { encodeRequest as encodeMessages } from "../core/wire/anthropic/request.ts";
import { ANTHROPIC_FORWARD, forwardedBody, OPENAI_FORWARD, type ForwardRules } from "../core/wire/forward.ts";
import { encodeRequest } from "../core/wire/openai/request.ts";
import { agentBody, anthropicAgentBody } from "./bodies.ts";
import { BENCH_MODEL } from "./gateway-config.ts";
import { runCommand } from "./processes.ts";
import { medianWithRange } from "./slices.ts";

/** A user turn with non-ASCII text, as the bench body writes it and as Python's `json.dumps` does. */
const PLAIN_TURN = "Go ahead, and keep the answer short.";
const ESCAPED_TURN = "Go ahead, and keep the answer short \\u2014 d\\u00e9j\\u00e0 vu.";

/** The body's text as each case's client writes it. */
const escapedText = (plain: string) => plain.replace(PLAIN_TURN, ESCAPED_TURN);
const withDefaults = (plain: string) => plain.replace('{"stream":false,', '{"stream":false,"n":1,"logprobs":false,');

/** How a case's request reaches the vendor: the ingress decode, the encoding, the forwarding rules. */
interface Dialect {
  body(): string;
  decode(text: string): ChatRequest;
  encode(request: ChatRequest, maxTokensField: "max_tokens" | "max_completion_tokens"): Record<string, unknown>;
  rules: ForwardRules;
}

const CHAT_COMPLETIONS: Dialect = {
  body: () => agentBody(BENCH_MODEL, false),
  decode: (text) => openaiDialect.decode(JSON.parse(text), text).request,
  encode: (request, maxTokensField) => encodeRequest(request, { includeUsage: true, maxTokensField }),
  rules: OPENAI_FORWARD,
};

const MESSAGES: Dialect = {
  body: () => anthropicAgentBody(BENCH_MODEL, false),
  decode: (text) => anthropicDialect.decode(JSON.parse(text), text).request,
  encode: (request) => encodeMessages(request, { defaultMaxTokens: 4096 }),
  rules: ANTHROPIC_FORWARD,
};

interface Case {
  dialect?: Dialect;
  text?: (plain: string) => string;
  maxTokensField?: "max_tokens" | "max_completion_tokens";
  serialise?: boolean;
}

const CASES: Record<string, Case> = {
  "as sent (max_completion_tokens)": { maxTokensField: "max_completion_tokens" },
  "renamed (max_tokens)": {},
  "non-ASCII text as \\u escapes, renamed": { text: escapedText },
  "with n: 1 and logprobs: false, renamed": { text: withDefaults },
  "serialised instead (JSON.stringify)": { serialise: true },
  "Messages to Anthropic, as sent": { dialect: MESSAGES },
  "Messages to Anthropic, serialised instead": { dialect: MESSAGES, serialise: true },
};

/** µs per call of each case, measured in this process. */
function measure(calls: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [name, { dialect = CHAT_COMPLETIONS, text: written, maxTokensField = "max_tokens", serialise }] of Object.entries(CASES)) {
    const plain = dialect.body();
    const text = written ? written(plain) : plain;
    if (written && text === plain) throw new Error(`${name}: the bench body no longer holds the text this case rewrites`);
    const routed = { ...dialect.decode(text), model: `upstream-${BENCH_MODEL}` };
    const encoded = dialect.encode(routed, maxTokensField);
    const call = serialise ? () => JSON.stringify(encoded) : () => forwardedBody(routed, encoded, dialect.rules, true);
    if (!call()) throw new Error(`${name}: the body was not forwarded`);
    for (let i = 0; i < calls / 5; i++) call();
    const started = performance.now();
    for (let i = 0; i < calls; i++) call();
    result[name] = ((performance.now() - started) * 1000) / calls;
  }
  return result;
}

const { values: args } = parseArgs({ options: { calls: { type: "string", default: "20000" }, runs: { type: "string", default: "5" }, child: { type: "boolean" } } });
if (args.child) {
  console.log(JSON.stringify(measure(Number(args.calls))));
} else {
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < Number(args.runs); i++) {
    runs.push(JSON.parse(await runCommand([process.execPath, import.meta.path, "--child", "--calls", args.calls!], import.meta.dir)));
  }
  console.log(`forwardedBody on the ${agentBody(BENCH_MODEL, false).length}-byte agent turn, ${args.calls} calls a run, ${args.runs} runs: µs per call, median (range)`);
  for (const name of Object.keys(CASES)) console.log(`${name}: ${medianWithRange(runs.map((run) => run[name]!), 2)}`);
}
