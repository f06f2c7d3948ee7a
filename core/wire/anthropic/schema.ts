// TypeBox schema of Anthropic Messages request bodies (POST /v1/messages), the ingress's source of truth.

import { Type, type Static } from "@sinclair/typebox";
import { AnyObject } from "../any-object.ts";
import { CacheControlBody } from "../cache-control.ts";
import { MODEL_ID_MAX_LENGTH } from "../model-id.ts";

// Unknown fields are allowed everywhere: clients send newer fields (container, and whatever comes
// next) that we ignore rather than reject. Anthropic's own fields we know go on to Anthropic.
const open = { additionalProperties: true } as const;

const TextBlock = Type.Object(
  { type: Type.Literal("text"), text: Type.String(), cache_control: CacheControlBody },
  open,
);

const ImageSource = Type.Union([
  Type.Object({ type: Type.Literal("base64"), media_type: Type.String(), data: Type.String() }, open),
  Type.Object({ type: Type.Literal("url"), url: Type.String() }, open),
]);

const ImageBlock = Type.Object(
  { type: Type.Literal("image"), source: ImageSource, cache_control: CacheControlBody },
  open,
);

/**
 * Where a document comes from: base64 data, a URL or text. Any type passes here, so that the
 * decoder can name what is wrong: a stored file, custom content, or a source missing its member.
 */
const DocumentSource = Type.Object({ type: Type.String() }, open);

const DocumentBlock = Type.Object(
  {
    type: Type.Literal("document"),
    source: DocumentSource,
    title: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    context: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    citations: Type.Optional(Type.Union([Type.Object({ enabled: Type.Optional(Type.Boolean()) }, open), Type.Null()])),
    cache_control: CacheControlBody,
  },
  open,
);

const ToolUseBlock = Type.Object(
  { type: Type.Literal("tool_use"), id: Type.String(), name: Type.String(), input: Type.Unknown(), cache_control: CacheControlBody },
  open,
);

const ToolResultBlock = Type.Object(
  {
    type: Type.Literal("tool_result"),
    tool_use_id: Type.String(),
    content: Type.Optional(Type.Union([Type.String(), Type.Array(Type.Union([TextBlock, ImageBlock, DocumentBlock]))])),
    is_error: Type.Optional(Type.Boolean()),
    cache_control: CacheControlBody,
  },
  open,
);

const ThinkingBlock = Type.Object(
  { type: Type.Literal("thinking"), thinking: Type.String(), signature: Type.String() },
  open,
);

const RedactedThinkingBlock = Type.Object({ type: Type.Literal("redacted_thinking"), data: Type.String() }, open);

/**
 * A call or result of Anthropic's own tools (`server_tool_use`, `web_search_tool_result`,
 * `mcp_tool_use`…), in an assistant turn sent back: replayed to Anthropic as it came.
 */
export const SERVER_BLOCK = /^(?:server_tool_use|mcp_tool_use|[a-z]+(?:_[a-z]+)*_tool_result)$/;
const ServerBlock = Type.Object({ type: Type.String({ pattern: SERVER_BLOCK.source }) }, open);

const KnownBlock = Type.Union([TextBlock, ImageBlock, DocumentBlock, ToolUseBlock, ToolResultBlock, ThinkingBlock, RedactedThinkingBlock]);
export const ContentBlock = Type.Union([KnownBlock, ServerBlock]);
/** The server block's type spelled so that a check for a known block's type leaves it out. */
export type ServerBlockBody = { type: `${string}_tool_use` | `${string}_tool_result`; [member: string]: unknown };
export type ContentBlock = Static<typeof KnownBlock> | ServerBlockBody;

export const MessageParam = Type.Object(
  {
    role: Type.Union([Type.Literal("user"), Type.Literal("assistant")]),
    content: Type.Union([Type.String(), Type.Array(ContentBlock)]),
  },
  open,
);
export type MessageParam = Omit<Static<typeof MessageParam>, "content"> & { content: string | ContentBlock[] };

/** A tool the client runs, or one of Anthropic's own (no `input_schema`, a versioned `type`), which goes on to Anthropic. */
const ToolParam = Type.Object(
  {
    /** `custom` or absent for the client's tools; Anthropic's own name their versioned type (`web_search_20250305`). */
    type: Type.Optional(Type.String()),
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    input_schema: Type.Optional(AnyObject),
    cache_control: CacheControlBody,
  },
  open,
);

const ToolChoiceParam = Type.Union([
  Type.Object({ type: Type.Literal("auto"), disable_parallel_tool_use: Type.Optional(Type.Boolean()) }, open),
  Type.Object({ type: Type.Literal("any"), disable_parallel_tool_use: Type.Optional(Type.Boolean()) }, open),
  Type.Object({ type: Type.Literal("tool"), name: Type.String(), disable_parallel_tool_use: Type.Optional(Type.Boolean()) }, open),
  Type.Object({ type: Type.Literal("none") }, open),
]);

/** The fields of a Messages body, shared by the two schemas below. */
const messagesFields = {
  model: Type.String({ minLength: 1, maxLength: MODEL_ID_MAX_LENGTH }),
  max_tokens: Type.Integer({ minimum: 1 }),
  system: Type.Optional(Type.Union([Type.String(), Type.Array(TextBlock)])),
  messages: Type.Array(MessageParam, { minItems: 1 }),
  tools: Type.Optional(Type.Array(ToolParam)),
  tool_choice: Type.Optional(ToolChoiceParam),
  temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  top_p: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  top_k: Type.Optional(Type.Integer({ minimum: 0 })),
  stop_sequences: Type.Optional(Type.Array(Type.String())),
  stream: Type.Optional(Type.Boolean()),
  metadata: Type.Optional(Type.Object({ user_id: Type.Optional(Type.Union([Type.String(), Type.Null()])) }, open)),
  thinking: Type.Optional(
    Type.Union([
      Type.Object({ type: Type.Literal("enabled"), budget_tokens: Type.Integer({ minimum: 1 }) }, open),
      Type.Object({ type: Type.Literal("disabled") }, open),
      // The model decides how much to think (newer models; Claude Code sends it).
      Type.Object({ type: Type.Literal("adaptive") }, open),
    ]),
  ),
  // Anthropic's own fields (see ANTHROPIC_FIELDS): checked here, passed on to Anthropic untouched.
  context_management: Type.Optional(AnyObject),
  output_config: Type.Optional(
    Type.Object(
      {
        effort: Type.Optional(Type.String()),
        format: Type.Optional(Type.Object({ type: Type.String(), schema: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, open)),
      },
      open,
    ),
  ),
  mcp_servers: Type.Optional(Type.Array(AnyObject)),
  service_tier: Type.Optional(Type.String()),
};

export const MessagesBody = Type.Object(messagesFields, open);
export type MessagesBody = Omit<Static<typeof MessagesBody>, "messages"> & { messages: MessageParam[] };

/** POST /v1/messages/count_tokens: a Messages body that needs no output cap. */
export const CountTokensBody = Type.Object({ ...messagesFields, max_tokens: Type.Optional(messagesFields.max_tokens) }, open);
