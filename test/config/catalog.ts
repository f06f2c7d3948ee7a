// A small plugin catalog of fake entries for compiler tests, shaped like the built-in plugins.

import { Type } from "@sinclair/typebox";
import type { PluginCatalog, PluginCatalogEntry } from "../../core/config/compile.ts";
import { DURATION_PATTERN } from "../../core/duration.ts";
import type { PluginKind } from "../../core/kit/plugin.ts";

const keyed = (base_url: string) =>
  Type.Object({ api_key: Type.String(), base_url: Type.String({ default: base_url }) }, { additionalProperties: false });

const entries: PluginCatalogEntry[] = [
  { kind: "provider", name: "openai", settings: keyed("https://api.openai.com/v1") },
  { kind: "provider", name: "anthropic", settings: keyed("https://api.anthropic.com") },
  { kind: "provider", name: "gemini", settings: keyed("https://generativelanguage.googleapis.com/v1beta") },
  {
    kind: "provider",
    name: "openai-compatible",
    settings: Type.Object(
      { base_url: Type.String(), api_key: Type.Optional(Type.String()), headers: Type.Optional(Type.Record(Type.String(), Type.String())) },
      { additionalProperties: false },
    ),
  },
  { kind: "provider", name: "echo", settings: Type.Object({}) },
  // A user's plugin with a setting made from the kit's duration pattern, and no description.
  { kind: "provider", name: "paced", settings: Type.Object({ pause: Type.Optional(Type.String({ pattern: DURATION_PATTERN })) }) },
  { kind: "auth", name: "none", settings: Type.Object({}) },
  { kind: "auth", name: "api-keys", settings: Type.Object({}) },
  { kind: "fee", name: "none", settings: Type.Object({}) },
  { kind: "fee", name: "percentage", settings: Type.Object({ rate: Type.Number({ minimum: 0 }) }) },
  {
    kind: "classifier",
    name: "keywords",
    settings: Type.Object({ labels: Type.Record(Type.String(), Type.Array(Type.String())) }),
    labels: (settings) => {
      const labels = settings.labels as Record<string, string[]>;
      for (const [label, words] of Object.entries(labels)) if (words.length === 0) throw new Error(`label "${label}" has no keywords`);
      return [...Object.keys(labels), "other"];
    },
  },
];

export const testCatalog: PluginCatalog = {
  get: (kind: PluginKind, name: string) => entries.find((e) => e.kind === kind && e.name === name),
  names: (kind: PluginKind) => entries.filter((e) => e.kind === kind).map((e) => e.name),
};
