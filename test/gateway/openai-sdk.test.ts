// The gateway driven by the official `openai` SDK, in front of fake OpenAI and Anthropic vendors.

import { describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { vendorSuite } from "./configs.ts";
import { openaiClient, readChatStream } from "./harness.ts";

const { openaiFake, anthropicFake, gateway } = await vendorSuite();
const client = openaiClient(gateway);

describe("OpenAI clients", () => {
  test("a chat request is answered by the model it names, with usage and cost", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { text: "Paris.", usage: { input: 12, output: 3 } } });
    const { data, response } = await client.chat.completions
      .create({ model: "gpt-5-mini", messages: [{ role: "user", content: "Capital of France?" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("Paris.");
    expect(data.usage?.prompt_tokens).toBe(12);
    expect(data.usage?.completion_tokens).toBe(3);
    // 12 × $0.25/M + 3 × $2/M = $0.000009
    expect((data.usage as unknown as { cost: number }).cost).toBeCloseTo(0.000009, 12);
    expect(response.headers.get("x-switchyard-route")).toBe("direct");
    expect(response.headers.get("x-switchyard-model")).toBe("gpt-5-mini");
    expect(response.headers.get("x-switchyard-provider")).toBe("openai");
    expect(response.headers.get("x-switchyard-attempts")).toBe("1");
    expect(Number(response.headers.get("x-switchyard-overhead-ms"))).toBeGreaterThanOrEqual(0);
    expect(response.headers.get("x-request-id")).toBe(data.id);
    expect((openaiFake.requests.at(-1)!.body as { model: string }).model).toBe("gpt-5-mini");
  });

  test("a coding prompt reaches Anthropic and comes back in OpenAI format with usage", async () => {
    anthropicFake.enqueue({ kind: "reply", reply: { text: "Use a map.", usage: { input: 40, output: 5 } } });
    const before = anthropicFake.requests.length;
    const completion = await client.chat.completions.create({
      model: "gpt-5-mini",
      messages: [{ role: "user", content: "Please refactor this loop:\n```js\nfor (let i = 0; i < a.length; i++) b.push(f(a[i]));\n```" }],
    });
    expect(anthropicFake.requests.length).toBe(before + 1);
    const sent = anthropicFake.requests.at(-1)!;
    expect(sent.path).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe("sk-ant-test-secret");
    expect((sent.body as { model: string }).model).toBe("claude-sonnet-4-5");
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]!.message.content).toBe("Use a map.");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 5, total_tokens: 45 });
  });

  test("a streamed answer arrives chunk by chunk and ends with the usage chunk", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { text: "one two three four", usage: { input: 8, output: 4 } } });
    const { data: stream, response } = await client.chat.completions
      .create({
        model: "gpt-5-mini",
        messages: [{ role: "user", content: "Count to four" }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    const ids = new Set<string>();
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined | null;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      ids.add(chunk.id);
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(2);
    // Every chunk carries the request id, the key of GET /v1/generation.
    expect([...ids]).toEqual([response.headers.get("x-request-id")!]);
    expect(text).toBe("one two three four");
    expect(usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 4 });
    expect((usage as unknown as { cost: number }).cost).toBeCloseTo((8 * 0.25 + 4 * 2) / 1e6, 12);
    // The gateway asks upstream for usage even when metering is all it needs it for.
    expect((openaiFake.requests.at(-1)!.body as { stream_options?: { include_usage?: boolean } }).stream_options?.include_usage).toBe(true);
  });

  test("streamed tool calls from Anthropic arrive as OpenAI tool-call deltas", async () => {
    anthropicFake.enqueue({
      kind: "reply",
      reply: { toolCalls: [{ id: "toolu_01", name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' }] },
    });
    const runner = client.chat.completions.stream({
      model: "claude-sonnet",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && call.function.name).toBe("get_weather");
    expect(call.type === "function" && JSON.parse(call.function.arguments)).toEqual({ city: "Paris", unit: "celsius" });
    expect(final.choices[0]!.finish_reason).toBe("tool_calls");
    const sent = anthropicFake.requests.at(-1)!.body as { tools: { name: string; input_schema: unknown }[] };
    expect(sent.tools[0]!.name).toBe("get_weather");
  });

  test("images and json_schema reach the vendor in its own format", async () => {
    anthropicFake.enqueue({ kind: "reply", reply: { text: '{"animal":"cat"}' } });
    const completion = await client.chat.completions.create({
      model: "claude-sonnet",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What animal is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://images.example.com/cat.png" } },
          ],
        },
      ],
      response_format: { type: "json_schema", json_schema: { name: "animal", schema: { type: "object", properties: { animal: { type: "string" } } } } },
    });
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ animal: "cat" });
    const sent = anthropicFake.requests.at(-1)!.body as { messages: { content: { type: string; source?: Record<string, string> }[] }[] };
    const images = sent.messages[0]!.content.filter((b) => b.type === "image");
    expect(images.map((b) => b.source!.type)).toEqual(["base64", "url"]);
    expect(images[1]!.source!.url).toBe("https://images.example.com/cat.png");
  });

  test("a refusal reaches the client as its refusal, JSON and stream, where it used to arrive as empty content", async () => {
    const refusal = "I'm sorry, I cannot help with that.";
    const ask = {
      model: "gpt-5-mini",
      messages: [{ role: "user" as const, content: "Describe the vault's combination." }],
      response_format: { type: "json_schema" as const, json_schema: { name: "answer", strict: true, schema: { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false } } },
    };
    openaiFake.enqueue({ kind: "reply", reply: { refusal } });
    const parsed = await client.chat.completions.parse(ask);
    expect(parsed.choices[0]!.message.refusal).toBe(refusal);
    expect(parsed.choices[0]!.message.content).toBeNull();
    expect(parsed.choices[0]!.message.parsed).toBeNull();
    openaiFake.enqueue({ kind: "reply", reply: { refusal } });
    const streamed = await client.chat.completions.stream(ask).finalChatCompletion();
    expect(streamed.choices[0]!.message.refusal).toBe(refusal);
    expect(streamed.choices[0]!.message.content ?? "").toBe("");
  });

  describe("documents", () => {
    const pdf = `data:application/pdf;base64,${Buffer.from("%PDF-1.7 /Type /Page").toString("base64")}`;
    const question = (model: string) => ({
      model,
      messages: [{
        role: "user" as const,
        content: [
          { type: "text" as const, text: "Summarise the report." },
          { type: "file" as const, file: { file_data: pdf, filename: "q3.pdf" } },
        ],
      }],
    });

    test("a PDF sent as a file part reaches Anthropic as a document block named by its file name", async () => {
      anthropicFake.enqueue({ kind: "reply", reply: { text: "Revenue rose." } });
      const completion = await client.chat.completions.create(question("claude-sonnet"));
      expect(completion.choices[0]!.message.content).toBe("Revenue rose.");
      const sent = anthropicFake.requests.at(-1)!.body as { messages: { content: Record<string, unknown>[] }[] };
      expect(sent.messages[0]!.content[1]).toEqual({
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: pdf.slice(pdf.indexOf(",") + 1) },
        title: "q3.pdf",
      });
    });

    test("and reaches OpenAI as the file part it was", async () => {
      openaiFake.enqueue({ kind: "reply", reply: { text: "Revenue rose." } });
      await client.chat.completions.create(question("gpt-5-mini"));
      const sent = openaiFake.requests.at(-1)!.body as { messages: { content: unknown[] }[] };
      expect(sent.messages[0]!.content[1]).toEqual({ type: "file", file: { filename: "q3.pdf", file_data: pdf } });
    });

    test("audio input and a stored file's id are a 400 naming the part, not dropped", async () => {
      const audio = await client.chat.completions
        .create({
          model: "gpt-5-mini",
          messages: [{ role: "user", content: [{ type: "text", text: "Transcribe." }, { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } }] }],
        })
        .catch((e: unknown) => e);
      expect(audio).toBeInstanceOf(OpenAI.BadRequestError);
      expect((audio as Error).message).toContain("messages.0.content.1.type");
      const stored = await client.chat.completions
        .create({ model: "gpt-5-mini", messages: [{ role: "user", content: [{ type: "file", file: { file_id: "file-abc123" } }] }] })
        .catch((e: unknown) => e);
      expect(stored).toBeInstanceOf(OpenAI.BadRequestError);
      expect((stored as Error).message).toContain("messages.0.content.0.file.file_id");
    });
  });

  test("reasoning a client asked not to see (OpenRouter's reasoning.exclude, include_reasoning: false) is left out, JSON and stream", async () => {
    const ask = (extra: Record<string, unknown>) => ({ model: "gpt-5-mini", messages: [{ role: "user" as const, content: "Think, then answer." }], ...extra });
    openaiFake.enqueue({ kind: "reply", reply: { reasoning: "private thoughts", text: "42." } }, { kind: "reply", reply: { reasoning: "private thoughts", text: "42." } }, { kind: "reply", reply: { reasoning: "shown thoughts", text: "42." } });
    const hidden = await client.chat.completions.create(ask({ reasoning: { exclude: true } }) as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(hidden.choices[0]!.message.content).toBe("42.");
    expect((hidden.choices[0]!.message as unknown as { reasoning?: string }).reasoning).toBeUndefined();
    const stream = await client.chat.completions.create({ ...ask({ include_reasoning: false }), stream: true } as OpenAI.ChatCompletionCreateParamsStreaming);
    let text = "";
    for await (const chunk of stream) {
      expect((chunk.choices[0]?.delta as { reasoning?: string } | undefined)?.reasoning).toBeUndefined();
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe("42.");
    const shown = await client.chat.completions.create(ask({}) as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect((shown.choices[0]!.message as unknown as { reasoning?: string }).reasoning).toBe("shown thoughts");
  });

  test("a vendor's broken counts reach the client as they were metered, JSON and stream, not as sent", async () => {
    const broken = { text: "ok", usage: { input: -5, output: 2.5 } };
    openaiFake.enqueue({ kind: "reply", reply: broken }, { kind: "reply", reply: broken });
    const answer = await client.chat.completions.create({ model: "gpt-5-mini", messages: [{ role: "user", content: "hi" }] });
    expect(answer.usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 3, total_tokens: 3 });
    const stream = await client.chat.completions.create({ model: "gpt-5-mini", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true } });
    expect((await readChatStream(stream)).usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 3, total_tokens: 3 });
  });

  test("the model list shows the catalogue with prices per token", async () => {
    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toContain("claude-sonnet");
    const claude = models.data.find((m) => m.id === "claude-sonnet") as unknown as { pricing: { prompt: string; completion: string }; context_length: number };
    expect(Number(claude.pricing.prompt)).toBeCloseTo(3e-6, 15);
    expect(Number(claude.pricing.completion)).toBeCloseTo(15e-6, 15);
    expect(claude.context_length).toBe(200000);
  });

  test("one model is retrieved by its id; an unknown one is a 404", async () => {
    const model = await client.models.retrieve("claude-sonnet");
    expect(model).toMatchObject({ id: "claude-sonnet", object: "model", owned_by: "anthropic" });
    const missing = await client.models.retrieve("gpt-9").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as Error).message).toContain("gpt-9");
  });

  test("an unknown model is a 404 in the OpenAI error shape", async () => {
    const error = await client.chat.completions
      .create({ model: "gpt-9", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).message).toContain("gpt-9");
  });
});
