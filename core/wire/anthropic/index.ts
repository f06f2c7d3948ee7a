// The Anthropic Messages wire format, both directions: ingress decodes what providers encode.

export { CountTokensBody, MessagesBody } from "./schema.ts";
export { countTokensBody, decodeRequest, encodeRequest, requestBody } from "./request.ts";
export { decodeResponse, encodeResponse, decodeUsage, encodeUsage, finishFromStopReason, stopReasonFor } from "./response.ts";
export type { AnthropicUsage } from "./response.ts";
export { decodeStream, decodeStreamBody } from "./stream-decode.ts";
export { StreamEncoder } from "./stream-encode.ts";
export { encodeError, decodeError } from "./errors.ts";
