// Character tables of the scanner: classes and case folding by UTF-16 code unit, and word hashing,
// so that words are looked up by number and never become strings unless they are cues.

export const LOWER = 1, UPPER = 2, DIGIT = 3, UNDER = 4, LETTER = 5, CJK = 6, SPACE = 7, NEWLINE = 8;

/** The class of every code unit: one array read instead of a regex per character. */
export const CLASS = (() => {
  const table = new Uint8Array(65536);
  const fill = (from: number, to: number, kind: number) => table.fill(kind, from, to + 1);
  fill(0xc0, 0x1fff, LETTER);
  fill(0x2c00, 0x2fff, LETTER);
  fill(0x3100, 0xd7ff, LETTER);
  fill(0xf900, 0xfdff, LETTER);
  fill(0xfe70, 0xfeff, LETTER);
  fill(0xff10, 0xff19, LETTER);
  fill(0xff21, 0xff3a, LETTER);
  fill(0xff41, 0xff5a, LETTER);
  fill(0xff66, 0xff9f, LETTER);
  fill(0x3040, 0x30ff, CJK);
  fill(0x4e00, 0x9fff, CJK);
  fill(0x61, 0x7a, LOWER);
  fill(0x41, 0x5a, UPPER);
  fill(0x30, 0x39, DIGIT);
  table[0x5f] = UNDER;
  table[0xd7] = table[0xf7] = 0;
  for (const code of [9, 11, 12, 13, 32, 0xa0, 0x1680, 0x202f, 0x205f, 0x3000, 0xfeff]) table[code] = SPACE;
  fill(0x2000, 0x200a, SPACE);
  table[10] = table[0x2028] = table[0x2029] = NEWLINE;
  return table;
})();

/** Lower case of every code unit (one to one; the rare letters whose lower case is longer keep themselves). */
export const FOLD = (() => {
  const table = new Uint16Array(65536);
  for (let code = 0; code < 65536; code++) table[code] = code;
  for (let code = 0x41; code <= 0x5a; code++) table[code] = code + 32;
  const ranges = [[0xc0, 0x24ff], [0x2c00, 0x2dff], [0xa640, 0xa7ff], [0xff21, 0xff3a]] as const;
  for (const [from, to] of ranges) {
    for (let code = from; code <= to; code++) {
      const lower = String.fromCharCode(code).toLowerCase();
      if (lower.length === 1) table[code] = lower.charCodeAt(0);
    }
  }
  return table;
})();

export function isWordChar(code: number): boolean {
  const kind = CLASS[code]!;
  return kind !== 0 && kind < CJK;
}

/** One step of the word hash, on a folded code unit; the scanner inlines the same formula. */
export function hashStep(hash: number, folded: number): number {
  return (Math.imul(hash, 31) + folded) | 0;
}

export function hashOf(word: string, length = word.length): number {
  let hash = 0;
  for (let i = 0; i < length; i++) hash = hashStep(hash, FOLD[word.charCodeAt(i)]!);
  return hash;
}

/** Whether text[start, end) folds to `word` (already lower case). */
export function foldEquals(text: string, start: number, end: number, word: string): boolean {
  return end - start === word.length && foldStartsWith(text, start, end, word);
}

export function foldStartsWith(text: string, start: number, end: number, word: string): boolean {
  if (end - start < word.length) return false;
  for (let i = 0; i < word.length; i++) if (FOLD[text.charCodeAt(start + i)] !== word.charCodeAt(i)) return false;
  return true;
}

export function foldEndsWith(text: string, start: number, end: number, word: string): boolean {
  return end - start >= word.length && foldStartsWith(text, end - word.length, end, word);
}

/** A one-bit-per-bucket set of hashes: a cheap "surely not" before a map lookup. */
export class HashFilter {
  private readonly bits = new Uint32Array(1 << 11);

  constructor(hashes: Iterable<number> = []) {
    for (const hash of hashes) this.add(hash);
  }

  add(hash: number): void {
    const bucket = Math.imul(hash, 0x9e3779b1) >>> 16;
    this.bits[bucket >>> 5] = this.bits[bucket >>> 5]! | (1 << (bucket & 31));
  }

  copy(): HashFilter {
    const copy = new HashFilter();
    copy.bits.set(this.bits);
    return copy;
  }

  has(hash: number): boolean {
    const bucket = Math.imul(hash, 0x9e3779b1) >>> 16;
    return (this.bits[bucket >>> 5]! & (1 << (bucket & 31))) !== 0;
  }
}
