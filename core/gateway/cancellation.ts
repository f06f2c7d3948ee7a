// A request's cancellation: plain callbacks instead of AbortSignal listeners, which cost several
// microseconds each in the hot path. An AbortSignal is made only for a plugin that asks for one.

import type { SwitchyardError } from "../errors.ts";

/** What a cancellation calls when it aborts: an object, so a listener needs no closure of its own. */
export interface AbortListener {
  clientAborted(): void;
}

export class Cancellation {
  aborted = false;
  reason: SwitchyardError | undefined;
  private listeners: AbortListener[] | null = null;
  private controller: AbortController | null = null;

  abort(reason: SwitchyardError): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = null;
    if (listeners) for (const listener of listeners) listener.clientAborted();
  }

  /** Calls `listener` on abort (at once if already aborted), until `off(listener)`. */
  onAbort(listener: AbortListener): void {
    if (this.aborted) listener.clientAborted();
    else (this.listeners ??= []).push(listener);
  }

  off(listener: AbortListener): void {
    const index = this.listeners?.indexOf(listener) ?? -1;
    if (index >= 0) this.listeners!.splice(index, 1);
  }

  /** A standard AbortSignal that follows this cancellation, made on first use. */
  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = (this.controller = new AbortController());
      this.onAbort({ clientAborted: () => controller.abort(this.reason) });
    }
    return this.controller.signal;
  }
}
