// A storage URL's SQLite file, read one way by the config's check, the ledger and its spill folder.

/** The path of `sqlite:PATH` (or `sqlite://PATH`); "" when it names none; undefined for another storage. */
export function sqlitePath(storage: string): string | undefined {
  if (!storage.startsWith("sqlite:")) return undefined;
  const path = storage.slice("sqlite:".length);
  return path.startsWith("//") ? path.slice(2) : path;
}
