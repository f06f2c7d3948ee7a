// Anthropic's own tools (web search and the like) through the gateway, driven by the official
// `@anthropic-ai/sdk`: the tool goes to Anthropic as the client sent it, the search's blocks and
// citations come back as they came, and each search is metered at the endpoint's price.

import { describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { vendorSuite } from "./configs.ts";
import { anthropicClient, generation, postJson } from "./harness.ts";

const { openaiFake, anthropicFake, gateway } = await vendorSuite();
const client = anthropicClient(gateway);

const recorded = (await Bun.file(new URL("../fixtures/anthropic/message-web-search.json", import.meta.url)).json()) as {
  content: Record<string, unknown>[];
};
/** The recorded answer's blocks: the search's call and result, then the cited text. */
const searchBlocks = recorded.content.slice(1);
const webSearch = { type: "web_search_20250305" as const, name: "web_search" as const, max_uses: 3 };
const question = [{ role: "user" as const, content: "When was Claude Shannon born?" }];

async function costOf(id: string): Promise<number> {
  return (await generation(gateway, id)).total_cost;
}

describe("Anthropic's own tools", () => {
  test("web search: the tool reaches Anthropic as sent, and its blocks, citations and searches come back as they came", async () => {
    anthropicFake.enqueue({ kind: "reply", reply: { text: "Let me search.", blocks: searchBlocks, webSearches: 1, usage: { input: 1000, output: 100 } } });
    const message = await client.messages.create({ model: "claude-sonnet", max_tokens: 1024, messages: question, tools: [webSearch] });
    expect(message.content).toEqual([{ type: "text", text: "Let me search." }, ...searchBlocks] as never);
    expect(message.usage.server_tool_use).toMatchObject({ web_search_requests: 1 });
    const sent = anthropicFake.requests.at(-1)!.body as { tools: unknown[] };
    expect(sent.tools).toEqual([webSearch]);
    // 1000 × $3/M + 100 × $15/M + one search at $10 per thousand.
    expect(await costOf(message.id)).toBeCloseTo(0.003 + 0.0015 + 0.01, 9);
  });

  test("streamed: the server tool's call, its result and the citations arrive in Anthropic's event order", async () => {
    anthropicFake.enqueue({ kind: "reply", reply: { blocks: searchBlocks, webSearches: 2 } });
    const stream = client.messages.stream({ model: "claude-sonnet", max_tokens: 1024, messages: question, tools: [webSearch] });
    const citations: unknown[] = [];
    stream.on("citation", (citation) => citations.push(citation));
    const final = await stream.finalMessage();
    expect(final.content).toEqual(searchBlocks as never);
    expect(citations).toEqual((searchBlocks[2] as { citations: unknown[] }).citations);
    expect(final.usage.server_tool_use).toMatchObject({ web_search_requests: 2 });
  });

  test("streamed: a cited sentence between plain ones stays a text block of its own, its citations on it alone", async () => {
    // As Anthropic answers after a search: the text split into blocks where citations begin and end.
    const answer = [
      ...searchBlocks.slice(0, 2),
      { type: "text", text: "Based on the search results, " },
      searchBlocks[2]!,
      { type: "text", text: ". He is known as the father of information theory." },
    ];
    anthropicFake.enqueue({ kind: "reply", reply: { blocks: answer, webSearches: 1 } });
    const stream = client.messages.stream({ model: "claude-sonnet", max_tokens: 1024, messages: question, tools: [webSearch] });
    const final = await stream.finalMessage();
    expect(final.content).toEqual(answer as never);
  });

  test("a conversation holding a search's blocks goes back to Anthropic with them as they were", async () => {
    anthropicFake.enqueue({ kind: "reply", reply: { text: "In Petoskey." } });
    const turn = [...question, { role: "assistant", content: recorded.content }, { role: "user", content: "Where?" }] as Anthropic.MessageParam[];
    const message = await client.messages.create({ model: "claude-sonnet", max_tokens: 1024, messages: turn, tools: [webSearch] });
    expect(message.content).toEqual([{ type: "text", text: "In Petoskey." }] as never);
    const sent = anthropicFake.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
    expect(sent.messages[1]).toEqual({ role: "assistant", content: recorded.content });
  });

  test("only an Anthropic endpoint priced for searches serves one: elsewhere it is a 400 naming the tool, and no vendor is called", async () => {
    const before = { openai: openaiFake.requests.length, anthropic: anthropicFake.requests.length };
    const refused = await client.messages.create({ model: "gpt-5-mini", max_tokens: 100, messages: question, tools: [webSearch] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect((refused as Error).message).toContain("web_search_20250305");
    expect((refused as Error).message).toContain("openai/gpt-5-mini");
    // Its blocks in the conversation need Anthropic too, even without the tool.
    const history = [...question, { role: "assistant", content: recorded.content }, { role: "user", content: "Where?" }];
    const response = await postJson(`${gateway.url}/v1/messages`, { model: "gpt-5-mini", max_tokens: 100, messages: history });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain("calls and results in the conversation");
    expect({ openai: openaiFake.requests.length, anthropic: anthropicFake.requests.length }).toEqual(before);
  });

  test("count_tokens counts such a prompt where it would be answered: at Anthropic, or a 400 as the chat would get", async () => {
    anthropicFake.enqueue({ kind: "reply", reply: { usage: { input: 2107, output: 0 } } });
    const counted = await client.messages.countTokens({ model: "claude-sonnet", messages: question, tools: [webSearch] });
    expect(counted.input_tokens).toBe(2107);
    expect(anthropicFake.requests.at(-1)!.path).toBe("/v1/messages/count_tokens");
    const elsewhere = await client.messages.countTokens({ model: "gpt-5-mini", messages: question, tools: [webSearch] }).catch((error: unknown) => error);
    expect(elsewhere).toBeInstanceOf(Anthropic.BadRequestError);
    expect((elsewhere as Error).message).toContain("web_search_20250305");
  });

  test("code execution, billed by its container's time, is a 400 naming the tool", async () => {
    const tools = [{ type: "code_execution_20250825", name: "code_execution" }];
    const response = await postJson(`${gateway.url}/v1/messages`, { model: "claude-sonnet", max_tokens: 100, messages: question, tools });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain("`tools.0`: Anthropic's own tool `code_execution_20250825`");
  });
});
