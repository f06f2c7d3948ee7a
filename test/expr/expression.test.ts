// The `when:` / `require:` language: parsing, precedence, type errors with offsets, run-time semantics.

import { describe, expect, test } from "bun:test";
import { endpointCatalogue, requestCatalogue } from "../../core/expr/catalogue.ts";
import { compileExpression } from "../../core/expr/compile.ts";
import type { CompiledExpression, ExpressionError, FactCatalogue, FactValue } from "../../core/expr/types.ts";

const request = requestCatalogue(new Map([["intent", { labels: ["coding", "other"] }], ["mood", {}]]));
const endpoint = endpointCatalogue();

function compile(source: string, catalogue: FactCatalogue = request): CompiledExpression {
  const result = compileExpression(source, catalogue);
  if (!result.ok) throw new Error(`${source}: ${result.errors.map((e) => e.message).join("; ")}`);
  return result.expression;
}

function errorsOf(source: string, catalogue: FactCatalogue = request): ExpressionError[] {
  const result = compileExpression(source, catalogue);
  if (result.ok) throw new Error(`${source} compiled`);
  return result.errors;
}

function run(source: string, facts: Record<string, FactValue>, catalogue: FactCatalogue = request): boolean {
  return compile(source, catalogue).test({ get: (name) => facts[name] });
}

describe("parsing and precedence", () => {
  test("and binds tighter than or", () => {
    expect(run('model == "a" or model == "b" and stream', { model: "a", stream: false })).toBe(true);
  });

  test("parentheses override precedence", () => {
    expect(run('(model == "a" or model == "b") and stream', { model: "a", stream: false })).toBe(false);
  });

  test("not applies to the comparison that follows it", () => {
    expect(run('not model == "a" and stream', { model: "b", stream: true })).toBe(true);
  });

  test("strings take double or single quotes with escapes", () => {
    expect(run("key.name == 'it\\'s' or key.name == \"say \\\"hi\\\"\"", { "key.name": 'say "hi"' })).toBe(true);
  });

  test("durations are milliseconds at run time", () => {
    expect(run("latency.p95 < 1.5s", { "latency.p95": 1499 }, endpoint)).toBe(true);
    expect(run("latency.p95 < 250ms", { "latency.p95": 250 }, endpoint)).toBe(false);
    expect(run("ttft.p95 <= 1m", { "ttft.p95": 60_000 }, endpoint)).toBe(true);
  });

  test("numbers may be negative, and written with an exponent", () => {
    expect(run("price.input > -1", { "price.input": 0 }, endpoint)).toBe(true);
    expect(run("price.input>-0.5", { "price.input": -1 }, endpoint)).toBe(false);
    expect(run("tokens.input > 1e5", { "tokens.input": 100_001 })).toBe(true);
    expect(run("tokens.input >= 2.5E+3 and tokens.input < 1e-3", { "tokens.input": 2500 })).toBe(false);
    expect(compile("tokens.input in [-1, 1.5e3]").test({ get: () => 1500 })).toBe(true);
  });

  test("header names may contain dashes", () => {
    expect(run('header.x-team == "search"', { "header.x-team": "search" })).toBe(true);
  });

  test("header names may be written in any case, as HTTP matches them", () => {
    expect(compile('header.X-Team == "search"').reads).toEqual(["header.X-Team"]);
  });

  test("in tests membership in a list literal and in a list fact", () => {
    expect(run('model in ["a", "b"]', { model: "b" })).toBe(true);
    expect(run('"vip" in key.tags', { "key.tags": ["vip"] })).toBe(true);
    expect(run('"vip" not in key.tags', { "key.tags": ["staff"] })).toBe(true);
  });

  test("reads lists every fact the expression reads", () => {
    expect(compile('intent == "coding" and tokens.input > 1000').reads).toEqual(["intent", "tokens.input"]);
  });
});

describe("evaluation order", () => {
  /** The facts a run reads, in order. */
  function reads(source: string, facts: Record<string, FactValue>): string[] {
    const read: string[] = [];
    compile(source).test({ get: (name) => (read.push(name), facts[name]) });
    return read;
  }

  test("an and or an or checks its cheap side first, whichever side it is written on", () => {
    expect(reads('intent == "coding" and key.name == "ops"', { "key.name": "dev" })).toEqual(["key.name"]);
    expect(reads('intent == "coding" or key.name == "ops"', { "key.name": "ops" })).toEqual(["key.name"]);
    expect(reads('intent == "coding" and key.name == "ops"', { "key.name": "ops", intent: "coding" })).toEqual(["key.name", "intent"]);
    // A walk over the request costs less than a classifier, more than a field.
    expect(reads('intent == "coding" and tokens.input > 10 and stream', { stream: true, "tokens.input": 50 })).toEqual([
      "stream", "tokens.input", "intent",
    ]);
  });

  test("sides of equal cost run in source order, and the result never depends on the order", () => {
    expect(reads('intent == "coding" and mood == "calm"', { intent: "coding", mood: "calm" })).toEqual(["intent", "mood"]);
    expect(reads('mood == "calm" or intent == "coding"', { intent: "coding" })).toEqual(["mood", "intent"]);
    for (const facts of [{ intent: "coding", stream: true }, { intent: "other", stream: true }, { intent: "coding", stream: false }]) {
      expect(run('intent == "coding" and stream', facts)).toBe(facts.intent === "coding" && facts.stream);
      expect(run('intent == "coding" or not stream', facts)).toBe(facts.intent === "coding" || !facts.stream);
    }
  });
});

describe("errors carry a code and their place in the source", () => {
  test("a syntax error points at the unexpected token", () => {
    const [error] = errorsOf('model == "a" stream');
    expect(error).toMatchObject({ code: "expr-syntax", offset: 13, length: 6 });
  });

  test("a single = is a syntax error with a hint", () => {
    expect(errorsOf('model = "a"')[0]).toMatchObject({ code: "expr-syntax", offset: 6, length: 1, hint: 'compare with "=="' });
  });

  test("a count written 10k or 1.2M is a syntax error that writes it in full", () => {
    expect(errorsOf("tokens.input > 10k")[0]).toMatchObject({ code: "expr-syntax", offset: 15, length: 3, message: '"k" after a number is not a unit', hint: "write the number in full: 10000" });
    expect(errorsOf("tokens.input > 1.1M")[0]).toMatchObject({ hint: "write the number in full: 1100000" });
    expect(errorsOf("tokens.input > 2x")[0]).toMatchObject({ message: 'unknown duration unit "x"' });
  });

  test("a minus apart from its digits is a syntax error that says where it goes", () => {
    expect(errorsOf("price.input > - 1", endpoint)[0]).toMatchObject({ code: "expr-syntax", offset: 14, length: 1, hint: "a minus is only a negative number's sign, written against its digits: -1" });
  });

  test("a duration is never negative and takes no exponent", () => {
    expect(errorsOf("latency.p95 < -1s", endpoint)[0]).toMatchObject({ code: "expr-syntax", offset: 14, length: 3, message: "a duration cannot be negative" });
    expect(errorsOf("latency.p95 < 1.5e3ms", endpoint)[0]).toMatchObject({ offset: 14, length: 7, message: "a duration takes no exponent", hint: "write it in full: 1500ms" });
    expect(errorsOf("latency.p95 < -1", endpoint)[0]).toMatchObject({ code: "expr-type", hint: "durations are never negative: write one like 2s or 2000ms" });
  });

  test("an exponent without digits, or a unit named like an object's method, is a syntax error", () => {
    expect(errorsOf("tokens.input > 1e")[0]).toMatchObject({ offset: 15, length: 2, message: "an exponent needs digits", hint: 'write them after the "e", like 1e5 or 2.5e-3' });
    expect(errorsOf("latency.p95 < 1constructor", endpoint)[0]).toMatchObject({ message: 'unknown duration unit "constructor"' });
  });

  test("a list tested with contains suggests in", () => {
    expect(errorsOf('key.tags contains "vip"')[0]).toMatchObject({ code: "expr-syntax", offset: 9, length: 8, hint: 'test a list with "in": "vip" in key.tags' });
    expect(errorsOf('model == "a" stream')[0]?.hint).toBe('join conditions with "and" / "or"');
  });

  test("an unclosed string is a syntax error", () => {
    expect(errorsOf('model == "a')[0]).toMatchObject({ code: "expr-syntax", offset: 9, length: 2 });
  });

  test("an empty expression is a syntax error", () => {
    expect(errorsOf("  ")[0]?.code).toBe("expr-syntax");
  });

  test("an unknown fact suggests the nearest name", () => {
    expect(errorsOf("tokens.inptu > 5")[0]).toMatchObject({
      code: "expr-unknown-fact",
      offset: 0,
      length: 12,
      hint: 'did you mean "tokens.input"?',
    });
  });

  test("a duration compared with a bare number suggests units", () => {
    expect(errorsOf("latency.p95 < 2", endpoint)[0]).toMatchObject({ code: "expr-type", offset: 14, length: 1, hint: "write 2s or 2000ms" });
  });

  test("a duration compared with a string is a type error", () => {
    expect(errorsOf('latency.p95 < "2s"', endpoint)[0]).toMatchObject({ code: "expr-type", offset: 14, length: 4 });
  });

  test("strings cannot be ordered", () => {
    expect(errorsOf('model < "b"')[0]).toMatchObject({ code: "expr-type", offset: 0, length: 11 });
  });

  test("a number in boolean position is a type error with a hint", () => {
    expect(errorsOf("stream and images")[0]).toMatchObject({ code: "expr-type", offset: 11, length: 6, hint: "compare it, e.g. images > 0" });
  });

  test("in on a non-list is a type error", () => {
    expect(errorsOf('"a" in model')[0]).toMatchObject({ code: "expr-type", offset: 7, length: 5 });
  });

  test("a literal outside a classifier's labels is an unknown label", () => {
    expect(errorsOf('intent == "codng"')[0]).toMatchObject({
      code: "expr-unknown-label",
      offset: 10,
      length: 7,
      hint: 'did you mean "coding"?',
    });
  });

  test("labels inside a list are checked too", () => {
    expect(errorsOf('intent in ["coding", "chatt"]')[0]).toMatchObject({ code: "expr-unknown-label", offset: 21, length: 7 });
  });

  test("every type error of an expression is reported", () => {
    expect(errorsOf('tokns.input > 1 and model < "x"').map((e) => e.code)).toEqual(["expr-unknown-fact", "expr-type"]);
  });

  test("a number fact compared with a duration says the fact is a number, under the unit to drop", () => {
    expect(errorsOf("max_tokens > 2s")[0]).toMatchObject({ code: "expr-type", offset: 13, length: 2, hint: '"max_tokens" is a number, not a duration: drop the unit and write 2' });
    expect(errorsOf("price.input < 1.5s", endpoint)[0]?.hint).toBe('"price.input" is a number, not a duration: drop the unit and write 1.5');
  });

  test("an endpoint fact in when: or a request fact in require: says where it belongs", () => {
    expect(errorsOf("latency.p95 < 2s")[0]).toMatchObject({ code: "expr-unknown-fact", hint: `"latency.p95" is an endpoint fact: test it in a pool's require:` });
    expect(errorsOf("tokens.input > 1000", endpoint)[0]?.hint).toBe(`"tokens.input" is a request fact: test it in a route's when:`);
  });

  test("a list fact compared with a value or looked for in a list suggests testing membership", () => {
    expect(errorsOf('key.tags == "x"')[0]).toMatchObject({ code: "expr-type", hint: 'test membership: "x" in key.tags' });
    const errors = errorsOf('key.tags in ["x", "y"]');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "expr-type", offset: 0, length: 22, hint: 'write "x" in key.tags or "y" in key.tags' });
  });

  test("a bare word compared with a string fact suggests quoting it", () => {
    expect(errorsOf("provider == openai", endpoint)[0]).toMatchObject({ code: "expr-unknown-fact", offset: 12, length: 6, hint: 'to compare with the text, quote it: "openai"' });
  });

  test("a type mismatch says what type the fact is and what to compare it with", () => {
    expect(errorsOf("model == 3")[0]).toMatchObject({ code: "expr-type", message: "cannot compare a string with a number", hint: '"model" is a string: compare it with a string like "x"' });
  });

  test("a list of the wrong type is one error, at its first wrong item", () => {
    const errors = errorsOf("model in [1, 2]");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "expr-type", offset: 10, length: 1 });
  });
});


describe("missing values", () => {
  test("a statistic with no samples passes any comparison", () => {
    expect(run("latency.p95 < 2s and error_rate < 0.2", {}, endpoint)).toBe(true);
    expect(run("error_rate == 0.5", {}, endpoint)).toBe(true);
  });

  test("a statistic with no samples passes under a not too, as the requirement it is written for", () => {
    expect(run("not (latency.p95 > 2s)", {}, endpoint)).toBe(true);
    expect(run("not (error_rate >= 0.2 or latency.p95 > 2s)", {}, endpoint)).toBe(true);
    expect(run("not not (latency.p95 < 2s)", {}, endpoint)).toBe(true);
    // Samples decide as ever: 3 s is over the bar.
    expect(run("not (latency.p95 > 2s)", { "latency.p95": 3000 }, endpoint)).toBe(false);
  });

  test("a missing ordinary fact fails == and ordering and in", () => {
    expect(run('key.name == "a"', {})).toBe(false);
    expect(run("tokens.input > 0", {})).toBe(false);
    expect(run('key.name in ["a"]', {})).toBe(false);
    expect(run('"a" in key.tags', {})).toBe(false);
  });

  test("a missing ordinary fact passes !=", () => {
    expect(run('key.name != "a"', {})).toBe(true);
  });

  test("a classifier without labels compares as any value", () => {
    expect(run("mood == 3", { mood: 3 })).toBe(true);
    expect(run("mood", { mood: true })).toBe(true);
  });
});

describe("models analysis", () => {
  test("model == x pins one model", () => {
    expect(compile('model == "auto"').models).toEqual(["auto"]);
  });

  test("model in a list pins its models", () => {
    expect(compile('model in ["a", "b"]').models).toEqual(["a", "b"]);
  });

  test("a pinning term inside a top-level and pins", () => {
    expect(compile('stream and model == "a"').models).toEqual(["a"]);
  });

  test("or pins only when both sides pin", () => {
    expect(compile('model == "a" or model == "b"').models).toEqual(["a", "b"]);
    expect(compile('model == "a" or stream').models).toBeNull();
  });

  test("not never pins", () => {
    expect(compile('not model == "a"').models).toBeNull();
  });

  test("an expression without model is unpinned", () => {
    expect(compile("stream").models).toBeNull();
  });
});

describe("constant conditions", () => {
  test("a condition its literals decide is known constant", () => {
    for (const source of ["true", "not false", "(true)", "1 < 2", '"a" in ["a", "b"]', "2s > 1500ms", "(1 < 2) == true"]) expect([source, compile(source).constant]).toEqual([source, true]);
    for (const source of ["false", "not true", '"c" in ["a", "b"]']) expect([source, compile(source).constant]).toEqual([source, false]);
  });

  test("a side that decides alone decides, whatever the facts on the other side", () => {
    expect(compile('model == "a" or true').constant).toBe(true);
    expect(compile("false and stream").constant).toBe(false);
  });

  test("a condition a fact may change is not constant", () => {
    for (const source of ["stream", "true and stream", "false or stream", 'not model == "a"', "tokens.input > 0"]) expect([source, compile(source).constant]).toEqual([source, undefined]);
  });
});
