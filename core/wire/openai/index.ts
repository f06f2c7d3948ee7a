// The OpenAI Chat Completions wire format, both directions: ingress decodes what providers encode.

export { ChatCompletionBody, ContentPartBody, MessageBody, ProviderPreferences } from "./schema.ts";
export { decodeRequest, encodeRequest, OPENAI_FIELDS, requestBody, type DecodedRequest, type EncodeRequestOptions } from "./request.ts";
export { decodeFinishReason, decodeResponse, decodeUsage, encodeResponse, encodeUsage } from "./response.ts";
export { decodeStream, decodeStreamBody, StreamEncoder } from "./stream.ts";
export { decodeError, readVendorError, type VendorError } from "./error.ts";
export { createChatProvider, type ChatProviderOptions } from "./provider.ts";
