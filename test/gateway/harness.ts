// Starts a real gateway on 127.0.0.1:0 with a config written for the test, in front of fake vendors.

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { createKit } from "../../core/kit/kit.ts";
import { createLogger } from "../../core/log.ts";
import type { ReloadReport } from "../../core/runtime/runtime.ts";
import { serve, type RunningServer } from "../../core/server/serve.ts";
import type { StatsOptions } from "../../core/stats/index.ts";
import { builtinPlugins } from "../../plugins/builtin.ts";

export interface Gateway extends RunningServer {
  dir: string;
  configPath: string;
  logs: string[];
  close(): Promise<void>;
}

export interface GatewayOptions {
  env?: Record<string, string>;
  storage?: string;
  watch?: boolean;
  stats?: StatsOptions;
  /** How long a plugin module's import and each `create` may take (30 s by default). */
  pluginTimeLimitMs?: number;
  /** The server's idle timeout in seconds (Bun's most, 255, by default). */
  idleTimeoutS?: number;
  /** Files to write beside the config before the gateway starts, as for `writeConfigDir`. */
  files?: Record<string, string>;
}

/** A fresh temp folder with `router.config.yaml` and `files` beside it (relative path → content; "" + "/" for a folder). */
export async function writeConfigDir(config: string, files: Record<string, string> = {}): Promise<{ dir: string; configPath: string }> {
  const dir = await mkdtemp(join(tmpdir(), "switchyard-test-"));
  const configPath = join(dir, "router.config.yaml");
  await writeFile(configPath, config);
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    if (path.endsWith("/")) await mkdir(target, { recursive: true });
    else await mkdir(dirname(target), { recursive: true }).then(() => writeFile(target, content));
  }
  return { dir, configPath };
}

export async function startGateway(config: string, options: GatewayOptions = {}): Promise<Gateway> {
  const { dir, configPath } = await writeConfigDir(config, options.files);
  const logs: string[] = [];
  const log = createLogger({ write: (line) => logs.push(line) });
  const server = await serve({
    configPath,
    env: options.env ?? {},
    builtins: builtinPlugins,
    kit: createKit({ log }),
    log,
    storage: options.storage ?? "sqlite::memory:",
    port: 0,
    watch: options.watch ?? false,
    stats: options.stats,
    pluginTimeLimitMs: options.pluginTimeLimitMs,
    idleTimeoutS: options.idleTimeoutS,
    signals: false,
  });
  return {
    ...server,
    dir,
    configPath,
    logs,
    async close() {
      await server.stop(1000);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `POST /admin/reload` with the admin key: the reload's report. */
export async function adminReload(gateway: { url: string }, adminKey: string): Promise<ReloadReport> {
  const response = await fetch(`${gateway.url}/admin/reload`, { method: "POST", headers: { authorization: `Bearer ${adminKey}` } });
  return (await response.json()) as ReloadReport;
}

/** The text a gateway answers a one-line chat to `model` with ("" when it answers none: an error). */
export async function answerText(gateway: { url: string }, model: string, content = "ping"): Promise<string> {
  const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody(model, content));
  const body = (await response.json()) as { choices?: { message: { content: string } }[] };
  return body.choices?.[0]?.message.content ?? "";
}

/** A chat body the way the OpenAI SDK sends it. */
export function chatBody(model: string, content: string, extra: Record<string, unknown> = {}) {
  return { model, messages: [{ role: "user", content }], ...extra };
}

/** `init` adds to the request (a `signal`, say). */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}, init: RequestInit = {}) {
  return fetch(url, { ...init, method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

/** What an OpenAI SDK stream said: its text, and the usage of its last chunk that had one. */
export async function readChatStream(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<{ text: string; usage?: OpenAI.CompletionUsage }> {
  let text = "";
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? "";
    usage = chunk.usage ?? usage;
  }
  return { text, usage };
}

/** A request's ledger row as `GET /v1/generation` shows it: the fields tests read. */
export interface GenerationRow {
  attempts: { endpoint: string; status: number }[];
  provider_name: string;
  status: number;
  error_code: string | null;
  ttft: number | null;
  tokens_prompt: number;
  total_cost: number;
}

export async function generation(gateway: { url: string }, id: string): Promise<GenerationRow> {
  const response = await fetch(`${gateway.url}/v1/generation?id=${id}`);
  return ((await response.json()) as { data: GenerationRow }).data;
}

/** The attempts the ledger recorded for the request `response` answered, as [endpoint, status] pairs. */
export async function attemptsOf(gateway: { url: string }, response: Response): Promise<[string, number][]> {
  const row = await generation(gateway, response.headers.get("x-request-id")!);
  return row.attempts.map((a) => [a.endpoint, a.status]);
}

/** An OpenAI SDK client of the gateway, without the SDK's retries: each test sees the first answer. */
export function openaiClient(gateway: { url: string }, apiKey = "unused"): OpenAI {
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
}

/** An Anthropic SDK client of the gateway, as openaiClient; `options` adds to its settings (a fetch that watches the bytes). */
export function anthropicClient(gateway: { url: string }, options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}): Anthropic {
  return new Anthropic({ baseURL: gateway.url, apiKey: "unused", maxRetries: 0, ...options });
}

/** One user turn streamed through the Anthropic SDK and read to its final message, with the response it came on. */
export async function streamedMessage(gateway: { url: string }, model: string, content: string, options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}) {
  const { data: stream, response } = await anthropicClient(gateway, options)
    .messages.stream({ model, max_tokens: 100, messages: [{ role: "user", content }] })
    .withResponse();
  return { message: await stream.finalMessage(), response };
}
