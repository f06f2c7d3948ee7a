// OpenAI's Responses API as an upstream (`use: openai, api: responses`), for models OpenAI serves
// only there: clients of either dialect, driven by the official SDKs, against the fake vendor's
// /v1/responses, which answers as the API reference shows.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { decodeRequest, decodeUpstreamResponse, encodeUpstreamRequest } from "../../core/wire/responses/index.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { anthropicClient, openaiClient, readChatStream, startGateway, type Gateway } from "../gateway/harness.ts";

const fake = startFakeOpenAI();
let gateway: Gateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startGateway(`
version: 1
auth: { use: none }
providers:
  openai-responses: { use: openai, api: responses, api_key: "sk-openai-responses-secret", base_url: "${fake.url}/v1" }
  openai-chat: { use: openai, api_key: "sk-openai-chat-secret", base_url: "${fake.url}/v1" }
models:
  gpt-5-pro:
    - { provider: openai-responses, model: gpt-5-pro, price: { input: 15, output: 120 }, timeout: 2s }
  gpt-5-mini:
    - { provider: openai-chat, model: gpt-5-mini, price: { input: 0.25, output: 2 } }
routes:
  - name: pro-then-mini
    when: model == "pro-then-mini"
    to: gpt-5-pro
    fallback: [gpt-5-mini]
  - name: direct
    to: $model
`);
  client = openaiClient(gateway);
});
afterAll(async () => {
  await gateway.close();
  await fake.close();
});

const weather = { type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } };

describe("the Responses API upstream", () => {
  test("a recorded response decodes: summary as reasoning, text, the call, cached and reasoning tokens", async () => {
    const response = decodeUpstreamResponse(await Bun.file(new URL("../fixtures/openai/response.json", import.meta.url)).json());
    expect(response).toMatchObject({
      id: "resp_68af4030592c81938ec0a5fbab4a3e9f05438e46b5f69a3b",
      model: "gpt-5-2025-08-07",
      reasoning: "**Checking the weather**\n\nThe user wants Paris; I should call the tool.",
      text: "Let me check the weather in Paris.",
      toolCalls: [{ id: "call_TSnFDCOEHadWsz5wwWS5ROiX", name: "get_weather", arguments: '{"location":"Paris, France"}' }],
      finishReason: "tool_calls",
      usage: { inputTokens: 326, outputTokens: 147, cachedInputTokens: 128, reasoningTokens: 64 },
    });
  });

  test("a Chat Completions turn goes as input items, statelessly, and its answer comes back with reasoning and cost", async () => {
    fake.enqueue({ kind: "reply", reply: { reasoning: "Simple.", text: "Paris.", usage: { input: 20, output: 10, reasoning: 4 } } });
    const completion = await client.chat.completions.create({
      model: "gpt-5-pro",
      messages: [{ role: "developer", content: "Be brief." }, { role: "user", content: "Capital of France?" }],
      max_completion_tokens: 300,
      reasoning_effort: "high",
      tools: [weather],
    });
    expect(completion.choices[0]!.message).toMatchObject({ content: "Paris.", reasoning: "Simple." });
    expect(completion.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 10, completion_tokens_details: { reasoning_tokens: 4 } });
    // 20 × $15/M + 10 × $120/M
    expect((completion.usage as unknown as { cost: number }).cost).toBeCloseTo(0.0015, 12);
    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe("/v1/responses");
    expect(sent.headers.authorization).toBe("Bearer sk-openai-responses-secret");
    expect(sent.body).toEqual({
      model: "gpt-5-pro",
      input: [
        { role: "developer", content: [{ type: "input_text", text: "Be brief." }] },
        { role: "user", content: [{ type: "input_text", text: "Capital of France?" }] },
      ],
      store: false,
      tools: [{ type: "function", name: "get_weather", parameters: weather.function.parameters, strict: false }],
      max_output_tokens: 300,
      // A Chat Completions client reads reasoning as text: OpenAI writes it only as a summary, asked for.
      reasoning: { effort: "high", summary: "auto" },
      include: ["reasoning.encrypted_content"],
    });
  });

  test("a tool loop: the call comes back, and the call and its output go as items in the next turn", async () => {
    fake.enqueue({ kind: "reply", reply: { toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Oslo"}' }] } });
    const first = await client.chat.completions.create({ model: "gpt-5-pro", messages: [{ role: "user", content: "Oslo?" }], tools: [weather] });
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    const call = first.choices[0]!.message.tool_calls![0]!;
    fake.enqueue({ kind: "reply", reply: { text: "Cold." } });
    await client.chat.completions.create({
      model: "gpt-5-pro",
      tools: [weather],
      messages: [{ role: "user", content: "Oslo?" }, first.choices[0]!.message, { role: "tool", tool_call_id: call.id, content: "-3" }],
    });
    expect((fake.requests.at(-1)!.body as { input: unknown[] }).input).toEqual([
      { role: "user", content: [{ type: "input_text", text: "Oslo?" }] },
      { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Oslo"}' },
      { type: "function_call_output", call_id: "call_1", output: "-3" },
    ]);
  });

  test("streamed, its events reach a Chat Completions client as chunks and an Anthropic client as its events", async () => {
    fake.enqueue({ kind: "reply", reply: { reasoning: "Count.", text: "one two three", usage: { input: 5, output: 3 } } });
    const stream = await client.chat.completions.create({ model: "gpt-5-pro", messages: [{ role: "user", content: "Count" }], stream: true, stream_options: { include_usage: true } });
    const { text, usage } = await readChatStream(stream);
    expect(text).toBe("one two three");
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3 });

    fake.enqueue({ kind: "reply", reply: { toolCalls: [{ id: "call_2", name: "get_weather", arguments: '{"city":"Lima"}' }] } });
    const anthropic = anthropicClient(gateway);
    const final = await anthropic.messages
      .stream({ model: "gpt-5-pro", max_tokens: 100, messages: [{ role: "user", content: "Lima?" }], tools: [{ name: "get_weather", input_schema: { type: "object" } }] })
      .finalMessage();
    expect(final.content).toEqual([{ type: "tool_use", id: "call_2", name: "get_weather", input: { city: "Lima" } }] as never);
    expect(final.stop_reason).toBe("tool_use");
  });

  test("a Responses client keeps OpenAI's encrypted reasoning across a tool loop, JSON or streamed", async () => {
    const responses = client.responses;
    for (const stream of [false, true]) {
      fake.enqueue({ kind: "reply", reply: { reasoning: "Look it up.", toolCalls: [{ id: "call_9", name: "get_weather", arguments: '{"city":"Lima"}' }] } });
      const tools = [{ type: "function" as const, name: "get_weather", parameters: weather.function.parameters, strict: false }];
      const ask = { role: "user" as const, content: "Lima?" };
      const first = stream
        ? await responses.stream({ model: "gpt-5-pro", input: [ask], tools, reasoning: { effort: "low" } }).finalResponse()
        : await responses.create({ model: "gpt-5-pro", input: [ask], tools, reasoning: { effort: "low" } });
      const encrypted = first.output.find((item) => item.type === "reasoning" && item.encrypted_content) as OpenAI.Responses.ResponseReasoningItem;
      expect(encrypted.id).toStartWith("rs_fake");
      expect(encrypted.encrypted_content).toStartWith("gAAAAAB");
      fake.enqueue({ kind: "reply", reply: { text: "Warm." } });
      await responses.create({
        model: "gpt-5-pro",
        tools,
        reasoning: { effort: "low" },
        input: [ask, ...(first.output as OpenAI.Responses.ResponseInputItem[]), { type: "function_call_output", call_id: "call_9", output: "24" }],
      });
      const input = (fake.requests.at(-1)!.body as { input: Record<string, unknown>[] }).input;
      expect(input.map((item) => item.type ?? item.role)).toEqual(["user", "reasoning", "function_call", "function_call_output"]);
      expect(input[1]).toEqual({ type: "reasoning", id: encrypted.id, summary: [], encrypted_content: encrypted.encrypted_content });
    }
  });

  test("an Anthropic client keeps OpenAI's encrypted reasoning across a tool loop, in its thinking block's signature, JSON or streamed", async () => {
    const anthropic = anthropicClient(gateway);
    const tools = [{ name: "get_weather", input_schema: { type: "object" as const, properties: { city: { type: "string" } } } }];
    const ask = { role: "user" as const, content: "Lima?" };
    for (const stream of [false, true]) {
      fake.enqueue({ kind: "reply", reply: { reasoning: "Look it up.", toolCalls: [{ id: "call_9", name: "get_weather", arguments: '{"city":"Lima"}' }] } });
      const body = { model: "gpt-5-pro", max_tokens: 1000, tools, messages: [ask] };
      const first = stream ? await anthropic.messages.stream(body).finalMessage() : await anthropic.messages.create(body);
      const thinking = first.content.find((block) => block.type === "thinking") as Anthropic.ThinkingBlock;
      expect(thinking.thinking).toBe("Look it up.");
      const item = (fake.requests.at(-1)!.body as { include?: string[] }).include;
      expect(item).toEqual(["reasoning.encrypted_content"]);
      expect(thinking.signature).toMatch(/^openai:rs_fake\S*:gAAAAAB/);
      fake.enqueue({ kind: "reply", reply: { text: "Warm." } });
      await anthropic.messages.create({
        ...body,
        messages: [ask, { role: "assistant", content: first.content }, { role: "user", content: [{ type: "tool_result", tool_use_id: "call_9", content: "24" }] }],
      });
      const input = (fake.requests.at(-1)!.body as { input: Record<string, unknown>[] }).input;
      expect(input.map((entry) => entry.type ?? entry.role)).toEqual(["user", "reasoning", "function_call", "function_call_output"]);
      const [id, encrypted] = [thinking.signature.split(":")[1], thinking.signature.split(":").slice(2).join(":")];
      expect(input[1]).toEqual({ type: "reasoning", id, summary: [], encrypted_content: encrypted });
    }
  });

  test("a freeform (custom) tool goes to OpenAI as one, and its call's text comes back and goes back as it was", async () => {
    const applyPatch = { type: "custom" as const, name: "apply_patch", description: "Edit files", format: { type: "grammar" as const, syntax: "lark" as const, definition: "start: /(.|\\n)+/" } };
    const patch = "*** Begin Patch\n*** Add File: a.txt\n+\"hi\"\n*** End Patch";
    for (const stream of [false, true]) {
      fake.enqueue({ kind: "reply", reply: { toolCalls: [{ id: "call_p", name: "apply_patch", arguments: patch }] } });
      const ask = { role: "user" as const, content: "Add a.txt" };
      const first = stream
        ? await client.responses.stream({ model: "gpt-5-pro", input: [ask], tools: [applyPatch] }).finalResponse()
        : await client.responses.create({ model: "gpt-5-pro", input: [ask], tools: [applyPatch] });
      expect((fake.requests.at(-1)!.body as { tools: unknown[] }).tools).toEqual([applyPatch]);
      const call = first.output.find((item) => item.type === "custom_tool_call") as OpenAI.Responses.ResponseCustomToolCall;
      expect(call.input).toBe(patch);
      expect(call.call_id).toBe("call_p");
      fake.enqueue({ kind: "reply", reply: { text: "Done." } });
      await client.responses.create({
        model: "gpt-5-pro",
        tools: [applyPatch],
        input: [ask, { type: "custom_tool_call", call_id: "call_p", name: "apply_patch", input: patch }, { type: "custom_tool_call_output", call_id: "call_p", output: "ok" }],
      });
      expect((fake.requests.at(-1)!.body as { input: unknown[] }).input.slice(1)).toEqual([
        { type: "custom_tool_call", call_id: "call_p", name: "apply_patch", input: patch },
        { type: "custom_tool_call_output", call_id: "call_p", output: "ok" },
      ]);
    }
  });

  test("a stream that fails before it says anything moves on to the next candidate", async () => {
    const failedEvent = (sequence: number) =>
      `event: response.failed\ndata: ${JSON.stringify({ type: "response.failed", sequence_number: sequence, response: { id: "resp_failed", object: "response", status: "failed", error: { code: "server_error", message: "The model failed to generate a response." }, output: [] } })}\n\n`;
    // response.created and response.in_progress, then the failure.
    fake.enqueue({ kind: "fail", reply: { text: "never said" }, afterFrames: 2, frame: failedEvent(2) }, { kind: "reply", reply: { text: "from the fallback" } });
    const { data: stream, response } = await client.chat.completions.create({ model: "pro-then-mini", messages: [{ role: "user", content: "Hi" }], stream: true }).withResponse();
    expect((await readChatStream(stream)).text).toBe("from the fallback");
    expect(response.headers.get("x-switchyard-model")).toBe("gpt-5-mini");
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
    expect(fake.requests.slice(-2).map((request) => request.path)).toEqual(["/v1/responses", "/v1/chat/completions"]);
  });

  test("an error event after the answer began ends the client's stream with an error, the text so far delivered", async () => {
    const errorEvent = `event: error\ndata: ${JSON.stringify({ type: "error", sequence_number: 9, code: "server_error", message: "The server had an error while processing your request.", param: null })}\n\n`;
    // Opening events, the message's opening and two words of text; the error once the client has them.
    const { promise: heard, resolve: release } = Promise.withResolvers<void>();
    fake.enqueue({ kind: "fail", reply: { text: "one two three four" }, afterFrames: 6, frame: errorEvent, until: heard });
    const stream = await client.chat.completions.create({ model: "gpt-5-pro", messages: [{ role: "user", content: "Count" }], stream: true });
    let text = "";
    const read = (async () => {
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        if (text === "one two") release();
      }
    })();
    await expect(read).rejects.toThrow(/upstream stream broke: The server had an error while processing your request/);
    expect(text).toBe("one two");
  });

  test("a refusal reaches a Chat Completions client as its refusal, JSON and streamed", async () => {
    const refusal = "I can't help with that.";
    fake.enqueue({ kind: "reply", reply: { refusal } }, { kind: "reply", reply: { refusal } });
    const whole = await client.chat.completions.create({ model: "gpt-5-pro", messages: [{ role: "user", content: "Help me break in" }] });
    expect(whole.choices[0]!.message).toMatchObject({ content: null, refusal });
    const stream = await client.chat.completions.create({ model: "gpt-5-pro", messages: [{ role: "user", content: "Help me break in" }], stream: true });
    let streamed = "";
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.refusal ?? "";
    expect(streamed).toBe(refusal);
  });

  test("a response whose status is failed is a retryable upstream error", () => {
    const failed = { id: "resp_f", object: "response", status: "failed", error: { code: "server_error", message: "The model failed." }, output: [] };
    expect(() => decodeUpstreamResponse(failed as never)).toThrow(expect.objectContaining({ code: "upstream_error", retryable: true }));
  });

  test("an answer cut at its cap is `length`, streamed or not", async () => {
    fake.enqueue({ kind: "reply", reply: { text: "It was a dark and", finish: "length" } });
    const cut = await client.chat.completions.create({ model: "gpt-5-pro", messages: [{ role: "user", content: "Story" }], max_completion_tokens: 5 });
    expect(cut.choices[0]!.finish_reason).toBe("length");
    fake.enqueue({ kind: "reply", reply: { text: "It was a dark and", finish: "length" } });
    const stream = await client.chat.completions.create({ model: "gpt-5-pro", messages: [{ role: "user", content: "Story" }], max_completion_tokens: 5, stream: true });
    const reasons: (string | null)[] = [];
    for await (const chunk of stream) reasons.push(chunk.choices[0]?.finish_reason ?? null);
    expect(reasons).toContain("length");
  });

  test("a sampling setting the Responses API has no counterpart for is left out; an OpenAI field it has none for is a 400 naming it, and no vendor call", async () => {
    fake.enqueue({ kind: "reply", reply: { text: "Served." } });
    const served = await client.chat.completions.create({ model: "gpt-5-pro", messages: [{ role: "user", content: "hi" }], stop: ["END"], seed: 7, presence_penalty: 0.5 });
    expect(served.choices[0]!.message.content).toBe("Served.");
    const sent = fake.requests.at(-1)!.body as Record<string, unknown>;
    expect([sent.stop, sent.seed, sent.presence_penalty]).toEqual([undefined, undefined, undefined]);
    const before = fake.requests.length;
    const biased = await client.chat.completions.create({ model: "gpt-5-pro", messages: [{ role: "user", content: "hi" }], logit_bias: { "50256": -100 } }).catch((error: unknown) => error);
    expect((biased as Error).message).toContain("`logit_bias`");
    expect(fake.requests.length).toBe(before);
  });

  test("the reasoning summary a Responses client asks for reaches OpenAI beside its effort, as Codex asks it every turn", async () => {
    const ask = (reasoning: Record<string, unknown>) => client.responses.create({ model: "gpt-5-pro", input: "hi", reasoning } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    fake.enqueue({ kind: "reply", reply: { text: "Summed." } }, { kind: "reply", reply: { text: "Summed." } });
    await ask({ effort: "medium", summary: "auto" });
    expect((fake.requests.at(-1)!.body as { reasoning: unknown }).reasoning).toEqual({ effort: "medium", summary: "auto" });
    await ask({ summary: "detailed" });
    expect((fake.requests.at(-1)!.body as { reasoning: unknown }).reasoning).toEqual({ summary: "detailed" });
    // A Responses client that asks for no summary gets none: it reads the items it asked for.
    fake.enqueue({ kind: "reply", reply: { text: "Summed." } });
    await ask({ effort: "low" });
    expect((fake.requests.at(-1)!.body as { reasoning: unknown }).reasoning).toEqual({ effort: "low" });
  });

  test("a message's phase (commentary, final answer) goes to OpenAI with it and comes back on each message, JSON and stream; other clients read the messages as paragraphs", async () => {
    const phases = [{ phase: "commentary", text: "Checking the file." }, { phase: "final_answer", text: "All good." }];
    fake.enqueue({ kind: "reply", reply: { phases } }, { kind: "reply", reply: { phases } }, { kind: "reply", reply: { phases } });
    const history = [
      { role: "user", content: "Fix the bug" },
      { type: "message", role: "assistant", phase: "commentary", content: [{ type: "output_text", text: "Looking first.", annotations: [] }] },
      { type: "message", role: "assistant", phase: "final_answer", content: [{ type: "output_text", text: "Fixed.", annotations: [] }] },
      { role: "user", content: "Check it again" },
    ];
    const answer = await client.responses.create({ model: "gpt-5-pro", input: history } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    const sent = (fake.requests.at(-1)!.body as { input: { role?: string; phase?: string }[] }).input;
    expect(sent.filter((item) => item.role === "assistant").map((item) => item.phase)).toEqual(["commentary", "final_answer"]);
    const messages = (output: unknown[]) => (output as { type: string; phase?: string; content: { text: string }[] }[]).filter((item) => item.type === "message").map((item) => [item.phase, item.content[0]!.text]);
    expect(messages(answer.output)).toEqual([["commentary", "Checking the file."], ["final_answer", "All good."]]);
    const streamed = await client.responses.stream({ model: "gpt-5-pro", input: "Check it" }).finalResponse();
    expect(messages(streamed.output)).toEqual([["commentary", "Checking the file."], ["final_answer", "All good."]]);
    const chat = await client.chat.completions.create({ model: "gpt-5-pro", messages: [{ role: "user", content: "Check it" }] });
    expect(chat.choices[0]!.message.content).toBe("Checking the file.\n\nAll good.");
    fake.enqueue({ kind: "reply", reply: { phases } });
    const chatStream = await client.chat.completions.create({ model: "gpt-5-pro", messages: [{ role: "user", content: "Check it" }], stream: true });
    expect((await readChatStream(chatStream)).text).toBe("Checking the file.\n\nAll good.");
  });

  test("OpenAI's reasoning summary reaches a Responses client as a summary, in the one item OpenAI sent it in with its encrypted content, JSON and stream", async () => {
    fake.enqueue({ kind: "reply", reply: { reasoning: "Weigh both.", text: "Done." } }, { kind: "reply", reply: { reasoning: "Weigh both.", text: "Done." } });
    const ask = { model: "gpt-5-pro", input: "Decide.", reasoning: { effort: "low", summary: "auto" } } as const;
    const answer = await client.responses.create(ask as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    const reasoningItems = (output: OpenAI.Responses.ResponseOutputItem[]) => output.filter((item) => item.type === "reasoning");
    const [whole] = reasoningItems(answer.output);
    expect(reasoningItems(answer.output)).toHaveLength(1);
    expect(whole).toMatchObject({ type: "reasoning", id: expect.stringMatching(/^rs_/), summary: [{ type: "summary_text", text: "Weigh both." }], encrypted_content: expect.any(String) });
    expect(whole).not.toHaveProperty("content");
    const upstreamId = whole!.id;
    const types: string[] = [];
    const stream = client.responses.stream(ask as OpenAI.Responses.ResponseCreateParamsStreaming);
    stream.on("event", (event) => types.push(event.type));
    const streamed = await stream.finalResponse();
    expect(types).toContain("response.reasoning_summary_text.delta");
    expect(types).not.toContain("response.reasoning_text.delta");
    expect(types.filter((type) => type === "response.output_item.added")).toHaveLength(2);
    expect(reasoningItems(streamed.output)).toEqual([{ type: "reasoning", id: upstreamId, summary: [{ type: "summary_text", text: "Weigh both." }], encrypted_content: expect.any(String) }]);
  });

  test("a client's items go back to OpenAI in their order, reasoning where it came and without an id the client left out", () => {
    const reasoning = (n: number, id?: string) => ({ type: "reasoning", ...(id ? { id } : {}), summary: [], encrypted_content: `gAAA${n}` });
    const input = [
      { role: "user", content: "Fix it" },
      reasoning(1, "rs_1"),
      { type: "message", role: "assistant", phase: "commentary", content: [{ type: "output_text", text: "Looking." }] },
      reasoning(2),
      { type: "function_call", call_id: "call_1", name: "get_weather", arguments: "{}" },
      { type: "function_call_output", call_id: "call_1", output: "ok" },
      reasoning(3, "rs_3"),
      { type: "message", role: "assistant", phase: "final_answer", content: [{ type: "output_text", text: "Done." }] },
      { role: "user", content: "Thanks" },
    ];
    const sent = encodeUpstreamRequest(decodeRequest({ model: "gpt-5-codex", input } as never)).input as Record<string, unknown>[];
    expect(sent.map((item) => item.type ?? item.role)).toEqual(["user", "reasoning", "assistant", "reasoning", "function_call", "function_call_output", "reasoning", "assistant", "user"]);
    expect(sent.filter((item) => item.type === "reasoning").map((item) => item.id)).toEqual(["rs_1", undefined, "rs_3"]);
    expect("id" in sent[3]!).toBe(false);
  });

  test("documents and images go as input parts; a tool result with an image goes as parts", () => {
    const body = encodeUpstreamRequest({
      model: "gpt-5-pro",
      stream: false,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { kind: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" }, detail: "low" },
            { type: "document", source: { kind: "base64", mediaType: "application/pdf", data: "JVBERi0=" }, title: "q3.pdf" },
            { type: "document", source: { kind: "text", text: "Revenue rose." }, title: "Notes" },
          ],
        },
        { role: "tool", toolCallId: "call_3", content: [{ type: "text", text: "shot" }, { type: "image", source: { kind: "url", url: "https://example.com/s.png" } }] },
      ],
    });
    expect(body.input).toEqual([
      {
        role: "user",
        content: [
          { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" },
          { type: "input_file", filename: "q3.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
          { type: "input_text", text: "Notes\n\nRevenue rose." },
        ],
      },
      {
        type: "function_call_output",
        call_id: "call_3",
        output: [{ type: "input_text", text: "shot" }, { type: "input_image", image_url: "https://example.com/s.png", detail: "auto" }],
      },
    ]);
  });
});
