// Type-checks a parsed expression against a fact catalogue and compiles it, once, into closures.

import { suggestion } from "./did-you-mean.ts";
import { pinnedModels } from "./models.ts";
import { parse, type CompareOp, type Literal, type Node, type Span } from "./parser.ts";
import type { ExpressionError, ExpressionResult, FactCatalogue, FactReader, FactType } from "./types.ts";

type Value = string | number | boolean | readonly Literal[] | undefined;
type Getter = (facts: FactReader) => Value;
type Test = (facts: FactReader) => boolean;

/** What the checker knows of an operand: its type, closed labels, whether it is a statistic. */
interface Operand {
  node: Node;
  type: FactType;
  labels?: readonly string[];
  stat: boolean;
  get: Getter;
}

const ORDERING = new Set<CompareOp>(["<", "<=", ">", ">="]);
const article = (type: FactType) => (type === "any" ? "a value" : `a ${type}`);
const EXAMPLES: Partial<Record<FactType, string>> = { string: 'a string like "x"', number: "a number like 1000", duration: "a duration like 2s", boolean: "true or false" };

class Checker {
  readonly errors: ExpressionError[] = [];
  readonly reads = new Set<string>();
  constructor(
    private readonly catalogue: FactCatalogue,
    /** The expression's text, for hints that quote what was written. */
    private readonly source: string,
  ) {}

  private error(code: ExpressionError["code"], message: string, at: Span, hint?: string): void {
    this.errors.push({ code, message, offset: at.offset, length: at.length, ...(hint ? { hint } : {}) });
  }

  /**
   * Compiles a node that must be a boolean condition. `negated`: it stands under an odd number of
   * `not`s, so that a statistic with no samples makes its comparison false here, and the whole
   * requirement passes as it does without the `not` (`not (latency.p95 > 2s)` as `latency.p95 <= 2s`).
   */
  condition(node: Node, negated = false): Test {
    switch (node.kind) {
      case "logic": {
        let first = this.condition(node.left, negated);
        let second = this.condition(node.right, negated);
        // Both sides are pure, so either may go first: the cheaper one, which often decides alone
        // and spares the other (a classifier may be a model call). Equal costs keep source order.
        if (this.cost(node.left) > this.cost(node.right)) [first, second] = [second, first];
        return node.op === "and" ? (f) => first(f) && second(f) : (f) => first(f) || second(f);
      }
      case "not": {
        const operand = this.condition(node.operand, !negated);
        return (f) => !operand(f);
      }
      case "compare":
        return this.compare(node, negated);
      default: {
        const operand = this.operand(node);
        if (operand.type !== "boolean" && operand.type !== "any") {
          this.error("expr-type", `${describe(node)} is ${article(operand.type)}, not a condition`, node, conditionHint(node, operand.type));
        }
        const get = operand.get;
        return (f) => get(f) === true;
      }
    }
  }

  /** The dearest fact a subtree reads (see FactInfo.cost). */
  private cost(node: Node): number {
    switch (node.kind) {
      case "fact":
        return this.catalogue.lookup(node.name)?.cost ?? 0;
      case "logic":
      case "compare":
        return Math.max(this.cost(node.left), this.cost(node.right));
      case "not":
        return this.cost(node.operand);
      default:
        return 0;
    }
  }

  /** `other` is what the operand is compared with, if anything: `provider == openai` wants quotes. */
  private operand(node: Node, other?: Node): Operand {
    switch (node.kind) {
      case "fact":
        return this.fact(node, node.name, other);
      case "literal": {
        const value = node.value;
        return { node, type: node.literal, stat: false, get: () => value };
      }
      case "list": {
        const values = node.items.map((item) => (item.kind === "literal" ? item.value : ""));
        return { node, type: "list", stat: false, get: () => values };
      }
      default: {
        const test = this.condition(node);
        return { node, type: "boolean", stat: false, get: test };
      }
    }
  }

  private fact(node: Span, name: string, other?: Node): Operand {
    const info = this.catalogue.lookup(name);
    const get: Getter = (f) => f.get(name);
    if (!info) {
      const hint = this.catalogue.elsewhere?.(name) ?? this.wordHint(name, other) ?? suggestion(name, this.catalogue.names());
      this.error("expr-unknown-fact", `unknown fact "${name}"`, node, hint);
      return { node: node as Node, type: "any", stat: false, get };
    }
    this.reads.add(name);
    return { node: node as Node, type: info.type, stat: info.stat === true, get, ...(info.labels ? { labels: info.labels } : {}) };
  }

  /** A bare word compared with a string fact (`provider == openai`) is text that lost its quotes. */
  private wordHint(name: string, other: Node | undefined): string | undefined {
    if (other?.kind !== "fact" || this.catalogue.lookup(other.name)?.type !== "string") return undefined;
    return `to compare with the text, quote it: "${name}"`;
  }

  private compare(node: Extract<Node, { kind: "compare" }>, negated: boolean): Test {
    const left = this.operand(node.left, node.right);
    const right = this.operand(node.right, node.left);
    if (node.op === "in" || node.op === "not in") this.checkMembership(node, left, right);
    else this.checkComparable(node.op, left, right);
    return comparison(node.op, left, right, negated);
  }

  /** `at` is where a mismatch of types is shown: both sides, or one item of a list. */
  private checkComparable(op: CompareOp, left: Operand, right: Operand, at: Span = spanOf(left.node, right.node)): void {
    this.checkLabel(left, right);
    this.checkLabel(right, left);
    if (left.type === "any" || right.type === "any") return;
    const hasType = (type: FactType) => left.type === type || right.type === type;
    if (hasType("duration") && (hasType("number") || hasType("string"))) {
      const [duration, other] = left.type === "duration" ? [left, right] : [right, left];
      // `max_tokens > 2s`: the fact is a number, so the unit is what is wrong.
      if (other.node.kind === "fact" && other.type === "number" && duration.node.kind === "literal") {
        const number = this.text(duration.node).replace(/[a-z]+$/i, "");
        this.error("expr-type", "cannot compare a duration with a number", duration.node, `"${other.node.name}" is a number, not a duration: drop the unit and write ${number}`);
        return;
      }
      this.error("expr-type", `cannot compare a duration with ${article(other.type)}`, other.node, durationHint(other.node));
      return;
    }
    if (left.type !== right.type) {
      this.error("expr-type", `cannot compare ${article(left.type)} with ${article(right.type)}`, at, this.mismatchHint(left, right));
      return;
    }
    if (ORDERING.has(op) && left.type !== "number" && left.type !== "duration") {
      this.error("expr-type", `${left.type}s cannot be ordered with ${op}`, spanOf(left.node, right.node), "use == or != (or in [...])");
    }
    if (left.type === "list") this.error("expr-type", "lists cannot be compared", spanOf(left.node, right.node), "use in");
  }

  private checkMembership(node: Extract<Node, { kind: "compare" }>, left: Operand, right: Operand): void {
    if (right.type !== "list" && right.type !== "any") {
      this.error("expr-type", `"${node.op}" needs a list on its right, not ${article(right.type)}`, right.node, 'write a list like ["a", "b"]');
      return;
    }
    if (node.right.kind !== "list") {
      if (left.type !== "string" && left.type !== "any") {
        this.error("expr-type", `${describe(node.right)} holds strings, not ${left.type}s`, left.node, `test a string, e.g. "vip" ${node.op} ${this.text(node.right)}`);
      }
      return;
    }
    if (left.type === "list") {
      // `key.tags in ["a", "b"]`: a list is never an item of a list of strings; each tag is tested alone.
      const list = this.text(left.node);
      const tests = node.right.items.map((item) => `${this.text(item)} ${node.op} ${list}`).join(node.op === "in" ? " or " : " and ");
      const message = `${describe(left.node)} is a list: "${node.op}" tests one value, not a list`;
      this.error("expr-type", message, spanOf(left.node, node.right), `write ${tests || `"x" ${node.op} ${list}`}`);
      return;
    }
    const items = node.right.items.map((item) => this.operand(item));
    for (const item of items) this.checkLabel(left, item);
    // One type error for the list, at its first wrong item, however many items share the mistake.
    const wrong = items.find((item) => left.type !== "any" && item.type !== left.type);
    if (wrong) this.checkComparable("==", left, wrong, wrong.node);
  }

  /** What a fact compared with a value of another type wants: `model == 3`, `key.tags == "x"`. */
  private mismatchHint(left: Operand, right: Operand): string | undefined {
    const [fact, other] = left.node.kind === "fact" ? [left, right] : [right, left];
    if (fact.node.kind !== "fact") return undefined;
    const name = fact.node.name;
    if (fact.type === "list") return `test membership: ${other.node.kind === "literal" ? this.text(other.node) : '"x"'} in ${name}`;
    return `"${name}" is ${article(fact.type)}: compare it with ${EXAMPLES[fact.type] ?? article(fact.type)}`;
  }

  /** The expression's text under `span`, as written. */
  private text(span: Span): string {
    return this.source.slice(span.offset, span.offset + span.length);
  }

  /** `intent == "codng"`: a literal outside a classifier's closed label set can never match. */
  private checkLabel(fact: Operand, other: Operand): void {
    if (!fact.labels || other.node.kind !== "literal" || typeof other.node.value !== "string") return;
    const value = other.node.value;
    if (fact.labels.includes(value)) return;
    const hint = suggestion(value, fact.labels) ?? `labels: ${fact.labels.map((l) => `"${l}"`).join(", ")}`;
    this.error("expr-unknown-label", `"${value}" is not a label of ${describe(fact.node)}`, other.node, hint);
  }
}

function comparison(op: CompareOp, left: Operand, right: Operand, negated: boolean): Test {
  const l = left.get;
  const r = right.get;
  const onMissing = op === "!=" || op === "not in";
  // Endpoint statistics with no samples yet pass any requirement (under a `not`, by failing their
  // comparison); other missing facts match nothing but !=.
  const leftMissing = left.stat ? !negated : onMissing;
  const rightMissing = right.stat ? !negated : onMissing;
  const apply = operation(op);
  return (f) => {
    const a = l(f);
    if (a === undefined) return leftMissing;
    const b = r(f);
    if (b === undefined) return rightMissing;
    return apply(a, b);
  };
}

function operation(op: CompareOp): (a: Exclude<Value, undefined>, b: Exclude<Value, undefined>) => boolean {
  const num = (test: (a: number, b: number) => boolean) => (a: Value, b: Value) =>
    typeof a === "number" && typeof b === "number" && test(a, b);
  const member = (a: Value, b: Value) => Array.isArray(b) && (b as readonly Value[]).includes(a);
  switch (op) {
    case "==": return (a, b) => a === b;
    case "!=": return (a, b) => a !== b;
    case "<": return num((a, b) => a < b);
    case "<=": return num((a, b) => a <= b);
    case ">": return num((a, b) => a > b);
    case ">=": return num((a, b) => a >= b);
    case "in": return member;
    case "not in": return (a, b) => !member(a, b);
  }
}

/**
 * The value of a condition whatever the facts, when its literals alone decide it; undefined when a
 * fact may change it. Run only on an expression that type-checked.
 */
function constantOf(node: Node): boolean | undefined {
  switch (node.kind) {
    case "literal":
      return typeof node.value === "boolean" ? node.value : undefined;
    case "not": {
      const operand = constantOf(node.operand);
      return operand === undefined ? undefined : !operand;
    }
    case "logic": {
      // A side equal to `decides` decides alone: true for `or`, false for `and`.
      const decides = node.op === "or";
      const left = constantOf(node.left);
      const right = constantOf(node.right);
      if (left === decides || right === decides) return decides;
      return left === undefined || right === undefined ? undefined : !decides;
    }
    case "compare": {
      const left = constantValue(node.left);
      const right = constantValue(node.right);
      return left === undefined || right === undefined ? undefined : operation(node.op)(left, right);
    }
    default:
      return undefined;
  }
}

/** An operand's value whatever the facts: a literal, a list, or a constant condition. */
function constantValue(node: Node): Exclude<Value, undefined> | undefined {
  if (node.kind === "literal") return node.value;
  if (node.kind === "list") return node.items.map((item) => (item.kind === "literal" ? item.value : ""));
  return node.kind === "fact" ? undefined : constantOf(node);
}

function describe(node: Node): string {
  return node.kind === "fact" ? `"${node.name}"` : node.kind === "literal" ? JSON.stringify(node.value) : "this value";
}

function conditionHint(node: Node, type: FactType): string | undefined {
  if (node.kind !== "fact") return undefined;
  if (type === "number" || type === "duration") return `compare it, e.g. ${node.name} > 0`;
  if (type === "string") return `compare it, e.g. ${node.name} == "..."`;
  if (type === "list") return `test membership, e.g. "x" in ${node.name}`;
  return undefined;
}

function durationHint(node: Node): string {
  if (node.kind === "literal" && typeof node.value === "number" && node.value >= 0) return `write ${node.value}s or ${node.value * 1000}ms`;
  if (node.kind === "literal" && typeof node.value === "number") return "durations are never negative: write one like 2s or 2000ms";
  if (node.kind === "literal" && typeof node.value === "string") return `write the duration without quotes, e.g. 2s`;
  return "write a duration like 2s or 2000ms";
}

function spanOf(a: Span, b: Span): Span {
  const start = Math.min(a.offset, b.offset);
  return { offset: start, length: Math.max(a.offset + a.length, b.offset + b.length) - start };
}

/** Compiles `source` against the facts of `catalogue`: all type errors at once, or closures to run. */
export function compileExpression(source: string, catalogue: FactCatalogue): ExpressionResult {
  const parsed = parse(source);
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  const checker = new Checker(catalogue, source);
  const test = checker.condition(parsed.node);
  if (checker.errors.length > 0) return { ok: false, errors: checker.errors };
  const models = catalogue.lookup("model") ? pinnedModels(parsed.node) : null;
  const constant = constantOf(parsed.node);
  return { ok: true, expression: { source, reads: [...checker.reads], test, models, ...(constant === undefined ? {} : { constant }) } };
}
