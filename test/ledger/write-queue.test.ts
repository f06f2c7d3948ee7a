// The ledger's write queue: batching, ordering, keeping rows through a failed write, and getting past
// a row the database refuses.

import { describe, expect, it } from "bun:test";
import { REFUSED_MODEL, WriteQueue } from "../../core/ledger/write-queue.ts";
import type { RequestRecord } from "../../core/ledger/index.ts";
import { requestRecord } from "./suite.ts";

function collectingWriter(failFirst = 0) {
  const batches: string[][] = [];
  let failures = failFirst;
  return {
    batches,
    async write(rows: readonly RequestRecord[]) {
      if (failures > 0) {
        failures -= 1;
        throw new Error("database is locked");
      }
      batches.push(rows.map((r) => r.id));
    },
  };
}

const quiet = { info() {}, warn() {}, error() {} };

describe("ledger write queue", () => {
  it("writes queued rows in order, in batches no larger than the maximum", async () => {
    const writer = collectingWriter();
    const queue = new WriteQueue(writer.write, 60_000, 4, quiet);
    const rows = Array.from({ length: 10 }, () => requestRecord());
    for (const row of rows) queue.push(row);
    await queue.flush();
    queue.stop();
    expect(writer.batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(writer.batches.flat()).toEqual(rows.map((r) => r.id));
  });

  it("keeps the rows of a failed write, logs it, and writes them on the next flush", async () => {
    const writer = collectingWriter(1);
    const logged: string[] = [];
    const log = { ...quiet, error: (message: string) => void logged.push(message) };
    const queue = new WriteQueue(writer.write, 60_000, 100, log);
    const rows = [requestRecord(), requestRecord()];
    for (const row of rows) queue.push(row);
    await expect(queue.flush()).rejects.toThrow("database is locked");
    expect(queue.size).toBe(2);
    expect(queue.unwritten).toBe(2);
    expect(queue.counts).toEqual({ writeFailures: 1, refusedRows: 0 });
    expect(logged).toEqual(["ledger write failed; rows kept for retry"]);
    await queue.flush();
    queue.stop();
    expect(writer.batches).toEqual([rows.map((r) => r.id)]);
  });

  it("writes on its own once the interval passes", async () => {
    const written = Promise.withResolvers<readonly RequestRecord[]>();
    const queue = new WriteQueue(async (rows) => written.resolve(rows), 5, 100, quiet);
    const row = requestRecord();
    queue.push(row);
    expect((await written.promise).map((r) => r.id)).toEqual([row.id]);
  });

  it("finds a row while its batch is being written, as the write of an async storage takes time", async () => {
    const writing = Promise.withResolvers<void>();
    const started = Promise.withResolvers<void>();
    const queue = new WriteQueue(
      async () => {
        started.resolve();
        await writing.promise;
      },
      60_000,
      10,
      quiet,
    );
    const row = requestRecord();
    queue.push(row);
    const flushed = queue.flush();
    await started.promise;
    expect(queue.size).toBe(0);
    expect(queue.find(row.id)?.id).toBe(row.id);
    writing.resolve();
    await flushed;
    queue.stop();
    expect(queue.find(row.id)).toBeUndefined();
  });

  describe("a row the database refuses", () => {
    /** The database's refusal of a row's data, as a driver's `refuses` tells it from an outage. */
    class Refusal extends Error {}
    const refuses = (error: unknown) => error instanceof Refusal;

    /** Refuses any write holding a row whose model is "poison"; `down` makes every write after the first fail as an outage. */
    function pickyWriter(down = false) {
      const batches: string[][] = [];
      let writes = 0;
      return {
        batches,
        async write(rows: readonly RequestRecord[]) {
          if (down && writes++ > 0) throw new Error("connection refused");
          if (rows.some((row) => row.requestedModel === "poison")) throw new Refusal("value out of range");
          batches.push(rows.map((row) => `${row.id}:${row.requestedModel}`));
        },
      };
    }

    it("does not hold back its batch: the others are written, it is stored salvaged and its record logged", async () => {
      const writer = pickyWriter();
      const logged: [string, unknown][] = [];
      const queue = new WriteQueue(writer.write, 60_000, 100, { ...quiet, error: (message, fields) => void logged.push([message, fields]) }, refuses);
      const rows = [requestRecord(), requestRecord({ requestedModel: "poison" }), requestRecord()];
      for (const row of rows) queue.push(row);
      await queue.flush();
      queue.stop();
      expect(queue.size).toBe(0);
      expect(writer.batches).toEqual([[`${rows[0]!.id}:claude-sonnet`], [`${rows[1]!.id}:${REFUSED_MODEL}`], [`${rows[2]!.id}:claude-sonnet`]]);
      expect(logged).toHaveLength(1);
      expect(logged[0]![1]).toMatchObject({ id: rows[1]!.id, error: "value out of range", record: rows[1] });
      expect(queue.counts).toEqual({ writeFailures: 0, refusedRows: 1 });
    });

    it("keeps the rest for the retry when the database goes away while the rows are written one at a time", async () => {
      const writer = pickyWriter(true);
      const queue = new WriteQueue(writer.write, 60_000, 100, quiet, refuses);
      const rows = [requestRecord({ requestedModel: "poison" }), requestRecord(), requestRecord()];
      for (const row of rows) queue.push(row);
      await expect(queue.flush()).rejects.toThrow("connection refused");
      queue.stop();
      expect(queue.size).toBe(3);
      expect(writer.batches).toEqual([]);
    });
  });
});
