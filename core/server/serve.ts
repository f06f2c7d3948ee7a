// `switchyard serve`: the runtime, the HTTP server, reload triggers and a graceful shutdown that
// lets requests finish and flushes the ledger before exit.

import { SwitchyardError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { Runtime, type RuntimeOptions } from "../runtime/runtime.ts";
import { watchConfig } from "../runtime/watch.ts";
import { createApp } from "./app.ts";
import { IDLE_TIMEOUT_S } from "./idle.ts";
import { trimMemory } from "./memory.ts";

/** Above this resident size the server asks the engine for full collections (see memory.ts). */
const MEMORY_SOFT_LIMIT_MB = 96;
/** How long requests ended by a shutdown have to write their last words and rows. */
const ABORT_GRACE_MS = 2000;

export interface ServeOptions extends RuntimeOptions {
  log: Logger;
  /** Overrides the config's server.port (0 picks a free one). */
  port?: number;
  host?: string;
  watch?: boolean;
  /** The server's idle timeout in seconds (idle.ts; Bun's most unless a test wants it short). */
  idleTimeoutS?: number;
  /** Install SIGHUP/SIGTERM/SIGINT handlers (off in tests that run several servers). */
  signals?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  runtime: Runtime;
  /** Stops accepting, waits for requests in flight (up to `graceMs`), flushes the ledger. */
  stop(graceMs?: number): Promise<void>;
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const runtime = await Runtime.start(options);
  const idleTimeoutS = options.idleTimeoutS ?? IDLE_TIMEOUT_S;
  const app = createApp(runtime, idleTimeoutS);
  const { host, port } = runtime.snapshot.graph.server;
  // Elysia's listen hands each route to Bun's native router with its compiled handler.
  app.listen({
    hostname: options.host ?? host,
    port: options.port ?? port,
    // Bun refuses a body past its own limit with an empty 413. Every body is bounded by readJson
    // instead (a declared length before reading, a chunked body as it is read), whose 413 names the
    // limit, and whose limit a reload may raise.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    idleTimeout: idleTimeoutS,
    development: false,
    // Two gateways on one port is a mistake to report, not a load-balancing setup to allow.
    reusePort: false,
  });
  const server = app.server!;
  const url = `http://${server.hostname}:${server.port}`;
  const unwatch = options.watch === false ? () => {} : watchConfig(runtime, options.configPath);
  const untrim = trimMemory(MEMORY_SOFT_LIMIT_MB, () => runtime.inflight);

  let stopping: Promise<void> | null = null;
  const stop = (graceMs = 10_000) =>
    (stopping ??= (async () => {
      unwatch();
      untrim();
      void server.stop(false);
      const deadline = Date.now() + graceMs;
      while (runtime.inflight > 0 && Date.now() < deadline) await Bun.sleep(20);
      if (runtime.inflight > 0) {
        // Past the grace, what is still in flight is ended by the gateway and said so: a stream
        // gets an error event, a request waiting on its vendor a 503, and each its ledger row.
        runtime.abortAll(new SwitchyardError("no_endpoint", "the gateway is shutting down; send the request again", { status: 503 }));
        const ending = Date.now() + ABORT_GRACE_MS;
        while (runtime.inflight > 0 && Date.now() < ending) await Bun.sleep(20);
      }
      await server.stop(true);
      await runtime.close();
      options.log.info("switchyard stopped");
    })());

  if (options.signals !== false) {
    process.on("SIGHUP", () => void runtime.reload("signal"));
    const shutdown = () =>
      void stop().then(
        () => process.exit(0),
        (error: unknown) => {
          options.log.error("switchyard did not stop cleanly", { error: (error as Error).message });
          process.exit(1);
        },
      );
    process.on("SIGTERM", shutdown);
    process.on("SIGINT", shutdown);
  }
  // Last: whoever waits for this line may signal the process at once.
  options.log.info("switchyard listening", { url, config: options.configPath, version: runtime.snapshot.version });
  return { url, port: server.port ?? 0, runtime, stop };
}
