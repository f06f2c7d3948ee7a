// Anthropic request codec: Messages bodies decode to canonical requests and encode back losslessly.

import { describe, expect, test } from "bun:test";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { ChatRequest, Message } from "../../core/kit/canonical.ts";
import { countTokensBody, decodeRequest, encodeRequest, MessagesBody } from "../../core/wire/anthropic/index.ts";
import { claudeVersion } from "../../core/wire/anthropic/request.ts";

const check = TypeCompiler.Compile(MessagesBody);

const body = {
  model: "claude-sonnet",
  max_tokens: 2048,
  system: [{ type: "text", text: "You are a build engineer.", cache_control: { type: "ephemeral" } }],
  messages: [
    {
      role: "user",
      content: [
        { type: "text", text: "Why does this compile fail?" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
        { type: "image", source: { type: "url", url: "https://example.com/log.png" } },
      ],
    },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Read the log first.", signature: "sig-1" },
        { type: "text", text: "Let me read the log." },
        { type: "tool_use", id: "toolu_1", name: "read_file", input: { path: "build.log" } },
      ],
    },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "toolu_1", content: "error: missing semicolon", is_error: true },
        { type: "text", text: "That is the whole log." },
      ],
    },
  ],
  tools: [{ name: "read_file", description: "Reads a file", input_schema: { type: "object", properties: { path: { type: "string" } } } }],
  // What Anthropic takes beside thinking: a tool choice that forces no call, a top_p of 0.95 or more.
  tool_choice: { type: "auto", disable_parallel_tool_use: true },
  top_p: 0.96,
  stop_sequences: ["END"],
  stream: true,
  metadata: { user_id: "user-42" },
  thinking: { type: "enabled", budget_tokens: 1024 },
  container: "ignored-extra-field",
};

describe("Anthropic request codec", () => {
  test("the schema accepts a full body with unknown extra fields", () => {
    expect(check.Check(body)).toBe(true);
  });

  test("the schema rejects a body without max_tokens", () => {
    const { max_tokens: _, ...rest } = body;
    expect(check.Check(rest)).toBe(false);
  });

  test("decoding splits tool results into tool messages and keeps thinking, images and options", () => {
    const { request } = decodeRequest(body as MessagesBody);
    expect(request.model).toBe("claude-sonnet");
    expect(request.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "user"]);
    expect(request.messages[0]).toEqual({ role: "system", content: [{ type: "text", text: "You are a build engineer.", cacheControl: {} }] });
    expect(request.messages[1]!.content[2]).toEqual({ type: "image", source: { kind: "url", url: "https://example.com/log.png" } });
    expect(request.messages[2]).toMatchObject({ reasoning: "Read the log first.", reasoningSignature: "sig-1", toolCalls: [{ id: "toolu_1", name: "read_file", arguments: '{"path":"build.log"}' }] });
    expect(request.messages[3]).toEqual({ role: "tool", toolCallId: "toolu_1", content: [{ type: "text", text: "error: missing semicolon" }], isError: true });
    expect(request).toMatchObject({ toolChoice: "auto", parallelToolCalls: false, topP: 0.96, stop: ["END"], user: "user-42", maxTokens: 2048, stream: true, reasoning: { budgetTokens: 1024 } });
  });

  test("encoding the decoded body and decoding again gives the same canonical request", () => {
    const { request } = decodeRequest(body as MessagesBody);
    const encoded = encodeRequest(request, { defaultMaxTokens: 4096 });
    expect(check.Check(encoded)).toBe(true);
    expect(decodeRequest(encoded as MessagesBody).request).toEqual(request);
  });

  test("documents survive decode then encode, in a message and in a tool result; a text file's data goes as text", () => {
    const pdf = { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" }, title: "q3.pdf", context: "Q3", cache_control: { type: "ephemeral", ttl: "1h" } };
    const link = { type: "document", source: { type: "url", url: "https://example.com/q4.pdf" } };
    const notes = { type: "document", source: { type: "text", media_type: "text/plain", data: "Revenue rose." } };
    const documents = {
      model: "claude-sonnet",
      max_tokens: 100,
      messages: [
        { role: "user", content: [pdf, link] },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "read", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [notes] }] },
      ],
    };
    expect(check.Check(documents)).toBe(true);
    const { request } = decodeRequest(documents as MessagesBody);
    const encoded = encodeRequest(request, { defaultMaxTokens: 4096 }) as { messages: { content: unknown[] }[] };
    expect(encoded.messages).toEqual(documents.messages);
    const textFile: ChatRequest = {
      model: "m",
      stream: false,
      messages: [{ role: "user", content: [{ type: "document", source: { kind: "base64", mediaType: "text/plain", data: Buffer.from("Revenue rose.").toString("base64") } }] }],
    };
    expect((encodeRequest(textFile, { defaultMaxTokens: 4096 }) as { messages: { content: unknown[] }[] }).messages[0]!.content).toEqual([notes]);
  });

  test("a document source missing its data, or of a type not relayed, is refused naming it", () => {
    const withSource = (source: object) => ({ model: "m", max_tokens: 10, messages: [{ role: "user", content: [{ type: "document", source }] }] }) as MessagesBody;
    expect(check.Check(withSource({ type: "base64", media_type: "application/pdf" }))).toBe(true);
    expect(() => decodeRequest(withSource({ type: "base64", media_type: "application/pdf" }))).toThrow("messages.0.content.0.source`");
    expect(() => decodeRequest(withSource({ type: "content", content: [] }))).toThrow("messages.0.content.0.source.type");
  });

  test("Anthropic's own tools, which have no input schema, go on to Anthropic beside the client's, as sent", () => {
    const withTools = (...tools: object[]) => ({ model: "m", max_tokens: 10, messages: [{ role: "user", content: "hi" }], tools }) as MessagesBody;
    const search = { type: "web_search_20250305", name: "web_search", max_uses: 5, cache_control: { type: "ephemeral" } };
    const readFile = { name: "read_file", input_schema: { type: "object" } };
    const body = withTools(search, readFile);
    expect(check.Check(body)).toBe(true);
    const { request } = decodeRequest(body);
    expect(request.tools!.map((tool) => tool.name)).toEqual(["read_file"]);
    expect(request.anthropicTools).toEqual([search]);
    expect(request.anthropicOnly).toBe("Anthropic's own tool `web_search_20250305`");
    expect(encodeRequest(request, { defaultMaxTokens: 4096 }).tools).toEqual([readFile, search]);
    // A client's tool without its schema, and code execution (billed by container time), are refused.
    expect(() => decodeRequest(withTools({ name: "read_file" }))).toThrow("tools.0.input_schema");
    expect(() => decodeRequest(withTools({ type: "code_execution_20250825", name: "code_execution" }))).toThrow("`tools.0`: Anthropic's own tool `code_execution_20250825` is billed");
  });

  test("citations asked for on a document make the request Anthropic's alone, and go back to it as asked", () => {
    const source = { type: "base64", media_type: "application/pdf", data: "JVBERi0=" };
    const cited = { model: "m", max_tokens: 10, messages: [{ role: "user", content: [{ type: "document", source, citations: { enabled: true } }] }] } as MessagesBody;
    const { request } = decodeRequest(cited);
    expect(request.messages[0]!.content[0]).toMatchObject({ type: "document", citations: true });
    expect(request.anthropicOnly).toBe("citations asked for on a document");
    expect((encodeRequest(request, { defaultMaxTokens: 4096 }).messages as { content: unknown[] }[])[0]!.content[0]).toEqual({ type: "document", source, citations: { enabled: true } });
    const plain = { ...cited, messages: [{ role: "user", content: [{ type: "document", source, citations: { enabled: false } }] }] } as MessagesBody;
    expect(decodeRequest(plain).request.anthropicOnly).toBeUndefined();
  });

  test("a block of the model's own in a user turn, or an unknown one in an assistant turn, is refused naming it", () => {
    const turn = (role: string, block: object) => ({ model: "m", max_tokens: 10, messages: [{ role, content: [block] }] }) as MessagesBody;
    const result = { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [] };
    expect(check.Check(turn("user", result))).toBe(true);
    expect(() => decodeRequest(turn("user", result))).toThrow("`messages.0.content.0.type`: a `web_search_tool_result` block is the model's");
    expect(decodeRequest(turn("assistant", result)).request.anthropicOnly).toBe("Anthropic's own tools' calls and results in the conversation");
    expect(check.Check(turn("assistant", { type: "container_upload", file_id: "f" }))).toBe(false);
  });

  test("a count_tokens body is the prompt alone: no output cap, sampling, metadata or stream", () => {
    const { request } = decodeRequest({ ...body, stream: true, temperature: 0.5, top_p: 0.9, metadata: { user_id: "u-1" }, context_management: { edits: [] } } as MessagesBody);
    const counted = countTokensBody(request, { defaultMaxTokens: 4096 });
    expect(Object.keys(counted).sort()).toEqual(["context_management", "messages", "model", "system", "thinking", "tool_choice", "tools"]);
    expect(counted.messages).toEqual(encodeRequest(request, { defaultMaxTokens: 4096 }).messages);
    expect(counted.context_management).toEqual({ edits: [] });
  });

  test("every prompt-cache breakpoint survives decode then encode, where it was and with its ttl", () => {
    // Where agents put them: the system prompt, the last tool, and the newest turn's last block,
    // which in a tool loop is a tool result (or the call before it).
    const ephemeral = { type: "ephemeral" };
    const hour = { type: "ephemeral", ttl: "1h" };
    const marked = {
      model: "claude-sonnet",
      max_tokens: 1024,
      system: [{ type: "text", text: "You are a build engineer.", cache_control: hour }],
      tools: [
        { name: "read_file", input_schema: { type: "object" } },
        { name: "run", description: "Runs a command", input_schema: { type: "object" }, cache_control: hour },
      ],
      messages: [
        { role: "user", content: [{ type: "image", source: { type: "url", url: "https://example.com/a.png" }, cache_control: ephemeral }, { type: "text", text: "Build it." }] },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "run", input: { cmd: "make" }, cache_control: ephemeral }] },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: "ok", cache_control: ephemeral },
            { type: "tool_result", tool_use_id: "toolu_2", content: [{ type: "text", text: "done", cache_control: ephemeral }] },
          ],
        },
      ],
    };
    expect(check.Check(marked)).toBe(true);
    const { request } = decodeRequest(marked as MessagesBody);
    expect(request.tools!.map((tool) => tool.cacheControl)).toEqual([undefined, { ttl: "1h" }]);
    expect(encodeRequest(request, { defaultMaxTokens: 4096 })).toEqual(marked);
  });

  test("Anthropic's own fields and the betas they need are kept as sent, and encoded back", () => {
    // What a recent Claude Code turn carries beside the conversation.
    const own = {
      thinking: { type: "adaptive" },
      context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] },
      output_config: { effort: "medium" },
      service_tier: "standard_only",
    };
    const turn = { model: "claude-sonnet", max_tokens: 32000, messages: [{ role: "user", content: [{ type: "text", text: "Build it." }] }], ...own, stream: true };
    expect(check.Check(turn)).toBe(true);
    const { request } = decodeRequest(turn as MessagesBody, ["context-management-2025-06-27"]);
    // Other vendors get its effort; Anthropic gets its own thinking mode as it came.
    expect(request.reasoning).toEqual({ effort: "medium" });
    expect(request.anthropicFields).toEqual(own);
    expect(request.anthropicBetas).toEqual(["context-management-2025-06-27"]);
    expect(encodeRequest(request, { defaultMaxTokens: 4096 })).toEqual(turn);
  });

  test("encoding merges a tool result and the following user turn into one user message", () => {
    const encoded = encodeRequest(decodeRequest(body as MessagesBody).request, { defaultMaxTokens: 4096 });
    const messages = encoded.messages as { role: string; content: { type: string }[] }[];
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(messages[2]!.content.map((b) => b.type)).toEqual(["tool_result", "text"]);
  });

  test("encoding puts system messages at the top level and uses the default max_tokens", () => {
    const request: ChatRequest = {
      model: "claude-sonnet-4-5",
      stream: false,
      messages: [
        { role: "system", content: [{ type: "text", text: "Be brief." }] },
        { role: "user", content: [{ type: "text", text: "Hi" }] },
        { role: "user", content: [{ type: "text", text: "Anyone there?" }] },
      ],
    };
    const encoded = encodeRequest(request, { defaultMaxTokens: 4096 });
    expect(encoded.system).toBe("Be brief.");
    expect(encoded.max_tokens).toBe(4096);
    expect(encoded.messages).toEqual([{ role: "user", content: [{ type: "text", text: "Hi" }, { type: "text", text: "Anyone there?" }] }]);
  });

  test("a json_schema response format becomes a system instruction carrying the schema", () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    const encoded = encodeRequest(
      { model: "m", stream: false, messages: [{ role: "user", content: [{ type: "text", text: "Where?" }] }], responseFormat: { type: "json_schema", name: "place", schema } },
      { defaultMaxTokens: 1000 },
    );
    expect(String(encoded.system)).toContain(JSON.stringify(schema));
  });

  test("reasoning effort becomes a thinking budget below max_tokens, and drops temperature", () => {
    const encoded = encodeRequest(
      { model: "m", stream: false, maxTokens: 5000, temperature: 0.3, reasoning: { effort: "high" }, messages: [{ role: "user", content: [{ type: "text", text: "Prove it." }] }] },
      { defaultMaxTokens: 1000 },
    );
    expect(encoded.thinking).toEqual({ type: "enabled", budget_tokens: 4999 });
    expect(encoded.temperature).toBeUndefined();
  });

  test("OpenAI's encrypted reasoning on a turn never reaches Anthropic", () => {
    const turn: Message = { role: "assistant", content: [{ type: "text", text: "Listing." }], reasoning: "Look.", reasoningBlocks: [{ type: "openai", id: "rs_1", encrypted: "gAAAA" }] };
    const encoded = encodeRequest({ model: "m", stream: false, messages: [{ role: "user", content: [{ type: "text", text: "ls" }] }, turn] }, { defaultMaxTokens: 10 });
    expect((encoded.messages as { content: unknown[] }[])[1]!.content).toEqual([{ type: "text", text: "Listing." }]);
  });

  test("with no cap from the client, the answer keeps the default room beside the thinking budget", () => {
    const messages: Message[] = [{ role: "user", content: [{ type: "text", text: "Prove it." }] }];
    const encoded = encodeRequest({ model: "m", stream: false, reasoning: { effort: "medium" }, messages }, { defaultMaxTokens: 4096 });
    expect(encoded).toMatchObject({ max_tokens: 4096 + 8192, thinking: { type: "enabled", budget_tokens: 8192 } });
    expect(encodeRequest({ model: "m", stream: false, messages }, { defaultMaxTokens: 4096 }).max_tokens).toBe(4096);
  });

  test("a tool loop continued without its turn's signed thinking goes without thinking; a fresh turn thinks", () => {
    const ask = { role: "user" as const, content: [{ type: "text" as const, text: "Weather in Oslo?" }] };
    const call = { id: "toolu_1", name: "get_weather", arguments: '{"city":"Oslo"}' };
    const result = { role: "tool" as const, toolCallId: "toolu_1", content: [{ type: "text" as const, text: "-3" }] };
    const thinking = (messages: Message[]) =>
      encodeRequest({ model: "m", stream: false, maxTokens: 5000, reasoning: { effort: "medium" }, messages }, { defaultMaxTokens: 1000 }).thinking;
    // A Chat Completions or Responses client sends the call back without the signature it never got.
    expect(thinking([ask, { role: "assistant", content: [], toolCalls: [call] }, result])).toBeUndefined();
    // An Anthropic client sends it back: the loop thinks on.
    const signed: Message = { role: "assistant", content: [], toolCalls: [call], reasoning: "Look it up.", reasoningSignature: "sig" };
    expect(thinking([ask, signed, result])).toEqual({ type: "enabled", budget_tokens: 4999 });
    // The loop over, the next question is a fresh turn.
    const answered: Message = { role: "assistant", content: [{ type: "text", text: "Cold." }] };
    expect(thinking([ask, { role: "assistant", content: [], toolCalls: [call] }, result, answered, ask])).toEqual({ type: "enabled", budget_tokens: 4999 });
  });

  test("thinking Anthropic did not sign (none, or another vendor's marked one) is not sent to it, and its tool loop goes without thinking", () => {
    const ask = { role: "user" as const, content: [{ type: "text" as const, text: "Weather in Oslo?" }] };
    const call = { id: "call_0_get_weather", name: "get_weather", arguments: '{"city":"Oslo"}' };
    const result = { role: "tool" as const, toolCallId: call.id, content: [{ type: "text" as const, text: "-3" }] };
    const encode = (turn: Message) =>
      encodeRequest({ model: "m", stream: false, maxTokens: 5000, reasoning: { effort: "medium" }, messages: [ask, turn, result] }, { defaultMaxTokens: 1000 });
    const sentTurn = (turn: Message) => (encode(turn).messages as { content: { type: string }[] }[])[1]!.content;
    // A conversation Gemini began, as an Anthropic client got it from the gateway and sends it back.
    const fromGemini: Message = {
      role: "assistant",
      content: [],
      toolCalls: [call],
      reasoning: "Look it up.",
      reasoningSignature: "gemini:CiQB0e2K",
      reasoningBlocks: [
        { type: "thinking", text: "Look it up.", signature: "" },
        { type: "thinking", text: "", signature: "gemini:CiQB0e2K" },
      ],
    };
    expect(sentTurn(fromGemini).map((block) => block.type)).toEqual(["tool_use"]);
    expect(encode(fromGemini).thinking).toBeUndefined();
    const single: Message = { role: "assistant", content: [], toolCalls: [call], reasoning: "Look it up.", reasoningSignature: "gemini:CiQB0e2K" };
    expect(sentTurn(single).map((block) => block.type)).toEqual(["tool_use"]);
    // Anthropic's own blocks beside them still go, in order.
    const mixed: Message = { ...fromGemini, reasoningBlocks: [{ type: "thinking", text: "Mine.", signature: "EqQBCkgIARAB" }, { type: "redacted", data: "opaque" }, ...fromGemini.reasoningBlocks!] };
    expect(sentTurn(mixed)).toEqual([
      { type: "thinking", thinking: "Mine.", signature: "EqQBCkgIARAB" },
      { type: "redacted_thinking", data: "opaque" },
      { type: "tool_use", id: call.id, name: "get_weather", input: { city: "Oslo" } },
    ] as never);
  });

  test("another vendor's tool ids that Anthropic would refuse are rewritten alike at the call and its result, and stay apart", () => {
    const ask = { role: "user" as const, content: [{ type: "text" as const, text: "List both folders." }] };
    const ids = ["functions.Bash:0", "functions_Bash_0", "call_ok-1"];
    const messages: Message[] = [
      ask,
      { role: "assistant", content: [], toolCalls: ids.map((id) => ({ id, name: "Bash", arguments: "{}" })) },
      ...ids.map((id): Message => ({ role: "tool", toolCallId: id, content: [{ type: "text", text: "ok" }] })),
    ];
    const sent = encodeRequest({ model: "m", stream: false, messages }, { defaultMaxTokens: 100 }).messages as { content: { id?: string; tool_use_id?: string }[] }[];
    const uses = sent[1]!.content.map((block) => block.id!);
    const results = sent[2]!.content.map((block) => block.tool_use_id!);
    expect(results).toEqual(uses);
    for (const id of uses) expect(id).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(uses[0]).toStartWith("functions_Bash_0_");
    // "functions.Bash:0" and "functions_Bash_0" must not become one id; a valid id goes as it is.
    expect(uses.slice(1)).toEqual(["functions_Bash_0", "call_ok-1"]);
    expect(new Set(uses).size).toBe(3);
  });

  test("empty text and empty turns from other dialects are left out, and a prefill ends without whitespace", () => {
    const text = (value: string) => [{ type: "text" as const, text: value }];
    const sent = (messages: Message[]) => encodeRequest({ model: "m", stream: false, messages }, { defaultMaxTokens: 100 }).messages as unknown[];
    // An OpenAI client's empty answer in the history: the user turns around it join.
    expect(sent([{ role: "user", content: text("hi") }, { role: "assistant", content: text("") }, { role: "user", content: [...text("  "), ...text("again")] }])).toEqual([
      { role: "user", content: [{ type: "text", text: "hi" }, { type: "text", text: "again" }] },
    ]);
    // An assistant turn that only calls a tool keeps its call.
    const call = { id: "c1", name: "look", arguments: "{}" };
    expect(sent([{ role: "user", content: text("go") }, { role: "assistant", content: text(""), toolCalls: [call] }])[1]).toEqual({
      role: "assistant",
      content: [{ type: "tool_use", id: "c1", name: "look", input: {} }],
    });
    expect(sent([{ role: "user", content: text("Say yes.") }, { role: "assistant", content: text("Sure: ") }])[1]).toEqual({ role: "assistant", content: [{ type: "text", text: "Sure:" }] });
  });

  test("sampling settings go only where the model takes them: temperature or top_p, and with thinking only a top_p of 0.95 or more", () => {
    const user: Message[] = [{ role: "user", content: [{ type: "text", text: "Prove it." }] }];
    const encoded = (model: string, extra: Partial<ChatRequest>) => encodeRequest({ model, stream: false, maxTokens: 5000, messages: user, ...extra }, { defaultMaxTokens: 1000 });
    // Claude refuses a temperature beside a top_p: the temperature is kept.
    expect(encoded("claude-sonnet-4-5", { temperature: 0.7, topP: 0.9 })).toMatchObject({ temperature: 0.7 });
    expect(encoded("claude-sonnet-4-5", { temperature: 0.7, topP: 0.9 }).top_p).toBeUndefined();
    expect(encoded("claude-sonnet-4-5", { topP: 0.9, topK: 40 })).toMatchObject({ top_p: 0.9, top_k: 40 });
    // With thinking on, a top_p below 0.95 is refused; one above is taken.
    expect(encoded("claude-sonnet-4-5", { topP: 0.5, reasoning: { effort: "low" } }).top_p).toBeUndefined();
    expect(encoded("claude-sonnet-4-5", { topP: 0.97, temperature: 0.2, reasoning: { effort: "low" } })).toMatchObject({ top_p: 0.97, thinking: { type: "enabled" } });
    // Claude 4.7 takes no sampling settings at all.
    const opus = encoded("claude-opus-4-7", { temperature: 0.2, topP: 0.9, topK: 5 });
    expect([opus.temperature, opus.top_p, opus.top_k]).toEqual([undefined, undefined, undefined]);
  });

  test("a tool choice that forces a call goes without thinking, which Anthropic refuses beside it", () => {
    const tools = [{ name: "search", parameters: { type: "object" } }];
    const user: Message[] = [{ role: "user", content: [{ type: "text", text: "q" }] }];
    const thinking = (toolChoice: ChatRequest["toolChoice"]) =>
      encodeRequest({ model: "claude-sonnet-4-5", stream: false, maxTokens: 5000, messages: user, tools, toolChoice, reasoning: { effort: "medium" } }, { defaultMaxTokens: 10 }).thinking;
    expect(thinking("required")).toBeUndefined();
    expect(thinking({ name: "search" })).toBeUndefined();
    expect(thinking("auto")).toEqual({ type: "enabled", budget_tokens: 4999 });
  });

  test("Claude 4.6 thinks adaptively at an effort, and 4.7 only so: a budget becomes the effort nearest it", () => {
    const user: Message[] = [{ role: "user", content: [{ type: "text", text: "Prove it." }] }];
    const encoded = (model: string, reasoning: ChatRequest["reasoning"]) => encodeRequest({ model, stream: false, messages: user, reasoning }, { defaultMaxTokens: 4096 });
    expect(encoded("claude-opus-4-7", { effort: "xhigh" })).toMatchObject({ thinking: { type: "adaptive" }, output_config: { effort: "xhigh" } });
    expect(encoded("claude-opus-4-7", { effort: "minimal" })).toMatchObject({ output_config: { effort: "low" } });
    expect(encoded("claude-opus-4-7", { budgetTokens: 8000 })).toMatchObject({ thinking: { type: "adaptive" }, output_config: { effort: "medium" } });
    // 4.6 has no xhigh; a budget still goes as one there.
    expect(encoded("claude-sonnet-4-6", { effort: "xhigh" })).toMatchObject({ thinking: { type: "adaptive" }, output_config: { effort: "high" } });
    expect(encoded("claude-sonnet-4-6", { budgetTokens: 2000 }).thinking).toEqual({ type: "enabled", budget_tokens: 2000 });
    // Before 4.6, an effort is a budget; `none` asks for no thinking anywhere.
    expect(encoded("claude-sonnet-4-5-20250929", { effort: "high" }).thinking).toEqual({ type: "enabled", budget_tokens: 24576 });
    expect(encoded("claude-opus-4-7", { effort: "none" }).thinking).toBeUndefined();
    expect(encoded("claude-opus-4-7", { effort: "none" }).output_config).toBeUndefined();
  });

  test("a strict JSON schema, and a strict tool, are Claude's own structured output from 4.5; before it, and when not strict, an instruction", () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
    const user: Message[] = [{ role: "user", content: [{ type: "text", text: "Where?" }] }];
    const encoded = (model: string, strict: boolean) =>
      encodeRequest({ model, stream: false, messages: user, responseFormat: { type: "json_schema", name: "place", schema, strict }, tools: [{ name: "f", parameters: schema, strict }] }, { defaultMaxTokens: 100 });
    const native = encoded("claude-sonnet-4-5", true);
    expect(native.output_config).toEqual({ format: { type: "json_schema", schema } });
    expect(native.system).toBeUndefined();
    expect((native.tools as Record<string, unknown>[])[0]!.strict).toBe(true);
    for (const emulated of [encoded("claude-sonnet-4-5", false), encoded("claude-sonnet-4", true)]) {
      expect(emulated.output_config).toBeUndefined();
      expect(String(emulated.system)).toContain("conforms to this JSON Schema (place)");
    }
  });

  test("an Anthropic client's structured output reaches other vendors as a strict JSON schema, and Anthropic as it came", () => {
    const schema = { type: "object", properties: { n: { type: "integer" } } };
    const turn = { model: "claude-sonnet", max_tokens: 100, messages: [{ role: "user", content: [{ type: "text", text: "Count." }] }], output_config: { format: { type: "json_schema", schema } } };
    const { request } = decodeRequest(turn as MessagesBody);
    expect(request.responseFormat).toEqual({ type: "json_schema", name: "output", schema, strict: true });
    expect(encodeRequest(request, { defaultMaxTokens: 4096 })).toEqual(turn);
  });

  test("a model's Claude version is read from its name, dated or not; names before Claude 4 read as 3", () => {
    const versions = ["claude-opus-4-7", "claude-sonnet-4-5-20250929", "claude-opus-4-20250514", "claude-haiku-4-5", "anthropic.claude-opus-4-6-v1:0", "claude-3-7-sonnet-20250219", "my-model"].map(claudeVersion);
    expect(versions).toEqual([4.7, 4.5, 4, 4.5, 4.6, 3, 3]);
  });

  test("tool choice none and parallel tool calls off map to Anthropic's tool_choice", () => {
    const tools = [{ name: "search", parameters: { type: "object" } }];
    const user = [{ role: "user" as const, content: [{ type: "text" as const, text: "q" }] }];
    expect(encodeRequest({ model: "m", stream: false, messages: user, tools, toolChoice: "none" }, { defaultMaxTokens: 10 }).tool_choice).toEqual({ type: "none" });
    expect(encodeRequest({ model: "m", stream: false, messages: user, tools, parallelToolCalls: false }, { defaultMaxTokens: 10 }).tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
    expect(encodeRequest({ model: "m", stream: false, messages: user, tools, toolChoice: { name: "search" } }, { defaultMaxTokens: 10 }).tool_choice).toEqual({ type: "tool", name: "search" });
  });
});
