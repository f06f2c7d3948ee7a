// TypeBox schema of POST /v1/chat/completions bodies, OpenRouter extras included: the ingress validates with it.

import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { AnyObject } from "../any-object.ts";
import { CacheControlBody } from "../cache-control.ts";
import { MODEL_ID_MAX_LENGTH } from "../model-id.ts";

// Clients send many fields we do not know; they are allowed through and ignored.
const open = { additionalProperties: true } as const;

/** OpenAI's reference lets most optional fields be null as well as absent. */
export const nullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

const TextPart = Type.Object(
  {
    type: Type.Literal("text"),
    text: Type.String(),
    cache_control: CacheControlBody,
  },
  open,
);

const ImagePart = Type.Object(
  {
    type: Type.Literal("image_url"),
    image_url: Type.Object(
      {
        /** An http(s) URL or a `data:<media type>;base64,<data>` URL. */
        url: Type.String(),
        detail: Type.Optional(Type.Union([Type.Literal("auto"), Type.Literal("low"), Type.Literal("high")])),
      },
      open,
    ),
  },
  open,
);

/** A document: its data (a data URL, as OpenAI's guide sends a PDF, or bare base64), or a stored file's id. */
const FilePart = Type.Object(
  {
    type: Type.Literal("file"),
    file: Type.Object(
      { file_data: Type.Optional(Type.String()), file_id: Type.Optional(Type.String()), filename: Type.Optional(Type.String()) },
      open,
    ),
    cache_control: CacheControlBody,
  },
  open,
);

/** Any other part (input_audio, an assistant's refusal): named here, and refused or translated by the decoder. */
const OtherPart = Type.Object({ type: Type.String() }, open);

export const ContentPartBody = Type.Union([TextPart, ImagePart, FilePart, OtherPart]);
export type ContentPartBody = Static<typeof ContentPartBody>;

const Content = Type.Union([Type.String(), Type.Array(ContentPartBody)]);

const ToolCallBody = Type.Object(
  {
    id: Type.String(),
    type: Type.Optional(Type.Literal("function")),
    function: Type.Object({ name: Type.String(), arguments: Type.String() }, open),
  },
  open,
);
export type ToolCallBody = Static<typeof ToolCallBody>;

const SystemMessage = Type.Object(
  { role: Type.Union([Type.Literal("system"), Type.Literal("developer")]), content: Content, name: Type.Optional(Type.String()) },
  open,
);
const UserMessage = Type.Object({ role: Type.Literal("user"), content: Content, name: Type.Optional(Type.String()) }, open);
const AssistantMessage = Type.Object(
  {
    role: Type.Literal("assistant"),
    content: Type.Optional(Type.Union([Content, Type.Null()])),
    tool_calls: Type.Optional(Type.Array(ToolCallBody)),
    /** DeepSeek's field for the chain of thought. */
    reasoning_content: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    /** OpenRouter's field for the same. */
    reasoning: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    name: Type.Optional(Type.String()),
  },
  open,
);
const ToolMessage = Type.Object({ role: Type.Literal("tool"), content: Content, tool_call_id: Type.String() }, open);

export const MessageBody = Type.Union([SystemMessage, UserMessage, AssistantMessage, ToolMessage]);
export type MessageBody = Static<typeof MessageBody>;

const ToolBody = Type.Object(
  {
    type: Type.Literal("function"),
    function: Type.Object(
      {
        name: Type.String(),
        description: Type.Optional(Type.String()),
        parameters: Type.Optional(AnyObject),
        strict: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
      },
      open,
    ),
  },
  open,
);

const ToolChoiceBody = Type.Union([
  Type.Literal("auto"),
  Type.Literal("none"),
  Type.Literal("required"),
  Type.Object({ type: Type.Literal("function"), function: Type.Object({ name: Type.String() }, open) }, open),
]);

const ResponseFormatBody = Type.Union([
  Type.Object({ type: Type.Literal("text") }, open),
  Type.Object({ type: Type.Literal("json_object") }, open),
  Type.Object(
    {
      type: Type.Literal("json_schema"),
      json_schema: Type.Object(
        {
          name: Type.String(),
          description: Type.Optional(Type.String()),
          schema: Type.Optional(AnyObject),
          strict: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
        },
        open,
      ),
    },
    open,
  ),
]);

export const ProviderPreferences = Type.Object(
  {
    order: Type.Optional(Type.Array(Type.String())),
    only: Type.Optional(Type.Array(Type.String())),
    ignore: Type.Optional(Type.Array(Type.String())),
    /** A strategy's name, or OpenRouter's object form, `{ by, partition }` (the partition is a matter of its many providers per model). */
    sort: Type.Optional(Type.Union([Type.String(), Type.Object({ by: Type.String(), partition: Type.Optional(Type.Union([Type.String(), Type.Null()])) }, open)])),
    allow_fallbacks: Type.Optional(Type.Boolean()),
    max_price: Type.Optional(
      Type.Object({ prompt: Type.Optional(Type.Number({ minimum: 0 })), completion: Type.Optional(Type.Number({ minimum: 0 })) }, open),
    ),
  },
  open,
);
export type ProviderPreferences = Static<typeof ProviderPreferences>;

/**
 * OpenAI's own steering fields that Chat Completions and the Responses API both have, under the
 * same names (see OPENAI_FIELDS): checked by either schema, passed on untouched.
 */
export const SteeringFields = {
  metadata: nullable(Type.Record(Type.String(), Type.String())),
  store: nullable(Type.Boolean()),
  service_tier: nullable(Type.String()),
  prompt_cache_key: nullable(Type.String()),
  prompt_cache_retention: nullable(Type.String()),
  safety_identifier: nullable(Type.String()),
};
/** Their names. */
export const STEERING_FIELD_NAMES = Object.keys(SteeringFields);

/**
 * The Responses API's own steering fields, which Chat Completions lacks: passed on to a Responses
 * upstream as they came, left out for any other (a hint, not the answer's shape).
 */
export const ResponsesSteeringFields = {
  truncation: nullable(Type.Union([Type.Literal("auto"), Type.Literal("disabled")])),
  max_tool_calls: nullable(Type.Integer({ minimum: 1 })),
};
export const RESPONSES_STEERING_FIELD_NAMES = Object.keys(ResponsesSteeringFields);

export const ChatCompletionBody = Type.Object(
  {
    model: Type.String({ maxLength: MODEL_ID_MAX_LENGTH }),
    messages: Type.Array(MessageBody, { minItems: 1 }),
    tools: Type.Optional(Type.Array(ToolBody)),
    tool_choice: Type.Optional(ToolChoiceBody),
    parallel_tool_calls: Type.Optional(Type.Boolean()),
    response_format: Type.Optional(ResponseFormatBody),
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
    top_p: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** OpenRouter and several open-model vendors accept it. */
    top_k: Type.Optional(Type.Number()),
    presence_penalty: Type.Optional(Type.Number({ minimum: -2, maximum: 2 })),
    frequency_penalty: Type.Optional(Type.Number({ minimum: -2, maximum: 2 })),
    // At least 1: a cap of 0 or -1 reads as "no cap" to some OpenAI-compatible servers, and the
    // credit hold is priced on it.
    max_tokens: Type.Optional(Type.Integer({ minimum: 1 })),
    max_completion_tokens: Type.Optional(Type.Integer({ minimum: 1 })),
    stop: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String()), Type.Null()])),
    seed: Type.Optional(Type.Integer()),
    user: Type.Optional(Type.String()),
    stream: Type.Optional(Type.Boolean()),
    stream_options: Type.Optional(Type.Object({ include_usage: Type.Optional(Type.Boolean()) }, open)),
    /** Kept a plain string: vendors add levels ("none", "xhigh"); unknown ones are dropped on decode. */
    reasoning_effort: Type.Optional(Type.String()),
    models: Type.Optional(Type.Array(Type.String({ maxLength: MODEL_ID_MAX_LENGTH }))),
    provider: Type.Optional(ProviderPreferences),
    reasoning: Type.Optional(
      Type.Object(
        { effort: Type.Optional(Type.String()), max_tokens: Type.Optional(Type.Integer()), enabled: Type.Optional(Type.Boolean()), exclude: Type.Optional(Type.Boolean()) },
        open,
      ),
    ),
    /** OpenRouter's older switch for the reasoning in the answer. */
    include_reasoning: Type.Optional(Type.Boolean()),
    usage: Type.Optional(Type.Object({ include: Type.Optional(Type.Boolean()) }, open)),
    // OpenAI's own steering fields (see OPENAI_FIELDS): checked here, passed on untouched.
    logit_bias: nullable(Type.Record(Type.String(), Type.Number())),
    ...SteeringFields,
    verbosity: nullable(Type.String()),
    top_logprobs: nullable(Type.Integer()),
    modalities: nullable(Type.Array(Type.String())),
    prediction: nullable(Type.Object({ type: Type.String() }, open)),
  },
  open,
);
export type ChatCompletionBody = Static<typeof ChatCompletionBody>;
