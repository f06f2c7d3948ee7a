// The body of a streamed answer: the relay's events, encoded in the client's dialect, one write
// per batch the vendor sent.

import { clientGone } from "../gateway/attempt.ts";
import type { Cancellation } from "../gateway/cancellation.ts";
import type { ChatOutcome } from "../gateway/pipeline.ts";
import { toGatewayError } from "./http.ts";
import type { StreamEncoder } from "./ingress.ts";

const encoder = new TextEncoder();

/**
 * Pull-based, so a slow client slows the upstream read (backpressure, up to a queue of 8 writes);
 * a client that goes away cancels the stream, which aborts the upstream call at once.
 */
export function sseBody(
  outcome: Extract<ChatOutcome, { kind: "stream" }>,
  stream: StreamEncoder,
  client: Cancellation,
  done: () => void,
): ReadableStream<Uint8Array> {
  const iterator = outcome.events[Symbol.asyncIterator]();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    done();
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          while (true) {
            const step = await iterator.next();
            if (step.done) {
              const settled = outcome.settlement();
              controller.enqueue(encoder.encode(stream.end(settled?.usage, settled?.costUsd)));
              controller.close();
              return finish();
            }
            let text = "";
            for (const event of step.value) text += stream.encode(event);
            if (text) return controller.enqueue(encoder.encode(text));
          }
        } catch (error) {
          if (!client.aborted) controller.enqueue(encoder.encode(stream.error(toGatewayError(error))));
          controller.close();
          finish();
        }
      },
      async cancel() {
        client.abort(clientGone());
        await iterator.return?.(undefined).catch(() => {});
        finish();
      },
    },
    // A small queue lets Bun write several frames per socket write; it stays bounded, so a slow
    // client still slows the upstream read.
    { highWaterMark: 8 },
  );
}
