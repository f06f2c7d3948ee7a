// `${VAR}` and `${VAR:-default}` substitution in config strings, reporting where each missing or
// malformed one is. `$${` writes a literal `${`.

export interface Substitution {
  value: string;
  /** Whether any `${...}` was replaced (positions inside the string no longer match the source). */
  changed: boolean;
  /** The values that were put in, for the secrets list. */
  inserted: string[];
  /** Missing variables without default: their index and length in the original string. */
  missing: { name: string; index: number; length: number }[];
  /** `${` that starts no reference of either form (`${VAR-x}`, `${ VAR }`, no `}`): kept as written. */
  malformed: { text: string; index: number; length: number }[];
}

/** One reference, anchored where a `${` was found. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/y;

export function substituteEnv(text: string, env: Record<string, string | undefined>): Substitution {
  const result: Substitution = { value: text, changed: false, inserted: [], missing: [], malformed: [] };
  if (!text.includes("${")) return result;
  let out = "";
  let from = 0;
  for (let index = text.indexOf("${"); index !== -1; index = text.indexOf("${", from)) {
    if (index > 0 && text[index - 1] === "$") {
      // `$${`: the escape. The `$` before it was copied already; drop it and keep the `${`.
      out += text.slice(from, index - 1) + "${";
      from = index + 2;
      result.changed = true;
      continue;
    }
    out += text.slice(from, index);
    REFERENCE.lastIndex = index;
    const match = REFERENCE.exec(text);
    // A default holding a reference would be cut at its first `}`: nesting is not supported.
    if (!match || match[2]?.includes("${")) {
      const close = text.indexOf("}", index);
      const end = close === -1 ? text.length : close + 1;
      result.malformed.push({ text: text.slice(index, end), index, length: end - index });
      out += text.slice(index, end);
      from = end;
      continue;
    }
    const [whole, name, fallback] = match as unknown as [string, string, string | undefined];
    from = index + whole.length;
    result.changed = true;
    // As in a shell or Compose file, `:-` gives the default for a variable set to "" too.
    // Only the environment's own variables: `${constructor}` is not Object's constructor.
    const set = Object.hasOwn(env, name) ? env[name] : undefined;
    const value = fallback !== undefined && (set === undefined || set === "") ? fallback : set;
    if (value === undefined) {
      result.missing.push({ name, index, length: whole.length });
      continue;
    }
    result.inserted.push(value);
    out += value;
  }
  result.value = out + text.slice(from);
  return result;
}
