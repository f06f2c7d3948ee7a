// TypeBox schemas of router.config.yaml: the single source of truth for validation, types and the
// exported JSON Schema. Plugin settings are open here and checked against each plugin's own schema.

import { Type, type Static } from "@sinclair/typebox";
import { DURATION_PATTERN } from "../duration.ts";
import { STRATEGIES } from "./graph.ts";

const closed = { additionalProperties: false } as const;

export const DurationSchema = Type.Union(
  [Type.Number({ minimum: 0 }), Type.String({ pattern: DURATION_PATTERN })],
  { description: "a duration like 30s or 250ms, or a number of milliseconds" },
);

export const SizeSchema = Type.Union(
  [Type.Integer({ minimum: 1 }), Type.String({ pattern: "^\\d+(\\.\\d+)?\\s*([kKmMgG][iI]?[bB]|[bB])$" })],
  { description: 'a size like "16mb", or a number of bytes' },
);

export const ServerSchema = Type.Object(
  {
    host: Type.Optional(Type.String({ default: "127.0.0.1" })),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, default: 8787 })),
    body_limit: Type.Optional(SizeSchema),
    /** A streamed answer silent this long gets an SSE comment (default 15s; 0 sends none). */
    keepalive: Type.Optional(DurationSchema),
    /** Origins a browser may call the gateway from (CORS), or ["*"] for any; none by default. */
    cors: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'origins a browser may call from, like https://app.example.com, or ["*"]' })),
  },
  closed,
);

export const PluginUseSchema = Type.Object(
  { use: Type.String({ minLength: 1, description: "the plugin's name" }) },
  { additionalProperties: true, description: "a plugin: { use: <name>, ...its settings }" },
);

export const PriceSchema = Type.Object(
  {
    input: Type.Number({ minimum: 0 }),
    output: Type.Number({ minimum: 0 }),
    cached_input: Type.Optional(Type.Number({ minimum: 0 })),
    cache_write: Type.Optional(Type.Number({ minimum: 0 })),
    cache_write_1h: Type.Optional(Type.Number({ minimum: 0, description: "writes to the hour-long cache; cache_write when unset" })),
    reasoning: Type.Optional(Type.Number({ minimum: 0 })),
    web_search: Type.Optional(Type.Number({ minimum: 0, description: "USD per thousand of Anthropic's web searches (its own web_search tool); a request with that tool goes only to endpoints that set it" })),
  },
  { ...closed, description: "USD per million tokens (web_search: per thousand searches)" },
);

export const EndpointSchema = Type.Object(
  {
    provider: Type.String({ minLength: 1 }),
    model: Type.String({ minLength: 1 }),
    price: PriceSchema,
    context: Type.Optional(Type.Integer({ minimum: 1 })),
    timeout: Type.Optional(DurationSchema),
    first_token_timeout: Type.Optional(DurationSchema),
    max_output: Type.Optional(Type.Integer({ minimum: 1 })),
    weight: Type.Optional(Type.Number({ minimum: 0, default: 1 })),
  },
  closed,
);

export const PoolSchema = Type.Object(
  {
    pick: Type.Union(STRATEGIES.map((s) => Type.Literal(s))),
    among: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    require: Type.Optional(Type.String({ description: "an expression over endpoint facts" })),
  },
  closed,
);

export const RouteSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    when: Type.Optional(Type.String({ description: "an expression over request facts" })),
    to: Type.String({ minLength: 1, description: "a model, a pool, or $model" }),
    fallback: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  closed,
);

export const LedgerSchema = Type.Object(
  {
    retention_days: Type.Optional(Type.Integer({ minimum: 1 })),
    flush_interval: Type.Optional(DurationSchema),
  },
  closed,
);

export const ConfigSchema = Type.Object(
  {
    version: Type.Optional(Type.Literal(1)),
    server: Type.Optional(ServerSchema),
    storage: Type.Optional(Type.String({ description: "sqlite:<path> or postgres://...", default: "sqlite:./data/switchyard.db" })),
    plugins: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    admin_key: Type.Optional(Type.String()),
    auth: Type.Optional(PluginUseSchema),
    fees: Type.Optional(PluginUseSchema),
    ledger: Type.Optional(LedgerSchema),
    providers: Type.Optional(Type.Record(Type.String(), PluginUseSchema)),
    models: Type.Optional(Type.Record(Type.String(), Type.Array(EndpointSchema))),
    classifiers: Type.Optional(Type.Record(Type.String(), PluginUseSchema)),
    pools: Type.Optional(Type.Record(Type.String(), PoolSchema)),
    routes: Type.Optional(Type.Array(RouteSchema)),
  },
  { ...closed, title: "Switchyard router.config.yaml" },
);

export type ConfigFile = Static<typeof ConfigSchema>;
export type EndpointEntry = Static<typeof EndpointSchema>;
export type PoolEntry = Static<typeof PoolSchema>;
export type RouteEntry = Static<typeof RouteSchema>;
export type PluginUseEntry = Static<typeof PluginUseSchema>;
