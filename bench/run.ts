// `bun run bench`: the gateway next to a bare Bun proxy and the upstream itself, same load, one table.
// `bun bench/run.ts --soak [--requests 200000]`: RSS over a long run and ledger rows written.
// Flags: --concurrency N (64), --requests N (20000 per target and scenario), --duration S (6 per
// target and scenario), --rounds N (4 interleaved slices that share those), --warmup N (20000 per
// target and scenario, unrecorded), --profile DIR (the gateway writes a CPU profile there when it stops),
// --scenario TEXT (only the scenarios whose name contains it, e.g. "chat, JSON"), --no-unloaded
// (skip the second pass, one request at a time).

import { compare, scenariosNamed, type LoadSettings, type Row, type Scenario } from "./compare.ts";
import { machineLine } from "./machine.ts";
import { budgetTable, resultsTable, unloadedTable, verdicts, verdictTable } from "./report.ts";
import { WARM_UP_REQUESTS } from "./slices.ts";
import { soak } from "./soak.ts";
import {
  createWorkspace, startBareProxyProcess, startGateway, startLeanGatewayProcess, startParsingProxyProcess, startUpstreamProcess, targetsOf,
  type Target,
} from "./targets.ts";

interface Flags {
  soak: boolean;
  profile?: string;
  scenarios: readonly Scenario[];
  load: LoadSettings;
  unloaded: boolean;
}

/** The second pass: one request at a time, for the gateway's own latency without a queue. */
const UNLOADED: LoadSettings = { concurrency: 1, requests: 3000, durationMs: 3000, warmup: 300, rounds: 3 };

function parseFlags(argv: readonly string[]): Flags {
  const value = (name: string): string | undefined => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const number = (name: string, fallback: number) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!(parsed >= 0)) throw new Error(`--${name} must be a number, got ${raw}`);
    return parsed;
  };
  const isSoak = argv.includes("--soak");
  const only = value("scenario");
  const scenarios = scenariosNamed(only);
  return {
    soak: isSoak,
    unloaded: !argv.includes("--no-unloaded"),
    profile: value("profile"),
    scenarios,
    load: {
      concurrency: number("concurrency", 64),
      requests: number("requests", isSoak ? 200_000 : 20_000),
      durationMs: number("duration", isSoak ? 170 : 6) * 1000,
      warmup: number("warmup", isSoak ? 0 : WARM_UP_REQUESTS),
      rounds: Math.max(1, Math.round(number("rounds", 4))),
    },
  };
}

const log = (line: string) => void process.stderr.write(line + "\n");

async function main(flags: Flags): Promise<void> {
  const work = createWorkspace();
  const upstream = await startUpstreamProcess();
  const started = [upstream];
  try {
    if (flags.soak) {
      const { server, key } = await startGateway(work, upstream, { profileDir: flags.profile });
      started.push(server);
      console.log(await soak(work, server, key, flags.load, log));
      started.pop();
      return;
    }
    const proxy = await startBareProxyProcess(upstream);
    started.push(proxy);
    const parsing = await startParsingProxyProcess(upstream);
    started.push(parsing);
    const lean = await startLeanGatewayProcess(work, upstream);
    started.push(lean);
    const duties = await startGateway(work, upstream, { label: "duties", duties: true });
    started.push(duties.server);
    const { server, key } = await startGateway(work, upstream, { profileDir: flags.profile });
    started.push(server);
    const { concurrency, requests, durationMs, warmup, rounds } = flags.load;
    log(`bench: concurrency ${concurrency}, up to ${requests} requests or ${durationMs / 1000} s per target and scenario in ${rounds} interleaved rounds, after ${warmup} warm-up requests`);
    const targets = targetsOf({ upstream, proxy, parsing, lean, duties: duties.server, gateway: server }, { gateway: key, duties: duties.key });
    const rows = await compare(work, targets, flags.load, log, flags.scenarios);
    let unloaded: Row[] = [];
    if (flags.unloaded) {
      log(`bench: unloaded, one request at a time, up to ${UNLOADED.requests} requests or ${UNLOADED.durationMs / 1000} s per scenario`);
      // The unloaded table compares the gateway with the proxies; the upstream and the floors sit out.
      const measured = new Set<Target["name"]>(["bare proxy", "parsing proxy", "gateway"]);
      unloaded = await compare(work, targets.filter((t) => measured.has(t.name)), UNLOADED, log, flags.scenarios);
    }
    console.log(`\n${machineLine()}; concurrency ${concurrency}; ${rounds} interleaved rounds; load generator: a Bun client in its own process\n`);
    console.log(resultsTable(rows));
    console.log("");
    console.log(verdictTable(verdicts(rows)));
    console.log(`\nThe throughput bar as CPU (per request recorded, all threads of each process):\n\n${budgetTable(rows)}`);
    if (unloaded.length > 0) console.log(`\nUnloaded (concurrency 1):\n\n${unloadedTable(unloaded)}`);
  } finally {
    for (const server of started.reverse()) await server.stop();
    work.remove();
  }
}

await main(parseFlags(process.argv.slice(2)));
