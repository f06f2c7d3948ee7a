// OpenAI's Responses API, both ways: as an ingress dialect (requests in, responses and their events
// out) and as an upstream (createResponsesProvider).

export { ResponsesBody } from "./schema.ts";
export { decodeRequest } from "./request.ts";
export { encodeResponse } from "./response.ts";
export { StreamEncoder } from "./stream.ts";
export { decodeUpstreamResponse, encodeUpstreamRequest, UpstreamStreamDecoder } from "./upstream.ts";
export { createResponsesProvider } from "./provider.ts";
