// The ledger's write queue: batching, ordering, and keeping rows through a failed write.

import { describe, expect, it } from "bun:test";
import { WriteQueue } from "../../core/ledger/write-queue.ts";
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
});
