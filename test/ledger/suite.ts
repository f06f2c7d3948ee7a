// The ledger's behaviour suite, run unchanged against every storage dialect.

import { afterAll, describe, expect, it } from "bun:test";
import { createHash } from "node:crypto";
import { openLedger, type Ledger, type LedgerSettings, type RequestRecord } from "../../core/ledger/index.ts";
import type { TestStorage } from "../storages.ts";

const DAY_MS = 86_400_000;
const JAN_1 = Date.UTC(2026, 0, 1, 12);
let serial = 0;

export function requestRecord(overrides: Partial<RequestRecord> = {}): RequestRecord {
  serial += 1;
  return {
    id: `gen-${serial}-${Math.random().toString(36).slice(2)}`,
    keyId: null,
    route: "direct",
    requestedModel: "claude-sonnet",
    model: "claude-sonnet",
    provider: "anthropic",
    endpoint: "anthropic/claude-sonnet-4-5",
    status: 200,
    errorCode: null,
    attempts: [{ endpoint: "anthropic/claude-sonnet-4-5", status: 200, duration_ms: 840, error: null }],
    stream: true,
    usage: { inputTokens: 1200, outputTokens: 300, cachedInputTokens: 1000, reasoningTokens: 40 },
    cost: 7_500_000,
    fee: 375_000,
    latencyMs: 900,
    ttftMs: 210,
    createdAt: JAN_1,
    ...overrides,
  };
}

/**
 * Registers the suite for one dialect. With no server to run on (`harness` null, outside CI) the
 * same tests are registered as skipped, so the report says what did not run.
 */
export function ledgerSuite(dialect: string, harness: TestStorage | null): void {
  const open: Ledger[] = [];
  async function fresh(options: LedgerSettings = {}): Promise<{ ledger: Ledger; storage: string }> {
    const storage = await harness!.fresh();
    // A long interval: these tests flush explicitly, so a timer flush would only hide a missing one.
    const ledger = await openLedger(storage, { flushIntervalMs: 60_000, ...options });
    open.push(ledger);
    return { ledger, storage };
  }

  afterAll(async () => {
    for (const ledger of open) await ledger.close().catch(() => {});
    await harness?.cleanup();
  });

  const title = harness ? `ledger on ${dialect}` : `ledger on ${dialect} (no server reachable; CI requires one)`;
  describe.skipIf(harness === null)(title, () => {
    it("applies migrations again without error and keeps existing data", async () => {
      const { ledger, storage } = await fresh();
      const { record } = await ledger.keys.create({ name: "ci" });
      await ledger.migrate();
      await ledger.close();
      const reopened = await openLedger(storage);
      open.push(reopened);
      await reopened.migrate();
      expect((await reopened.keys.list()).map((k) => k.id)).toEqual([record.id]);
    });

    it("creates a key whose secret is shown once and stored only as its sha-256", async () => {
      const { ledger, storage } = await fresh();
      const { key, record } = await ledger.keys.create({ name: "team-a", tags: ["beta"], creditLimit: 5_000_000_000 });
      expect(key).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
      expect(key.startsWith(record.prefix)).toBe(true);
      expect(record).toMatchObject({ name: "team-a", tags: ["beta"], creditLimit: 5_000_000_000, spent: 0, disabled: false });
      const stored = await harness!.keysTableText(storage);
      expect(stored).not.toContain(key);
      expect(stored).toContain(createHash("sha256").update(key).digest("hex"));
    });

    it("refuses a key name or tag holding a control character, a NUL included, with a 400", async () => {
      const { ledger } = await fresh();
      for (const input of [{ name: "team\u0000a" }, { name: "team-a", tags: ["be\nta"] }]) {
        const refused = await ledger.keys.create(input).catch((error: unknown) => error);
        expect(refused).toMatchObject({ status: 400, message: expect.stringContaining("control characters") });
      }
      expect(await ledger.keys.list()).toEqual([]);
    });

    it("finds no generation and no key for an id holding a NUL, where PostgreSQL would refuse the query", async () => {
      const { ledger } = await fresh();
      expect(await ledger.generation("gen-\u0000x")).toBeNull();
      expect(await ledger.keys.get("key_\u0000")).toBeNull();
      expect(await ledger.keys.disable("sk-sy-\u0000")).toBeNull();
    });

    it("lists keys in creation order and finds one by id", async () => {
      let clock = JAN_1;
      const { ledger } = await fresh({ now: () => (clock += 1000) });
      const first = (await ledger.keys.create({ name: "first" })).record;
      const second = (await ledger.keys.create({ name: "second" })).record;
      expect((await ledger.keys.list()).map((k) => k.name)).toEqual(["first", "second"]);
      expect(await ledger.keys.get(second.id)).toEqual(second);
      expect(await ledger.keys.get(`${first.id}-missing`)).toBeNull();
    });

    it("verifies a key to its principal and refuses a wrong one", async () => {
      const { ledger } = await fresh();
      const { key, record } = await ledger.keys.create({ name: "team-a", tags: ["beta"], creditLimit: 1000, rateLimit: 120 });
      expect(await ledger.keys.verify(key)).toEqual({ keyId: record.id, name: "team-a", tags: ["beta"], creditLimit: 1000, rateLimit: 120 });
      expect((await ledger.keys.get(record.id))?.rateLimit).toBe(120);
      expect(await ledger.keys.verify(`${key.slice(0, -1)}x`)).toBeNull();
      expect(await ledger.keys.verify("")).toBeNull();
    });

    it("stops verifying a key as soon as it is disabled by prefix", async () => {
      const { ledger } = await fresh();
      const { key, record } = await ledger.keys.create({ name: "leaked" });
      expect(await ledger.keys.verify(key)).not.toBeNull();
      const disabled = await ledger.keys.disable(record.prefix);
      expect(disabled).toMatchObject({ id: record.id, disabled: true });
      expect(await ledger.keys.verify(key)).toBeNull();
      expect(await ledger.keys.disable("key_unknown")).toBeNull();
    });

    it("lets exactly ten of fifty concurrent reservations through on credit for ten", async () => {
      const { ledger } = await fresh();
      const { record } = await ledger.keys.create({ name: "capped", creditLimit: 10_000 });
      const results = await Promise.all(Array.from({ length: 50 }, () => ledger.reserve(record.id, 1000)));
      expect(results.filter((r) => r !== null)).toHaveLength(10);
      expect((await ledger.keys.get(record.id))?.reserved).toBe(10_000);
    });

    it("refuses reservations on a disabled or unknown key and allows any on an unlimited one", async () => {
      const { ledger } = await fresh();
      const unlimited = (await ledger.keys.create({ name: "open" })).record;
      const blocked = (await ledger.keys.create({ name: "blocked" })).record;
      await ledger.keys.disable(blocked.id);
      expect(await ledger.reserve(unlimited.id, 10 ** 15)).toEqual({ keyId: unlimited.id, amount: 10 ** 15 });
      expect(await ledger.reserve(blocked.id, 1)).toBeNull();
      expect(await ledger.reserve("key_unknown", 1)).toBeNull();
    });

    it("charges cost plus fee and releases the reservation when a row is flushed", async () => {
      const { ledger } = await fresh();
      const { record } = await ledger.keys.create({ name: "billed", creditLimit: 100_000_000 });
      const reservation = await ledger.reserve(record.id, 20_000_000);
      ledger.record(requestRecord({ keyId: record.id, cost: 7_500_001, fee: 375_000, reservation }));
      ledger.record(requestRecord({ keyId: record.id, cost: 1, fee: 0 }));
      await ledger.flush();
      expect(await ledger.keys.get(record.id)).toMatchObject({ spent: 7_875_002, reserved: 0 });
    });

    it("gives back the part of a finished request's hold it was not charged before the row is written, and charges the rest with the row", async () => {
      const { ledger } = await fresh();
      const { record } = await ledger.keys.create({ name: "back-to-back", creditLimit: 10_000 });
      const first = await ledger.reserve(record.id, 6000);
      ledger.record(requestRecord({ keyId: record.id, cost: 900, fee: 100, reservation: first }));
      // The row is unwritten (the flush interval is a minute): only its 1,000 charged stays held.
      expect(await ledger.reserve(record.id, 9000)).not.toBeNull();
      expect(await ledger.reserve(record.id, 1)).toBeNull();
      await ledger.flush();
      expect(await ledger.keys.get(record.id)).toMatchObject({ spent: 1000, reserved: 9000 });
    });

    it("gives back every hold on a key when an operator releases them, and no other key's", async () => {
      const { ledger } = await fresh();
      const { record } = await ledger.keys.create({ name: "orphaned", creditLimit: 5000 });
      const { record: other } = await ledger.keys.create({ name: "busy", creditLimit: 5000 });
      await ledger.reserve(record.id, 4000);
      await ledger.reserve(other.id, 3000);
      expect(await ledger.reserve(record.id, 2000)).toBeNull();
      expect(await ledger.keys.releaseHolds(record.id)).toMatchObject({ id: record.id, reserved: 0 });
      expect(await ledger.reserve(record.id, 2000)).not.toBeNull();
      expect((await ledger.keys.get(other.id))?.reserved).toBe(3000);
      expect(await ledger.keys.releaseHolds("key_unknown")).toBeNull();
    });

    it("gives back a reservation on release", async () => {
      const { ledger } = await fresh();
      const { record } = await ledger.keys.create({ name: "aborted", creditLimit: 5000 });
      const reservation = await ledger.reserve(record.id, 5000);
      expect(reservation).not.toBeNull();
      await ledger.release(reservation!);
      expect(await ledger.reserve(record.id, 5000)).not.toBeNull();
    });

    it("returns a recorded row by id, before and after the flush", async () => {
      const { ledger } = await fresh();
      const row = requestRecord({ errorCode: null, ttftMs: null, stream: false });
      ledger.record(row);
      const expected = { ...row, total: row.cost + row.fee };
      delete expected.reservation;
      expect(await ledger.generation(row.id)).toEqual(expected);
      await ledger.flush();
      expect(await ledger.generation(row.id)).toEqual(expected);
      expect(await ledger.generation("gen-missing")).toBeNull();
    });

    it("stores a failed request with no usage and its attempts", async () => {
      const { ledger } = await fresh();
      const attempts = [
        { endpoint: "anthropic/claude-sonnet-4-5", status: 529, duration_ms: 120, error: "overloaded" },
        { endpoint: "openai/gpt-5-mini", status: 503, duration_ms: 80, error: "unavailable" },
      ];
      const row = requestRecord({ status: 502, errorCode: "upstream_error", usage: null, cost: 0, fee: 0, attempts, model: null });
      ledger.record(row);
      await ledger.flush();
      expect(await ledger.generation(row.id)).toMatchObject({ status: 502, usage: null, attempts, model: null, total: 0 });
    });

    it("stores text with quotes, backslashes, braces, commas and non-ASCII exactly as recorded", async () => {
      const { ledger } = await fresh();
      const error = 'upstream said "no" \\ {retry, later} NULL — 再試行 🚦';
      const attempts = [{ endpoint: "openai/gpt-5-mini", status: 503, duration_ms: 80, error }];
      const row = requestRecord({ route: "NULL", errorCode: 'a"b\\c', requestedModel: "{x,y}", attempts, usage: null });
      ledger.record(row);
      await ledger.flush();
      expect(await ledger.generation(row.id)).toMatchObject({ route: "NULL", errorCode: 'a"b\\c', requestedModel: "{x,y}", attempts });
    });

    it("stores text holding a NUL character with U+FFFD in its place, and the rest of its batch", async () => {
      const { ledger } = await fresh();
      const attempts = [{ endpoint: "openai/gpt-5-mini", status: 400, duration_ms: 30, error: "bad\u0000byte" }];
      const odd = requestRecord({ requestedModel: "gpt\u00005", attempts, status: 404, usage: null, cost: 0, fee: 0 });
      const plain = requestRecord();
      ledger.record(odd);
      ledger.record(plain);
      await ledger.flush();
      expect(await ledger.generation(odd.id)).toMatchObject({ requestedModel: "gpt\uFFFD5", attempts: [{ ...attempts[0], error: "bad\uFFFDbyte" }] });
      expect(await ledger.generation(plain.id)).toMatchObject({ requestedModel: plain.requestedModel, status: 200 });
    });

    it("charges a row whose count the database cannot hold to its key, without holding back its batch", async () => {
      const { ledger } = await fresh();
      const { record } = await ledger.keys.create({ name: "odd-vendor" });
      // Past PostgreSQL's integer: that dialect refuses the row as it came and stores it without the
      // vendor's usage; SQLite stores it as it came. Either way the key pays and the batch goes in.
      const odd = requestRecord({ keyId: record.id, cost: 100, fee: 5, usage: { inputTokens: 3_000_000_000, outputTokens: 1 } });
      const rows = [requestRecord({ keyId: record.id, cost: 10, fee: 1 }), odd, requestRecord({ keyId: record.id, cost: 1000, fee: 50 })];
      for (const row of rows) ledger.record(row);
      await ledger.flush();
      for (const row of rows) expect(await ledger.generation(row.id)).toMatchObject({ keyId: record.id, status: 200, cost: row.cost, fee: row.fee });
      expect((await ledger.keys.get(record.id))?.spent).toBe(1166);
      const stored = await ledger.generation(odd.id);
      expect([odd.usage, null]).toContainEqual(stored!.usage);
    });

    it("charges a key once for a row written twice", async () => {
      const { ledger } = await fresh();
      const { record } = await ledger.keys.create({ name: "retried" });
      const row = requestRecord({ keyId: record.id, cost: 100, fee: 5 });
      ledger.record(row);
      await ledger.flush();
      ledger.record(row);
      ledger.record({ ...row });
      ledger.record(requestRecord({ keyId: record.id, cost: 10, fee: 1 }));
      await ledger.flush();
      expect((await ledger.keys.get(record.id))?.spent).toBe(116);
    });

    it("writes a batch of several thousand rows in one transaction", async () => {
      const { ledger } = await fresh({ maxBatch: 5000 });
      const { record } = await ledger.keys.create({ name: "busy" });
      for (let i = 0; i < 4000; i++) ledger.record(requestRecord({ keyId: record.id, cost: 2, fee: 1, ...(i % 2 ? { usage: null } : {}) }));
      await ledger.flush();
      const [total] = await ledger.usage({ by: "key" });
      expect(total).toMatchObject({ group: record.id, requests: 4000, total: 12_000 });
      expect((await ledger.keys.get(record.id))?.spent).toBe(12_000);
    });

    it("sums usage by model to exactly the rows recorded", async () => {
      const { ledger } = await fresh();
      const rows = [
        requestRecord({ model: "claude-sonnet", cost: 3, fee: 1 }),
        requestRecord({ model: "claude-sonnet", cost: 5, fee: 2, usage: { inputTokens: 10, outputTokens: 2 } }),
        requestRecord({ model: "gpt-5-mini", cost: 7, fee: 0, usage: null }),
      ];
      for (const row of rows) ledger.record(row);
      await ledger.flush();
      const usage = await ledger.usage({ by: "model" });
      expect(usage).toEqual([
        { group: "claude-sonnet", requests: 2, inputTokens: 1210, outputTokens: 302, cachedInputTokens: 1000,
          cacheWriteTokens: 0, reasoningTokens: 40, cost: 8, fee: 3, total: 11 },
        { group: "gpt-5-mini", requests: 1, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0,
          cacheWriteTokens: 0, reasoningTokens: 0, cost: 7, fee: 0, total: 7 },
      ]);
    });

    it("filters usage by key and time window", async () => {
      const { ledger } = await fresh();
      ledger.record(requestRecord({ keyId: "key_a", cost: 10, createdAt: JAN_1 }));
      ledger.record(requestRecord({ keyId: "key_a", cost: 20, createdAt: JAN_1 + DAY_MS }));
      ledger.record(requestRecord({ keyId: "key_b", cost: 40, createdAt: JAN_1 + DAY_MS }));
      await ledger.flush();
      const byDay = await ledger.usage({ by: "day", keyId: "key_a" });
      expect(byDay.map((r) => [r.group, r.cost])).toEqual([["2026-01-02", 20], ["2026-01-01", 10]]);
      const recent = await ledger.usage({ by: "key", since: JAN_1 + DAY_MS });
      expect(recent.map((r) => [r.group, r.cost])).toEqual([["key_b", 40], ["key_a", 20]]);
    });

    it("keeps usage totals equal after pruning old rows into rollups", async () => {
      const { ledger } = await fresh();
      for (let i = 0; i < 30; i++) {
        ledger.record(requestRecord({ createdAt: JAN_1 + (i % 5) * DAY_MS, model: i % 2 ? "gpt-5-mini" : "claude-sonnet",
          keyId: i % 3 ? "key_a" : null, cost: 1000 + i, fee: i }));
      }
      await ledger.flush();
      const before = { model: await ledger.usage({ by: "model" }), day: await ledger.usage({ by: "day" }),
        key: await ledger.usage({ by: "key" }) };
      const removed = await ledger.pruneBefore(JAN_1 + 3 * DAY_MS, 7);
      expect(removed).toBe(18);
      await ledger.pruneBefore(JAN_1 + 3 * DAY_MS, 7);
      expect({ model: await ledger.usage({ by: "model" }), day: await ledger.usage({ by: "day" }),
        key: await ledger.usage({ by: "key" }) }).toEqual(before);
    });

    it("writes every queued row when closed", async () => {
      const { ledger, storage } = await fresh();
      for (let i = 0; i < 1000; i++) ledger.record(requestRecord({ cost: 1, fee: 1 }));
      await ledger.close();
      const reopened = await openLedger(storage);
      open.push(reopened);
      const [total] = await reopened.usage({ by: "provider" });
      expect(total).toMatchObject({ group: "anthropic", requests: 1000, total: 2000 });
    });
  });
}
