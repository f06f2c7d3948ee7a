// Conversations that move between vendors, as a route by intent or a fallback moves them, driven
// through the SDKs against fakes that refuse what each vendor's API refuses (test/fakes: ids,
// empty turns, thinking signatures, images in tool messages): every next turn is served.

import { afterAll, describe, expect, test } from "bun:test";
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import { startFakeGemini } from "../fakes/gemini.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { anthropicClient, generation, openaiClient, postJson, startGateway } from "./harness.ts";

const anthropicFake = startFakeAnthropic();
const openaiFake = startFakeOpenAI();
const geminiFake = startFakeGemini();
const gateway = await startGateway(`
auth: { use: none }
providers:
  anthropic: { use: anthropic, api_key: "sk-ant-test", base_url: "${anthropicFake.url}" }
  openai: { use: openai, api_key: "sk-openai-test", base_url: "${openaiFake.url}/v1" }
  kimi: { use: openai-compatible, api_key: "sk-kimi-test", base_url: "${openaiFake.url}/v1" }
  gemini: { use: gemini, api_key: "gemini-test", base_url: "${geminiFake.url}/v1beta" }
models:
  claude: [{ provider: anthropic, model: claude-sonnet-4-5, price: { input: 3, output: 15 } }]
  opus: [{ provider: anthropic, model: claude-opus-4-7, price: { input: 5, output: 25 } }]
  opus46: [{ provider: anthropic, model: claude-opus-4-6, price: { input: 5, output: 25 } }]
  gpt: [{ provider: openai, model: gpt-5, price: { input: 1.25, output: 10 } }]
  gpt4: [{ provider: openai, model: gpt-4.1, price: { input: 2, output: 8 } }]
  kimi: [{ provider: kimi, model: kimi-k2, price: { input: 0.6, output: 2.5 } }]
  gemini: [{ provider: gemini, model: gemini-3-pro, price: { input: 2, output: 12 } }]
routes: [{ name: direct, to: $model }]
`);
afterAll(async () => {
  await gateway.close();
  await Promise.all([anthropicFake.close(), openaiFake.close(), geminiFake.close()]);
});

const weather = { type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } };
const anthropicWeather = { name: "get_weather", input_schema: { type: "object" as const, properties: { city: { type: "string" } } } };

describe("a conversation that moves between vendors", () => {
  test("an OpenAI client's stop at a newline is served by Claude, which refuses a stop sequence of whitespace alone", async () => {
    anthropicFake.enqueue({ kind: "reply", reply: { text: "one line" } });
    const completion = await openaiClient(gateway).chat.completions.create({ model: "claude", stop: ["\n", "END"], messages: [{ role: "user", content: "one line please" }] });
    expect(completion.choices[0]!.message.content).toBe("one line");
    expect((anthropicFake.requests.at(-1)!.body as { stop_sequences?: string[] }).stop_sequences).toEqual(["END"]);
  });

  test("an OpenAI client's Gemini 3 tool loop goes on, though the client keeps no thought signature", async () => {
    const client = openaiClient(gateway);
    geminiFake.enqueue({ kind: "reply", reply: { reasoning: "Use the tool.", toolCalls: [{ id: "x", name: "get_weather", arguments: '{"city":"Lima"}' }] } });
    const first = await client.chat.completions.create({ model: "gemini", messages: [{ role: "user", content: "Weather in Lima?" }], tools: [weather] });
    const call = first.choices[0]!.message.tool_calls![0]!;
    geminiFake.enqueue({ kind: "reply", reply: { text: "It is 21°C in Lima." } });
    const next = await client.chat.completions.create({
      model: "gemini",
      messages: [{ role: "user", content: "Weather in Lima?" }, first.choices[0]!.message as OpenAI.ChatCompletionMessageParam, { role: "tool", tool_call_id: call.id, content: '{"temp":21}' }],
      tools: [weather],
    });
    expect(next.choices[0]!.message.content).toBe("It is 21°C in Lima.");
  });

  test("an Anthropic client's Gemini turn, thinking and all, goes on at Claude, and Claude's back at Gemini", async () => {
    const client = anthropicClient(gateway);
    const ask: Anthropic.MessageParam = { role: "user", content: "Weather in Lima?" };
    geminiFake.enqueue({ kind: "reply", reply: { reasoning: "Use the tool.", text: "Checking.", toolCalls: [{ id: "x", name: "get_weather", arguments: '{"city":"Lima"}' }] } });
    const atGemini = await client.messages.stream({ model: "gemini", max_tokens: 400, thinking: { type: "enabled", budget_tokens: 200 }, messages: [ask], tools: [anthropicWeather] }).finalMessage();
    const use = atGemini.content.find((block) => block.type === "tool_use")!;
    const loop: Anthropic.MessageParam[] = [ask, { role: "assistant", content: atGemini.content }, { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: '{"temp":21}' }] }];
    anthropicFake.enqueue({ kind: "reply", reply: { reasoning: "Warm.", text: "21°C, and where next?" } });
    const atClaude = await client.messages.create({ model: "claude", max_tokens: 2000, thinking: { type: "enabled", budget_tokens: 1024 }, messages: loop, tools: [anthropicWeather] });
    expect(atClaude.content.find((block) => block.type === "text")).toMatchObject({ text: "21°C, and where next?" });
    geminiFake.enqueue({ kind: "reply", reply: { text: "Cusco is colder." } });
    const backAtGemini = await client.messages.create({
      model: "gemini",
      max_tokens: 400,
      messages: [...loop, { role: "assistant", content: atClaude.content }, { role: "user", content: "And Cusco?" }],
      tools: [anthropicWeather],
    });
    expect(backAtGemini.content).toEqual([{ type: "text", text: "Cusco is colder." }] as never);
  });

  test("tool ids Kimi made, and Gemini's long ones, go on at Claude and at OpenAI", async () => {
    const client = openaiClient(gateway);
    const tools = [weather, { type: "function" as const, function: { name: "mcp__weather_service__get_hourly_forecast", parameters: { type: "object" } } }];
    openaiFake.enqueue({ kind: "reply", reply: { toolCalls: [{ id: "functions.get_weather:0", name: "get_weather", arguments: '{"city":"Oslo"}' }] } });
    const atKimi = await client.chat.completions.create({ model: "kimi", messages: [{ role: "user", content: "Oslo?" }], tools });
    geminiFake.enqueue({ kind: "reply", reply: { toolCalls: [{ id: "x", name: "mcp__weather_service__get_hourly_forecast", arguments: "{}" }] } });
    const history: OpenAI.ChatCompletionMessageParam[] = [
      { role: "user", content: "Oslo?" },
      atKimi.choices[0]!.message as OpenAI.ChatCompletionMessageParam,
      { role: "tool", tool_call_id: atKimi.choices[0]!.message.tool_calls![0]!.id, content: "-3" },
    ];
    const atGemini = await client.chat.completions.create({ model: "gemini", messages: history, tools });
    expect(atGemini.choices[0]!.message.tool_calls![0]!.id.length).toBeGreaterThan(40);
    history.push(atGemini.choices[0]!.message as OpenAI.ChatCompletionMessageParam, { role: "tool", tool_call_id: atGemini.choices[0]!.message.tool_calls![0]!.id, content: "snow" });
    for (const model of ["claude", "gpt"]) {
      (model === "claude" ? anthropicFake : openaiFake).enqueue({ kind: "reply", reply: { text: `Cold and snowy (${model}).` } });
      const answer = await client.chat.completions.create({ model, messages: history, tools });
      expect(answer.choices[0]!.message.content).toBe(`Cold and snowy (${model}).`);
    }
  });

  test("an Anthropic client's screenshot in a tool result, and an empty answer in the history, go on at OpenAI", async () => {
    const client = anthropicClient(gateway);
    openaiFake.enqueue({ kind: "reply", reply: { text: "The login button is hidden." } });
    const answer = await client.messages.create({
      model: "gpt",
      max_tokens: 400,
      tools: [{ name: "screenshot", input_schema: { type: "object" } }],
      messages: [
        { role: "user", content: "What is wrong with the page?" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_01", name: "screenshot", input: {} }] },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "toolu_01", content: [{ type: "text", text: "the login page" }, { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } }] }],
        },
      ],
    });
    expect(answer.content[0]).toMatchObject({ type: "text", text: "The login button is hidden." });
    const sent = openaiFake.requests.at(-1)!.body as { messages: { role: string }[] };
    expect(sent.messages.map((message) => message.role)).toEqual(["user", "assistant", "tool", "user"]);

    // An OpenAI client's history with an empty answer in it, continued at Claude and at Gemini.
    const openai = openaiClient(gateway);
    const history: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "hi" }, { role: "assistant", content: "" }, { role: "user", content: "still there?" }];
    for (const model of ["claude", "gemini"]) {
      (model === "claude" ? anthropicFake : geminiFake).enqueue({ kind: "reply", reply: { text: "Yes." } });
      expect((await openai.chat.completions.create({ model, messages: history })).choices[0]!.message.content).toBe("Yes.");
    }
  });

  test("two Gemini turns calling the same tool go on at Claude, which refuses one id twice", async () => {
    const client = openaiClient(gateway);
    const history: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Lima, then in Cusco?" }];
    for (const city of ["Lima", "Cusco"]) {
      geminiFake.enqueue({ kind: "reply", reply: { toolCalls: [{ id: "x", name: "get_weather", arguments: JSON.stringify({ city }) }] } });
      const turn = (await client.chat.completions.create({ model: "gemini", messages: history, tools: [weather] })).choices[0]!.message;
      history.push(turn as OpenAI.ChatCompletionMessageParam, { role: "tool", tool_call_id: turn.tool_calls![0]!.id, content: '{"temp":20}' });
    }
    anthropicFake.enqueue({ kind: "reply", reply: { text: "Both are mild." } });
    expect((await client.chat.completions.create({ model: "claude", messages: history, tools: [weather] })).choices[0]!.message.content).toBe("Both are mild.");
  });

  test("Claude Code's adaptive thinking goes on at Claude after a tool call another vendor made, without thinking for that one turn", async () => {
    const client = anthropicClient(gateway);
    const ask: Anthropic.MessageParam = { role: "user", content: "Weather in Lima?" };
    geminiFake.enqueue({ kind: "reply", reply: { toolCalls: [{ id: "x", name: "get_weather", arguments: '{"city":"Lima"}' }] } });
    const adaptive = { thinking: { type: "adaptive" } } as unknown as Pick<Anthropic.MessageCreateParams, "thinking">;
    const atGemini = await client.messages.create({ model: "gemini", max_tokens: 4000, ...adaptive, messages: [ask], tools: [anthropicWeather] });
    const use = atGemini.content.find((block) => block.type === "tool_use")!;
    anthropicFake.enqueue({ kind: "reply", reply: { text: "21°C in Lima." } });
    const atClaude = await client.messages.create({
      model: "opus46",
      max_tokens: 4000,
      ...adaptive,
      messages: [ask, { role: "assistant", content: atGemini.content }, { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: '{"temp":21}' }] }],
      tools: [anthropicWeather],
    });
    expect(atClaude.content).toEqual([{ type: "text", text: "21°C in Lima." }] as never);
    expect(anthropicFake.requests.at(-1)!.body as Record<string, unknown>).not.toHaveProperty("thinking");
  });

  test("a Gemini stream that breaks after its first words is charged its prompt's count and at least the words it sent", async () => {
    const client = openaiClient(gateway);
    geminiFake.enqueue({ kind: "break", reply: { text: "a long answer that breaks somewhere in the middle of its many words", usage: { input: 5000, output: 40 } }, afterFrames: 1 });
    const stream = await client.chat.completions.create({ model: "gemini", messages: [{ role: "user", content: "Talk." }], stream: true });
    let id = "";
    let text = "";
    const ended = await (async () => {
      for await (const chunk of stream) {
        id = chunk.id;
        text += chunk.choices[0]?.delta.content ?? "";
      }
    })().catch((error: unknown) => error);
    expect(ended).toBeInstanceOf(Error);
    expect(text.length).toBeGreaterThan(0);
    const row = (await generation(gateway, id)) as unknown as { status: number; tokens_prompt: number; tokens_completion: number };
    expect(row).toMatchObject({ status: 502, tokens_prompt: 5000 });
    expect(row.tokens_completion).toBeGreaterThanOrEqual(Math.ceil(text.length / 4));
  });
});

describe("a client's settings, at a vendor whose model takes them otherwise", () => {
  const client = openaiClient(gateway);
  const ask: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Lima?" }];
  const lastBody = (fake: { requests: { body: unknown }[] }) => fake.requests.at(-1)!.body as Record<string, unknown>;

  test("an effort and sampling settings reach Claude 4.7 as adaptive thinking at that effort, with no sampling settings", async () => {
    anthropicFake.enqueue({ kind: "reply", reply: { text: "Warm." } });
    const answer = await client.chat.completions.create({ model: "opus", messages: ask, reasoning_effort: "high", temperature: 0.3, top_p: 0.9 });
    expect(answer.choices[0]!.message.content).toBe("Warm.");
    expect(lastBody(anthropicFake)).toMatchObject({ thinking: { type: "adaptive" }, output_config: { effort: "high" } });
  });

  test("a temperature beside a top_p, and an effort beside a forced tool call, reach Claude as it takes them", async () => {
    anthropicFake.enqueue({ kind: "reply", reply: { text: "Warm." } });
    await client.chat.completions.create({ model: "claude", messages: ask, temperature: 0.7, top_p: 0.9 });
    expect(lastBody(anthropicFake)).toMatchObject({ temperature: 0.7 });
    anthropicFake.enqueue({ kind: "reply", reply: { toolCalls: [{ id: "toolu_1", name: "get_weather", arguments: '{"city":"Lima"}' }] } });
    const called = await client.chat.completions.create({ model: "claude", messages: ask, tools: [weather], tool_choice: "required", reasoning_effort: "low" });
    expect(called.choices[0]!.message.tool_calls![0]!.id).toBe("toolu_1");
    expect(lastBody(anthropicFake).thinking).toBeUndefined();
  });

  test("Claude Code's turn reaches GPT-5 as it takes it: its long user id hashed, its thinking budget an effort, no sampling settings or stops", async () => {
    const claudeCode = anthropicClient(gateway);
    const userId = `user_${"5dd0".repeat(16)}_account__session_${"d2e7".repeat(9)}`;
    openaiFake.enqueue({ kind: "reply", reply: { text: "Done." } });
    // The SDK's types have dropped `temperature` (Claude 4.7 refuses it); clients still send it.
    const answer = await claudeCode.messages.create({
      model: "gpt",
      max_tokens: 20000,
      metadata: { user_id: userId },
      temperature: 0,
      stop_sequences: ["</a>", "</b>", "</c>", "</d>", "</e>"],
      thinking: { type: "enabled", budget_tokens: 10000 },
      messages: [{ role: "user", content: "Fix the build." }],
    } as Anthropic.MessageCreateParamsNonStreaming);
    expect(answer.content).toEqual([{ type: "text", text: "Done." }] as never);
    const sent = lastBody(openaiFake);
    expect(userId.length).toBeGreaterThan(64);
    expect(sent.user).toMatch(/^[0-9a-f]{64}$/);
    expect(sent).toMatchObject({ reasoning_effort: "high" });
    expect([sent.temperature, sent.stop]).toEqual([undefined, undefined]);
  });

  test("an effort reaches no OpenAI model that does not reason, and only four stop sequences reach one", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { text: "Warm." } });
    const answer = await client.chat.completions.create({ model: "gpt4", messages: ask, reasoning_effort: "high", temperature: 0.3, stop: ["a1", "a2", "a3", "a4", "a5"] } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(answer.choices[0]!.message.content).toBe("Warm.");
    expect(lastBody(openaiFake)).toMatchObject({ temperature: 0.3, stop: ["a1", "a2", "a3", "a4"] });
    expect(lastBody(openaiFake).reasoning_effort).toBeUndefined();
  });
});

describe("requests an endpoint refuses", () => {
  test("a request nested too deep to encode is a 400 naming it, and neither it nor a vendor's 400s open the endpoint's circuit", async () => {
    const client = openaiClient(gateway);
    // Written as text: the SDK itself cannot serialize a schema 20,000 levels deep.
    const levels = 20_000;
    const deep = '{"type":"object","properties":{"next":'.repeat(levels) + '{"type":"string"}' + "}}".repeat(levels);
    const body = `{"model":"claude","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"nested","parameters":${deep}}}]}`;
    for (let i = 0; i < 6; i++) {
      const refused = await fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("nested too deep");
    }
    for (let i = 0; i < 6; i++) anthropicFake.enqueue({ kind: "error", status: 400, body: { type: "error", error: { type: "invalid_request_error", message: "messages.0: bad image" } } });
    for (let i = 0; i < 6; i++) expect((await postJson(`${gateway.url}/v1/chat/completions`, { model: "claude", messages: [{ role: "user", content: "hi" }] })).status).toBe(400);
    anthropicFake.enqueue({ kind: "reply", reply: { text: "Still here." } });
    expect((await client.chat.completions.create({ model: "claude", messages: [{ role: "user", content: "hi" }] })).choices[0]!.message.content).toBe("Still here.");
  }, 30_000);
});
