// The single binary: built with `bun build --compile`, run from a folder with no node_modules, it
// checks the config, creates keys, serves a chat request and loads a user plugin from disk, and
// reloads a folder plugin whose helper was edited.

import { afterAll, beforeAll, expect, test } from "bun:test";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { chatBody, postJson, writeConfigDir } from "../gateway/harness.ts";
import { PURGE_DELAY_VARIABLE, SERVER_PURGE_DELAY_MS } from "../../core/cli/server-environment.ts";
import { environmentOf, ROOT, spawnGateway, withoutServerSettings } from "../gateway/process.ts";
import { HELPED_PROVIDER_INDEX, cannedProvider, helperModule } from "../reload/plugin-files.ts";

const ADMIN = "binary-admin-key";
const CONFIG = `
storage: sqlite:./data/switchyard.db
admin_key: "${ADMIN}"
auth: { use: api-keys }
plugins: [./plugins]
providers:
  mine: { use: canned }
  plain: { use: plain-greeter, greeting: "hello from a plain object" }
  helped: { use: helped }
models:
  canned: [{ provider: mine, model: c, price: { input: 1, output: 1 } }]
  plain: [{ provider: plain, model: p, price: { input: 1, output: 1 } }]
  helped: [{ provider: helped, model: h, price: { input: 1, output: 1 } }]
routes: [{ name: direct, to: $model }]
`;

/** The plain-object form, which has no kit.Type at hand: its settings are plain JSON Schema. */
const PLAIN_OBJECT_PROVIDER = `export default {
  kind: "provider",
  name: "plain-greeter",
  settings: { type: "object", properties: { greeting: { type: "string" } }, required: ["greeting"] },
  create(settings: { greeting: string }) {
    return {
      async chat(request: { model: string }) {
        return { id: "plain-1", model: request.model, created: 0, text: settings.greeting, toolCalls: [], finishReason: "stop", usage: { inputTokens: 1, outputTokens: 1 } };
      },
    };
  },
};
`;

let dir: string;
let binary: string;

beforeAll(async () => {
  ({ dir } = await writeConfigDir(CONFIG, {
    "plugins/canned.ts": cannedProvider("answered by a plugin on disk"),
    "plugins/plain.ts": PLAIN_OBJECT_PROVIDER,
    "plugins/multi/index.ts": HELPED_PROVIDER_INDEX,
    "plugins/multi/helper.ts": helperModule("helper, first version"),
  }));
  binary = join(dir, "switchyard");
  const build = Bun.spawnSync([process.execPath, "build", "main.ts", "--compile", "--outfile", binary], { cwd: ROOT, stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr.toString()}`);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const result = Bun.spawnSync([binary, ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  return { code: result.exitCode, out: result.stdout.toString(), err: result.stderr.toString() };
}

test("the binary checks the config, including a user plugin's settings", () => {
  const checked = run("check");
  expect(checked.code).toBe(0);
  expect(checked.out).toContain("mine (canned)");
});

test("the binary creates a key and serves a chat request through a plugin loaded from disk", async () => {
  const created = run("keys", "create", "--name", "binary-test", "--json");
  expect(created.code).toBe(0);
  const { key } = JSON.parse(created.out) as { key: string };
  const { child: server, url } = await spawnGateway([binary], [], dir, withoutServerSettings());
  try {
    // The binary restarted itself in place with the server's allocator setting (core/cli/server-environment.ts).
    if (process.platform === "linux") expect(environmentOf(server.pid)[PURGE_DELAY_VARIABLE]).toBe(String(SERVER_PURGE_DELAY_MS));
    const response = await postJson(`${url}/v1/chat/completions`, chatBody("canned", "hi"), { authorization: `Bearer ${key}` });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]!.message.content).toBe("answered by a plugin on disk");
    const plain = await postJson(`${url}/v1/chat/completions`, chatBody("plain", "hi"), { authorization: `Bearer ${key}` });
    expect(((await plain.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe("hello from a plain object");
  } finally {
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }
  const listed = run("keys", "list", "--json");
  expect(JSON.parse(listed.out)[0]).toMatchObject({ name: "binary-test", disabled: false });
  const usage = run("usage", "--by", "model", "--json");
  expect(JSON.parse(usage.out)).toContainEqual(expect.objectContaining({ group: "canned", requests: 1 }));
}, 60_000);

test("the binary reloads a folder plugin whose helper was edited, with the helper's new code", async () => {
  const created = run("keys", "create", "--name", "binary-reload", "--json");
  const { key } = JSON.parse(created.out) as { key: string };
  const { child: server, url } = await spawnGateway([binary], ["--no-watch"], dir, withoutServerSettings());
  const answer = async () => {
    const response = await postJson(`${url}/v1/chat/completions`, chatBody("helped", "hi"), { authorization: `Bearer ${key}` });
    return ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
  };
  try {
    expect(await answer()).toBe("helper, first version");
    await writeFile(join(dir, "plugins", "multi", "helper.ts"), helperModule("helper, second version"));
    const reload = await fetch(`${url}/admin/reload`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}` } });
    expect(((await reload.json()) as { result: string }).result).toBe("applied");
    expect(await answer()).toBe("helper, second version");
  } finally {
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }
}, 60_000);
