// Some of a body's top-level fields by name: a dialect's own, those no other dialect has, kept as
// the client sent them on the canonical request for the vendors of that dialect to get back
// (OPENAI_FIELDS, ANTHROPIC_FIELDS); and the prompt's fields of a Messages body that count_tokens takes.

/** The fields of `names` that `body` holds, or undefined when it holds none. */
export function ownFields(body: object, names: readonly string[]): Record<string, unknown> | undefined {
  let fields: Record<string, unknown> | undefined;
  for (const name of names) {
    const value = (body as Record<string, unknown>)[name];
    if (value !== undefined) (fields ??= {})[name] = value;
  }
  return fields;
}
