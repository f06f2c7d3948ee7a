// Bun's documented idle timeout closes a connection once it has been silent that long (255 s at
// most), a request whose handler is still at work included. A reasoning model's non-streamed answer,
// or a stream's first token, can take longer than that, and its vendor bills the call all the same.
// Bun 1.4 happens to spare a request that came with a body, which every chat request has; the
// gateway does not lean on that. From the body's read to the answer's head the connection has no
// idle timeout, and the gateway's own deadlines (each attempt's timeout, the client going away)
// bound the request.

import type { Server } from "bun";

/** The server's idle timeout in seconds: Bun's most. */
export const IDLE_TIMEOUT_S = 255;

/** The idle timeout of the connection a request came on, lifted while the gateway works on its answer. */
export class IdleTimeout {
  constructor(readonly seconds = IDLE_TIMEOUT_S) {}

  /** The body is read: from here the gateway's own deadlines bound the request. */
  lift(server: Server<unknown> | undefined, request: Request): void {
    server?.timeout(request, 0);
  }

  /**
   * The answer's head is going out: a silent connection closes again after the timeout (a stream's
   * keep-alive comments keep a live one open), rather than an idle keep-alive connection never.
   */
  restore(server: Server<unknown> | undefined, request: Request): void {
    server?.timeout(request, this.seconds);
  }
}
