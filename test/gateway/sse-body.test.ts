// The streamed response body on its own: batches written in order and closed with the end frame,
// and a failure on our side mid-stream that still ends the relay (which writes the ledger row).

import { expect, test } from "bun:test";
import { errors } from "../../core/errors.ts";
import { Cancellation } from "../../core/gateway/cancellation.ts";
import type { ChatOutcome } from "../../core/gateway/pipeline.ts";
import type { StreamEvent } from "../../core/kit/canonical.ts";
import type { StreamEncoder } from "../../core/server/ingress.ts";
import { sseBody } from "../../core/server/sse-body.ts";

const text = (value: string): StreamEvent => ({ type: "text", text: value });

/** A relay of these batches that records whether it was ended (its `finally` ran). */
function relay(batches: StreamEvent[][]) {
  const state = { ended: false };
  async function* events() {
    try {
      for (const batch of batches) yield batch;
    } finally {
      state.ended = true;
    }
  }
  const outcome: Extract<ChatOutcome, { kind: "stream" }> = {
    kind: "stream",
    served: { route: null, model: null, provider: null, attempts: [], overheadMs: 0 },
    events: events(),
    settlement: () => ({ usage: { inputTokens: 3, outputTokens: 2 }, costUsd: 0.5 }),
  };
  return { outcome, state };
}

const encoder = (failOn?: string): StreamEncoder => ({
  encode(event) {
    if (event.type === "text" && event.text === failOn) throw new Error("encoder failed");
    return event.type === "text" ? `[${event.text}]` : "";
  },
  end: (usage, costUsd) => `[end ${usage?.outputTokens} ${costUsd}]`,
  error: (error) => `[error ${error.code}]`,
});

test("every batch is written in order, then the end frame, and the request is released once", async () => {
  const { outcome, state } = relay([[text("a"), text("b")], [text("c")]]);
  let released = 0;
  const body = await new Response(sseBody(outcome, encoder(), new Cancellation(), () => released++)).text();
  expect(body).toBe("[a][b][c][end 2 0.5]");
  expect(state.ended).toBe(true);
  expect(released).toBe(1);
});

test("an encoder that fails mid-stream ends the stream with an error frame and ends the relay", async () => {
  const { outcome, state } = relay([[text("a")], [text("b")], [text("c")]]);
  let released = 0;
  const body = await new Response(sseBody(outcome, encoder("b"), new Cancellation(), () => released++)).text();
  expect(body).toBe(`[a][error ${errors.internal("x").code}]`);
  expect(state.ended).toBe(true);
  expect(released).toBe(1);
});
