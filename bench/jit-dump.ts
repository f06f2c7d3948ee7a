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
}

const MAGIC = 0x4a695444;
/** The file header: magic, version, its own size, machine, padding, pid, timestamp, flags. */
const FILE_HEADER_SIZE = 40;
const CODE_LOAD = 0;
const HEADER_SIZE = 16; // id, total size, timestamp
/** A code-load record's fixed fields after its header: pid, tid, vma, code address, code size, index. */
const CODE_LOAD_FIXED = 40;

/** Every code-load record of a dump, sorted by address; a later load of the same range wins. */
export function readJitDump(file: string): JitCode[] {
  const bytes = readFileSync(file);
  if (bytes.length < FILE_HEADER_SIZE || bytes.readUInt32LE(0) !== MAGIC) throw new Error(`${file} is not a JIT dump`);
  const codes: JitCode[] = [];
  for (let at = bytes.readUInt32LE(8); at + HEADER_SIZE <= bytes.length; ) {
    const id = bytes.readUInt32LE(at);
    const size = bytes.readUInt32LE(at + 4);
    // A record cut short by the process still writing ends the readable part.
    if (size < HEADER_SIZE || at + size > bytes.length) break;
    if (id === CODE_LOAD) {
      const fields = at + HEADER_SIZE;
      const start = Number(bytes.readBigUInt64LE(fields + 16));
      const length = Number(bytes.readBigUInt64LE(fields + 24));
      const nameStart = fields + CODE_LOAD_FIXED;
      const name = bytes.toString("utf8", nameStart, bytes.indexOf(0, nameStart));
      codes.push({ start, end: start + length, name });
    }
    at += size;
  }
  // Stable: of two loads at one address, the later (the code that replaced the first) comes last.
  return codes.sort((a, b) => a.start - b.start);
}

/** The code holding `address`, by binary search over `codes` (sorted by start). */
export function codeAt(codes: readonly JitCode[], address: number): JitCode | undefined {
  let low = 0;
  let high = codes.length - 1;
  let found: JitCode | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const code = codes[middle]!;
    if (code.start <= address) {
      if (address < code.end) found = code;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
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
