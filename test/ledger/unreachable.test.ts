// A ledger whose database stops answering: the request that needed it gets a plain 503, the log a
// line with the reason (neither the query nor a key's hash), and the ledger says it is unreachable.

import { expect, test } from "bun:test";
import { createLedger } from "../../core/ledger/ledger.ts";
import { openSqlite } from "../../core/ledger/sqlite.ts";
import { requestRecord } from "./suite.ts";

test("a key check, a credit hold and a lookup the database cannot answer are a 503 saying so, logged once with the reason", async () => {
  const driver = openSqlite(":memory:");
  await driver.migrate();
  let down = false;
  const failing = (name: "keyByHash" | "reserve" | "request") => {
    const real = driver[name].bind(driver) as (...args: unknown[]) => Promise<unknown>;
    (driver as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      if (!down) return real(...args);
      const error = new Error(`Failed query: select "id" from "keys" where "secret_hash" = $1\nparams: 9f86d081884c7d659a2feaa0c55ad015`);
      return Promise.reject(Object.assign(error, { cause: new Error("connect ECONNREFUSED 127.0.0.1:5432") }));
    };
  };
  for (const name of ["keyByHash", "reserve", "request"] as const) failing(name);
  const lines: { message: string; fields?: Record<string, unknown> }[] = [];
  let clock = 1_000_000;
  const ledger = createLedger(driver, { now: () => clock, log: { info() {}, warn() {}, error: (message, fields) => lines.push({ message, fields }) } });
  const { key, record } = await ledger.keys.create({ name: "team", creditLimit: 1000 });
  expect(ledger.reachable()).toBe(true);

  down = true;
  const refusals = [await Promise.resolve(ledger.keys.verify(key)).catch((e) => e), await ledger.reserve(record.id, 10).catch((e) => e), await ledger.generation("gen-x").catch((e) => e)];
  for (const error of refusals) {
    expect(error).toMatchObject({ code: "storage_unavailable", status: 503, message: "the gateway's database cannot be reached right now; try again shortly" });
  }
  expect(lines).toEqual([{ message: "the ledger's database could not be reached", fields: { reason: "connect ECONNREFUSED 127.0.0.1:5432" } }]);
  expect(JSON.stringify(lines)).not.toContain("9f86d0");
  expect(ledger.reachable()).toBe(false);

  down = false;
  clock += 10_000;
  expect(await ledger.reserve(record.id, 10)).not.toBeNull();
  expect(ledger.reachable()).toBe(true);
  await ledger.close();
});

test("a finished request's unused hold that the database could not take back while its row was being written is given back once it answers", async () => {
  const driver = openSqlite(":memory:");
  await driver.migrate();
  // The first give-back fails only once the row has gone to its write: the row cannot carry it back then.
  const refused = Promise.withResolvers<void>();
  const release = driver.release.bind(driver);
  let calls = 0;
  const retried = Promise.withResolvers<void>();
  driver.release = (keyId, amount) =>
    ++calls === 1 ? refused.promise.then(() => Promise.reject(new Error("connect ECONNREFUSED"))) : release(keyId, amount).then(() => retried.resolve());
  const ledger = createLedger(driver, { log: { info() {}, warn() {}, error() {} } });
  const { record: key } = await ledger.keys.create({ name: "team", creditLimit: 10_000 });
  expect(await ledger.reserve(key.id, 1_000)).not.toBeNull();
  ledger.record(requestRecord({ id: "gen-give-back", keyId: key.id, cost: 150, fee: 50, reservation: { keyId: key.id, amount: 1_000 } }));
  await ledger.flush();
  refused.resolve();
  await retried.promise;
  expect(calls).toBe(2);
  expect(await ledger.keys.get(key.id)).toMatchObject({ spent: 200, reserved: 0 });
  await ledger.close();
});
