// Public entry of the plugin kit: the only module plugins import from (types, mostly).

export * from "./canonical.ts";
export * from "./plugin.ts";
export type { Kit, KitGateway, KitKeyStore, KitLogger } from "./kit.ts";
export type { KitHttp } from "./http.ts";
export type { SseMessage, StreamDecoder } from "./sse.ts";
export type { ErrorCode, ErrorMetadata, SwitchyardError } from "../errors.ts";
