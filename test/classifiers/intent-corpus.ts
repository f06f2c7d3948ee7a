// Loads the labelled intent prompts and scores a classifier on them, overall and per kind.

import type { ChatRequest, ClassifierInstance } from "../../core/kit/index.ts";
import keywordsPlugin from "../../plugins/classifiers/keywords/index.ts";
import { instantiate } from "../plugin-instance.ts";
import { parse } from "yaml";

export interface LabelledPrompt {
  text: string;
  label: "coding" | "other";
  kind: string;
}

export interface Evaluation {
  accuracy: number;
  precision: number;
  recall: number;
  byKind: Map<string, { correct: number; total: number }>;
  misses: { prompt: LabelledPrompt; got: string }[];
}

/** The shipped config's `intent` classifier settings, read from router.config.yaml: what users run is what is scored. */
const shipped = parse(await Bun.file(new URL("../../router.config.yaml", import.meta.url)).text()) as {
  classifiers: { intent: { use: string; labels: Record<string, string[]> } & Record<string, unknown> };
};
export const SHIPPED_INTENT: { labels: Record<string, string[]> } & Record<string, unknown> = (({ use: _, ...settings }) => settings)(shipped.classifiers.intent);

export async function loadPrompts(name: string): Promise<LabelledPrompt[]> {
  const text = await Bun.file(new URL(`../fixtures/prompts/${name}`, import.meta.url)).text();
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LabelledPrompt);
}

export function userRequest(text: string, system?: string): ChatRequest {
  const messages: ChatRequest["messages"] = [];
  if (system !== undefined) messages.push({ role: "system", content: [{ type: "text", text: system }] });
  messages.push({ role: "user", content: [{ type: "text", text }] });
  return { model: "auto", messages, stream: false };
}

export async function createIntent(settings: object = SHIPPED_INTENT): Promise<ClassifierInstance> {
  return instantiate<ClassifierInstance>(keywordsPlugin, settings);
}

export async function evaluate(classifier: ClassifierInstance, prompts: LabelledPrompt[]): Promise<Evaluation> {
  const signal = new AbortController().signal;
  let truePositive = 0;
  let falsePositive = 0;
  let falseNegative = 0;
  const byKind = new Map<string, { correct: number; total: number }>();
  const misses: Evaluation["misses"] = [];
  for (const prompt of prompts) {
    const got = String(await classifier.classify(userRequest(prompt.text), signal));
    const tally = byKind.get(prompt.kind) ?? { correct: 0, total: 0 };
    tally.total++;
    if (got === prompt.label) tally.correct++;
    else misses.push({ prompt, got });
    byKind.set(prompt.kind, tally);
    if (got === "coding" && prompt.label === "coding") truePositive++;
    if (got === "coding" && prompt.label !== "coding") falsePositive++;
    if (got !== "coding" && prompt.label === "coding") falseNegative++;
  }
  return {
    accuracy: (prompts.length - misses.length) / prompts.length,
    precision: truePositive / (truePositive + falsePositive),
    recall: truePositive / (truePositive + falseNegative),
    byKind,
    misses,
  };
}

export function formatEvaluation(name: string, result: Evaluation): string {
  const lines = [
    `${name}: accuracy ${result.accuracy.toFixed(3)}, precision ${result.precision.toFixed(3)}, recall ${result.recall.toFixed(3)}`,
  ];
  for (const [kind, tally] of [...result.byKind].sort()) {
    lines.push(`  ${kind.padEnd(16)} ${(tally.correct / tally.total).toFixed(3)}  (${tally.correct}/${tally.total})`);
  }
  return lines.join("\n");
}
