// Starts the bench targets on loopback, each in its own process: the fake upstream, the bare proxy,
// the parsing proxy and the lean gateway in front of it, and the gateway with the generated config
// and a fresh api key.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BurnKind } from "./burn.ts";
import { BENCH_KEY, benchConfig } from "./gateway-config.ts";
import type { LoadResult, LoadSpec } from "./load.ts";
import { runCommand, startServer, type ServerProcess } from "./processes.ts";

export const ROOT = resolve(import.meta.dir, "..");
const BUN = process.execPath;

export interface Target {
  name: "direct" | "bare proxy" | "parsing proxy" | "lean gateway" | "duties floor" | "gateway";
  headers: Record<string, string>;
  server: ServerProcess;
}

export interface Workspace {
  folder: string;
  config: string;
  database: string;
  remove(): void;
}

export function createWorkspace(): Workspace {
  const folder = mkdtempSync(join(tmpdir(), "switchyard-bench-"));
  return {
    folder,
    config: join(folder, "router.config.yaml"),
    database: join(folder, "ledger.db"),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

export function startUpstreamProcess(): Promise<ServerProcess> {
  return startServer("upstream", [BUN, "bench/upstream.ts"], ROOT);
}

export function startBareProxyProcess(upstream: ServerProcess): Promise<ServerProcess> {
  return startServer("bare proxy", [BUN, "bench/bare-proxy.ts", upstream.url], ROOT);
}

export function startParsingProxyProcess(upstream: ServerProcess, relayOnly = false): Promise<ServerProcess> {
  const name = relayOnly ? "relay-only proxy" : "parsing proxy";
  return startServer(name, [BUN, "bench/parsing-proxy.ts", upstream.url, ...(relayOnly ? ["--relay-only"] : [])], ROOT);
}

/** The key the lean gateway floor accepts. */
export const LEAN_GATEWAY_KEY = "sk-lean-bench";

/**
 * The lean gateway; with `burn`, one that first spends that much calibrated CPU on each request
 * (see burn.ts), with a ledger of its own.
 */
export function startLeanGatewayProcess(
  work: Workspace,
  upstream: ServerProcess,
  env?: Record<string, string>,
  burn?: { us: number; kind: BurnKind },
): Promise<ServerProcess> {
  const ledger = join(work.folder, burn ? `lean-gateway-burn-${burn.kind}-${burn.us}.db` : "lean-gateway.db");
  const burnEnv: Record<string, string> = burn ? { LEAN_BURN_US: String(burn.us), LEAN_BURN_KIND: burn.kind } : {};
  return startServer("lean gateway", [BUN, "bench/lean-gateway.ts", upstream.url, ledger, LEAN_GATEWAY_KEY], ROOT, { ...env, ...burnEnv });
}

export interface GatewayOptions {
  /** Folder for a CPU profile; the gateway writes it when it exits. */
  profileDir?: string;
  /** The checkout to run (bench/ab.ts runs two); default: this one. */
  checkout?: string;
  /** Names the process and, beside the workspace's own, its config and ledger: two gateways need two. */
  label?: string;
  /** Added to the gateway's environment (bench/perf-profile.ts asks the engine for its JIT dump). */
  env?: Record<string, string>;
  /** Runs the duties floor (duties-gateway.ts) on the gateway's config instead of `serve`. */
  duties?: boolean;
}

/** Writes the config, creates a key with the CLI (before the server starts), then starts `serve` (or the duties floor). */
export async function startGateway(work: Workspace, upstream: ServerProcess, options: GatewayOptions = {}) {
  const { checkout = ROOT, label } = options;
  const config = label ? join(work.folder, `${label}.yaml`) : work.config;
  const database = label ? join(work.folder, `${label}.db`) : work.database;
  writeFileSync(config, benchConfig({ upstream: `${upstream.url}/v1`, database }));
  const created = await runCommand([BUN, "main.ts", "keys", "create", "--config", config, "--name", BENCH_KEY, "--json"], checkout);
  const key = (JSON.parse(created) as { key: string }).key;
  const profile = options.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}`] : [];
  const command = options.duties ? ["bench/duties-gateway.ts", config] : ["main.ts", "serve", "--config", config, "--port", "0"];
  const server = await startServer(label ?? "gateway", [BUN, ...profile, ...command], checkout, options.env);
  return { server, key };
}

export const chatUrl = (server: ServerProcess) => `${server.url}/v1/chat/completions`;

export interface Servers {
  upstream: ServerProcess;
  proxy: ServerProcess;
  parsing: ServerProcess;
  lean: ServerProcess;
  duties: ServerProcess;
  gateway: ServerProcess;
}

/** A bench request's headers: a JSON body and, for a server that checks keys, the key. */
export function requestHeaders(key?: string): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  return headers;
}

/** The targets of a run; the gateway and the duties floor each check keys of their own ledger. */
export function targetsOf({ upstream, proxy, parsing, lean, duties, gateway }: Servers, keys: { gateway: string; duties: string }): Target[] {
  const json = requestHeaders();
  return [
    { name: "direct", headers: json, server: upstream },
    { name: "bare proxy", headers: json, server: proxy },
    { name: "parsing proxy", headers: json, server: parsing },
    { name: "lean gateway", headers: requestHeaders(LEAN_GATEWAY_KEY), server: lean },
    { name: "duties floor", headers: requestHeaders(keys.duties), server: duties },
    { name: "gateway", headers: requestHeaders(keys.gateway), server: gateway },
  ];
}

/** Runs one load in its own process; the spec and body go through files in the workspace. */
export async function loadInProcess(work: Workspace, spec: Omit<LoadSpec, "bodyFile">, body: string): Promise<LoadResult> {
  const bodyFile = join(work.folder, `body-${Bun.hash(body).toString(16)}.json`);
  writeFileSync(bodyFile, body);
  const specFile = join(work.folder, "spec.json");
  writeFileSync(specFile, JSON.stringify({ ...spec, bodyFile }));
  const out = await runCommand([BUN, "bench/load.ts", specFile], ROOT);
  return JSON.parse(out) as LoadResult;
}
