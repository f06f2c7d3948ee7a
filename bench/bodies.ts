// Request bodies for the load: an agent-like turn (≈30 KB system prompt, a dozen tools, streaming
// with the usage chunk) and a small chat turn. Built once, deterministic, no randomness.

export type BodyShape = "agent" | "chat";

const PARAGRAPH =
  "You are a careful software engineering agent working inside a user's repository. Read files before " +
  "editing them, prefer small focused changes, run the project's tests after each change, and explain " +
  "what you changed and why in plain words. Never invent file contents; ask when a requirement is unclear. ";

function systemPrompt(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `## Rule ${i + 1}\n${PARAGRAPH}\n`;
    parts.push(line);
    size += line.length;
  }
  return parts.join("");
}

const TOOL_NAMES = [
  "read_file", "write_file", "edit_file", "list_directory", "search_files", "run_command",
  "git_diff", "git_status", "web_fetch", "ask_user", "todo_write", "run_tests",
];

function tool(name: string) {
  return {
    type: "function",
    function: {
      name,
      description: `${name.replace(/_/g, " ")}: a tool the agent may call; see the system prompt for when to use it.`,
      parameters: {
        type: "object",
        properties: {
          path: { type: "string", description: "Path relative to the repository root" },
          content: { type: "string", description: "Text to write or search for" },
          timeout_ms: { type: "integer", minimum: 0 },
        },
        required: ["path"],
      },
    },
  };
}

/** `stream` goes first so the fake upstream (and any reader) finds it without parsing 30 KB. */
export function agentBody(model: string, stream: boolean): string {
  return JSON.stringify({
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
    model,
    max_completion_tokens: 4096,
    messages: [
      { role: "system", content: systemPrompt(30 * 1024) },
      { role: "user", content: "Please summarise what the ledger write queue does and where it flushes." },
      { role: "assistant", content: "I will read the file first." },
      { role: "user", content: "Go ahead, and keep the answer short." },
    ],
    tools: TOOL_NAMES.map(tool),
  });
}

/**
 * The same turn as an Anthropic client (Claude Code and the like) sends it to /v1/messages: the
 * system prompt as a block marked for the prompt cache, content as blocks, the cache's rolling
 * breakpoint on the newest turn.
 */
export function anthropicAgentBody(model: string, stream: boolean): string {
  const text = (value: string) => [{ type: "text", text: value }];
  return JSON.stringify({
    model,
    max_tokens: 4096,
    system: [{ type: "text", text: systemPrompt(30 * 1024), cache_control: { type: "ephemeral" } }],
    messages: [
      { role: "user", content: text("Please summarise what the ledger write queue does and where it flushes.") },
      { role: "assistant", content: text("I will read the file first.") },
      { role: "user", content: [{ type: "text", text: "Go ahead, and keep the answer short.", cache_control: { type: "ephemeral" } }] },
    ],
    tools: TOOL_NAMES.map((name) => {
      const { description, parameters } = tool(name).function;
      return { name, description, input_schema: parameters };
    }),
    metadata: { user_id: "user-42" },
    stream,
  });
}

/** With `tokens`, the question asks the fake upstream for an answer of that many token frames (see upstream.ts). */
export function chatBody(model: string, stream: boolean, tokens?: number): string {
  const question = "What is the capital of Portugal?";
  return JSON.stringify({
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
    model,
    messages: [{ role: "user", content: tokens ? `${question} ${answerIn(tokens)}` : question }],
  });
}

export function bodyOf(shape: BodyShape, model: string, stream: boolean, tokens?: number): string {
  return shape === "agent" ? agentBody(model, stream) : chatBody(model, stream, tokens);
}

/** The words that ask for a long answer; the upstream reads the count back with TOKENS_ASKED. */
function answerIn(tokens: number): string {
  return `Answer in ${tokens} tokens.`;
}

export const TOKENS_ASKED = /Answer in (\d+) tokens\./;
