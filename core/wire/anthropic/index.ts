// The Anthropic Messages wire format, both directions: ingress decodes what providers encode.
export {};
