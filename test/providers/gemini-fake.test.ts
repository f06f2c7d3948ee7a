// The fake Gemini API answers in the same shape as the vendor's recorded examples.

import { afterAll, describe, expect, test } from "bun:test";
import { readSse } from "../../core/kit/sse.ts";
import { startFakeGemini } from "../fakes/gemini.ts";
import { shapeOf } from "../fakes/shape.ts";

const fixture = (name: string) => Bun.file(new URL(`../fixtures/gemini/${name}`, import.meta.url));

const fake = startFakeGemini();
afterAll(() => fake.close());
const reply = {
  reasoning: "**Checking the forecast**",
  text: "Let me look that up.",
  toolCalls: [{ id: "x", name: "get_weather", arguments: '{"city":"Paris"}' }],
  usage: { input: 1210, output: 102, cached: 1024, reasoning: 78 },
};
const post = (method: string) => fetch(`${fake.url}/v1beta/models/gemini-2.5-flash:${method}`, { method: "POST", body: "{}" });

describe("fake Gemini API", () => {
  test("a generateContent reply has the shape of the recorded one", async () => {
    fake.enqueue({ kind: "reply", reply });
    expect(shapeOf(await (await post("generateContent")).json())).toEqual(shapeOf(await fixture("generate-content.json").json()));
  });

  test("stream frames have the shapes of the recorded frames, in order", async () => {
    fake.enqueue({ kind: "reply", reply });
    const ours = [];
    for await (const message of readSse((await post("streamGenerateContent")).body!)) ours.push(shapeOf(JSON.parse(message.data)));
    const recorded = [];
    for await (const message of readSse(new Response(await fixture("stream.sse").text()).body!)) recorded.push(shapeOf(JSON.parse(message.data)));
    expect(ours).toEqual(recorded);
  });
});
