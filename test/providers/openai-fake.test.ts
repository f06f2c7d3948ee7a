// The fake OpenAI vendor answers in the same shapes as the API reference's recorded examples.

import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { startFakeOpenAI } from "../fakes/openai.ts";

const fixtureText = (name: string) => readFileSync(new URL(`../fixtures/openai/${name}`, import.meta.url), "utf8");
const fixtureJson = (name: string): unknown => JSON.parse(fixtureText(name));

/** Every `path: type` in a JSON value, array items merged: the value's shape, without its data. */
function shape(value: unknown, path = "$", into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    into.add(`${path}: array`);
    for (const item of value) shape(item, `${path}[]`, into);
  } else if (value !== null && typeof value === "object") {
    into.add(`${path}: object`);
    for (const [key, child] of Object.entries(value)) shape(child, `${path}.${key}`, into);
  } else {
    into.add(`${path}: ${value === null ? "null" : typeof value}`);
  }
  return into;
}

const sorted = (set: Set<string>) => [...set].sort();

function chunksOf(sse: string): unknown[] {
  const frames = sse.split("\n\n").filter((frame) => frame.startsWith("data: "));
  expect(frames.at(-1)).toBe("data: [DONE]");
  return frames.slice(0, -1).map((frame) => JSON.parse(frame.slice(6)));
}

function streamShape(sse: string): string[] {
  const all = new Set<string>();
  for (const chunk of chunksOf(sse)) shape(chunk, "$", all);
  return sorted(all);
}

describe("fake OpenAI vendor", () => {
  const fake = startFakeOpenAI();
  afterAll(() => fake.close());
  const post = (body: object, path = "/v1/chat/completions") =>
    fetch(`${fake.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const messages = [{ role: "user", content: "Hi" }];
  const toolCalls = [{ id: "call_abc123", name: "get_current_weather", arguments: '{"location": "Boston, MA"}' }];

  test("a text completion has the shape of the reference chat.completion", async () => {
    const json = await (await post({ model: "gpt-4o-mini", messages })).json();
    expect(sorted(shape(json))).toEqual(sorted(shape(fixtureJson("chat-completion.json"))));
  });

  test("a tool-call completion has the shape of the reference tool-call completion", async () => {
    fake.enqueue({ kind: "reply", reply: { toolCalls } });
    const json = await (await post({ model: "gpt-4o-mini", messages })).json();
    expect(sorted(shape(json))).toEqual(sorted(shape(fixtureJson("chat-completion-tool-calls.json"))));
  });

  test("a stream with include_usage has the shape of the reference stream and ends with the usage chunk", async () => {
    const sse = await (await post({ model: "gpt-4o-mini", messages, stream: true, stream_options: { include_usage: true } })).text();
    expect(streamShape(sse)).toEqual(streamShape(fixtureText("chat-completion-stream.sse")));
    expect((chunksOf(sse).at(-1) as { choices: unknown[] }).choices).toEqual([]);
  });

  test("a tool-call stream has the shape of the reference tool-call stream, without usage", async () => {
    fake.enqueue({ kind: "reply", reply: { toolCalls } });
    const sse = await (await post({ model: "gpt-4o-mini", messages, stream: true })).text();
    expect(streamShape(sse)).toEqual(streamShape(fixtureText("chat-completion-stream-tool-calls.sse")));
  });

  test("the path without the /v1 prefix is served too", async () => {
    expect((await post({ model: "gpt-4o-mini", messages }, "/chat/completions")).status).toBe(200);
  });

  test("error behaviours answer with the OpenAI error body and status", async () => {
    const body = fixtureJson("error-context-length.json");
    fake.enqueue({ kind: "error", status: 400, body });
    const response = await post({ model: "gpt-4o-mini", messages });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(body);
  });
});
