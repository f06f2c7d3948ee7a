// Responses API bodies → canonical requests: items, parts, tools and the fields beside them.

import { describe, expect, test } from "bun:test";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { freeformInput } from "../../core/wire/responses/freeform.ts";
import { encodeRequest } from "../../core/wire/openai/index.ts";
import { decodeRequest, encodeUpstreamRequest, ResponsesBody } from "../../core/wire/responses/index.ts";

const check = TypeCompiler.Compile(ResponsesBody);

function decode(body: Record<string, unknown>) {
  const full = { model: "m", input: "hi", ...body };
  expect(check.Check(full)).toBe(true);
  return decodeRequest(full as ResponsesBody);
}

describe("Responses request decoding", () => {
  test("a coding agent's turn: its messages, its reasoning and calls joined to their assistant turn, their outputs", () => {
    const request = decode({
      instructions: "You are a coding agent.",
      input: [
        { type: "message", role: "developer", content: [{ type: "input_text", text: "Work in /repo." }] },
        { type: "message", role: "user", content: [{ type: "input_text", text: "List the files." }] },
        { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "gAAAA…" },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Listing them." }] },
        { type: "function_call", call_id: "call_1", name: "shell", arguments: '{"cmd":"ls"}' },
        { type: "function_call", call_id: "call_2", name: "shell", arguments: '{"cmd":"pwd"}' },
        { type: "function_call_output", call_id: "call_1", output: "a.ts\nb.ts" },
        { type: "function_call_output", call_id: "call_2", output: [{ type: "input_text", text: "/repo" }] },
        { type: "function_call", call_id: "call_3", name: "shell", arguments: "{}" },
      ],
    });
    expect(request.messages).toEqual([
      { role: "system", content: [{ type: "text", text: "You are a coding agent." }] },
      { role: "system", content: [{ type: "text", text: "Work in /repo." }], developer: true },
      { role: "user", content: [{ type: "text", text: "List the files." }] },
      {
        role: "assistant",
        // OpenAI's encrypted reasoning opened the turn: it stays with it, for OpenAI alone.
        reasoningBlocks: [{ type: "openai", id: "rs_1", encrypted: "gAAAA…" }],
        content: [{ type: "text", text: "Listing them." }],
        toolCalls: [
          { id: "call_1", name: "shell", arguments: '{"cmd":"ls"}' },
          { id: "call_2", name: "shell", arguments: '{"cmd":"pwd"}' },
        ],
      },
      { role: "tool", toolCallId: "call_1", content: [{ type: "text", text: "a.ts\nb.ts" }] },
      { role: "tool", toolCallId: "call_2", content: [{ type: "text", text: "/repo" }] },
      { role: "assistant", content: [], toolCalls: [{ id: "call_3", name: "shell", arguments: "{}" }] },
    ]);
  });

  test("images and files are the canonical image and document parts", () => {
    const request = decode({
      input: [
        {
          role: "user",
          content: [
            { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "high" },
            { type: "input_image", image_url: "https://example.com/cat.jpg" },
            { type: "input_file", filename: "q3.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
            { type: "input_file", file_url: "https://example.com/q4.pdf" },
          ],
        },
      ],
    });
    expect(request.messages[0]!.content).toEqual([
      { type: "image", source: { kind: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" }, detail: "high" },
      { type: "image", source: { kind: "url", url: "https://example.com/cat.jpg" } },
      { type: "document", source: { kind: "base64", mediaType: "application/pdf", data: "JVBERi0=" }, title: "q3.pdf" },
      { type: "document", source: { kind: "url", url: "https://example.com/q4.pdf" } },
    ]);
  });

  test("tools, tool choice, the output format, the token cap, reasoning effort and OpenAI's own fields", () => {
    const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };
    const request = decode({
      tools: [{ type: "function", name: "lookup", description: "Look it up", parameters: { type: "object" }, strict: true }],
      tool_choice: { type: "function", name: "lookup" },
      parallel_tool_calls: false,
      text: { format: { type: "json_schema", name: "answer", schema, strict: true }, verbosity: "low" },
      max_output_tokens: 300,
      temperature: 0.2,
      reasoning: { effort: "high", summary: "auto" },
      store: false,
      prompt_cache_key: "agent-7",
      metadata: null,
      stream: true,
    });
    expect(request).toMatchObject({
      tools: [{ name: "lookup", description: "Look it up", parameters: { type: "object" }, strict: true }],
      toolChoice: { name: "lookup" },
      parallelToolCalls: false,
      responseFormat: { type: "json_schema", name: "answer", schema, strict: true },
      maxTokens: 300,
      temperature: 0.2,
      reasoning: { effort: "high" },
      stream: true,
    });
    // As Chat Completions passes them: a null is the client's, and OpenAI takes it.
    expect(request.openaiFields).toEqual({ store: false, prompt_cache_key: "agent-7", metadata: null, verbosity: "low" });
  });

  test("an item or part the gateway does not relay is refused, named by its place", () => {
    expect(() => decode({ input: [{ type: "web_search_call", id: "ws_1" }] })).toThrow("`input.0.type`");
    expect(() => decode({ input: [{ role: "user", content: [{ type: "input_audio" }] }] })).toThrow("`input.0.content.0.type`: audio input is not relayed");
    expect(() => decode({ input: [{ role: "user", content: [{ type: "input_image", file_id: "file-1" }] }] })).toThrow("`input.0.content.0.file_id`");
    expect(() => decode({ input: [{ role: "tool", content: "x" }] })).toThrow("`input.0.role`");
    expect(() => decode({ input: [{ type: "function_call", name: "f" }] })).toThrow("`input.0`");
    expect(() => decode({ tools: [{ type: "file_search" }] })).toThrow("OpenAI's own tool `file_search` is not relayed");
    expect(() => decode({ conversation: "conv_1" })).toThrow("`conversation`");
    // What the answer could not carry back; an include it can leave out costs nothing.
    expect(() => decode({ include: ["message.output_text.logprobs"] })).toThrow("`include`: log probabilities are not relayed");
    expect(() => decode({ top_logprobs: 3 })).toThrow("`top_logprobs`");
    expect(decode({ include: ["reasoning.encrypted_content"], top_logprobs: 0 }).messages).toHaveLength(1);
  });
});

test("a freeform call cut short by the token cap reads as its text so far, without the wrapper around it", () => {
  expect(freeformInput('{"input":"*** Begin Patch\\n*** Delete Fi')).toBe("*** Begin Patch\n*** Delete Fi");
  // Cut in the middle of an escape: what reads whole.
  expect(freeformInput('{"input":"line one\\u00')).toBe("line one");
  expect(freeformInput('{"input":"whole"}')).toBe("whole");
  expect(freeformInput("not the wrapper")).toBe("not the wrapper");
});

describe("a Responses client's tool choice and steering", () => {
  const tools = ["get_weather", "get_time", "shell"].map((name) => ({ type: "function", name, parameters: { type: "object", properties: {} } }));

  test("allowed_tools is served by any vendor as the named tools alone, with the mode as the choice", () => {
    const request = decode({ tools, tool_choice: { type: "allowed_tools", mode: "required", tools: [{ type: "function", name: "get_time" }, { type: "function", name: "shell" }] } });
    expect(request.tools?.map((tool) => tool.name)).toEqual(["get_time", "shell"]);
    expect(request.toolChoice).toBe("required");
    expect(() => decode({ tools, tool_choice: { type: "allowed_tools", mode: "auto", tools: [{ type: "function", name: "get_date" }] } })).toThrow('"get_date" is not one of the request\'s tools');
    expect(() => decode({ tools, tool_choice: { type: "allowed_tools", mode: "auto", tools: [{ type: "mcp", server_label: "deepwiki" }] } })).toThrow("tool_choice.tools");
  });

  test("truncation and max_tool_calls reach a Responses upstream as they came, and no Chat Completions vendor", () => {
    const request = decode({ truncation: "auto", max_tool_calls: 3, store: false });
    const upstream = encodeUpstreamRequest(request);
    expect(upstream).toMatchObject({ truncation: "auto", max_tool_calls: 3, store: false });
    const chat = encodeRequest(request, { openaiFields: true });
    expect(chat).toMatchObject({ store: false });
    expect(chat).not.toHaveProperty("truncation");
    expect(chat).not.toHaveProperty("max_tool_calls");
  });
});
