// The router.config.yaml compiler: text → RoutingGraph plus every diagnostic of the file at once.

import { dirname, isAbsolute, resolve } from "node:path";
import { type Context, isRecord, type PluginCatalog, sizeBytes, timerAt } from "./context.ts";
import { didYouMean } from "../expr/did-you-mean.ts";
import { createRedactor } from "../redact.ts";
import { type Diagnostic, hasErrors } from "./diagnostics.ts";
import type { LedgerSettings, RoutingGraph, ServerSettings } from "./graph.ts";
import { buildModels, buildPools, checkRequirements } from "./models-section.ts";
import { buildClassifiers, buildProviders, buildSingle } from "./plugins-section.ts";
import { buildRoutes } from "./routes-section.ts";
import { ConfigSchema, LedgerSchema, ServerSchema } from "./schema.ts";
import { ConfigSource, pointerOf } from "./source.ts";
import { validateAt, validatorOf } from "./validate.ts";
import { sqlitePath } from "../ledger/storage-url.ts";

export type { PluginCatalog, PluginCatalogEntry } from "./context.ts";

export interface CompileOptions {
  /** Path of the config file: names it in diagnostics, and relative paths in it resolve against its folder. */
  file: string;
  env: Record<string, string | undefined>;
  plugins: PluginCatalog;
}

export interface CompileResult {
  /** Null when any diagnostic is an error. */
  graph: RoutingGraph | null;
  diagnostics: Diagnostic[];
  /** The secrets the config holds, known even when it did not compile: what else is printed beside its diagnostics is redacted of them too. */
  secrets: string[];
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;
/** Under the 60 s idle limit of common load balancers, with room for one interval's lag. */
const DEFAULT_KEEPALIVE_MS = 15_000;
const serverValidator = validatorOf(ServerSchema);
const ledgerValidator = validatorOf(LedgerSchema);

function server(ctx: Context, raw: unknown): ServerSettings {
  const entry = serverValidator.check(raw) ? raw : {};
  return {
    host: entry.host ?? "127.0.0.1",
    port: entry.port ?? 8787,
    bodyLimit: entry.body_limit === undefined ? DEFAULT_BODY_LIMIT : sizeBytes(entry.body_limit),
    keepaliveMs: entry.keepalive === undefined ? DEFAULT_KEEPALIVE_MS : timerAt(ctx, entry.keepalive, "/server/keepalive", "no keep-alive comments"),
    corsOrigins: entry.cors ?? [],
  };
}

function ledger(ctx: Context, raw: unknown): LedgerSettings {
  const entry = ledgerValidator.check(raw) ? raw : {};
  return {
    ...(entry.retention_days !== undefined ? { retentionDays: entry.retention_days } : {}),
    flushIntervalMs: entry.flush_interval === undefined ? 250 : timerAt(ctx, entry.flush_interval, "/ledger/flush_interval"),
  };
}

const STORAGE_SCHEMES = ["sqlite", "postgres", "postgresql"];
const STORAGE_FORMS = "sqlite:PATH (sqlite::memory: keeps nothing), or postgres://user@host:5432/db";

/** What is wrong with a storage URL, as the ledger would open it (core/ledger/index.ts), if anything. */
function storageProblem(value: string): { message: string; hint: string } | undefined {
  const path = sqlitePath(value);
  if (path !== undefined) {
    return path ? undefined : { message: `storage "${value}" names no SQLite file`, hint: "write sqlite:./data/switchyard.db, or sqlite::memory:" };
  }
  if (value.startsWith("postgres://") || value.startsWith("postgresql://")) return undefined;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1];
  if (!scheme) return { message: `storage "${value}" names no database kind`, hint: `write sqlite:${value || "./data/switchyard.db"} for a SQLite file, or postgres://user@host:5432/db` };
  if (scheme === "postgres" || scheme === "postgresql") return { message: `storage "${scheme}:" is not a URL`, hint: `write ${scheme}://user@host:5432/db` };
  const near = didYouMean(scheme.toLowerCase(), STORAGE_SCHEMES);
  const hint = near ? `did you mean "${near === "sqlite" ? "sqlite:" : `${near}://`}"? Storage is ${STORAGE_FORMS}` : `use ${STORAGE_FORMS}`;
  return { message: `unknown storage "${scheme}:"`, hint };
}

/** `sqlite:./data/x.db` is relative to the config file's folder, not to wherever the process started. */
function storage(ctx: Context, raw: unknown, folder: string): string {
  const value = typeof raw === "string" ? raw : "sqlite:./data/switchyard.db";
  // A `${VAR}` that is unset is reported already: the "" it left is no second problem.
  const problem = typeof raw === "string" && !ctx.source.hasEnvProblem("/storage") ? storageProblem(value) : undefined;
  if (problem) ctx.source.report("invalid-storage", problem.message, ctx.source.at("/storage"), { hint: problem.hint });
  if (!value.startsWith("sqlite:")) return value;
  const path = value.slice("sqlite:".length);
  if (path === ":memory:" || path === "" || isAbsolute(path)) return value;
  return `sqlite:${resolve(folder, path)}`;
}

function strings(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((item): item is string => typeof item === "string") : [];
}

function build(ctx: Context, config: Record<string, unknown>, file: string): RoutingGraph {
  const folder = dirname(resolve(file));
  const providers = buildProviders(ctx, config.providers);
  const { classifiers, broken: brokenClassifiers } = buildClassifiers(ctx, config.classifiers);
  const models = buildModels(ctx, config.models, providers);
  const poolNames = new Set(isRecord(config.pools) ? Object.keys(config.pools) : []);
  const names = { models: new Set(models.models.keys()), pools: poolNames, broken: models.broken };
  const pools = buildPools(ctx, config.pools, names);
  checkRequirements(ctx, pools, models.models, names);
  const routes = buildRoutes(ctx, config.routes, { names, models: models.models, pools, classifiers, brokenClassifiers });
  const graph: RoutingGraph = {
    file,
    server: server(ctx, config.server),
    storage: storage(ctx, config.storage, folder),
    pluginDirs: strings(config.plugins).map((dir) => resolve(folder, dir)),
    auth: buildSingle(ctx, "auth", config.auth, "auth"),
    fees: buildSingle(ctx, "fee", config.fees, "fees"),
    ledger: ledger(ctx, config.ledger),
    providers: providers.providers,
    models: models.models,
    pools,
    classifiers,
    routes,
    secrets: [],
  };
  if (typeof config.admin_key === "string" && config.admin_key !== "") graph.adminKey = config.admin_key;
  if (graph.auth.use === "none" && !LOOPBACK.has(graph.server.host)) {
    ctx.source.report("open-auth", `auth is "none" but the server listens on ${graph.server.host}`, ctx.source.at(pointerOf("server", "host")), {
      severity: "warning",
      hint: "use an auth plugin such as api-keys, or listen on 127.0.0.1",
    });
  }
  return graph;
}

/** Diagnostics quote source lines: a secret written inline (in the config, or in a plugin file) must not be printed with them. */
export function redactDiagnostics(diagnostics: Diagnostic[], secrets: readonly string[]): Diagnostic[] {
  if (secrets.length === 0) return diagnostics;
  const redact = createRedactor(secrets);
  const redactLine = createRedactor(secrets, { keepWidth: true });
  return diagnostics.map((d) => ({ ...d, message: redact(d.message), sourceLine: redactLine(d.sourceLine), ...(d.hint ? { hint: redact(d.hint) } : {}) }));
}

export function compileConfig(text: string, options: CompileOptions): CompileResult {
  const source = new ConfigSource(options.file, text, options.env);
  const ctx: Context = { source, plugins: options.plugins };
  const config = source.value ?? {};
  // An empty file (a truncating save, an editor's race) would otherwise compile to a table with no
  // routes, and a reload would swap it in.
  if (source.value == null && source.diagnostics.length === 0) {
    source.report("missing-key", "the config file is empty", source.at(""), { hint: "a config names its providers, its models and the routes to them" });
    return { graph: null, diagnostics: source.diagnostics, secrets: [] };
  }
  if (!isRecord(config)) {
    source.report("wrong-type", "expected a map of sections at the top level", source.at(""));
    return { graph: null, diagnostics: source.diagnostics, secrets: [] };
  }
  validateAt(source, ConfigSchema, config, "");
  const graph = build(ctx, config, options.file);
  // Said only of a config with nothing else wrong: beside another error it would be noise.
  if (!hasErrors(source.diagnostics) && (config.routes === undefined || (Array.isArray(config.routes) && config.routes.length === 0))) {
    source.report("missing-key", "the config has no routes: every request would be refused", source.at(config.routes === undefined ? "" : "/routes"), {
      hint: "add one; `- { name: direct, to: $model }` serves each model by the name the client sends",
    });
  }
  // Admin keys are secrets even when written inline.
  if (graph.adminKey && graph.adminKey.length >= 4) source.secrets.add(graph.adminKey);
  graph.secrets = [...source.secrets];
  return { graph: hasErrors(source.diagnostics) ? null : graph, diagnostics: redactDiagnostics(source.diagnostics, graph.secrets), secrets: [...graph.secrets] };
}
