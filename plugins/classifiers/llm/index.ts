// The `llm` classifier: asks a configured model to pick one label for the latest user turn, with a
// timeout, a fallback label and an LRU cache, through the gateway's own routing-free model calls.
//
// Settings (router.config.yaml):
//   model:        a public model id of this config; called directly, never through the routes
//   labels:       the closed set of answers, e.g. [coding, other]
//   fallback:     the label used on timeout, error or an answer outside `labels` (one of `labels`)
//   timeout:      how long a classification may take: ms, or "2s" / "500ms" (default 2000)
//   instructions: extra guidance appended to the system prompt (what each label means)
//   cache_size:   answers kept, least recently used dropped first (default 10000; 0 turns it off)
//   cache_ttl:    how long an answer is kept: ms, or "1h" / "30m" (default 1 h)
//
// Example:
//   classifiers:
//     intent:
//       use: llm
//       model: gpt-5-mini
//       labels: [coding, other]
//       fallback: other
//       timeout: 1500ms
//       instructions: "coding: writing, fixing or explaining software. other: everything else."

import type { Static } from "@sinclair/typebox";
import type { ChatRequest, ClassifierInstance, ClassifierPlugin, Kit, KitGateway } from "../../../core/kit/index.ts";
import { LabelCache, sha256Hex } from "./cache.ts";
import { buildSystemPrompt, createLabelParser, MAX_INPUT_CHARS } from "./prompt.ts";

/** Rejects when the signal aborts: the fallback arrives on time even if a call ignores its signal. */
function untilAborted(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  promise.catch(() => {});
  return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
}

export default (kit: Kit) => {
  const T = kit.Type;
  const Duration = (fallback: number, description: string) =>
    T.Union([T.Number({ exclusiveMinimum: 0 }), T.String({ pattern: kit.duration.pattern })], { default: fallback, description });
  const Settings = T.Object(
    {
      model: T.String({ minLength: 1, description: "public model id that answers the classification" }),
      labels: T.Array(T.String({ minLength: 1 }), { minItems: 1, uniqueItems: true, description: "the labels it may return" }),
      fallback: T.String({ minLength: 1, description: "label on timeout, error or an unknown answer" }),
      timeout: Duration(2000, "time allowed per classification"),
      instructions: T.Optional(T.String({ description: "extra guidance for the model" })),
      cache_size: T.Integer({ minimum: 0, default: 10_000, description: "answers kept (LRU)" }),
      cache_ttl: Duration(3_600_000, "how long an answer is kept"),
    },
    { additionalProperties: false },
  );
  type Settings = Static<typeof Settings>;

  return {
    kind: "classifier",
    name: "llm",
    description: "Labels the latest user turn by asking a model",
    settings: Settings,
    create(settings: Settings, kit: Kit): ClassifierInstance {
      const labels = [...settings.labels];
      if (!labels.includes(settings.fallback)) {
        throw kit.errors.badRequest(`llm: fallback "${settings.fallback}" is not one of the labels (${labels.join(", ")})`);
      }
      if (new Set(labels.map((label) => label.toLowerCase())).size !== labels.length) {
        throw kit.errors.badRequest(`llm: labels must differ in more than letter case (${labels.join(", ")})`);
      }
      const timeoutMs = kit.duration.ms(settings.timeout);
      const ttlMs = kit.duration.ms(settings.cache_ttl);
      if (!(timeoutMs > 0) || !(ttlMs > 0)) throw kit.errors.badRequest("llm: timeout and cache_ttl must be positive durations");
      // A timer waits at most 2^31-1 ms; past it, AbortSignal.timeout would fire at once.
      if (!(timeoutMs >= 1 && timeoutMs <= 2 ** 31 - 1)) throw kit.errors.badRequest("llm: timeout must be from 1ms to 596h (about 24.8 days, the longest a timer waits)");
      const parse = createLabelParser(labels);
      const system = buildSystemPrompt(labels, settings.instructions);
      const cache = new LabelCache(settings.cache_size, ttlMs, () => kit.now());
      const { model, fallback } = settings;

      /** Null stands for "no usable answer": the caller returns the fallback and caches nothing. */
      function failed(reason: string): null {
        kit.log.warn("llm classifier used its fallback label", { model, fallback, reason });
        return null;
      }

      async function ask(gateway: KitGateway, text: string, signal: AbortSignal): Promise<string | null> {
        const deadline = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
        const request: Omit<ChatRequest, "model" | "stream"> = {
          messages: [system, { role: "user", content: [{ type: "text", text: text.slice(0, MAX_INPUT_CHARS) }] }],
          maxTokens: 8,
          temperature: 0,
        };
        const aborted = untilAborted(deadline);
        try {
          const response = await Promise.race([gateway.complete(model, request, deadline), aborted.promise]);
          return parse(response.text) ?? failed(`answer ${JSON.stringify(response.text.slice(0, 80))} is not a label`);
        } catch (error) {
          if (deadline.aborted && !signal.aborted) return failed(`no answer within ${timeoutMs} ms`);
          return failed(error instanceof Error ? error.message : String(error));
        } finally {
          aborted.dispose();
        }
      }

      return {
        labels,
        async classify(request: ChatRequest, signal: AbortSignal): Promise<string> {
          const gateway = kit.gateway;
          if (!gateway) throw kit.errors.internal("llm classifier: the host offers no gateway for plugin model calls");
          const text = kit.latestUserText(request);
          if (text.trim() === "") return fallback;
          const key = await sha256Hex(text);
          const cached = cache.get(key);
          if (cached !== undefined) return cached;
          const label = await ask(gateway, text, signal);
          // Failures are not cached: that would pin a passing outage on this text for the whole TTL.
          if (label === null) return fallback;
          cache.set(key, label);
          return label;
        },
        close() {
          cache.clear();
        },
      };
    },
  } satisfies ClassifierPlugin<typeof Settings>;
};
