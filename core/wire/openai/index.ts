// The OpenAI Chat Completions wire format, both directions: ingress decodes what providers encode.
export {};
