// The fake Anthropic API answers in the same shape as the vendor's recorded examples.

import { afterAll, describe, expect, test } from "bun:test";
import { readSse } from "../../core/kit/sse.ts";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import { shapeOf } from "../fakes/shape.ts";

const fixture = (name: string) => Bun.file(new URL(`../fixtures/anthropic/${name}`, import.meta.url));

const fake = startFakeAnthropic();
afterAll(() => fake.close());

const reply = {
  reasoning: "The user wants the weather; I should call the tool.",
  text: "I'll check the current weather in San Francisco for you.",
  toolCalls: [{ id: "toolu_01", name: "get_weather", arguments: '{"location":"San Francisco, CA","unit":"celsius"}' }],
  usage: { input: 1496, output: 89, cached: 1024 },
};

const post = (stream: boolean) =>
  fetch(`${fake.url}/v1/messages`, { method: "POST", body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 100, messages: [], stream }) });

describe("fake Anthropic API", () => {
  test("a message has the shape of the recorded message", async () => {
    fake.enqueue({ kind: "reply", reply });
    const body = await (await post(false)).json();
    expect(shapeOf(body)).toEqual(shapeOf(await fixture("message.json").json()));
  });

  test("a stream has the recorded event sequence, each event of the recorded shape", async () => {
    fake.enqueue({ kind: "reply", reply });
    const ours = [];
    for await (const message of readSse((await post(true)).body!)) ours.push(message);
    const recorded = [];
    for await (const message of readSse(new Response(await fixture("stream.sse").text()).body!)) recorded.push(message);
    const kinds = (list: { event: string; data: string }[]) => [...new Set(list.map((m) => `${m.event}:${JSON.stringify(shapeOf(JSON.parse(m.data)))}`))];
    // Delta counts differ with text length; the distinct event shapes and their order of first use must match.
    expect(kinds(ours)).toEqual(kinds(recorded));
    expect(ours.map((m) => m.event).slice(0, 3)).toEqual(["message_start", "content_block_start", "ping"]);
    expect(ours.map((m) => m.event).slice(-2)).toEqual(["message_delta", "message_stop"]);
  });
});
