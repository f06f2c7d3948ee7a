// The `keywords` classifier: accuracy of the shipped `intent` settings on labelled prompts, and its settings.

import { describe, expect, test } from "bun:test";
import { isSwitchyardError } from "../../core/errors.ts";
import type { ChatRequest } from "../../core/kit/index.ts";
import { Scan } from "../../plugins/classifiers/keywords/scanner.ts";
import { createIntent, evaluate, formatEvaluation, loadPrompts, SHIPPED_INTENT, userRequest } from "./intent-corpus.ts";

const signal = new AbortController().signal;

function conversation(...turns: [ChatRequest["messages"][number]["role"], string][]): ChatRequest {
  return {
    model: "auto",
    stream: true,
    messages: turns.map(([role, text]) =>
      role === "tool"
        ? { role, toolCallId: "call_1", content: [{ type: "text", text }] }
        : { role, content: [{ type: "text", text }] },
    ),
  };
}

/** An agent-style system prompt: tool docs, code samples and rules, about 25 KB. */
function agentSystemPrompt(): string {
  const block = [
    "You are a coding agent. Use the tools to read files, run the compiler and fix bugs.",
    "```ts\nexport function applyPatch(file: string, diff: string): Promise<void> {\n  return fs.writeFile(file, patch(diff));\n}\n```",
    "Traceback (most recent call last):\n  File \"tool.py\", line 3, in run\nKeyError: 'path'",
    "Always refactor the class, run unit tests with `bun test`, and check the stack trace before you compile.",
  ].join("\n");
  return block.repeat(Math.ceil(25_000 / block.length));
}

describe("intent accuracy with the shipped settings", () => {
  test("the main corpus is classified with accuracy at least 0.95 and precision and recall at least 0.93", async () => {
    const result = await evaluate(await createIntent(), await loadPrompts("intent.jsonl"));
    console.log(formatEvaluation("intent.jsonl", result));
    expect(result.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.precision).toBeGreaterThanOrEqual(0.93);
    expect(result.recall).toBeGreaterThanOrEqual(0.93);
  });

  // Held-out sets are scored, never tuned on: a cue written after seeing one of their misses ends
  // the set's use as a measure (two prompts of the first set moved so), and a new set is written.
  test("the first held-out prompts stay above 0.93 accuracy", async () => {
    const result = await evaluate(await createIntent(), await loadPrompts("intent-holdout.jsonl"));
    console.log(formatEvaluation("intent-holdout.jsonl", result));
    expect(result.accuracy).toBeGreaterThanOrEqual(0.93);
  });

  test("the second held-out prompts, in the mix DESIGN.md names, meet the 0.95 goal", async () => {
    const result = await evaluate(await createIntent(), await loadPrompts("intent-holdout-2.jsonl"));
    console.log(formatEvaluation("intent-holdout-2.jsonl", result));
    expect(result.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  test("the third held-out prompts, written after the second and never tuned on, meet the 0.95 goal", async () => {
    const result = await evaluate(await createIntent(), await loadPrompts("intent-holdout-3.jsonl"));
    console.log(formatEvaluation("intent-holdout-3.jsonl", result));
    expect(result.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  // Written and committed before the round that added non-English bug reports, quoted mentions and refactored
  // prose, scored once before it (0.925: precision 0.977, recall 0.860) and once after (0.925, unchanged: its
  // misses were not tuned on). Below the 0.95 goal: held to what it honestly reaches.
  test("the fourth held-out prompts, written before the round they measure, stay at the 0.92 they reach", async () => {
    const result = await evaluate(await createIntent(), await loadPrompts("intent-holdout-4.jsonl"));
    console.log(formatEvaluation("intent-holdout-4.jsonl", result));
    expect(result.accuracy).toBeGreaterThanOrEqual(0.92);
  });

  test("the corpus has at least 400 prompts and 30 of each hard kind", async () => {
    const prompts = await loadPrompts("intent.jsonl");
    expect(prompts.length).toBeGreaterThanOrEqual(400);
    for (const kind of ["hard-homonym", "hard-no-keyword", "stack-trace", "non-english"]) {
      expect(prompts.filter((prompt) => prompt.kind === kind).length).toBeGreaterThanOrEqual(30);
    }
  });
});

describe("keywords classifier", () => {
  test("a 25 KB system prompt full of code words does not make a geography question coding", async () => {
    const intent = await createIntent();
    const system = agentSystemPrompt();
    expect(system.length).toBeGreaterThanOrEqual(25_000);
    expect(await intent.classify(userRequest("what is the capital of France", system), signal)).toBe("other");
  });

  test("only the latest user turn decides, not earlier user turns or assistant code", async () => {
    const intent = await createIntent();
    const request = conversation(
      ["user", "Write a Python function that parses a CSV file."],
      ["assistant", "```python\ndef parse(path):\n    return open(path).read().split(',')\n```"],
      ["user", "Thanks! Now what's a good pasta recipe for tonight?"],
    );
    expect(await intent.classify(request, signal)).toBe("other");
  });

  test("a latest user turn with code is coding even after prose turns and a tool result", async () => {
    const intent = await createIntent();
    const request = conversation(
      ["user", "Tell me about the history of Rome."],
      ["assistant", "Rome was founded..."],
      ["tool", "weather: sunny"],
      ["user", "TypeError: Cannot read properties of undefined (reading 'id')\n    at render (list.js:12:5)"],
    );
    expect(await intent.classify(request, signal)).toBe("coding");
  });

  test("stack frames are read in their shapes, and a line shaped to make the frame pattern backtrack is given up in one pass", async () => {
    const intent = await createIntent({ ...SHIPPED_INTENT, max_chars: 4_000_000 });
    for (const frame of ["at Object.<anonymous> (/srv/app/index.js:10:5)", "at com.example.Foo.bar(Foo.java:42)", "at file:///srv/app/main.mjs:3:1"]) {
      expect(await intent.classify(userRequest(`Why does this fail?\nError: boom\n    ${frame}\n    ${frame}`), signal)).toBe("coding");
    }
    // Each was quadratic in the line's length: at these lengths, hours of one core a request.
    for (const text of ["at " + "$".repeat(1_000_000), "at " + "$".repeat(1_000_000) + "(", "\n".repeat(1_000_000) + "x"]) {
      expect(await intent.classify(userRequest(text), signal)).toBe("other");
    }
  });

  test("a request without a user turn gets the default label", async () => {
    const intent = await createIntent();
    expect(await intent.classify(conversation(["system", "def main(): pass"]), signal)).toBe("other");
  });

  test("user keyword lists add to their label and the default answers when none match", async () => {
    const billing = await createIntent({ labels: { billing: ["invoice", "refund"] }, default: "general" });
    expect(await billing.classify(userRequest("I was charged twice, I need a refund"), signal)).toBe("billing");
    expect(await billing.classify(userRequest("Hello there"), signal)).toBe("general");
  });

  test("a label may be named as an object's own members are (constructor, toString)", async () => {
    const odd = await createIntent({ labels: { constructor: ["build"], toString: ["print"] }, detect: { toString: [] }, default: "other" });
    expect(await odd.classify(userRequest("please build it"), signal)).toBe("constructor");
    expect(await odd.classify(userRequest("print the page"), signal)).toBe("toString");
    expect(await odd.classify(userRequest("hello"), signal)).toBe("other");
  });

  test("a /regex/flags pattern matches with its own flags", async () => {
    const tickets = await createIntent({ labels: { ticket: ["/\\b[A-Z]{2,}-\\d+\\b/"] } });
    expect(await tickets.classify(userRequest("Any update on OPS-4312?"), signal)).toBe("ticket");
    expect(await tickets.classify(userRequest("any update on ops-4312?"), signal)).toBe("other");
    const insensitive = await createIntent({ labels: { ticket: ["/\\bops-\\d+/i"] } });
    expect(await insensitive.classify(userRequest("any update on ops-4312?"), signal)).toBe("ticket");
  });

  test("the label with the highest score wins over one listed earlier", async () => {
    const intent = await createIntent({ labels: { travel: ["flight"], billing: ["invoice", "refund", "charge"] } });
    const request = userRequest("Refund the charge on my flight invoice");
    expect(await intent.classify(request, signal)).toBe("billing");
  });

  test("the labels list names every label and the default", async () => {
    expect((await createIntent()).labels).toEqual(["coding", "other"]);
    const custom = await createIntent({ labels: { billing: ["refund"] }, detect: { coding: ["stack-trace"] }, default: "chat" });
    expect(custom.labels).toEqual(["billing", "coding", "chat"]);
  });

  test("detect: {} turns the built-in coding detector off", async () => {
    const plain = await createIntent({ labels: { coding: ["refactor"] }, detect: {} });
    const trace = "Traceback (most recent call last):\n  File \"app.py\", line 4\nKeyError: 'id'";
    expect(await plain.classify(userRequest(trace), signal)).toBe("other");
    expect(await (await createIntent()).classify(userRequest(trace), signal)).toBe("coding");
  });

  test("a stack trace at the end of a very long paste is still read", async () => {
    const intent = await createIntent();
    const text = "The quarterly report covers sales and staffing. ".repeat(1_000) + "\npanic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:";
    expect(text.length).toBeGreaterThan(40_000);
    expect(await intent.classify(userRequest(text), signal)).toBe("coding");
  });

  test("an invalid /regex/ pattern is refused when the classifier is created", async () => {
    const failure = await createIntent({ labels: { ticket: ["/([A-Z/"] } }).catch((error: unknown) => error);
    expect(isSwitchyardError(failure)).toBe(true);
    expect((failure as Error).message).toContain('label "ticket"');
  });
});

describe("keywords classifier word tables", () => {
  test("a keyword phrase matches word by word and its last word as a prefix", async () => {
    const ops = await createIntent({ labels: { ops: ["stack trace"] }, detect: {} });
    expect(await ops.classify(userRequest("Here are the Stack Traces from last night"), signal)).toBe("ops");
    expect(await ops.classify(userRequest("A stack of trace paper"), signal)).toBe("other");
  });

  test("a keyword matches from the start of a word, never inside one", async () => {
    const code = await createIntent({ labels: { work: ["refactor"] }, detect: {} });
    expect(await code.classify(userRequest("Refactoring this is overdue"), signal)).toBe("work");
    expect(await code.classify(userRequest("the prerefactor notes"), signal)).toBe("other");
  });

  test("keywords with symbols or accents are found too", async () => {
    const langs = await createIntent({ labels: { cpp: ["c++"], es: ["función"] }, detect: {} });
    expect(await langs.classify(userRequest("Templates in C++ confuse me"), signal)).toBe("cpp");
    expect(await langs.classify(userRequest("Escribe una Función corta"), signal)).toBe("es");
  });

  test("a keyword found many times counts once", async () => {
    const billing = await createIntent({ labels: { billing: ["refund", "invoice"] }, threshold: 2 });
    expect(await billing.classify(userRequest("refund, refund, refund!"), signal)).toBe("other");
    expect(await billing.classify(userRequest("refund the invoice"), signal)).toBe("billing");
  });

  test("one request's evidence does not carry over to the next", async () => {
    const intent = await createIntent();
    expect(await intent.classify(userRequest("```js\nconst total = items.reduce((a, b) => a + b, 0);\n```"), signal)).toBe("coding");
    expect(await intent.classify(userRequest("What should I cook for dinner tonight?"), signal)).toBe("other");
  });

  test("a request in Chinese naming Python next to the text is coding", async () => {
    expect(await (await createIntent()).classify(userRequest("用Python写一个函数，计算列表的平均值"), signal)).toBe("coding");
  });

  test("a Markdown code span counts as code; a backtick left open or closed on another line does not", async () => {
    const intent = await createIntent();
    // One operator alone is too little to call a question code; with the span it is enough.
    expect(await intent.classify(userRequest("Why does `[] == ![]` evaluate to true?"), signal)).toBe("coding");
    expect(await intent.classify(userRequest("Why does [] == ![] evaluate to true?"), signal)).toBe("other");
    expect(await intent.classify(userRequest("Why does `[] == ![] evaluate\nto true?`"), signal)).toBe("other");
    expect(await intent.classify(userRequest("Why does `[] == ![] evaluate to true?"), signal)).toBe("other");
  });

  test("code spans are paired: a span's closing backtick opens none", () => {
    const scan = new Scan();
    scan.run("Compare `map` with `filter` here");
    expect(scan.codeTokens).toBe(2);
    scan.run("` a".repeat(5_000));
    expect(scan.codeTokens).toBe(2_500);
  });

  test("a programming term quoted in a request about words is mentioned, not used", async () => {
    const intent = await createIntent();
    expect(await intent.classify(userRequest("Translate 'stack trace' into French"), signal)).toBe("other");
    expect(await intent.classify(userRequest("How do you say \"function\" in Spanish?"), signal)).toBe("other");
    // Quoted, but no request about words: the term is used.
    expect(await intent.classify(userRequest("Why do I get a 'stack trace' every time my Java program starts?"), signal)).toBe("coding");
    // A label without the prose detector counts its quoted keywords as ever.
    const billing = await createIntent({ labels: { billing: ["refund"] } });
    expect(await billing.classify(userRequest("Translate 'refund' into French"), signal)).toBe("billing");
  });

  test("refactoring a piece of writing is prose; refactoring code is coding", async () => {
    const intent = await createIntent();
    expect(await intent.classify(userRequest("Refactor this paragraph to sound more formal: we gonna meet tomorrow"), signal)).toBe("other");
    expect(await intent.classify(userRequest("Refactor this email validation function so it rejects a missing dot"), signal)).toBe("coding");
  });

  test("a bug report in Spanish, German, French, Portuguese or Italian is coding", async () => {
    const intent = await createIntent();
    for (const report of [
      "Mi página se queda en blanco cuando hago doble clic",
      "Warum stürzt meine App ab, wenn ich auf den Knopf drücke?",
      "Mon appli plante dès que je clique sur le bouton",
      "O aplicativo trava quando aperto o botão",
      "La mia app si blocca quando premo il pulsante",
    ]) expect(await intent.classify(userRequest(report), signal)).toBe("coding");
    expect(await intent.classify(userRequest("¿Cómo supero el miedo a la página en blanco?"), signal)).toBe("other");
  });

  test("a word problem's quantities are not a bug report", async () => {
    const intent = await createIntent();
    const problem = "James writes a 3-page letter to 2 different friends twice a week. How many pages does he write a year?";
    expect(await intent.classify(userRequest(problem), signal)).toBe("other");
    expect(await intent.classify(userRequest("The export writes every page twice and the report never finishes"), signal)).toBe("coding");
  });

  test("a stack trace in the middle of a long turn, outside the prose window, is found", async () => {
    const prose = "The committee reviewed the budget and the calendar for spring. ".repeat(50);
    const trace = "\nTraceback (most recent call last):\n  File \"report.py\", line 12, in main\nKeyError: 'total'\n";
    const text = prose + trace + prose;
    expect(text.indexOf("Traceback")).toBeGreaterThan(2_048);
    expect(await (await createIntent()).classify(userRequest(text), signal)).toBe("coding");
  });

  test("with several labels the whole turn is read even after a code fence", async () => {
    const intent = await createIntent({
      labels: { billing: ["refund", "invoice", "charge", "receipt"] },
      detect: { coding: ["code"] },
    });
    const text = "```\nprint(total)\n```\n" + "Notes from the call. ".repeat(20) + "refund invoice charge receipt";
    expect(await intent.classify(userRequest(text), signal)).toBe("billing");
  });
});
