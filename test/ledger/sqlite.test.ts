// Runs the ledger suite on SQLite files in a temporary folder.

import { describe, expect, it } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { openLedger } from "../../core/ledger/index.ts";
import { isAlive } from "../../core/ledger/sqlite.ts";
import { sqliteStorage } from "../storages.ts";
import { ledgerSuite } from "./suite.ts";

const storage = sqliteStorage();
ledgerSuite("sqlite", storage);

describe("ledger on sqlite, single process", () => {
  it("drops reservations left by a previous process when a gateway opens it", async () => {
    const url = await storage.fresh();
    const before = await openLedger(url, { serving: true });
    const { record } = await before.keys.create({ name: "restarted", creditLimit: 1000 });
    expect(await before.reserve(record.id, 1000)).not.toBeNull();
    await before.close();
    const after = await openLedger(url, { serving: true });
    expect((await after.keys.get(record.id))?.reserved).toBe(0);
    await after.close();
  });

  it("leaves a running gateway's reservations alone when a CLI command opens it", async () => {
    const url = await storage.fresh();
    const gateway = await openLedger(url, { serving: true });
    const { record } = await gateway.keys.create({ name: "in-flight", creditLimit: 1000 });
    expect(await gateway.reserve(record.id, 600)).not.toBeNull();
    const command = await openLedger(url);
    expect((await command.keys.get(record.id))?.reserved).toBe(600);
    await command.close();
    // The hold still counts against the key: a second request that would pass the limit is refused.
    expect(await gateway.reserve(record.id, 600)).toBeNull();
    await gateway.close();
  });

  it("leaves a running gateway's holds alone when a second gateway serves the same file, and drops them once none is alive", async () => {
    const url = await storage.fresh();
    const first = await openLedger(url, { serving: true });
    const { record } = await first.keys.create({ name: "shared", creditLimit: 1000 });
    expect(await first.reserve(record.id, 600)).not.toBeNull();
    const second = await openLedger(url, { serving: true });
    expect((await second.keys.get(record.id))?.reserved).toBe(600);
    expect(await second.reserve(record.id, 600)).toBeNull();
    await second.close();
    await first.close();
    // A gateway killed with its holds on (it never closed): the next to serve finds it dead.
    const script = `
      const { openLedger } = await import(${JSON.stringify(new URL("../../core/ledger/index.ts", import.meta.url).pathname)});
      const ledger = await openLedger(${JSON.stringify(url)}, { serving: true });
      await ledger.reserve(${JSON.stringify(record.id)}, 700);
      process.exit(0);`;
    const child = Bun.spawnSync([process.execPath, "-e", script], { stderr: "pipe" });
    expect(child.stderr.toString()).toBe("");
    const command = await openLedger(url);
    expect((await command.keys.get(record.id))?.reserved).toBe(700);
    await command.close();
    const restarted = await openLedger(url, { serving: true });
    expect((await restarted.keys.get(record.id))?.reserved).toBe(0);
    await restarted.close();
  });

  it("leaves the PostgreSQL driver unloaded", async () => {
    // A process of its own: this one's other tests may have loaded the driver already.
    const script = `
      const { openLedger } = await import(${JSON.stringify(new URL("../../core/ledger/index.ts", import.meta.url).pathname)});
      const ledger = await openLedger("sqlite::memory:");
      await ledger.close();
      console.log(Object.keys(require.cache).filter((path) => path.includes("/node_modules/postgres/")).length);`;
    const child = Bun.spawnSync([process.execPath, "-e", script], { stderr: "pipe" });
    expect(child.stderr.toString()).toBe("");
    expect(child.stdout.toString().trim()).toBe("0");
  });

  it("creates its folder and files readable by their owner alone", async () => {
    const path = join(dirname((await storage.fresh()).slice("sqlite:".length)), "private", "ledger.db");
    const ledger = await openLedger(`sqlite:${path}`);
    await ledger.keys.create({ name: "private" });
    for (const file of [path, `${path}-wal`]) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    await ledger.close();
  });

  it("refuses a storage URL of an unknown kind", async () => {
    await expect(openLedger("mysql://db/switchyard")).rejects.toThrow('unknown storage "mysql:"');
  });
});

describe("which gateways of a SQLite file are alive", () => {
  it("a running process is, and one killed but not yet reaped by its parent (a zombie) is not", async () => {
    expect(isAlive(process.pid)).toBe(true);
    const child = Bun.spawn(["sleep", "30"]);
    expect(isAlive(child.pid)).toBe(true);
    // Killed, and not waited for: until Bun reaps it (not before this turn of the event loop ends),
    // the kernel keeps it as a zombie that takes signal 0.
    process.kill(child.pid, "SIGKILL");
    let stat = "";
    while (!stat.includes(") Z ")) stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
    expect(isAlive(child.pid)).toBe(false);
    await child.exited;
    expect(isAlive(child.pid)).toBe(false);
  });
});
