// The gateway in front of OpenAI-compatible vendors that keep rules of their own (DeepSeek's thinking
// mode, Mistral's fields and content chunks), driven by the official SDKs against fakes that refuse what each vendor's
// API refuses.

import { afterAll, describe, expect, test } from "bun:test";
import type OpenAI from "openai";
import { startFakeMistral } from "../fakes/mistral.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { anthropicClient, openaiClient, readChatStream, startGateway } from "./harness.ts";

const deepseekFake = startFakeOpenAI(undefined, { vendor: "deepseek" });
const mistralFake = startFakeMistral();
const gateway = await startGateway(`
auth: { use: none }
providers:
  deepseek: { use: openai-compatible, api_key: "sk-deepseek-test", base_url: "${deepseekFake.url}/v1", reasoning_field: reasoning_content }
  mistral: { use: openai-compatible, api_key: "sk-mistral-test", base_url: "${mistralFake.url}/v1", flavour: mistral }
  mistral-as-standard: { use: openai-compatible, api_key: "sk-mistral-test", base_url: "${mistralFake.url}/v1", flavour: standard }
models:
  deepseek: [{ provider: deepseek, model: deepseek-v4-flash, price: { input: 0.14, output: 0.28 } }]
  mistral: [{ provider: mistral, model: mistral-medium-latest, price: { input: 0.4, output: 2 } }]
  mistral-as-standard: [{ provider: mistral-as-standard, model: mistral-medium-latest, price: { input: 0.4, output: 2 } }]
routes: [{ name: direct, to: $model }]
`);
afterAll(async () => {
  await gateway.close();
  await deepseekFake.close();
  await mistralFake.close();
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

describe("Mistral's API", () => {
  const client = openaiClient(gateway);
  const messages = [{ role: "user" as const, content: "Bonjour" }];

  test("a stream with a seed and a user is served, metered from its last chunk's usage", async () => {
    mistralFake.enqueue({ kind: "reply", reply: { text: "Bonjour ! Ça va ?", usage: { input: 5, output: 6 } } });
    const stream = await client.chat.completions.create({ model: "mistral", messages, stream: true, stream_options: { include_usage: true }, seed: 7, user: "user-42" });
    const { text, usage } = await readChatStream(stream);
    expect(text).toBe("Bonjour ! Ça va ?");
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 6 });
    expect(mistralFake.requests.at(-1)!.body).toMatchObject({ random_seed: 7, stream: true });
  });

  test("a reasoning model's content chunks reach the client as its answer and its reasoning, whole and streamed", async () => {
    const reply = { reasoning: "Two and two make four.", text: "The answer is 4." };
    mistralFake.enqueue({ kind: "reply", reply }, { kind: "reply", reply });
    const whole = await client.chat.completions.create({ model: "mistral", messages });
    expect(whole.choices[0]!.message).toMatchObject({ content: reply.text, reasoning: reply.reasoning });
    const stream = await client.chat.completions.create({ model: "mistral", messages, stream: true });
    let text = "";
    let reasoning = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      reasoning += (chunk.choices[0]?.delta as { reasoning?: string } | undefined)?.reasoning ?? "";
    }
    expect({ text, reasoning }).toEqual({ text: reply.text, reasoning: reply.reasoning });
  });

  test("what it refuses reaches the client as its 422 says it, each field named", async () => {
    const error = await client.chat.completions.create({ model: "mistral-as-standard", messages, stream: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, message: expect.stringContaining("body.stream_options: Extra inputs are not permitted") });
  });
});
