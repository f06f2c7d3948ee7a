// The gateway in front of OpenAI-compatible vendors that keep rules of their own (DeepSeek's thinking
// mode), driven by the official SDKs against fakes that refuse what each vendor's API refuses.

import { afterAll, describe, expect, test } from "bun:test";
import type OpenAI from "openai";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { anthropicClient, openaiClient, startGateway } from "./harness.ts";

const deepseekFake = startFakeOpenAI(undefined, { vendor: "deepseek" });
const gateway = await startGateway(`
auth: { use: none }
providers:
  deepseek: { use: openai-compatible, api_key: "sk-deepseek-test", base_url: "${deepseekFake.url}/v1", reasoning_field: reasoning_content }
models:
  deepseek: [{ provider: deepseek, model: deepseek-v4-flash, price: { input: 0.14, output: 0.28 } }]
routes: [{ name: direct, to: $model }]
`);
afterAll(async () => {
  await gateway.close();
  await deepseekFake.close();
});

const weather = { type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } };
const thinkingToolTurn = { reasoning: "The user wants the weather: call the tool.", toolCalls: [{ id: "call_00_abc", name: "get_weather", arguments: '{"city":"Paris"}' }] };

describe("DeepSeek's thinking mode with tools", () => {
  test("an OpenAI client's next turn after a tool call carries the reasoning back, and is answered", async () => {
    const client = openaiClient(gateway);
    deepseekFake.enqueue({ kind: "reply", reply: thinkingToolTurn }, { kind: "reply", reply: { text: "Sunny in Paris." } });
    const question = { role: "user" as const, content: "Weather in Paris?" };
    const first = await client.chat.completions.create({ model: "deepseek", messages: [question], tools: [weather] });
    // The client sends the message back as it came, reasoning and all.
    const message = first.choices[0]!.message as OpenAI.ChatCompletionMessage & { reasoning?: string };
    expect(message.reasoning).toBe(thinkingToolTurn.reasoning);
    const second = await client.chat.completions.create({
      model: "deepseek",
      tools: [weather],
      messages: [question, message, { role: "tool", tool_call_id: message.tool_calls![0]!.id, content: "sunny" }],
    });
    expect(second.choices[0]!.message.content).toBe("Sunny in Paris.");
    const sent = (deepseekFake.requests.at(-1)!.body as { messages: Record<string, unknown>[] }).messages[1]!;
    expect(sent.reasoning_content).toBe(thinkingToolTurn.reasoning);
  });

  test("an Anthropic client's thinking block goes back as reasoning_content, and the next turn is answered", async () => {
    const client = anthropicClient(gateway);
    deepseekFake.enqueue({ kind: "reply", reply: thinkingToolTurn }, { kind: "reply", reply: { text: "Sunny in Paris." } });
    const tools = [{ name: "get_weather", input_schema: { type: "object" as const, properties: { city: { type: "string" } } } }];
    const question = { role: "user" as const, content: "Weather in Paris?" };
    const first = await client.messages.stream({ model: "deepseek", max_tokens: 1000, tools, messages: [question] }).finalMessage();
    expect(first.stop_reason).toBe("tool_use");
    const call = first.content.find((block) => block.type === "tool_use")!;
    const second = await client.messages.create({
      model: "deepseek",
      max_tokens: 1000,
      tools,
      messages: [question, { role: "assistant", content: first.content }, { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: "sunny" }] }],
    });
    expect(second.content).toMatchObject([{ type: "text", text: "Sunny in Paris." }]);
    const sent = (deepseekFake.requests.at(-1)!.body as { messages: Record<string, unknown>[] }).messages[1]!;
    expect(sent.reasoning_content).toBe(thinkingToolTurn.reasoning);
  });
});
