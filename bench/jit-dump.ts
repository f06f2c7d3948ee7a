// The JIT dump (the format `perf inject --jit` reads; tools/perf/Documentation/jitdump-specification.txt
// in the Linux tree) that JavaScriptCore writes with BUN_JSC_useJITDump=1: where each piece of
// compiled JavaScript sits in memory and what the engine calls it. Read here to name the addresses
// of JIT code in `perf` samples, which perf alone leaves unknown.

import { readFileSync } from "node:fs";

export interface JitCode {
  start: number;
  end: number;
  /** As the engine names it: "JSC-FTL: serveChat#Bwv4Nz", "JSC-Thunk: DefaultCall", ... */
  name: string;
  /** When the engine wrote it (ns of CLOCK_MONOTONIC, the clock `perf record -k mono` stamps samples with). */
  loadedAt: number;
}

const MAGIC = 0x4a695444;
/** The file header: magic, version, its own size, machine, padding, pid, timestamp, flags. */
const FILE_HEADER_SIZE = 40;
const CODE_LOAD = 0;
const HEADER_SIZE = 16; // id, total size, timestamp
/** A code-load record's fixed fields after its header: pid, tid, vma, code address, code size, index. */
const CODE_LOAD_FIXED = 40;

/** Every code-load record of a dump, in the order the engine wrote them (the order of time). */
export function readJitDump(file: string): JitCode[] {
  const bytes = readFileSync(file);
  if (bytes.length < FILE_HEADER_SIZE || bytes.readUInt32LE(0) !== MAGIC) throw new Error(`${file} is not a JIT dump`);
  const codes: JitCode[] = [];
  for (let at = bytes.readUInt32LE(8); at + HEADER_SIZE <= bytes.length; ) {
    const id = bytes.readUInt32LE(at);
    const size = bytes.readUInt32LE(at + 4);
    const loadedAt = Number(bytes.readBigUInt64LE(at + 8));
    // A record cut short by the process still writing ends the readable part.
    if (size < HEADER_SIZE || at + size > bytes.length) break;
    if (id === CODE_LOAD) {
      const fields = at + HEADER_SIZE;
      const start = Number(bytes.readBigUInt64LE(fields + 16));
      const length = Number(bytes.readBigUInt64LE(fields + 24));
      const nameStart = fields + CODE_LOAD_FIXED;
      const name = bytes.toString("utf8", nameStart, bytes.indexOf(0, nameStart));
      codes.push({ start, end: start + length, name, loadedAt });
    }
    at += size;
  }
  return codes;
}

/**
 * The JIT code in place at a moment of the run, moved forward through the dump's loads: a load
 * takes its range from any code that held it before (the engine freed that code to make room).
 * Samples are looked up in the order they were taken.
 */
export class JitTimeline {
  /** The code in place, sorted by start, no two overlapping. */
  private readonly live: JitCode[] = [];
  private next = 0;

  constructor(private readonly loads: readonly JitCode[]) {}

  /** Puts in place every load made by `time` (ns); times must not go back. */
  advance(time: number): void {
    for (; this.next < this.loads.length && this.loads[this.next]!.loadedAt <= time; this.next++) this.place(this.loads[this.next]!);
  }

  /** The code holding `address` now, if any. */
  codeAt(address: number): JitCode | undefined {
    const index = this.before(address + 1) - 1;
    const code = this.live[index];
    return code && address < code.end ? code : undefined;
  }

  /** How many codes in place start before `address`. */
  private before(address: number): number {
    let low = 0;
    let high = this.live.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.live[middle]!.start < address) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private place(code: JitCode): void {
    let from = this.before(code.start);
    if (from > 0 && this.live[from - 1]!.end > code.start) from--;
    let to = from;
    while (to < this.live.length && this.live[to]!.start < code.end) to++;
    this.live.splice(from, to - from, code);
  }
}

/**
 * The JavaScript function a piece of JIT code belongs to, whatever tier compiled it:
 * "JSC-FTL: serveChat#Bwv4Nz" → "serveChat", an unnamed one → "(anonymous #Bwv4Nz)", a compiled
 * regular expression → "regex /\s+/g". Null for the engine's own stubs (thunks, inline caches,
 * OSR exits): a sample in one belongs to the function that called it.
 */
export function functionOf(name: string): string | null {
  const compiled = /^JSC-(?:Baseline|DFG|FTL): (.*)#(\w+)$/.exec(name);
  if (compiled) return compiled[1] || `(anonymous #${compiled[2]})`;
  if (name.startsWith("JSC-YarrJIT: ")) return `regex ${name.slice("JSC-YarrJIT: ".length)}`;
  return null;
}
