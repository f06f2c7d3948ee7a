// `usage --since` in every unit the config takes, and which key `keys disable` means, from the
// command line as a user runs it.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLedger } from "../../core/ledger/index.ts";
import { spawnCli } from "./spawn-cli.ts";

let dir: string;
const cli = (...args: string[]) => spawnCli(dir, args);
const config = (name: string) => `storage: sqlite:./${name}.db
auth: { use: api-keys }
providers: { demo: { use: echo } }
models: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchyard-ledger-cli-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("usage --since", () => {
  const HOUR = 3_600_000;
  const now = Date.now();
  // One request 3 days ago, one 2 hours ago, one 20 seconds ago.
  const ages = [72 * HOUR, 2 * HOUR, 20_000];

  beforeAll(async () => {
    await writeFile(join(dir, "since.yaml"), config("since"));
    const ledger = await openLedger(`sqlite:${join(dir, "since.db")}`);
    ages.forEach((age, i) =>
      ledger.record({ id: `gen-${i}`, keyId: null, route: "direct", requestedModel: "echo", model: "echo", provider: "demo", endpoint: "demo/echo", status: 200, errorCode: null, attempts: [], stream: false, usage: { inputTokens: 1, outputTokens: 1 }, cost: 0, fee: 0, latencyMs: 1, ttftMs: 1, createdAt: now - age }),
    );
    await ledger.close();
  });

  const requestsSince = (since: string) => {
    const result = cli("usage", "--config", "since.yaml", "--since", since, "--json");
    expect(result.err).toBe("");
    return (JSON.parse(result.out) as { requests: number }[]).reduce((sum, row) => sum + row.requests, 0);
  };

  test("a bare number is refused with how to write a span, and exits 64", () => {
    const result = cli("usage", "--config", "since.yaml", "--since", "7");
    expect(result.code).toBe(64);
    expect(result.err).toContain("--since 7 has no unit: write 7d for 7 days");
    expect(result.out).toBe("");
  });

  test("a span in any unit the config's durations take, or in days, counts back from now", () => {
    const cases: [since: string, requests: number][] = [
      ["4d", 3], ["1d", 2], ["3h", 2], ["1.5h", 1], ["90m", 1], ["60s", 1], ["60000ms", 1], ["1s", 0], ["500ms", 0],
    ];
    for (const [since, requests] of cases) expect([since, requestsSince(since)]).toEqual([since, requests]);
  });

  test("a date still counts from that date, and what is neither is refused", () => {
    expect(requestsSince("2000-01-01")).toBe(3);
    // Midnight (UTC) of the day two days back: after the request of three days ago.
    expect(requestsSince(new Date(now - 48 * HOUR).toISOString().slice(0, 10))).toBe(2);
    const result = cli("usage", "--config", "since.yaml", "--since", "yesterday");
    expect(result.code).toBe(64);
    expect(result.err).toContain("--since yesterday is neither a span back from now");
  });
});

describe("keys disable", () => {
  let secrets: string[];
  let ids: string[];

  beforeAll(async () => {
    await writeFile(join(dir, "disable.yaml"), config("disable"));
    const ledger = await openLedger(`sqlite:${join(dir, "disable.db")}`);
    const created = [await ledger.keys.create({ name: "team-a" }), await ledger.keys.create({ name: "team-b" }), await ledger.keys.create({ name: "team-c" })];
    await ledger.close();
    secrets = created.map((c) => c.key);
    ids = created.map((c) => c.record.id);
  });

  const disabled = () => (JSON.parse(cli("keys", "list", "--config", "disable.yaml", "--json").out) as { id: string; disabled: boolean }[]).filter((k) => k.disabled).map((k) => k.id);

  test("a prefix several keys share is named with their ids and names, never their secrets, and disables none", () => {
    const result = cli("keys", "disable", "--config", "disable.yaml", "sk-sy-");
    expect(result.code).toBe(1);
    expect(result.err).toContain("sk-sy- matches 3 keys: give more of it");
    for (const id of ids) expect(result.err).toContain(id);
    expect(result.err).toContain('"team-b"');
    for (const secret of secrets) expect(result.err + result.out).not.toContain(secret);
    expect(disabled()).toEqual([]);
  });

  test("the whole secret finds its key, and is not printed back", () => {
    const result = cli("keys", "disable", "--config", "disable.yaml", secrets[0]!);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`disabled ${ids[0]}`);
    expect(result.out + result.err).not.toContain(secrets[0]!);
    expect(disabled()).toEqual([ids[0]!]);
  });

  test("a secret that is no key's is refused showing only its visible prefix", () => {
    const wrong = secrets[1]!.slice(0, -4) + (secrets[1]!.endsWith("AAAA") ? "BBBB" : "AAAA");
    const result = cli("keys", "disable", "--config", "disable.yaml", wrong);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`no key has the secret ${wrong.slice(0, 14)}…`);
    expect(result.out + result.err).not.toContain(wrong.slice(14));
    expect(disabled()).toEqual([ids[0]!]);
  });

  test("an id, or the start of one only one key has, still disables that key", () => {
    expect(cli("keys", "disable", "--config", "disable.yaml", ids[1]!).code).toBe(0);
    const partial = cli("keys", "disable", "--config", "disable.yaml", secrets[2]!.slice(0, 12));
    expect(partial.code).toBe(0);
    expect(disabled().sort()).toEqual([...ids].sort());
  });
});

describe("keys release", () => {
  test("gives back the holds left on a key, shown by keys list, and says how much", async () => {
    await writeFile(join(dir, "release.yaml"), config("release"));
    const ledger = await openLedger(`sqlite:${join(dir, "release.db")}`);
    const { record } = await ledger.keys.create({ name: "orphaned", creditLimit: 1_000_000_000 });
    await ledger.reserve(record.id, 250_000_000);
    await ledger.close();
    const held = () => (JSON.parse(cli("keys", "list", "--config", "release.yaml", "--json").out) as { held: number }[])[0]!.held;
    expect(held()).toBe(0.25);
    const result = cli("keys", "release", "--config", "release.yaml", record.id);
    expect([result.code, result.out]).toEqual([0, `released $0.250000 held on ${record.id} ${record.prefix}… "orphaned"\n`]);
    expect(held()).toBe(0);
  });
});
