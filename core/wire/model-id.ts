// The longest model id a client may name. Real ids are short (`anthropic/claude-sonnet-4.5`, a
// Hugging Face repo and file); a longer one names no model, and would be kept whole in the
// ledger's row of its refusal and echoed in the 404 that names it.

export const MODEL_ID_MAX_LENGTH = 256;
