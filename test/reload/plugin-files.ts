// Plugin sources the reload tests write into a watched folder, as a user would.

export function cannedProvider(answer: string): string {
  return `// A user's provider plugin: answers every request with a fixed text.
import type { Kit } from "switchyard/kit";

export default (kit: Kit) => ({
  kind: "provider",
  name: "canned",
  settings: kit.Type.Object({ suffix: kit.Type.String({ default: "" }) }),
  create(settings: { suffix: string }) {
    return {
      async chat(request: { model: string }) {
        return {
          id: "canned-1",
          model: request.model,
          created: 0,
          text: ${JSON.stringify(answer)} + settings.suffix,
          toolCalls: [],
          finishReason: "stop",
          usage: { inputTokens: 1, outputTokens: 1 },
        };
      },
    };
  },
});
`;
}

export const BROKEN_PLUGIN = `export default { kind: "provider", settings: {}, create() { return {}; } };\n`;

/** A provider plugin whose settings pass its schema but whose `create` refuses them, as a real one may (a region it does not know). */
export function refusingProvider(message: string): string {
  return `import type { Kit } from "switchyard/kit";

export default (kit: Kit) => ({
  kind: "provider",
  name: "regional",
  settings: kit.Type.Object({ region: kit.Type.String() }),
  create(settings: { region: string }) {
    if (settings.region !== "eu") throw kit.errors.badRequest(${JSON.stringify(message)} + settings.region);
    return { async chat() { throw new Error("not called"); } };
  },
});
`;
}

/** A provider plugin whose \`create\` returns an object with no \`chat\`. */
export const CHATLESS_PROVIDER = `import type { Kit } from "switchyard/kit";

export default (kit: Kit) => ({ kind: "provider", name: "chatless", settings: kit.Type.Object({}), create: () => ({ models: () => [] }) });
`;

/** A provider plugin that always streams, whether its request asked for a stream or not: its text a word at a time, then one tool call. */
export function streamOnlyProvider(words: string[]): string {
  return `import type { Kit } from "switchyard/kit";

export default (kit: Kit) => ({
  kind: "provider",
  name: "streamer",
  settings: kit.Type.Object({}),
  create() {
    return {
      async *chat(request: { model: string }) {
        yield { type: "start", id: "streamed-1", model: request.model };
        for (const word of ${JSON.stringify(words)}) yield { type: "text", text: word };
        yield { type: "tool_call_start", index: 0, id: "call_1", name: "lookup" };
        yield { type: "tool_call_delta", index: 0, arguments: '{"q":' };
        yield { type: "tool_call_delta", index: 0, arguments: '"x"}' };
        yield { type: "usage", usage: { inputTokens: 4, outputTokens: 6 } };
        yield { type: "finish", reason: "tool_calls" };
      },
    };
  },
});
`;
}

/** A provider plugin with a bug: its chat throws a plain Error. */
export const THROWING_PROVIDER = `import type { Kit } from "switchyard/kit";

export default (kit: Kit) => ({
  kind: "provider",
  name: "thrower",
  settings: kit.Type.Object({}),
  create: () => ({ async chat() { throw new Error("kaput"); } }),
});
`;

/** A provider plugin whose \`create\` never settles, as one waiting on a vendor that never answers. */
export const STUCK_PROVIDER = `import type { Kit } from "switchyard/kit";

export default (kit: Kit) => ({ kind: "provider", name: "stuck", settings: kit.Type.Object({}), create: () => new Promise(() => {}) });
`;

/** A plugin module whose top-level await never settles: importing it never finishes. */
export const STUCK_MODULE = `import type { Kit } from "switchyard/kit";

await new Promise(() => {});
export default (kit: Kit) => ({ kind: "provider", name: "never", settings: kit.Type.Object({}), create: () => ({ async chat() { throw new Error("not called"); } }) });
`;

/** What the gated provider's \`create\` waits on: the test says when a create has begun and when it may end. */
export interface CreateGate {
  started(version: string): void;
  open: Promise<void>;
}

/**
 * A provider plugin whose \`create\` waits for the test's gate (globalThis.createGate, if set), so a
 * test controls how long a reload takes without a clock; it answers with its \`version\` setting.
 */
export const GATED_PROVIDER = `import type { Kit } from "switchyard/kit";

export default (kit: Kit) => ({
  kind: "provider",
  name: "gated",
  settings: kit.Type.Object({ version: kit.Type.String() }),
  async create(settings: { version: string }) {
    const gate = (globalThis as { createGate?: { started(version: string): void; open: Promise<void> } }).createGate;
    gate?.started(settings.version);
    await gate?.open;
    return {
      async chat(request: { model: string }) {
        return { id: "gated-1", model: request.model, created: 0, text: settings.version, toolCalls: [], finishReason: "stop", usage: { inputTokens: 1, outputTokens: 1 } };
      },
    };
  },
});
`;

/** A folder plugin's entry: a provider whose answer comes from the helper module beside it. */
export const HELPED_PROVIDER_INDEX = `import type { Kit } from "switchyard/kit";
import { answer } from "./helper.ts";

export default (kit: Kit) => ({
  kind: "provider",
  name: "helped",
  settings: kit.Type.Object({}),
  create() {
    return {
      async chat(request: { model: string }) {
        return { id: "helped-1", model: request.model, created: 0, text: answer(), toolCalls: [], finishReason: "stop", usage: { inputTokens: 1, outputTokens: 1 } };
      },
    };
  },
});
`;

/** The helper a folder plugin imports, saying `text`. */
export function helperModule(text: string): string {
  return `export const answer = () => ${JSON.stringify(text)};\n`;
}

/** A provider plugin that streams a first word, then waits for good on a promise of its own, deaf to its signal. */
export const DEAF_STREAMER = `import type { Kit } from "switchyard/kit";

export default (kit: Kit) => ({
  kind: "provider",
  name: "deaf",
  settings: kit.Type.Object({}),
  create() {
    return {
      async *chat(request: { model: string }) {
        yield { type: "start", id: "deaf-1", model: request.model };
        yield { type: "text", text: "begins" };
        await new Promise(() => {});
      },
    };
  },
});
`;
