// `${VAR}` and `${VAR:-default}` substitution in config strings, reporting where each missing one is.

export interface Substitution {
  value: string;
  /** Whether any `${...}` was replaced (positions inside the string no longer match the source). */
  changed: boolean;
  /** The values that were put in, for the secrets list. */
  inserted: string[];
  /** Missing variables without default: their index and length in the original string. */
  missing: { name: string; index: number; length: number }[];
}

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function substituteEnv(text: string, env: Record<string, string | undefined>): Substitution {
  const result: Substitution = { value: text, changed: false, inserted: [], missing: [] };
  if (!text.includes("${")) return result;
  result.value = text.replace(PATTERN, (match: string, name: string, fallback: string | undefined, index: number) => {
    result.changed = true;
    const value = env[name] ?? fallback;
    if (value === undefined) {
      result.missing.push({ name, index, length: match.length });
      return "";
    }
    result.inserted.push(value);
    return value;
  });
  return result;
}
