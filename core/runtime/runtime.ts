// The live gateway state: the current snapshot, the long-lived parts that outlive reloads (stats,
// ledger), and reloads that swap snapshots atomically or keep the old one serving.

import { formatDiagnostic, type Diagnostic } from "../config/diagnostics.ts";
import type { SwitchyardError } from "../errors.ts";
import type { Cancellation } from "../gateway/cancellation.ts";
import { completeInternal } from "../gateway/internal.ts";
import { RateLimiter } from "../gateway/rate-limit.ts";
import type { GatewayDeps } from "../gateway/pipeline.ts";
import type { Kit } from "../kit/kit.ts";
import { openLedger } from "../ledger/index.ts";
import { spillFolder } from "../ledger/spill.ts";
import type { Ledger } from "../ledger/types.ts";
import type { BuiltinPlugin } from "../plugins/registry.ts";
import { StatsRegistry, type StatsOptions } from "../stats/index.ts";
import { compileAll, ConfigError } from "./compile-all.ts";
import { closeSnapshot, createSnapshot, SnapshotError, type Snapshot } from "./snapshot.ts";

export interface RuntimeOptions {
  configPath: string;
  env: Record<string, string | undefined>;
  builtins: readonly BuiltinPlugin[];
  kit: Kit;
  /** Overrides the config's `storage:` (tests, benchmarks). */
  storage?: string;
  /** Window and circuit-breaker settings of the live endpoint stats. */
  stats?: StatsOptions;
  /** How long importing a plugin module, and each plugin's `create`, may take (30 s unless a test says). */
  pluginTimeLimitMs?: number;
}

export type ReloadTrigger = "start" | "watch" | "signal" | "admin";

export interface ReloadReport {
  at: string;
  trigger: ReloadTrigger;
  result: "applied" | "unchanged" | "failed";
  durationMs: number;
  version: number;
  diagnostics: string[];
}

const HISTORY = 50;
const RETENTION_EVERY_MS = 3_600_000;

export class Runtime implements GatewayDeps {
  readonly stats: StatsRegistry;
  readonly limiter = new RateLimiter();
  readonly reloads: ReloadReport[] = [];
  private retired = new Set<Snapshot>();
  /** The cancellations of the requests in flight: what a shutdown past its grace aborts. */
  private readonly open = new Set<Cancellation>();
  private readonly listeners = new Set<(report: ReloadReport) => void>();
  private readonly retention: ReturnType<typeof setInterval>;
  private reloading: Promise<ReloadReport> | null = null;
  /** The one reload that runs after the current one, for the triggers that came while it ran. */
  private queued: Promise<ReloadReport> | null = null;
  /** The config's address when the gateway started: the socket a reload cannot move. */
  private readonly address: { host: string; port: number };

  private constructor(
    private readonly options: RuntimeOptions,
    public snapshot: Snapshot,
    readonly ledger: Ledger,
    private fingerprint: string,
    /** The storage the ledger opened: a reload cannot move it. */
    private readonly storage: string,
  ) {
    this.address = snapshot.graph.server;
    this.stats = new StatsRegistry(options.stats);
    this.retention = setInterval(() => void this.prune(), RETENTION_EVERY_MS);
    this.retention.unref?.();
  }

  /** Retention: rows older than `ledger.retention_days` are rolled up into daily totals and deleted. */
  async prune(now = Date.now()): Promise<number> {
    const days = this.snapshot.graph.ledger.retentionDays;
    if (!days) return 0;
    try {
      return await this.ledger.pruneBefore(now - days * 86_400_000);
    } catch (error) {
      this.log.error("ledger retention failed; will retry", { error: (error as Error).message });
      return 0;
    }
  }

  get log() {
    return this.options.kit.log;
  }

  static async start(options: RuntimeOptions): Promise<Runtime> {
    const started = performance.now();
    const compiled = await compileAll(options);
    if (!compiled.graph) throw new ConfigError(compiled.diagnostics);
    const storage = options.storage ?? compiled.graph.storage;
    const ledger = await openLedger(storage, {
      flushIntervalMs: compiled.graph.ledger.flushIntervalMs,
      log: options.kit.log,
      serving: true,
      spillDir: spillFolder(storage, options.configPath),
    });
    options.kit.keys = ledger.keys;
    let snapshot: Snapshot;
    try {
      snapshot = await createSnapshot(compiled.graph, compiled.registry, options.kit, 1, options.pluginTimeLimitMs, compiled.place);
    } catch (error) {
      await ledger.close();
      throw error;
    }
    const runtime = new Runtime(options, snapshot, ledger, compiled.fingerprint, storage);
    options.kit.gateway = {
      complete: (model, request, signal) => completeInternal(runtime.snapshot, runtime, model, request, signal),
    };
    runtime.note("start", "applied", started, compiled.diagnostics);
    void runtime.prune();
    return runtime;
  }

  /** Calls `listener` after every reload attempt; returns the unsubscribe function. */
  onReload(listener: (report: ReloadReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The snapshot a new request runs on; call `release` with it when the request is over. */
  acquire(client: Cancellation): Snapshot {
    const snapshot = this.snapshot;
    snapshot.inflight++;
    this.open.add(client);
    return snapshot;
  }

  /** Aborts every request in flight with `reason`: a stream ends with it as an error event, the rest answer it. */
  abortAll(reason: SwitchyardError): void {
    for (const client of this.open) client.abort(reason);
  }

  /** Requests in flight on every snapshot: the current one's, and those a reload retired, still finishing. */
  get inflight(): number {
    let count = this.snapshot.inflight;
    for (const snapshot of this.retired) count += snapshot.inflight;
    return count;
  }

  release(snapshot: Snapshot, client: Cancellation): void {
    this.open.delete(client);
    snapshot.inflight--;
    if (snapshot.inflight === 0 && this.retired.delete(snapshot)) void closeSnapshot(snapshot, this.log);
  }

  /**
   * Recompiles in the background. A trigger that comes while a reload runs may be for an edit that
   * reload has already read past, so it queues one more to run after it; every trigger until that
   * one starts shares it.
   */
  reload(trigger: ReloadTrigger): Promise<ReloadReport> {
    if (this.queued) return this.queued;
    if (!this.reloading) return this.run(trigger);
    this.queued = this.reloading.catch(() => undefined).then(() => {
      this.queued = null;
      return this.run(trigger);
    });
    return this.queued;
  }

  private run(trigger: ReloadTrigger): Promise<ReloadReport> {
    const running = this.doReload(trigger).finally(() => {
      if (this.reloading === running) this.reloading = null;
    });
    this.reloading = running;
    return running;
  }

  private async doReload(trigger: ReloadTrigger): Promise<ReloadReport> {
    const started = performance.now();
    let compiled;
    try {
      compiled = await compileAll(this.options, this.fingerprint);
    } catch (error) {
      // A config file gone (an editor saving by rename) is a diagnostic like any other.
      if (error instanceof ConfigError) return this.note(trigger, "failed", started, error.diagnostics);
      return this.note(trigger, "failed", started, [], [(error as Error).message]);
    }
    if ("unchanged" in compiled) return this.note(trigger, "unchanged", started, []);
    if (!compiled.graph) return this.note(trigger, "failed", started, compiled.diagnostics);
    try {
      const next = await createSnapshot(compiled.graph, compiled.registry, this.options.kit, this.snapshot.version + 1, this.options.pluginTimeLimitMs, compiled.place);
      const previous = this.snapshot;
      this.snapshot = next;
      this.fingerprint = compiled.fingerprint;
      if (previous.inflight === 0) void closeSnapshot(previous, this.log);
      else this.retired.add(previous);
      const stays = [...this.storageMoved(compiled.graph.storage), ...addressMoved(this.address, compiled.graph.server)];
      return this.note(trigger, "applied", started, compiled.diagnostics, stays);
    } catch (error) {
      const problems = error instanceof SnapshotError ? error.problems : [(error as Error).message];
      return this.note(trigger, "failed", started, compiled.diagnostics, problems);
    }
  }

  /** A reload that names another storage is applied but for it: the ledger stays where it opened until a restart. */
  private storageMoved(storage: string): string[] {
    if (this.options.storage !== undefined || storage === this.storage) return [];
    return [`storage: the ledger stays on ${withoutPassword(this.storage)} until the gateway restarts; ${withoutPassword(storage)} takes effect then`];
  }

  private note(
    trigger: ReloadTrigger,
    result: ReloadReport["result"],
    started: number,
    diagnostics: Diagnostic[],
    extra: string[] = [],
  ): ReloadReport {
    const report: ReloadReport = {
      at: new Date().toISOString(),
      trigger,
      result,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      version: this.snapshot.version,
      diagnostics: [...diagnostics.map((d) => formatDiagnostic(d)), ...extra],
    };
    this.reloads.push(report);
    for (const listener of this.listeners) listener(report);
    if (this.reloads.length > HISTORY) this.reloads.shift();
    if (result === "failed") this.log.error("reload failed; the previous config keeps serving", { trigger, diagnostics: report.diagnostics });
    else if (result === "applied" && trigger !== "start") this.log.info("config reloaded", { trigger, version: report.version });
    if (result === "applied" && report.diagnostics.length > 0) this.log.warn("config warnings", { diagnostics: report.diagnostics });
    return report;
  }

  async close(): Promise<void> {
    clearInterval(this.retention);
    await this.ledger.close();
    await closeSnapshot(this.snapshot, this.log);
    for (const snapshot of this.retired) await closeSnapshot(snapshot, this.log);
    this.retired.clear();
  }
}

/** A reload that moves the listening address is applied but for it: the socket stays where it opened until a restart. */
function addressMoved(before: { host: string; port: number }, after: { host: string; port: number }): string[] {
  const moved: string[] = [];
  if (after.host !== before.host) moved.push(`server.host: the gateway keeps listening where it started until it restarts; ${after.host} takes effect then`);
  if (after.port !== before.port) moved.push(`server.port: the gateway keeps listening where it started until it restarts; ${after.port} takes effect then`);
  return moved;
}

/** A storage URL as it may be printed: a PostgreSQL URL's password left out. */
function withoutPassword(storage: string): string {
  return storage.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1@");
}
