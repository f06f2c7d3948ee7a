// A time limit on a plugin's code: a module whose top-level await, or a `create`, never settles must
// fail its reload, not hold it (and every reload queued behind it) for good.

/** How long importing a plugin module, and each `create`, may take unless the runtime says otherwise. */
export const PLUGIN_TIME_LIMIT_MS = 30_000;

export class TimeLimitError extends Error {}

/**
 * Settles as `work` does, or rejects with a TimeLimitError saying `what` did not finish within
 * `ms`. Work that settles after that is handed to `late` (a `create` closes the instance it made).
 */
export function withinTime<T>(work: Promise<T>, ms: number, what: string, late?: (value: T) => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new TimeLimitError(`${what} did not finish within ${spoken(ms)}`));
    }, ms);
  });
  if (late) work.then((value) => timedOut && late(value), () => {});
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** 30000 → "30s", 1500 → "1.5s", 50 → "50ms": as the config writes durations. */
function spoken(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
}
