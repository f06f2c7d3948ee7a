// OpenAI's Responses API, as an ingress dialect: requests in, responses and their events out.

export { ResponsesBody } from "./schema.ts";
export { decodeRequest } from "./request.ts";
export { encodeResponse } from "./response.ts";
export { StreamEncoder } from "./stream.ts";
