// What a provider call came to: the events of its stream, or the Switchyard error it failed with.

import type { StreamEvent } from "../../core/kit/index.ts";
import { isSwitchyardError, type SwitchyardError } from "../../core/errors.ts";

export async function collect(result: unknown): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of result as AsyncIterable<StreamEvent>) events.push(event);
  return events;
}

export async function failure(promise: Promise<unknown>): Promise<SwitchyardError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isSwitchyardError(error)) throw new Error(`expected a Switchyard error, got ${String(error)}`);
  return error;
}
