// Soak mode: a long run through the gateway in segments, RSS after each, then SIGTERM and a count of
// the ledger rows written, which must equal the requests sent.

import { Database } from "bun:sqlite";
import { bodyOf } from "./bodies.ts";
import type { LoadSettings } from "./compare.ts";
import { BENCH_MODEL } from "./gateway-config.ts";
import { machineLine } from "./machine.ts";
import { rssMbOf, type ServerProcess } from "./processes.ts";
import { markdownTable } from "./report.ts";
import { chatUrl, loadInProcess, requestHeaders, type Workspace } from "./targets.ts";

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
  /** Read the moment the segment's load ends, garbage and all. */
  rssMb: number;
  /** Read after SETTLE_MS with nothing in flight: what the gateway keeps. */
  settledMb: number;
}

/** Time for requests in flight to drain and the idle gateway to run its collection (memory.ts). */
const SETTLE_MS = 1000;

/** Each segment sends half small JSON chats and half streamed agent turns, the two shapes clients send. */
export async function soak(work: Workspace, gateway: ServerProcess, key: string, load: LoadSettings, log: (line: string) => void) {
  const headers = requestHeaders(key);
  const bodies = [bodyOf("chat", BENCH_MODEL, false), bodyOf("agent", BENCH_MODEL, true)];
  const perLoad = Math.ceil(load.requests / SEGMENTS / 2);
  const deadline = performance.now() + load.durationMs;
  const start = gateway.rssMb();
  const checkpoints: Checkpoint[] = [{ label: "start", sent: 0, rssMb: start, settledMb: start }];
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
    const rssMb = gateway.rssMb();
    await Bun.sleep(SETTLE_MS);
    checkpoints.push({ label: `${segment}/${SEGMENTS}`, sent, rssMb, settledMb: gateway.rssMb() });
    log(`  soak ${segment}/${SEGMENTS}: ${sent} sent, RSS ${rssMb.toFixed(0)} MB, settled ${checkpoints.at(-1)!.settledMb.toFixed(0)} MB`);
  }
  const peakMb = rssMbOf(gateway.pid, "VmHWM");
  const exit = await gateway.stop();
  const rows = countLedgerRows(work.database);
  return report(checkpoints, { sent, errors, rows, exit, peakMb, concurrency: load.concurrency });
}

interface Totals {
  sent: number;
  errors: number;
  rows: number;
  exit: number;
  peakMb: number;
  concurrency: number;
}

/** The targets are judged on settled RSS: the under-load reading depends on when the last collection ran. */
function report(checkpoints: readonly Checkpoint[], totals: Totals): string {
  const middle = checkpoints[Math.floor((checkpoints.length - 1) / 2)]!;
  const end = checkpoints.at(-1)!;
  const growth = end.settledMb - middle.settledMb;
  const table = markdownTable(
    ["point", "requests sent", "RSS MB as the load ends", `RSS MB ${SETTLE_MS / 1000} s later`],
    checkpoints.map((c) => [c.label, String(c.sent), c.rssMb.toFixed(1), c.settledMb.toFixed(1)]),
  );
  const verdict = [
    `requests sent: ${totals.sent} (${totals.errors} errors); ledger rows: ${totals.rows} → ${totals.rows === totals.sent ? "equal" : `MISMATCH (${totals.rows - totals.sent})`}`,
    `gateway exit code after SIGTERM: ${totals.exit}`,
    `settled RSS start ${checkpoints[0]!.settledMb.toFixed(1)} MB, middle ${middle.settledMb.toFixed(1)} MB, end ${end.settledMb.toFixed(1)} MB; second-half growth ${growth.toFixed(1)} MB; under load at most ${Math.max(...checkpoints.map((c) => c.rssMb)).toFixed(1)} MB; peak (VmHWM) ${totals.peakMb.toFixed(1)} MB`,
    `targets: RSS < 150 MB after soak ${end.settledMb < 150 ? "met" : "missed"}; not growing in the second half (≤ 5 MB) ${growth <= 5 ? "met" : "missed"}`,
  ];
  return [`\n${machineLine()}; soak, concurrency ${totals.concurrency}\n`, table, "", ...verdict].join("\n");
}
