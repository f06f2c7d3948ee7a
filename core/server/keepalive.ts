// SSE comments on streams whose vendor has gone quiet. A reasoning model may stream its first
// chunk and then think for minutes before the next; a load balancer in front of the gateway (60 s
// idle on many) and the gateway's own server (255 s) close a connection that long silent, and the
// client loses an answer its vendor is still writing and will bill. Every SSE parser skips a
// comment, so the clients see nothing but the connection kept open.

const COMMENT = new TextEncoder().encode(": keep-alive\n\n");

/** A stream the keeper may write to. */
export interface KeptStream {
  /** Set by the stream at each write of its own; cleared by the keeper at each turn. */
  wrote: boolean;
  /** Writes `bytes` between the stream's own frames (a write to a client that has gone is dropped). */
  writeComment(bytes: Uint8Array): void;
}

/**
 * One timer for every live stream, not one per stream or per read: at each turn, a stream that
 * wrote nothing since the turn before gets a comment, so a silent stream hears from the gateway
 * once between one and two intervals after its last frame, then every interval. The timer runs
 * only while streams are live.
 */
export class KeepAlive {
  private readonly streams = new Set<KeptStream>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private timerMs = 0;

  /** Keeps `stream` open at `intervalMs` (the config's, as the stream's request found it). */
  add(stream: KeptStream, intervalMs: number): void {
    this.streams.add(stream);
    // A reloaded config's interval takes over with the first stream that brings it.
    if (this.timer !== null && this.timerMs === intervalMs) return;
    if (this.timer !== null) clearInterval(this.timer);
    this.timerMs = intervalMs;
    this.timer = setInterval(() => this.turn(), intervalMs);
    // Streams keep the process alive by themselves; the keeper must not keep a stopped server's.
    this.timer.unref?.();
  }

  delete(stream: KeptStream): void {
    this.streams.delete(stream);
  }

  private turn(): void {
    for (const stream of this.streams) {
      if (!stream.wrote) stream.writeComment(COMMENT);
      stream.wrote = false;
    }
    if (this.streams.size === 0) {
      clearInterval(this.timer!);
      this.timer = null;
    }
  }
}
