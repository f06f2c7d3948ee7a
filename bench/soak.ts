// Soak mode: a long run through the gateway in segments, RSS after each, then SIGTERM and a count of
// the ledger rows written, which must equal the requests sent.

import { Database } from "bun:sqlite";
import { bodyOf } from "./bodies.ts";
import type { LoadSettings } from "./compare.ts";
import { BENCH_MODEL } from "./gateway-config.ts";
import { machineLine } from "./machine.ts";
import type { ServerProcess } from "./processes.ts";
import { markdownTable } from "./report.ts";
import { chatUrl, loadInProcess, type Workspace } from "./targets.ts";

const SEGMENTS = 8;

export function countLedgerRows(database: string): number {
  const db = new Database(database, { readonly: true });
  try {
    return (db.query("select count(*) as n from requests").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

interface Checkpoint {
  label: string;
  sent: number;
  rssMb: number;
}

/** Each segment sends half small JSON chats and half streamed agent turns, the two shapes clients send. */
export async function soak(work: Workspace, gateway: ServerProcess, key: string, load: LoadSettings, log: (line: string) => void) {
  const headers = { "content-type": "application/json", authorization: `Bearer ${key}` };
  const bodies = [bodyOf("chat", BENCH_MODEL, false), bodyOf("agent", BENCH_MODEL, true)];
  const perLoad = Math.ceil(load.requests / SEGMENTS / 2);
  const deadline = performance.now() + load.durationMs;
  const checkpoints: Checkpoint[] = [{ label: "start", sent: 0, rssMb: gateway.rssMb() }];
  let sent = 0;
  let errors = 0;
  for (let segment = 1; segment <= SEGMENTS && sent < load.requests; segment++) {
    for (const [i, body] of bodies.entries()) {
      const remaining = Math.min(perLoad, load.requests - sent);
      const msLeft = Math.max(1, (deadline - performance.now()) / ((SEGMENTS - segment) * 2 + (2 - i)));
      const spec = { url: chatUrl(gateway), headers, stream: i === 1, concurrency: load.concurrency, requests: remaining, durationMs: msLeft, warmup: 0 };
      const result = await loadInProcess(work, spec, body);
      sent += result.sent;
      errors += result.errors;
      if (result.errors) log(`  segment ${segment}: ${result.errors} errors (first: ${result.firstError})`);
    }
    checkpoints.push({ label: `${segment}/${SEGMENTS}`, sent, rssMb: gateway.rssMb() });
    log(`  soak ${segment}/${SEGMENTS}: ${sent} sent, RSS ${checkpoints.at(-1)!.rssMb.toFixed(0)} MB`);
  }
  const exit = await gateway.stop();
  const rows = countLedgerRows(work.database);
  return report(checkpoints, { sent, errors, rows, exit, concurrency: load.concurrency });
}

function report(checkpoints: readonly Checkpoint[], totals: { sent: number; errors: number; rows: number; exit: number; concurrency: number }): string {
  const middle = checkpoints[Math.floor((checkpoints.length - 1) / 2)]!;
  const end = checkpoints.at(-1)!;
  const growth = end.rssMb - middle.rssMb;
  const table = markdownTable(["point", "requests sent", "gateway RSS MB"], checkpoints.map((c) => [c.label, String(c.sent), c.rssMb.toFixed(1)]));
  const verdict = [
    `requests sent: ${totals.sent} (${totals.errors} errors); ledger rows: ${totals.rows} → ${totals.rows === totals.sent ? "equal" : `MISMATCH (${totals.rows - totals.sent})`}`,
    `gateway exit code after SIGTERM: ${totals.exit}`,
    `RSS start ${checkpoints[0]!.rssMb.toFixed(1)} MB, middle ${middle.rssMb.toFixed(1)} MB, end ${end.rssMb.toFixed(1)} MB; second-half growth ${growth.toFixed(1)} MB`,
    `targets: RSS < 150 MB after soak ${end.rssMb < 150 ? "met" : "missed"}; not growing in the second half (≤ 5 MB) ${growth <= 5 ? "met" : "missed"}`,
  ];
  return [`\n${machineLine()}; soak, concurrency ${totals.concurrency}\n`, table, "", ...verdict].join("\n");
}
