// A streamed answer whose vendor falls silent (a reasoning model thinking after its first chunk)
// gets SSE comments from the gateway, so proxies and the gateway's own server keep the connection
// open; every client's SSE parser skips them, and the answer arrives whole.

import { afterAll, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { vendorConfig } from "./configs.ts";
import { readChatStream, startGateway, streamedMessage } from "./harness.ts";

const COMMENT = ": keep-alive\n\n";
const openaiFake = startFakeOpenAI();
const anthropicFake = startFakeAnthropic();
const urls = { openai: openaiFake.url, anthropic: anthropicFake.url };
const gateway = await startGateway(vendorConfig(urls, "server: { keepalive: 20ms }"));
afterAll(async () => {
  await gateway.close();
  await openaiFake.close();
  await anthropicFake.close();
});

/**
 * A fetch for an SDK that watches the bytes it hands the SDK: `heard` resolves once a keep-alive
 * comment has passed through, and `bytes` is everything the SDK was given.
 */
function watchingFetch() {
  const heard = Promise.withResolvers<void>();
  const seen = { text: "" };
  const decoder = new TextDecoder();
  const watch: typeof fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetch(input, init);
    const body = response.body!.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen.text += decoder.decode(chunk, { stream: true });
          if (seen.text.includes(COMMENT)) heard.resolve();
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: response.status, headers: response.headers });
  }) as typeof fetch;
  return { fetch: watch, heard: heard.promise, seen };
}

describe("keep-alive comments", () => {
  test("a quiet OpenAI stream gets comments until its vendor speaks again, and the SDK reads the answer whole", async () => {
    const { fetch: watch, heard, seen } = watchingFetch();
    // The vendor sends its role chunk, then says nothing until the client has heard a comment.
    openaiFake.enqueue({ kind: "pause", reply: { text: "thought it through", usage: { input: 5, output: 4 } }, afterFrames: 1, until: heard });
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "unused", maxRetries: 0, fetch: watch });
    const stream = await client.chat.completions.create({
      model: "gpt-5-mini",
      messages: [{ role: "user", content: "think hard" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const { text, usage } = await readChatStream(stream);
    expect(text).toBe("thought it through");
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 4 });
    // The comments came between the role chunk and the answer's first word, each a whole line of its own.
    const beforeAnswer = seen.text.slice(0, seen.text.indexOf('"content":"thought'));
    expect(beforeAnswer).toContain(`}\n\n${COMMENT}`);
  });

  test("an Anthropic client's stream gets them too, and its SDK builds the message as Anthropic sent it", async () => {
    const { fetch: watch, heard } = watchingFetch();
    // message_start and the text block's start, then silence.
    anthropicFake.enqueue({ kind: "pause", reply: { text: "considered", usage: { input: 7, output: 2 } }, afterFrames: 2, until: heard });
    const { message } = await streamedMessage(gateway, "claude-sonnet", "think hard", { fetch: watch });
    expect(message.content).toEqual([{ type: "text", text: "considered" }] as never);
    expect(message.usage).toMatchObject({ input_tokens: 7, output_tokens: 2 });
  });
});
