// A snapshot: one compiled config with its plugin instances. Requests hold the snapshot they
// started on; a reload swaps in a new one and closes the old once its requests have drained.

import type { RoutingGraph } from "../config/graph.ts";
import { buildDispatchTable, type DispatchTable } from "../dispatch/index.ts";
import { describe } from "../errors.ts";
import type { Kit } from "../kit/kit.ts";
import type {
  AuthInstance,
  ClassifierInstance,
  FeeInstance,
  PluginDefinition,
  PluginKind,
  ProviderInstance,
} from "../kit/plugin.ts";
import type { PluginRegistry } from "../plugins/registry.ts";
import { PLUGIN_TIME_LIMIT_MS, TimeLimitError, withinTime } from "../plugins/time-limit.ts";
import { checkInstance } from "../plugins/validate.ts";
import { createRedactor } from "../redact.ts";

export interface Snapshot {
  version: number;
  graph: RoutingGraph;
  table: DispatchTable;
  providers: ReadonlyMap<string, ProviderInstance>;
  auth: AuthInstance;
  authName: string;
  /** The fee plugin with its name, for metering and for naming it when it fails. */
  fee: { instance: FeeInstance; name: string };
  classifiers: ReadonlyMap<string, ClassifierInstance>;
  /** Removes every configured secret from a string before it leaves the process. */
  redact(text: string): string;
  /** Requests currently running on this snapshot. */
  inflight: number;
}

interface Closable {
  close?(): void | Promise<void>;
}

/** A name as one segment of a JSON pointer: `~` and `/` escaped. */
const pointerSegment = (name: string) => name.replaceAll("~", "~0").replaceAll("/", "~1");

export class SnapshotError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

/**
 * Instantiates every plugin the graph uses. Fails as a whole, naming each plugin that failed; a
 * `create` that has not finished within `timeLimitMs` fails it too.
 */
export async function createSnapshot(
  graph: RoutingGraph,
  registry: PluginRegistry,
  kit: Kit,
  version: number,
  timeLimitMs = PLUGIN_TIME_LIMIT_MS,
  /** A failure as a diagnostic at its plugin's entry in the config (CompiledConfig.place); else the bare message. */
  place?: (pointer: string, message: string) => string,
): Promise<Snapshot> {
  const problems: string[] = [];
  const created: Closable[] = [];
  async function make<T>(kind: PluginKind, use: string, settings: Record<string, unknown>, label: string, pointer: string) {
    const problem = (message: string) => problems.push(place ? place(`${pointer}/use`, message) : message);
    const found = registry.get(kind, use);
    if (!found) {
      problem(`${label}: no ${kind} plugin named "${use}"`);
      return undefined;
    }
    try {
      const creating = Promise.resolve((found.plugin as PluginDefinition).create(settings, kit));
      // An instance that arrives after its reload gave up on it is closed, never used.
      const instance = await withinTime(creating, timeLimitMs, "create", (late) => void closeAll([late as Closable]));
      const wrong = checkInstance(kind, use, instance);
      if (wrong) {
        problem(`${label}: ${wrong}`);
        return undefined;
      }
      created.push(instance as Closable);
      return instance as T;
    } catch (error) {
      if (error instanceof TimeLimitError) problem(`${label}: plugin "${use}": ${error.message}`);
      else problem(`${label}: plugin "${use}" failed in create: ${describe(error)}`);
      return undefined;
    }
  }

  const providers = new Map<string, ProviderInstance>();
  for (const spec of graph.providers.values()) {
    if (!spec.available) continue;
    const instance = await make<ProviderInstance>("provider", spec.use, spec.settings, `provider "${spec.name}"`, `/providers/${pointerSegment(spec.name)}`);
    if (instance) providers.set(spec.name, instance);
  }
  const classifiers = new Map<string, ClassifierInstance>();
  for (const spec of graph.classifiers.values()) {
    const instance = await make<ClassifierInstance>("classifier", spec.use, spec.settings, `classifier "${spec.name}"`, `/classifiers/${pointerSegment(spec.name)}`);
    if (instance) classifiers.set(spec.name, instance);
  }
  const auth = await make<AuthInstance>("auth", graph.auth.use, graph.auth.settings, "auth", "/auth");
  const fee = await make<FeeInstance>("fee", graph.fees.use, graph.fees.settings, "fees", "/fees");
  if (problems.length > 0 || !auth || !fee) {
    await closeAll(created);
    // A plugin's error may quote its settings: shown in the log, `check` and /admin/status, never with a secret.
    throw new SnapshotError(problems.map(createRedactor(graph.secrets)));
  }
  return {
    version,
    graph,
    table: buildDispatchTable(graph),
    providers,
    auth,
    authName: graph.auth.use,
    fee: { instance: fee, name: graph.fees.use },
    classifiers,
    redact: createRedactor(graph.secrets),
    inflight: 0,
  };
}

/** Closes every plugin instance of a snapshot; a failing close is logged, never thrown. */
export async function closeSnapshot(snapshot: Snapshot, log: Kit["log"]): Promise<void> {
  const instances: Closable[] = [...snapshot.providers.values(), ...snapshot.classifiers.values(), snapshot.auth, snapshot.fee.instance];
  const failures = await closeAll(instances);
  for (const failure of failures) log.warn("plugin close failed", { error: failure });
}

async function closeAll(instances: Closable[]): Promise<string[]> {
  const failures: string[] = [];
  for (const instance of instances) {
    try {
      await instance.close?.();
    } catch (error) {
      failures.push(describe(error));
    }
  }
  return failures;
}
