// Configs for gateway tests: the fake vendors' URLs stand where the real vendors' would.

import { afterAll } from "bun:test";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import type { FakeReply, FakeServer } from "../fakes/base.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { startGateway, type Gateway } from "./harness.ts";

export interface FakeUrls {
  openai: string;
  anthropic: string;
  gemini?: string;
}

export function vendorConfig(urls: FakeUrls, extra = ""): string {
  return `
version: 1
auth: { use: none }
providers:
  anthropic: { use: anthropic, api_key: "sk-ant-test-secret", base_url: "${urls.anthropic}" }
  openai: { use: openai, api_key: "sk-openai-test-secret", base_url: "${urls.openai}/v1" }
  ${urls.gemini ? `gemini: { use: gemini, api_key: "gemini-test-secret", base_url: "${urls.gemini}/v1beta" }` : ""}
models:
  claude-sonnet:
    - { provider: anthropic, model: claude-sonnet-4-5, price: { input: 3, output: 15, web_search: 10 }, context: 200000, timeout: 2s }
  gpt-5-mini:
    - { provider: openai, model: gpt-5-mini, price: { input: 0.25, output: 2 }, context: 400000, timeout: 2s }
  ${urls.gemini ? "gemini-flash:\n    - { provider: gemini, model: gemini-2.5-flash, price: { input: 0.3, output: 2.5 } }" : ""}
classifiers:
  intent: { use: keywords, labels: { coding: ["refactor"] } }
routes:
  - name: coding
    when: intent == "coding"
    to: claude-sonnet
    fallback: [gpt-5-mini]
  - name: direct
    to: $model
    fallback: [gpt-5-mini]
${extra}`;
}

export interface Vendors {
  openaiFake: FakeServer<FakeReply>;
  anthropicFake: FakeServer<FakeReply>;
  gateway: Gateway;
  close(): Promise<void>;
}

/** Fake OpenAI and Anthropic vendors with a gateway in front of them, on `vendorConfig`. */
export async function startVendors(): Promise<Vendors> {
  const openaiFake = startFakeOpenAI();
  const anthropicFake = startFakeAnthropic();
  const gateway = await startGateway(vendorConfig({ openai: openaiFake.url, anthropic: anthropicFake.url }));
  return {
    openaiFake,
    anthropicFake,
    gateway,
    async close() {
      await gateway.close();
      await openaiFake.close();
      await anthropicFake.close();
    },
  };
}

/** `startVendors` for a whole test file (awaited at its top level): closed after its last test. */
export async function vendorSuite(): Promise<Vendors> {
  const vendors = await startVendors();
  afterAll(() => vendors.close());
  return vendors;
}
