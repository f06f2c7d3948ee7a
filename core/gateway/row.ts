// Builds the one ledger row every request gets, whatever happened to it, and hands it to the
// ledger exactly once.

import type { EndpointSpec } from "../config/graph.ts";
import type { SwitchyardError } from "../errors.ts";
import type { AttemptRecord, Ledger, Reservation } from "../ledger/types.ts";
import type { Metered } from "./meter.ts";

interface RowSource {
  id: string;
  request: { model: string; stream: boolean };
  arrivedAt: number;
}

export class RowBuilder {
  keyId: string | null = null;
  route: string | null = null;
  endpoint: EndpointSpec | null = null;
  attempts: AttemptRecord[] = [];
  reservation: Reservation | null = null;
  private written = false;
  private readonly createdAt = Date.now();

  constructor(
    private readonly source: RowSource,
    private readonly ledger: Ledger,
  ) {}

  /** Records a failed request and returns its error, for `return fail(row.failed(e))`. */
  failed(error: SwitchyardError, metered?: Metered, ttftMs?: number): SwitchyardError {
    this.write(error.status, error.code, metered ?? null, ttftMs ?? null);
    return error;
  }

  succeeded(metered: Metered, ttftMs: number): void {
    this.write(200, null, metered, ttftMs);
  }

  private write(status: number, errorCode: string | null, metered: Metered | null, ttftMs: number | null): void {
    if (this.written) return;
    this.written = true;
    this.ledger.record({
      id: this.source.id,
      keyId: this.keyId,
      route: this.route,
      requestedModel: this.source.request.model,
      model: this.endpoint?.publicModel ?? null,
      provider: this.endpoint?.provider ?? null,
      endpoint: this.endpoint?.id ?? null,
      status,
      errorCode,
      attempts: this.attempts,
      stream: this.source.request.stream,
      usage: metered?.usage ?? null,
      cost: metered?.cost ?? 0,
      fee: metered?.fee ?? 0,
      latencyMs: Math.round(performance.now() - this.source.arrivedAt),
      ttftMs: ttftMs === null ? null : Math.round(ttftMs),
      createdAt: this.createdAt,
      reservation: this.reservation,
    });
  }
}
