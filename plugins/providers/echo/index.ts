// A local demo provider with no network and no keys: answers with the latest user text, prefixed.
//
// Example (router.config.yaml):
//   providers:
//     echo: { use: echo, prefix: "echo: " }

import type { Static } from "@sinclair/typebox";
import type { ChatRequest, ChatResponse, Kit, ProviderInstance, ProviderPlugin, StreamEvent, Usage } from "../../../core/kit/index.ts";

const WORDS = /\S+\s*|\s+/g;

/** Rough token count, one token per four characters, as the demo has no tokenizer. */
const tokens = (chars: number) => Math.ceil(chars / 4);

function inputChars(request: ChatRequest): number {
  let chars = 0;
  for (const message of request.messages) {
    for (const part of message.content) if (part.type === "text") chars += part.text.length;
  }
  return chars;
}

export default (kit: Kit) => {
  const Settings = kit.Type.Object({ prefix: kit.Type.String({ default: "echo: " }) }, { additionalProperties: false });
  return {
    kind: "provider",
    name: "echo",
    description: "Local demo: echoes the latest user message",
    settings: Settings,
    create({ prefix }: Static<typeof Settings>, kit: Kit): ProviderInstance {
      let sequence = 0;
      return {
        async chat(request, signal) {
          signal.throwIfAborted();
          const text = prefix + kit.latestUserText(request);
          const usage: Usage = { inputTokens: tokens(inputChars(request)), outputTokens: tokens(text.length) };
          const id = `echo-${kit.now()}-${++sequence}`;
          if (request.stream) return stream(id, request.model, text, usage, signal);
          const response: ChatResponse = {
            id,
            model: request.model,
            created: Math.floor(kit.now() / 1000),
            text,
            toolCalls: [],
            finishReason: "stop",
            nativeFinishReason: "stop",
            usage,
          };
          return response;
        },
      };
    },
  } satisfies ProviderPlugin<typeof Settings>;
};

async function* stream(id: string, model: string, text: string, usage: Usage, signal: AbortSignal): AsyncGenerator<StreamEvent> {
  yield { type: "start", id, model };
  for (const word of text.match(WORDS) ?? []) {
    signal.throwIfAborted();
    yield { type: "text", text: word };
  }
  yield { type: "usage", usage };
  yield { type: "finish", reason: "stop", native: "stop" };
}
