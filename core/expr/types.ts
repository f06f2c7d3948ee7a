// Types of the `when:` / `require:` expression language, shared by its compiler, the config
// compiler (which reports its errors) and the dispatch table (which runs it).

/** Types a fact or expression can have. Durations are numbers of milliseconds at run time. */
export type FactType = "string" | "number" | "boolean" | "duration" | "list" | "any";

export type FactValue = string | number | boolean | readonly string[] | undefined;

/** Reads facts by name at run time. Request facts are computed lazily, on first read. */
export interface FactReader {
  get(name: string): FactValue;
}

export interface FactInfo {
  type: FactType;
  /** Closed set of string values (a classifier's labels), for "did you mean" on literals. */
  labels?: readonly string[];
  /** An endpoint statistic: with no samples yet, any comparison on it passes. */
  stat?: boolean;
  /**
   * What reading it costs, for the order of `and` / `or` operands: 0 (default) a field at hand,
   * 1 a walk over the whole request, 2 a classifier plugin (possibly a model call).
   */
  cost?: number;
}

/** The facts an expression may read: request facts for `when:`, endpoint facts for `require:`. */
export interface FactCatalogue {
  lookup(name: string): FactInfo | undefined;
  /** Every fact name, for "did you mean" hints. Prefix facts are listed as `header.<name>`. */
  names(): readonly string[];
  /** A hint for a name that is no fact here but one of the other kind (`latency.p95` in a `when:`). */
  elsewhere?(name: string): string | undefined;
}

export interface CompiledExpression {
  source: string;
  /** The facts it reads (classifier names included), known at compile time. */
  reads: readonly string[];
  test(facts: FactReader): boolean;
  /**
   * The model ids a request must name for this expression to be true, when the expression pins
   * them (`model == "x"`, `model in [...]`, or such a term inside an `and`); null when any model
   * may match. The dispatch table indexes routes by it.
   */
  models: readonly string[] | null;
  /**
   * The value it has for every request, when its literals alone decide it (`true`, `not false`,
   * `1 < 2`, `x or true`); absent when a fact may change it. A route whose `when:` is constantly
   * true is a catch-all.
   */
  constant?: boolean;
}

export type ExpressionErrorCode =
  | "expr-syntax"
  | "expr-unknown-fact"
  | "expr-type"
  | "expr-unknown-label";

export interface ExpressionError {
  code: ExpressionErrorCode;
  message: string;
  hint?: string;
  /** Offset and length inside the expression source. */
  offset: number;
  length: number;
}

export type ExpressionResult =
  | { ok: true; expression: CompiledExpression }
  | { ok: false; errors: ExpressionError[] };
