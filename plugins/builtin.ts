// The built-in plugins, compiled into the binary. They use the same contract as a user's plugin.

import type { BuiltinPlugin } from "../core/plugins/registry.ts";
import apiKeys from "./auth/api-keys/index.ts";
import noAuth from "./auth/none/index.ts";
import staticKeys from "./auth/static/index.ts";
import keywords from "./classifiers/keywords/index.ts";
import llm from "./classifiers/llm/index.ts";
import flatFee from "./fees/flat/index.ts";
import noFee from "./fees/none/index.ts";
import percentageFee from "./fees/percentage/index.ts";
import anthropic from "./providers/anthropic/index.ts";
import echo from "./providers/echo/index.ts";
import gemini from "./providers/gemini/index.ts";
import openaiCompatible from "./providers/openai-compatible/index.ts";
import openai from "./providers/openai/index.ts";

export const builtinPlugins: readonly BuiltinPlugin[] = [
  { source: "built-in providers/openai", exported: openai },
  { source: "built-in providers/openai-compatible", exported: openaiCompatible },
  { source: "built-in providers/anthropic", exported: anthropic },
  { source: "built-in providers/gemini", exported: gemini },
  { source: "built-in providers/echo", exported: echo },
  { source: "built-in auth/none", exported: noAuth },
  { source: "built-in auth/api-keys", exported: apiKeys },
  { source: "built-in auth/static", exported: staticKeys },
  { source: "built-in fees/none", exported: noFee },
  { source: "built-in fees/percentage", exported: percentageFee },
  { source: "built-in fees/flat", exported: flatFee },
  { source: "built-in classifiers/keywords", exported: keywords },
  { source: "built-in classifiers/llm", exported: llm },
];
