// The floor for a gateway with the bench config's duties, leaving out its logic: the parsing proxy
// (bench/parsing-proxy.ts) plus the per-request work that a gateway with api-keys auth, timeouts and
// a SQLite ledger cannot route around, each done the cheapest way we know:
// - the key checked by its SHA-256 against one known hash;
// - the upstream call given an AbortSignal, with a timeout timer, and the client's own signal
//   watched, so a timeout or a client that goes away aborts it;
// - the JSON answer parsed and encoded again with our id and its cost, the gateway's headers set;
// - one row per request in the ledger's own `requests` table (its migration, so the same indexes),
//   written in batches by a timer, one transaction each.
// No validation, routing, classifier, fee or credit: whatever the gateway spends beyond this floor is
// its own logic. Optimistic on purpose: the body is forwarded as it came (no model swapped) and a
// stream is relayed as bytes with the usage searched, not decoded (see parsing-proxy.ts).
// Run as `bun bench/lean-gateway.ts <upstream-url> <sqlite-file> <key>`; prints `listening <port>`.

import { Database } from "bun:sqlite";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { relayStream } from "./parsing-proxy.ts";

const TIMEOUT_MS = 600_000;
const FLUSH_MS = 10;
const COLUMNS = 23;

function openLedger(file: string) {
  const db = new Database(file, { create: true });
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA synchronous = NORMAL");
  db.exec(readFileSync(join(import.meta.dir, "../core/ledger/migrations/sqlite/0001_init.sql"), "utf8"));
  const insert = db.prepare(`INSERT INTO requests VALUES (${Array(COLUMNS).fill("?").join(", ")})`);
  const write = db.transaction((rows: unknown[][]) => {
    for (const row of rows) insert.run(...(row as never[]));
  });
  let pending: unknown[][] = [];
  let timer: Timer | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const rows = pending;
    pending = [];
    write(rows);
  };
  const record = (row: unknown[]) => {
    pending.push(row);
    timer ??= setTimeout(flush, FLUSH_MS);
  };
  return { record, flush, close: () => (flush(), db.close()) };
}

export function startLeanGateway(upstream: string, ledgerFile: string, key: string, port = 0) {
  const url = `${upstream.replace(/\/$/, "")}/v1/chat/completions`;
  const keyHash = new Bun.SHA256().update(key).digest("hex");
  const ledger = openLedger(ledgerFile);
  let sequence = 0;

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port,
    idleTimeout: 255,
    async fetch(request) {
      const arrivedAt = performance.now();
      const token = request.headers.get("authorization")?.slice("Bearer ".length) ?? "";
      if (new Bun.SHA256().update(token).digest("hex") !== keyHash) return Response.json({ error: "unknown key" }, { status: 401 });
      const body = await request.text();
      const parsed = JSON.parse(body) as { model?: unknown; stream?: unknown };
      if (typeof parsed.model !== "string") return Response.json({ error: "model is required" }, { status: 400 });
      const id = `req_${Date.now().toString(36)}${(sequence++).toString(36)}`;

      const upstreamCall = new AbortController();
      const timer = setTimeout(() => upstreamCall.abort(), TIMEOUT_MS);
      const onClientGone = () => upstreamCall.abort();
      request.signal.addEventListener("abort", onClientGone, { once: true });
      const settle = (usage: { prompt_tokens?: number; completion_tokens?: number } | undefined, status: number) => {
        clearTimeout(timer);
        request.signal.removeEventListener("abort", onClientGone);
        const row = [id, "key", "direct", parsed.model, parsed.model, "upstream", "upstream/model", status, null, "[]", parsed.stream === true,
          usage?.prompt_tokens ?? null, usage?.completion_tokens ?? null, null, null, null, false, 1000, 50, 1050,
          Math.round(performance.now() - arrivedAt), null, Date.now()];
        ledger.record(row);
      };

      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer upstream-key" },
        body,
        signal: upstreamCall.signal,
      });
      const headers = {
        "x-request-id": id, "x-switchyard-route": "direct", "x-switchyard-model": parsed.model,
        "x-switchyard-provider": "upstream", "x-switchyard-attempts": "1",
        "x-switchyard-overhead-ms": (performance.now() - arrivedAt).toFixed(3),
      };
      if (response.body && response.headers.get("content-type")?.startsWith("text/event-stream")) {
        // The row's usage would come from the usage frame; the relay only confirms there was one.
        return relayStream(response.body, { ...headers, "content-type": "text/event-stream" }, () => settle(undefined, response.status));
      }
      const answer = JSON.parse(await response.text()) as { choices: unknown; usage?: Record<string, number> };
      settle(answer.usage, response.status);
      const encoded = { id, object: "chat.completion", created: Math.floor(Date.now() / 1000), model: parsed.model, choices: answer.choices, usage: { ...answer.usage, cost: 0.00105 } };
      return Response.json(encoded, { status: response.status, headers });
    },
  });
  return { server, ledger };
}

if (import.meta.main) {
  const [upstream, ledgerFile, key] = process.argv.slice(2);
  if (!upstream || !ledgerFile || !key) throw new Error("usage: bun bench/lean-gateway.ts <upstream-url> <sqlite-file> <key>");
  const { server, ledger } = startLeanGateway(upstream, ledgerFile, key, Number(process.env.PORT ?? 0));
  process.on("SIGTERM", () => {
    server.stop(true);
    ledger.close();
    process.exit(0);
  });
  console.log(`listening ${server.port}`);
}
