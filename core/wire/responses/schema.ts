// TypeBox schema of POST /v1/responses bodies (OpenAI's Responses API): the ingress validates with it.

import { Type, type Static } from "@sinclair/typebox";
import { AnyObject } from "../any-object.ts";
import { MODEL_ID_MAX_LENGTH } from "../model-id.ts";
import { nullable, ResponsesSteeringFields, SteeringFields } from "../openai/schema.ts";

// Clients send many fields we do not know; they are allowed through and ignored.
const open = { additionalProperties: true } as const;

/** Every input part names its type; the decoder reads the types it relays and refuses the rest, named. */
const PartBody = Type.Object(
  {
    type: Type.String(),
    text: Type.Optional(Type.String()),
    refusal: Type.Optional(Type.String()),
    image_url: nullable(Type.String()),
    detail: Type.Optional(Type.String()),
    file_id: nullable(Type.String()),
    file_data: Type.Optional(Type.String()),
    file_url: Type.Optional(Type.String()),
    filename: Type.Optional(Type.String()),
  },
  open,
);
export type PartBody = Static<typeof PartBody>;

const Content = Type.Union([Type.String(), Type.Array(PartBody)]);

/**
 * One input item. A message may leave out its `type` (the "easy" input message); the other kinds
 * name theirs. The members each kind needs are checked by the decoder, which names the item.
 */
const ItemBody = Type.Object(
  {
    type: Type.Optional(Type.String()),
    role: Type.Optional(Type.String()),
    content: Type.Optional(Type.Union([Content, Type.Null()])),
    call_id: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    arguments: Type.Optional(Type.String()),
    /** A custom (freeform) tool call's text. */
    input: Type.Optional(Type.String()),
    output: Type.Optional(Content),
    id: Type.Optional(Type.String()),
    /** A reasoning item's encrypted reasoning, which OpenAI alone reads back. */
    encrypted_content: nullable(Type.String()),
    /** An assistant message's phase (`commentary`, `final_answer`). */
    phase: nullable(Type.String()),
  },
  open,
);
export type ItemBody = Static<typeof ItemBody>;

/** A tool: a function, or one of OpenAI's own (web search, file search…), which the decoder refuses by name. */
const ToolBody = Type.Object(
  {
    type: Type.String(),
    name: Type.Optional(Type.String()),
    description: nullable(Type.String()),
    parameters: nullable(AnyObject),
    strict: nullable(Type.Boolean()),
    /** A custom tool's input format: free text, or a grammar. */
    format: nullable(AnyObject),
  },
  open,
);
export type ToolBody = Static<typeof ToolBody>;

const ToolChoiceBody = Type.Union([
  Type.Literal("auto"),
  Type.Literal("none"),
  Type.Literal("required"),
  Type.Object({ type: Type.String(), name: Type.Optional(Type.String()) }, open),
]);

/** `text.format`: the json_schema format's members sit beside its type, not under a `json_schema` key. */
const FormatBody = Type.Object(
  {
    type: Type.Union([Type.Literal("text"), Type.Literal("json_object"), Type.Literal("json_schema")]),
    name: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    schema: Type.Optional(AnyObject),
    strict: nullable(Type.Boolean()),
  },
  open,
);

export const ResponsesBody = Type.Object(
  {
    model: Type.String({ maxLength: MODEL_ID_MAX_LENGTH }),
    input: Type.Union([Type.String(), Type.Array(ItemBody)]),
    instructions: nullable(Type.String()),
    tools: Type.Optional(Type.Array(ToolBody)),
    tool_choice: Type.Optional(ToolChoiceBody),
    parallel_tool_calls: nullable(Type.Boolean()),
    max_output_tokens: nullable(Type.Integer({ minimum: 1 })),
    temperature: nullable(Type.Number({ minimum: 0, maximum: 2 })),
    top_p: nullable(Type.Number({ minimum: 0, maximum: 1 })),
    text: nullable(Type.Object({ format: Type.Optional(FormatBody), verbosity: nullable(Type.String()) }, open)),
    /** Kept a plain string, as in Chat Completions: levels we do not know are left out on decode. */
    reasoning: nullable(Type.Object({ effort: nullable(Type.String()), summary: nullable(Type.String()) }, open)),
    stream: nullable(Type.Boolean()),
    user: nullable(Type.String()),
    ...SteeringFields,
    ...ResponsesSteeringFields,
  },
  open,
);
export type ResponsesBody = Static<typeof ResponsesBody>;
