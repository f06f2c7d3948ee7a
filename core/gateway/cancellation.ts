// A request's cancellation: plain callbacks instead of AbortSignal listeners, which cost several
// microseconds each in the hot path. An AbortSignal is made only for a plugin that asks for one.

import type { SwitchyardError } from "../errors.ts";

export class Cancellation {
  aborted = false;
  reason: SwitchyardError | undefined;
  private handlers: (() => void)[] | null = null;
  private controller: AbortController | null = null;

  abort(reason: SwitchyardError): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const handlers = this.handlers;
    this.handlers = null;
    if (handlers) for (const handler of handlers) handler();
  }

  /** Runs `handler` on abort (at once if already aborted); returns its remover. */
  onAbort(handler: () => void): () => void {
    if (this.aborted) {
      handler();
      return () => {};
    }
    (this.handlers ??= []).push(handler);
    return () => {
      const index = this.handlers?.indexOf(handler) ?? -1;
      if (index >= 0) this.handlers!.splice(index, 1);
    };
  }

  /** A standard AbortSignal that follows this cancellation, made on first use. */
  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = (this.controller = new AbortController());
      this.onAbort(() => controller.abort(this.reason));
    }
    return this.controller.signal;
  }
}
