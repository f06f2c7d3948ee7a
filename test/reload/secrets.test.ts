// A plugin that says its secret settings aloud (a log line at create, an error quoting them) never
// gets one out of the process: not in the log at start or at a reload, nor in /admin/status, nor
// in an error a client is sent, whole or mid-stream.

import { afterEach, expect, test } from "bun:test";
import { writeFile } from "node:fs/promises";
import OpenAI from "openai";
import type { ReloadReport } from "../../core/runtime/runtime.ts";
import { openaiClient, startGateway, type Gateway } from "../gateway/harness.ts";

const ADMIN = "secrets-admin-key";
const KEY = "sk-loud-plugin-secret-4711";
const NEW_KEY = "sk-loud-plugin-secret-reloaded-0815";

/** Logs its key when created, refuses to be created when told to, and quotes its key in every failure. */
const LOUD_PROVIDER = `import type { Kit } from "switchyard/kit";

export default (kit: Kit) => ({
  kind: "provider",
  name: "loud",
  settings: kit.Type.Object({ api_key: kit.Type.String(), refuse: kit.Type.Boolean({ default: false }) }),
  create(settings: { api_key: string; refuse: boolean }) {
    kit.log.info("loud provider created", { key: settings.api_key });
    if (settings.refuse) throw new Error("refusing the key " + settings.api_key);
    return {
      async chat(request: { model: string; stream: boolean }) {
        if (!request.stream) throw kit.errors.upstream("the vendor refused " + settings.api_key);
        return (async function* () {
          yield { type: "start", id: "loud-1", model: request.model };
          yield { type: "text", text: "half an answer" };
          throw kit.errors.upstream("the vendor broke off for " + settings.api_key);
        })();
      },
    };
  },
});
`;

function config(key: string, refuse = false): string {
  return `
admin_key: "${ADMIN}"
plugins: [./plugins]
providers: { loud: { use: loud, api_key: "\${LOUD_KEY}", refuse: ${refuse} } }
models: { loud: [{ provider: loud, model: l, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`.replace("${LOUD_KEY}", key);
}

let gateway: Gateway | null = null;
afterEach(async () => {
  await gateway?.close();
  gateway = null;
});

test("a plugin logging its key at start, and failing with it in the message, whole or mid-stream, shows the client and the log no key", async () => {
  gateway = await startGateway(config("${LOUD_KEY}"), { env: { LOUD_KEY: KEY }, files: { "plugins/loud.ts": LOUD_PROVIDER } });
  const client = openaiClient(gateway);
  const whole = await client.chat.completions.create({ model: "loud", messages: [{ role: "user", content: "hi" }] }).catch((error: Error) => error);
  expect(whole).toBeInstanceOf(OpenAI.APIError);
  expect(JSON.stringify((whole as InstanceType<typeof OpenAI.APIError>).error)).not.toContain(KEY);
  expect((whole as Error).message).toContain("the vendor refused [redacted]");

  const stream = await client.chat.completions.create({ model: "loud", stream: true, messages: [{ role: "user", content: "hi" }] });
  const broken = await (async () => {
    for await (const _ of stream);
  })().catch((error: Error) => error);
  expect(broken).toBeInstanceOf(OpenAI.APIError);
  expect(JSON.stringify(broken)).not.toContain(KEY);
  expect((broken as Error).message).toContain("[redacted]");

  expect(gateway.logs.some((line) => line.includes("loud provider created"))).toBe(true);
  expect(gateway.logs.join("\n")).not.toContain(KEY);
});

test("a reload bringing a new key masks it in the log its plugin writes, and in /admin/status when the plugin fails with it", async () => {
  gateway = await startGateway(config(KEY), { files: { "plugins/loud.ts": LOUD_PROVIDER } });
  const reloaded = (next: string) => {
    const done = new Promise<ReloadReport>((resolve) => {
      const off = gateway!.runtime.onReload((report) => (off(), resolve(report)));
    });
    return writeFile(gateway!.configPath, next).then(() => gateway!.runtime.reload("admin")).then(() => done);
  };
  expect((await reloaded(config(NEW_KEY))).result).toBe("applied");
  expect((await reloaded(config(NEW_KEY, true))).result).toBe("failed");

  const status = await (await fetch(`${gateway.url}/admin/status`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
  expect(status).toContain("refusing the key [redacted]");
  expect(status).not.toContain(NEW_KEY);
  expect(gateway.logs.filter((line) => line.includes("loud provider created"))).toHaveLength(3);
  expect(gateway.logs.join("\n")).not.toContain(NEW_KEY);
});
