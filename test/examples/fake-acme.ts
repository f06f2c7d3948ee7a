// Fake Acme vendor for the example provider plugin: Acme's JSON and named SSE events on a real
// loopback server, with the shared fake's scripted behaviours (errors, hangs, stalls).

import { startFakeServer, type Behaviour, type FakeReply, type FakeServer, type RecordedRequest, type VendorWire } from "../fakes/base.ts";

type Body = { model?: string; stream?: boolean };
const bodyOf = (request: RecordedRequest): Body => (typeof request.body === "object" && request.body !== null ? (request.body as Body) : {});

const STOP_REASON = { stop: "end", length: "max_tokens", tool_calls: "end", content_filter: "end" } as const;
let sequence = 1;

function tokensOf(reply: FakeReply) {
  return { prompt: reply.usage?.input ?? 12, generated: reply.usage?.output ?? Math.max(1, Math.ceil((reply.text ?? "").length / 4)) };
}

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const wire: VendorWire<FakeReply> = {
  matches: (method, path) => method === "POST" && path === "/v1/generate",
  isStream: (request) => bodyOf(request).stream === true,
  json: (reply, request) => ({
    id: `gen_${sequence++}`,
    model: reply.model ?? bodyOf(request).model ?? "acme-large",
    output: { text: reply.text ?? "" },
    stop_reason: STOP_REASON[reply.finish ?? "stop"],
    tokens: tokensOf(reply),
  }),
  frames: (reply, request) => [
    ...((reply.text ?? "").match(/\s*\S+/g) ?? []).map((text) => frame("token", { text })),
    frame("done", {
      id: `gen_${sequence++}`,
      model: reply.model ?? bodyOf(request).model ?? "acme-large",
      stop_reason: STOP_REASON[reply.finish ?? "stop"],
      tokens: tokensOf(reply),
    }),
  ],
};

export function startFakeAcme(
  fallback: Behaviour<FakeReply> = { kind: "reply", reply: { text: "Hello from Acme." } },
): FakeServer<FakeReply> {
  return startFakeServer(wire, fallback);
}
