// bench/jit-dump.ts: a JIT dump read in the order the engine wrote it, and a sample named by the
// code that held its address when it was taken, not by code the engine put there afterwards.

import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { functionOf, JitTimeline, readJitDump, type JitCode } from "../../bench/jit-dump.ts";

const folder = mkdtempSync(join(tmpdir(), "switchyard-jit-dump-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A dump as the jitdump specification lays it out: a 40-byte header, then code-load records. */
function dump(loads: { name: string; start: number; size: number; at: number }[]): Buffer {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(0x4a695444, 0);
  header.writeUInt32LE(1, 4);
  header.writeUInt32LE(40, 8);
  const records = loads.map(({ name, start, size, at }, index) => {
    const text = Buffer.from(`${name}\0`);
    const record = Buffer.alloc(16 + 40 + text.length + size);
    record.writeUInt32LE(0, 0); // a code load
    record.writeUInt32LE(record.length, 4);
    record.writeBigUInt64LE(BigInt(at), 8);
    record.writeBigUInt64LE(BigInt(start), 16 + 8); // vma
    record.writeBigUInt64LE(BigInt(start), 16 + 16); // code address
    record.writeBigUInt64LE(BigInt(size), 16 + 24);
    record.writeBigUInt64LE(BigInt(index), 16 + 32);
    text.copy(record, 16 + 40);
    return record;
  });
  return Buffer.concat([header, ...records]);
}

test("a dump's code loads are read with their place, name and time, in the order written", () => {
  const file = join(folder, "jit-1-2.dump");
  writeFileSync(file, dump([
    { name: "JSC-DFG: serveChat#Abc123", start: 0x1000, size: 0x100, at: 5_000 },
    { name: "JSC-Thunk: DefaultCall", start: 0x2000, size: 0x20, at: 7_000 },
  ]));
  expect(readJitDump(file)).toEqual([
    { start: 0x1000, end: 0x1100, name: "JSC-DFG: serveChat#Abc123", loadedAt: 5_000 },
    { start: 0x2000, end: 0x2020, name: "JSC-Thunk: DefaultCall", loadedAt: 7_000 },
  ]);
});

const code = (name: string, start: number, end: number, loadedAt: number): JitCode => ({ name, start, end, loadedAt });

test("an address is named by the code that held it at the sample's time", () => {
  const loads = [
    code("old", 0x1000, 0x1400, 10),
    code("neighbour", 0x1400, 0x1500, 20),
    // Put later into the memory of `old` (freed), starting before it and ending inside it.
    code("replacement", 0x0f00, 0x1100, 30),
    code("inside", 0x1200, 0x1300, 40),
  ];
  const timeline = new JitTimeline(loads);
  timeline.advance(5);
  expect(timeline.codeAt(0x1200)).toBeUndefined();
  timeline.advance(25);
  expect(timeline.codeAt(0x1200)?.name).toBe("old");
  expect(timeline.codeAt(0x1450)?.name).toBe("neighbour");
  timeline.advance(35);
  // `old` gave way to `replacement`: its other addresses hold nothing now, not a dead function.
  expect(timeline.codeAt(0x1050)?.name).toBe("replacement");
  expect(timeline.codeAt(0x1200)).toBeUndefined();
  expect(timeline.codeAt(0x1450)?.name).toBe("neighbour");
  timeline.advance(40);
  expect(timeline.codeAt(0x1250)?.name).toBe("inside");
  expect(timeline.codeAt(0x1300)).toBeUndefined();
  expect(timeline.codeAt(0x0f00)?.name).toBe("replacement");
});

test("compiled JavaScript is named by its function; the engine's stubs by none", () => {
  expect(functionOf("JSC-FTL: serveChat#Bwv4Nz")).toBe("serveChat");
  expect(functionOf("JSC-Baseline: #Bwv4Nz")).toBe("(anonymous #Bwv4Nz)");
  expect(functionOf("JSC-Thunk: DefaultCall")).toBeNull();
});
