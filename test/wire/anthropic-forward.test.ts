// Forwarding an Anthropic client's own Messages body to Anthropic: its text with the model swapped
// when our encoding says the same, our encoding otherwise.

import { describe, expect, test } from "bun:test";
import { anthropicDialect } from "../../core/server/dialects.ts";
import { encodeRequest } from "../../core/wire/anthropic/request.ts";
import { ANTHROPIC_FORWARD, forwardedBody, OPENAI_FORWARD } from "../../core/wire/forward.ts";

/** What the provider would send for `body`: the ingress decode, the endpoint's model, the encoding; null when it serialises. */
function forward(body: Record<string, unknown>, rules = ANTHROPIC_FORWARD): string | null {
  const text = JSON.stringify(body);
  const { request } = anthropicDialect.decode(JSON.parse(text), text);
  const routed = { ...request, model: "claude-sonnet-4-5" };
  const out = forwardedBody(routed, encodeRequest(routed, { defaultMaxTokens: 4096 }), rules);
  return out && new TextDecoder().decode(out);
}

// An agent's turn: the system prompt and the newest block marked for the cache, content as blocks.
const turn = {
  model: "claude-sonnet",
  max_tokens: 8000,
  system: [{ type: "text", text: "You are a build engineer. ".repeat(40), cache_control: { type: "ephemeral", ttl: "1h" } }],
  messages: [
    { role: "user", content: [{ type: "text", text: "Build it." }] },
    { role: "assistant", content: [{ type: "text", text: "Running make." }, { type: "tool_use", id: "toolu_1", name: "run", input: { cmd: "make" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "ok", cache_control: { type: "ephemeral" } }] },
  ],
  tools: [{ name: "run", description: "Runs a command", input_schema: { type: "object", properties: { cmd: { type: "string" } } } }],
  metadata: { user_id: "user-42" },
  stream: true,
};

describe("forwarding the client's Messages body", () => {
  test("an agent's turn goes out as it came, with only the model swapped", () => {
    expect(forward(turn)).toBe(JSON.stringify({ ...turn, model: "claude-sonnet-4-5" }));
  });

  test("Anthropic's own fields, which our encoding passes on, are forwarded with the rest", () => {
    const own = { thinking: { type: "adaptive" }, context_management: { edits: [] }, output_config: { effort: "low" } };
    expect(forward({ ...turn, ...own })).toBe(JSON.stringify({ ...turn, ...own, model: "claude-sonnet-4-5" }));
  });

  test("stream: false, which says what leaving it out says, is kept as it came", () => {
    expect(forward({ ...turn, stream: false })).toBe(JSON.stringify({ ...turn, model: "claude-sonnet-4-5", stream: false }));
  });

  test("a string where our encoding writes one text block, the block where it writes a string, and is_error: false are forwarded as they came", () => {
    // Claude Code sends its first turn as a string; a tool result's text often comes as one block,
    // and some clients say `is_error: false` outright.
    const messages = [
      { role: "user", content: "Build it." },
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "run", input: { cmd: "make" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "ok" }], is_error: false }] },
    ];
    expect(forward({ ...turn, messages })).toBe(JSON.stringify({ ...turn, messages, model: "claude-sonnet-4-5" }));
  });

  test("what our encoding would say otherwise, or leave out, falls back to serialising", () => {
    // A field we do not know would be dropped by the encoding, and a block's own field with it.
    expect(forward({ ...turn, container: "container_011" })).toBeNull();
    expect(forward({ ...turn, messages: [{ role: "user", content: [{ type: "text", text: "Build it.", citations: [] }] }] })).toBeNull();
  });

  test("a Messages body is never forwarded under Chat Completions rules", () => {
    expect(forward(turn, OPENAI_FORWARD)).toBeNull();
  });
});
