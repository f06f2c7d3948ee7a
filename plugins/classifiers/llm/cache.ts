// The `llm` classifier's answer cache: least recently used first out, entries expire after a TTL.
// A Map keeps insertion order, so re-inserting on a hit makes its first key the oldest.

interface Entry {
  label: string;
  expiresAt: number;
}

export class LabelCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.label;
  }

  set(key: string, label: string): void {
    if (this.capacity === 0) return;
    this.entries.delete(key);
    this.entries.set(key, { label, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

const encoder = new TextEncoder();

/** Hex SHA-256 of a text with the Web Crypto API: keys stay small whatever the prompt's length. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
