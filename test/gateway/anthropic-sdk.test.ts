// The gateway driven by the official `@anthropic-ai/sdk`: Anthropic clients served by any vendor.

import { describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { betaTool } from "@anthropic-ai/sdk/helpers/beta/json-schema";
import { vendorSuite } from "./configs.ts";
import { anthropicError, FAKE_SIGNATURE } from "../fakes/anthropic.ts";
import { anthropicClient, postJson } from "./harness.ts";

const { openaiFake, anthropicFake, gateway } = await vendorSuite();
const client = anthropicClient(gateway);

describe("Anthropic clients", () => {
  test("a Messages request is served by the OpenAI fake and answered in Anthropic's shape", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { text: "Bonjour.", usage: { input: 9, output: 2 } } });
    const { data, response } = await client.messages
      .create({ model: "gpt-5-mini", max_tokens: 100, system: "Answer in French.", messages: [{ role: "user", content: "Hello" }] })
      .withResponse();
    expect(data.type).toBe("message");
    expect(data.content[0]).toMatchObject({ type: "text", text: "Bonjour." });
    expect(data.stop_reason).toBe("end_turn");
    expect(data.usage).toMatchObject({ input_tokens: 9, output_tokens: 2 });
    // The cost in USD, as OpenAI clients read it: 9 × $0.25/M + 2 × $2/M.
    expect((data.usage as unknown as { cost: number }).cost).toBeCloseTo(0.00000625, 12);
    expect(response.headers.get("x-switchyard-provider")).toBe("openai");
    const sent = openaiFake.requests.at(-1)!.body as { model: string; messages: { role: string; content: unknown }[] };
    expect(sent.model).toBe("gpt-5-mini");
    expect(sent.messages[0]).toMatchObject({ role: "system", content: "Answer in French." });
  });

  test("a streamed Messages request from the OpenAI fake follows Anthropic's event sequence", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { text: "one two three", usage: { input: 5, output: 3 } } });
    const stream = client.messages.stream({ model: "gpt-5-mini", max_tokens: 50, messages: [{ role: "user", content: "count" }] });
    const types: string[] = [];
    let delta: Anthropic.MessageDeltaEvent | undefined;
    stream.on("streamEvent", (event) => {
      types.push(event.type);
      if (event.type === "message_delta") delta = event;
    });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: "text", text: "one two three" });
    expect(final.usage.output_tokens).toBe(3);
    expect(types[0]).toBe("message_start");
    expect((delta?.usage as unknown as { cost?: number } | undefined)?.cost).toBeGreaterThan(0);
    expect(types).toContain("content_block_delta");
    expect(types.at(-1)).toBe("message_stop");
  });

  test("what Anthropic says reaches its client as it said it: the prompt's counts in message_start, the stop sequence that ended the answer, the request id", async () => {
    anthropicFake.enqueue(
      { kind: "reply", reply: { text: "a, b", stopSequence: "###", usage: { input: 1200, output: 4, cached: 1000 } } },
      { kind: "reply", reply: { text: "a, b", stopSequence: "###", usage: { input: 1200, output: 4, cached: 1000 } } },
    );
    const ask = { model: "claude-sonnet", max_tokens: 50, stop_sequences: ["###", "---"], messages: [{ role: "user" as const, content: "List two letters." }] };
    const { data, response, request_id } = await client.messages.create(ask).withResponse();
    expect([data.stop_reason, data.stop_sequence]).toEqual(["stop_sequence", "###"]);
    expect(request_id).toBe(response.headers.get("x-request-id"));
    expect(request_id).toBe(data.id);
    const stream = client.messages.stream(ask);
    let opened: Anthropic.MessageStartEvent["message"]["usage"] | undefined;
    stream.on("streamEvent", (event) => {
      if (event.type === "message_start") opened = event.message.usage;
    });
    const final = await stream.finalMessage();
    // What Cline and other clients read the prompt's size from: Anthropic's counts, not zeros.
    expect(opened).toMatchObject({ input_tokens: 200, cache_read_input_tokens: 1000 });
    expect([final.stop_reason, final.stop_sequence]).toEqual(["stop_sequence", "###"]);
  });

  test("tool use comes back as tool_use blocks with parsed input", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { toolCalls: [{ id: "call_1", name: "lookup", arguments: '{"q":"switchyard"}' }] } });
    const message = await client.messages.create({
      model: "gpt-5-mini",
      max_tokens: 100,
      tools: [{ name: "lookup", description: "search", input_schema: { type: "object", properties: { q: { type: "string" } } } }],
      messages: [{ role: "user", content: "look it up" }],
    });
    expect(message.stop_reason).toBe("tool_use");
    const block = message.content.find((b) => b.type === "tool_use");
    expect(block).toMatchObject({ type: "tool_use", id: "call_1", name: "lookup", input: { q: "switchyard" } });
  });

  test("tool calls that OpenAI ends with finish_reason stop (a named tool_choice) stop for tool_use, JSON and stream, so agent loops go on", async () => {
    // The fake answers a named tool_choice with "stop", as OpenAI does.
    const reply = { toolCalls: [{ id: "call_1", name: "lookup", arguments: '{"q":"switchyard"}' }] };
    openaiFake.enqueue({ kind: "reply", reply }, { kind: "reply", reply });
    const request = {
      model: "gpt-5-mini",
      max_tokens: 100,
      tools: [{ name: "lookup", input_schema: { type: "object" as const, properties: { q: { type: "string" } } } }],
      tool_choice: { type: "tool" as const, name: "lookup" },
      messages: [{ role: "user" as const, content: "look it up" }],
    };
    const whole = await client.messages.create(request);
    const streamed = await client.messages.stream(request).finalMessage();
    for (const message of [whole, streamed]) {
      expect(message.stop_reason).toBe("tool_use");
      expect(message.content).toMatchObject([{ type: "tool_use", id: "call_1", name: "lookup", input: { q: "switchyard" } }]);
    }
    expect((openaiFake.requests.at(-1)!.body as { tool_choice: unknown }).tool_choice).toEqual({ type: "function", function: { name: "lookup" } });
  });

  test("errors reach Anthropic clients as typed SDK errors", async () => {
    const error = await client.messages
      .create({ model: "no-such-model", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
  });

  test("the model list and one model read as Anthropic's SDK reads them; an unknown one is a typed 404", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["claude-sonnet", "gpt-5-mini"]);
    // A page at a time, as the SDK pages: each page holds `limit`, and says whether more follow.
    const first = await client.models.list({ limit: 1 });
    expect([first.data.map((m) => m.id), first.has_more, first.last_id]).toEqual([["claude-sonnet"], true, "claude-sonnet"]);
    const paged: string[] = [];
    for await (const model of client.models.list({ limit: 1 })) paged.push(model.id);
    expect(paged).toEqual(ids);
    const before = await client.models.list({ limit: 1, before_id: "gpt-5-mini" });
    expect([before.data.map((m) => m.id), before.has_more]).toEqual([["claude-sonnet"], false]);
    const model = await client.models.retrieve("claude-sonnet");
    expect(model).toMatchObject({ id: "claude-sonnet", type: "model", display_name: "claude-sonnet" });
    expect(await client.models.retrieve("no-such-model").catch((e: unknown) => e)).toBeInstanceOf(Anthropic.NotFoundError);
  });

  test("the x-api-key header Anthropic clients send is read as the client key", async () => {
    const response = await postJson(
      `${gateway.url}/v1/messages`,
      { model: "gpt-5-mini", max_tokens: 10, messages: [{ role: "user", content: "hi" }] },
      { "x-api-key": "sk-sy-whatever", "anthropic-version": "2023-06-01" },
    );
    expect(response.status).toBe(200);
  });

  test("a vendor's refusal reaches an Anthropic client as what the model said, JSON and stream", async () => {
    const refusal = "I'm sorry, I cannot help with that.";
    const ask = { model: "gpt-5-mini", max_tokens: 100, messages: [{ role: "user" as const, content: "Describe the vault's combination." }] };
    openaiFake.enqueue({ kind: "reply", reply: { refusal } });
    const message = await client.messages.create(ask);
    expect(message.content).toMatchObject([{ type: "text", text: refusal }]);
    expect(message.content).toHaveLength(1);
    openaiFake.enqueue({ kind: "reply", reply: { refusal } });
    const streamed = await client.messages.stream(ask).finalMessage();
    expect(streamed.content).toMatchObject([{ type: "text", text: refusal }]);
  });

  describe("count_tokens, as Claude Code calls it every turn", () => {
    const turn = {
      system: "You are a careful engineer.",
      messages: [{ role: "user" as const, content: "Read the build log." }],
      tools: [{ name: "read_file", description: "Reads a file", input_schema: { type: "object" as const, properties: { path: { type: "string" } } } }],
    };

    test("is counted by Anthropic for a Claude model, with the prompt's fields only", async () => {
      anthropicFake.enqueue({ kind: "reply", reply: { usage: { input: 2095, output: 0 } } });
      const { data, response } = await client.beta.messages
        .countTokens({ ...turn, model: "claude-sonnet", betas: ["context-management-2025-06-27"] })
        .withResponse();
      expect(data.input_tokens).toBe(2095);
      expect(response.headers.get("x-switchyard-provider")).toBe("anthropic");
      expect(response.headers.get("x-switchyard-estimated")).toBeNull();
      // Nothing was generated: no usage, no ledger row.
      await gateway.runtime.ledger.flush();
      expect(await gateway.runtime.ledger.generation(response.headers.get("x-request-id")!)).toBeNull();
      const sent = anthropicFake.requests.at(-1)!;
      expect(sent.path).toBe("/v1/messages/count_tokens");
      expect(sent.headers["x-api-key"]).toBe("sk-ant-test-secret");
      // The SDK adds the counting beta of its own; both go on to Anthropic.
      expect(sent.headers["anthropic-beta"]!.split(",")).toContain("context-management-2025-06-27");
      expect(sent.body).toEqual({
        model: "claude-sonnet-4-5",
        system: turn.system,
        messages: [{ role: "user", content: [{ type: "text", text: "Read the build log." }] }],
        tools: turn.tools,
      });
    });

    test("is the gateway's estimate, said so, for a vendor that cannot count, and when Anthropic is down", async () => {
      const before = openaiFake.requests.length;
      const { data, response } = await client.messages.countTokens({ ...turn, model: "gpt-5-mini" }).withResponse();
      expect(response.headers.get("x-switchyard-estimated")).toBe("true");
      expect(response.headers.get("x-switchyard-provider")).toBe("openai");
      const chars = turn.system.length + turn.messages[0]!.content.length + "read_file".length + "Reads a file".length + JSON.stringify(turn.tools[0]!.input_schema).length;
      expect(data.input_tokens).toBe(Math.ceil(chars / 4));
      expect(openaiFake.requests.length).toBe(before);
      anthropicFake.enqueue({ kind: "error", status: 529, body: anthropicError("overloaded_error", "Overloaded") });
      const fellBack = await client.messages.countTokens({ ...turn, model: "claude-sonnet" }).withResponse();
      expect(fellBack.response.headers.get("x-switchyard-provider")).toBe("openai");
      expect(fellBack.response.headers.get("x-switchyard-attempts")).toBe("1");
      expect(fellBack.data.input_tokens).toBe(data.input_tokens);
    });

    test("a vendor's refusal and an unknown model reach the client as typed errors", async () => {
      anthropicFake.enqueue({ kind: "error", status: 400, body: anthropicError("invalid_request_error", "messages: at least one message is required") });
      const refused = await client.messages.countTokens({ ...turn, model: "claude-sonnet" }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
      expect((refused as Error).message).toContain("at least one message");
      const unknown = await client.messages.countTokens({ ...turn, model: "no-such-model" }).catch((error: unknown) => error);
      expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
      // A body the gateway cannot read is refused before any vendor hears of it.
      const asked = anthropicFake.requests.length;
      const malformed = await client.messages
        .countTokens({ model: "claude-sonnet", messages: [{ role: "user", content: 5 }] } as never)
        .catch((error: unknown) => error);
      expect(malformed).toBeInstanceOf(Anthropic.BadRequestError);
      expect((malformed as Error).message).toContain("messages");
      expect(anthropicFake.requests.length).toBe(asked);
    });
  });

  describe("documents", () => {
    const data = Buffer.from("%PDF-1.7 /Type /Page").toString("base64");
    const content: Anthropic.ContentBlockParam[] = [
      { type: "document", source: { type: "base64", media_type: "application/pdf", data }, title: "q3.pdf", context: "The third quarter's report." },
      { type: "document", source: { type: "text", media_type: "text/plain", data: "Revenue rose." }, title: "Notes" },
      { type: "text", text: "Compare them." },
    ];

    test("reach Anthropic as the client wrote them", async () => {
      anthropicFake.enqueue({ kind: "reply", reply: { text: "Both say it rose." } });
      await client.messages.create({ model: "claude-sonnet", max_tokens: 100, messages: [{ role: "user", content }] });
      const sent = anthropicFake.requests.at(-1)!.body as { messages: { content: unknown[] }[] };
      expect(sent.messages[0]!.content).toEqual(content);
    });

    test("reach OpenAI as a file part with its name, text as text, and what the client said about one after it", async () => {
      openaiFake.enqueue({ kind: "reply", reply: { text: "Both say it rose." } });
      const message = await client.messages.create({ model: "gpt-5-mini", max_tokens: 100, messages: [{ role: "user", content }] });
      expect(message.content[0]).toMatchObject({ type: "text", text: "Both say it rose." });
      const sent = openaiFake.requests.at(-1)!.body as { messages: { content: unknown[] }[] };
      expect(sent.messages[0]!.content).toEqual([
        { type: "file", file: { filename: "q3.pdf", file_data: `data:application/pdf;base64,${data}` } },
        { type: "text", text: "The third quarter's report." },
        { type: "text", text: "Notes\n\nRevenue rose." },
        { type: "text", text: "Compare them." },
      ]);
    });

    test("a stored file is a 400 naming the field", async () => {
      const before = anthropicFake.requests.length;
      const block = { type: "document", source: { type: "file", file_id: "file_011" } } as unknown as Anthropic.ContentBlockParam;
      const refused = await client.messages
        .create({ model: "claude-sonnet", max_tokens: 100, messages: [{ role: "user", content: [block] }] })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
      expect((refused as Error).message).toContain("messages.0.content.0.source.type");
      expect(anthropicFake.requests.length).toBe(before);
    });

    test("citations asked for on a document go to Anthropic alone, and the cited answer comes back as it came", async () => {
      const document = { type: "document" as const, source: { type: "base64" as const, media_type: "application/pdf" as const, data }, title: "q3.pdf", citations: { enabled: true } };
      const messages = [{ role: "user" as const, content: [document, { type: "text" as const, text: "What rose?" }] }];
      const cited = {
        type: "text",
        text: "Revenue rose.",
        citations: [{ type: "page_location", cited_text: "Revenue rose 12%.", document_index: 0, document_title: "q3.pdf", start_page_number: 1, end_page_number: 2 }],
      };
      anthropicFake.enqueue({ kind: "reply", reply: { blocks: [cited] } });
      const message = await client.messages.create({ model: "claude-sonnet", max_tokens: 100, messages });
      expect(message.content).toEqual([cited] as never);
      const sent = anthropicFake.requests.at(-1)!.body as { messages: { content: Record<string, unknown>[] }[] };
      expect(sent.messages[0]!.content[0]).toMatchObject({ type: "document", citations: { enabled: true } });
      // No other vendor cites: a route to one is a 400 that says so.
      const before = openaiFake.requests.length;
      const refused = await client.messages.create({ model: "gpt-5-mini", max_tokens: 100, messages }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
      expect((refused as Error).message).toContain("citations asked for on a document");
      expect(openaiFake.requests.length).toBe(before);
    });
  });

  test("an agent's prompt-cache breakpoints reach Anthropic where the client set them, ttl and all", async () => {
    // A tool loop's turn: the cached prefix ends on the last tool and the system prompt (an hour),
    // and the rolling breakpoint sits on the newest tool result.
    const hour = { type: "ephemeral" as const, ttl: "1h" as const };
    const ephemeral = { type: "ephemeral" as const };
    const tools = [
      { name: "read_file", input_schema: { type: "object" as const } },
      { name: "run", input_schema: { type: "object" as const }, cache_control: hour },
    ];
    const system = [{ type: "text" as const, text: "You are a build engineer.", cache_control: hour }];
    const messages = [
      { role: "user" as const, content: "Build it." },
      { role: "assistant" as const, content: [{ type: "tool_use" as const, id: "toolu_1", name: "run", input: { cmd: "make" } }] },
      { role: "user" as const, content: [{ type: "tool_result" as const, tool_use_id: "toolu_1", content: "ok", cache_control: ephemeral }] },
    ];
    anthropicFake.enqueue({ kind: "reply", reply: { text: "Built.", usage: { input: 40, output: 2 } } });
    const message = await client.messages.create({ model: "claude-sonnet", max_tokens: 500, system, tools, messages });
    expect(message.content[0]).toMatchObject({ type: "text", text: "Built." });
    const sent = anthropicFake.requests.at(-1)!.body as Record<string, unknown>;
    expect(sent.tools).toEqual(tools);
    expect(sent.system).toEqual(system);
    expect((sent.messages as { content: unknown }[])[2]!.content).toEqual(messages[2]!.content);
  });

  test("a long Messages body goes to Anthropic as the SDK wrote it, with only the model swapped", async () => {
    const params = {
      model: "claude-sonnet",
      max_tokens: 500,
      system: [{ type: "text" as const, text: "Follow the house style. ".repeat(200), cache_control: { type: "ephemeral" as const } }],
      messages: [{ role: "user" as const, content: [{ type: "text" as const, text: "Say hi" }] }],
    };
    anthropicFake.enqueue({ kind: "reply", reply: { text: "Hi." } });
    const message = await client.messages.create(params);
    expect(message.content[0]).toMatchObject({ type: "text", text: "Hi." });
    expect(anthropicFake.requests.at(-1)!.text).toBe(JSON.stringify({ ...params, model: "claude-sonnet-4-5" }));
  });

  describe("what only Anthropic has, as a recent Claude Code turn asks for it", () => {
    const own = {
      thinking: { type: "adaptive" },
      context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] },
      output_config: { effort: "medium" },
    };
    const turn = { max_tokens: 8000, messages: [{ role: "user" as const, content: "Build it." }], ...own } as never as Anthropic.Beta.MessageCreateParamsNonStreaming;
    const betas = ["claude-code-20250219", "oauth-2025-04-20", "context-management-2025-06-27", "effort-2025-11-24"];

    test("reaches Anthropic with the betas it needs, the sign-in one left to the gateway's key", async () => {
      anthropicFake.enqueue({ kind: "reply", reply: { text: "Built." } });
      const message = await client.beta.messages.create({ ...turn, model: "claude-sonnet", betas });
      expect(message.content[0]).toMatchObject({ type: "text", text: "Built." });
      const sent = anthropicFake.requests.at(-1)!;
      expect(sent.body).toMatchObject(own);
      expect(sent.headers["anthropic-beta"]).toBe("claude-code-20250219,context-management-2025-06-27,effort-2025-11-24");
    });

    test("is left out for another vendor", async () => {
      openaiFake.enqueue({ kind: "reply", reply: { text: "Built elsewhere." } });
      await client.beta.messages.create({ ...turn, model: "gpt-5-mini", betas });
      const sent = openaiFake.requests.at(-1)!.body as Record<string, unknown>;
      for (const field of Object.keys(own)) expect(sent).not.toHaveProperty(field);
    });

    test("what Anthropic prices apart from the config's prices is a 400 naming it", async () => {
      const before = anthropicFake.requests.length;
      const refusals = [
        [client.beta.messages.create({ ...turn, model: "claude-sonnet", speed: "fast" } as never), "`speed`"],
        [client.beta.messages.create({ ...turn, model: "claude-sonnet", betas: ["context-1m-2025-08-07"] }), "context-1m-2025-08-07"],
      ] as const;
      for (const [call, named] of refusals) {
        const refused = await (call as Promise<unknown>).catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
        expect((refused as Error).message).toContain(named);
      }
      expect(anthropicFake.requests.length).toBe(before);
    });
  });

  describe("extended thinking through to Anthropic and back", () => {
    const REDACTED = "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj";
    const reply = { reasoning: "The user wants a fact.", redactedThinking: REDACTED, text: "Lisbon.", usage: { input: 20, output: 9 } };
    const expected = [
      { type: "thinking", thinking: "The user wants a fact.", signature: FAKE_SIGNATURE },
      { type: "redacted_thinking", data: REDACTED },
      { type: "text", text: "Lisbon." },
    ];

    test("a redacted thinking block reaches the client, whole and in order, JSON and stream", async () => {
      anthropicFake.enqueue({ kind: "reply", reply });
      const message = await client.messages.create({ model: "claude-sonnet", max_tokens: 2000, messages: [{ role: "user", content: "Capital of Portugal?" }] });
      expect(message.content).toMatchObject(expected);
      anthropicFake.enqueue({ kind: "reply", reply });
      const streamed = await client.messages.stream({ model: "claude-sonnet", max_tokens: 2000, messages: [{ role: "user", content: "Capital of Portugal?" }] }).finalMessage();
      expect(streamed.content).toMatchObject(expected);
    });

    test("the next turn replays the thinking blocks to the vendor as the client sent them", async () => {
      anthropicFake.enqueue({ kind: "reply", reply: { text: "Porto is second.", usage: { input: 30, output: 4 } } });
      await client.messages.create({
        model: "claude-sonnet",
        max_tokens: 2000,
        thinking: { type: "enabled", budget_tokens: 1024 },
        messages: [
          { role: "user", content: "Capital of Portugal?" },
          { role: "assistant", content: [...expected, { type: "thinking", thinking: "And a second block.", signature: "sig-2" }] as never },
          { role: "user", content: "And the second city?" },
        ],
      });
      const sent = anthropicFake.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
      expect(sent.messages[1]!.content).toEqual([...expected.slice(0, 2), { type: "thinking", thinking: "And a second block.", signature: "sig-2" }, expected[2]]);
    });
  });

  test("the SDK's tool runner, which asks for a thread by default, is told the gateway keeps none and runs its loop with the whole conversation, at any vendor", async () => {
    for (const [model, fake] of [["claude-sonnet", anthropicFake], ["gpt-5-mini", openaiFake]] as const) {
      fake.enqueue({ kind: "reply", reply: { toolCalls: [{ id: "toolu_01D", name: "get_weather", arguments: '{"city":"Paris"}' }] } }, { kind: "reply", reply: { text: "21C in Paris." } });
      const cities: unknown[] = [];
      const weather = betaTool({
        name: "get_weather",
        description: "The weather in a city",
        inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        run: (input) => {
          cities.push(input);
          return "21C";
        },
      });
      const final = await client.beta.messages.toolRunner({ model, max_tokens: 200, tools: [weather], messages: [{ role: "user", content: "Weather in Paris?" }] }).runUntilDone();
      expect(final.content).toMatchObject([{ type: "text", text: "21C in Paris." }]);
      expect(cities).toEqual([{ city: "Paris" }]);
      // The vendor got the whole conversation on the second turn: the call and its result.
      const body = fake.requests.at(-1)!.body as { messages?: unknown[]; input?: unknown[] };
      expect((body.messages ?? body.input)!.length).toBeGreaterThanOrEqual(3);
    }
    // A thread refused as Anthropic refuses one it cannot serve, with the code the SDK reads.
    const refused = await client.messages.create({ model: "claude-sonnet", max_tokens: 10, messages: [{ role: "user", content: "hi" }], thread: { type: "create" } } as never).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect((refused as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: "error", error: { type: "invalid_request_error", details: { error_code: "thread_unsupported_request" } } });
  });
});
