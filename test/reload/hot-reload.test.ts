// Hot reload: plugin files and config edits picked up by the file watcher without a restart; a
// broken plugin or config leaves the previous table serving, with diagnostics in /admin/status.

import { afterEach, describe, expect, test } from "bun:test";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createKit } from "../../core/kit/kit.ts";
import { createLogger } from "../../core/log.ts";
import { Runtime, type ReloadReport } from "../../core/runtime/runtime.ts";
import { builtinPlugins } from "../../plugins/builtin.ts";
import { chatBody, postJson, startGateway, writeConfigDir, type Gateway } from "../gateway/harness.ts";
import { BROKEN_PLUGIN, CHATLESS_PROVIDER, THROWING_PROVIDER, cannedProvider, refusingProvider } from "./plugin-files.ts";

const ADMIN = "reload-admin-key";
const BASE = `
admin_key: "${ADMIN}"
plugins: [./plugins]
providers: { demo: { use: echo } }
models:
  echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }]
`;
const ECHO_ONLY = `${BASE}routes: [{ name: direct, to: $model }]\n`;

function cannedConfig(suffix = ""): string {
  return `
admin_key: "${ADMIN}"
plugins: [./plugins]
providers:
  demo: { use: echo }
  mine: { use: canned, suffix: "${suffix}" }
models:
  echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }]
  canned: [{ provider: mine, model: c, price: { input: 0, output: 0 } }]
routes: [{ name: direct, to: $model }]
`;
}

let gateway: Gateway | null = null;
afterEach(async () => {
  await gateway?.close();
  gateway = null;
});

/** Resolves with the next reload that is not "unchanged" (editors write files in several steps). */
function nextReload(g: Gateway): Promise<ReloadReport> {
  return new Promise((resolve) => {
    const off = g.runtime.onReload((report) => {
      if (report.result === "unchanged") return;
      off();
      resolve(report);
    });
  });
}

async function ask(g: Gateway, model: string): Promise<{ status: number; text: string }> {
  const response = await postJson(`${g.url}/v1/chat/completions`, chatBody(model, "ping"));
  const body = (await response.json()) as { choices?: { message: { content: string } }[]; error?: { message: string } };
  return { status: response.status, text: body.choices?.[0]?.message.content ?? body.error?.message ?? "" };
}

async function status(g: Gateway) {
  const response = await fetch(`${g.url}/admin/status`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return (await response.json()) as { config_version: number; last_reload: ReloadReport; reloads: ReloadReport[] };
}

describe("hot reload from the file watcher", () => {
  test("a new plugin file and a config that uses it serve requests without a restart", async () => {
    gateway = await startGateway(ECHO_ONLY, { watch: true, files: { "plugins/": "" } });
    expect((await ask(gateway, "canned")).status).toBe(404);
    const reloaded = nextReload(gateway);
    await writeFile(join(gateway.dir, "plugins", "canned.ts"), cannedProvider("hello from a plugin"));
    await writeFile(gateway.configPath, cannedConfig());
    // The two writes may land in one debounced reload or two; wait until the plugin serves.
    let report = await reloaded;
    while (report.result !== "applied") report = await nextReload(gateway);
    expect(await ask(gateway, "canned")).toEqual({ status: 200, text: "hello from a plugin" });
  });

  test("editing a plugin file changes its behaviour on the next request", async () => {
    gateway = await startGateway(ECHO_ONLY, { watch: true, files: { "plugins/": "" } });
    await writeFile(join(gateway.dir, "plugins", "canned.ts"), cannedProvider("first version"));
    const first = nextReload(gateway);
    await writeFile(gateway.configPath, cannedConfig());
    expect((await first).result).toBe("applied");
    expect((await ask(gateway, "canned")).text).toBe("first version");
    const second = nextReload(gateway);
    await writeFile(join(gateway.dir, "plugins", "canned.ts"), cannedProvider("second version"));
    expect((await second).result).toBe("applied");
    expect((await ask(gateway, "canned")).text).toBe("second version");
  });

  test("a broken plugin and a broken config keep the old table serving and show diagnostics", async () => {
    gateway = await startGateway(ECHO_ONLY, { watch: true, files: { "plugins/": "" } });
    const pluginFailed = nextReload(gateway);
    await writeFile(join(gateway.dir, "plugins", "broken.ts"), BROKEN_PLUGIN);
    const pluginReport = await pluginFailed;
    expect(pluginReport.result).toBe("failed");
    expect(pluginReport.diagnostics.join("\n")).toContain("broken.ts");
    expect(pluginReport.diagnostics.join("\n")).toContain("missing `name`");
    expect(await ask(gateway, "echo")).toMatchObject({ status: 200 });

    const configFailed = nextReload(gateway);
    await writeFile(gateway.configPath, ECHO_ONLY.replace("routes: [{ name: direct, to: $model }]", "routes:\n  - name: direct\n    to: $model\n    fallbak: [echo]"));
    const configReport = await configFailed;
    expect(configReport.result).toBe("failed");
    expect(await ask(gateway, "echo")).toMatchObject({ status: 200 });
    const shown = await status(gateway);
    expect(shown.config_version).toBe(1);
    expect(shown.last_reload.result).toBe("failed");
    const text = shown.last_reload.diagnostics.join("\n");
    expect(text).toMatch(/router\.config\.yaml:\d+:\d+ unknown-key/);
    expect(text).toContain('did you mean "fallback"');
  });
});

describe("reload triggers", () => {
  test("POST /admin/reload applies an edited config and a reload that changes nothing does no work", async () => {
    gateway = await startGateway(ECHO_ONLY, { files: { "plugins/": "" } });
    const unchanged = (await (await fetch(`${gateway.url}/admin/reload`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}` } })).json()) as ReloadReport;
    expect(unchanged.result).toBe("unchanged");
    await writeFile(gateway.configPath, ECHO_ONLY.replace("name: direct", "name: renamed"));
    const applied = (await (await fetch(`${gateway.url}/admin/reload`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}` } })).json()) as ReloadReport;
    expect(applied.result).toBe("applied");
    const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("echo", "hi"));
    expect(response.headers.get("x-switchyard-route")).toBe("renamed");
  });

  test("a config file emptied (a truncating save) fails the reload, and the old table, admin key and all, keeps serving", async () => {
    gateway = await startGateway(ECHO_ONLY, { files: { "plugins/": "" } });
    await writeFile(gateway.configPath, "");
    const report = await gateway.runtime.reload("admin");
    expect(report.result).toBe("failed");
    expect(report.diagnostics.join("\n")).toContain("missing-key: the config file is empty");
    expect(await ask(gateway, "echo")).toMatchObject({ status: 200 });
    expect((await status(gateway)).last_reload.result).toBe("failed");
  });

  test("a plugin whose create() throws, or returns no chat(), fails the reload by name and the old table keeps serving", async () => {
    gateway = await startGateway(ECHO_ONLY, {
      files: { "plugins/regional.ts": refusingProvider("no such region: "), "plugins/chatless.ts": CHATLESS_PROVIDER },
    });
    const reload = async () =>
      (await (await fetch(`${gateway!.url}/admin/reload`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}` } })).json()) as ReloadReport;
    const using = (providers: string) => ECHO_ONLY.replace("providers: { demo: { use: echo } }", `providers: { demo: { use: echo }, ${providers} }`);

    await writeFile(gateway.configPath, using('far: { use: regional, region: "mars" }, bare: { use: chatless }'));
    const report = await reload();
    expect(report.result).toBe("failed");
    const text = report.diagnostics.join("\n");
    expect(text).toContain('provider "far": plugin "regional" failed in create: no such region: mars');
    expect(text).toContain('provider "bare": plugin "chatless": create() returned no `chat` function');
    expect(await ask(gateway, "echo")).toMatchObject({ status: 200 });
    expect((await status(gateway)).config_version).toBe(1);

    await writeFile(gateway.configPath, using('far: { use: regional, region: "eu" }'));
    expect((await reload()).result).toBe("applied");
    expect((await status(gateway)).config_version).toBe(2);
  });

  test("/admin/reload answers 401 without the admin key", async () => {
    gateway = await startGateway(ECHO_ONLY, { files: { "plugins/": "" } });
    const response = await fetch(`${gateway.url}/admin/reload`, { method: "POST" });
    expect(response.status).toBe(401);
  });

  test("anywhere under /admin, a path or method it does not serve included, is a 401 without the admin key", async () => {
    gateway = await startGateway(ECHO_ONLY, { files: { "plugins/": "" } });
    const admin = { authorization: `Bearer ${ADMIN}` };
    for (const [method, path] of [["GET", "/admin/reload"], ["DELETE", "/admin/keys"], ["GET", "/admin/nowhere"], ["GET", "/admin"]] as const) {
      expect((await fetch(`${gateway.url}${path}`, { method })).status).toBe(401);
    }
    // With the key, the admin learns what is there.
    const wrongMethod = await fetch(`${gateway.url}/admin/reload`, { headers: admin });
    expect([wrongMethod.status, wrongMethod.headers.get("allow")]).toEqual([405, "POST"]);
    expect((await fetch(`${gateway.url}/admin/nowhere`, { headers: admin })).status).toBe(404);
  });
});


describe("a provider plugin with a bug", () => {
  test("that throws is tried past to the next candidate, and with none left is the plugin_failed 500 it names", async () => {
    gateway = await startGateway(
      `admin_key: "${ADMIN}"
plugins: [./plugins]
providers: { demo: { use: echo }, bad: { use: thrower } }
models:
  echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }]
  broken: [{ provider: bad, model: b, price: { input: 0, output: 0 } }]
routes:
  - { name: rescued, when: model == "rescued", to: broken, fallback: [echo] }
  - { name: direct, to: $model }
`,
      { files: { "plugins/thrower.ts": THROWING_PROVIDER } },
    );
    expect(await ask(gateway, "rescued")).toMatchObject({ status: 200 });
    const alone = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("broken", "ping"));
    const body = (await alone.json()) as { error: { code: string; message: string } };
    expect([alone.status, body.error.code]).toEqual([500, "plugin_failed"]);
    expect(body.error.message).toContain('plugin "bad" failed in chat: kaput');
  });
});

describe("a reload that moves the listening address", () => {
  test("is applied but for the address, which the report says stays until a restart, and says so again at the next reload", async () => {
    const echo = "providers: { demo: { use: echo } }\nmodels: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }\nroutes: [{ name: direct, to: $model }]\n";
    const { dir, configPath } = await writeConfigDir(`server: { port: 18907 }\n${echo}`);
    const runtime = await Runtime.start({ configPath, env: {}, builtins: builtinPlugins, kit: createKit({ log: createLogger({ write: () => {} }) }), storage: "sqlite::memory:" });
    try {
      const moved = ["server.port: the gateway keeps listening where it started until it restarts; 18917 takes effect then"];
      await writeFile(configPath, `server: { port: 18917 }\n${echo}`);
      expect(await runtime.reload("admin")).toMatchObject({ result: "applied", diagnostics: moved });
      await writeFile(configPath, `server: { port: 18917 }\n${echo.replace("direct", "renamed")}`);
      expect(await runtime.reload("admin")).toMatchObject({ result: "applied", diagnostics: moved });
    } finally {
      await runtime.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("a reload that names another storage", () => {
  test("is applied but for the storage, which the report says stays until a restart, a password left out", async () => {
    const echo = "providers: { demo: { use: echo } }\nmodels: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }\nroutes: [{ name: direct, to: $model }]\n";
    const { dir, configPath } = await writeConfigDir(`storage: sqlite:./first.db\n${echo}`);
    const runtime = await Runtime.start({ configPath, env: {}, builtins: builtinPlugins, kit: createKit({ log: createLogger({ write: () => {} }) }) });
    try {
      await writeFile(configPath, `storage: "postgres://ledger:hunter2@127.0.0.1:5432/other"\n${echo.replace("direct", "renamed")}`);
      const report = await runtime.reload("admin");
      expect(report.result).toBe("applied");
      expect(runtime.snapshot.graph.routes[0]!.name).toBe("renamed");
      expect(report.diagnostics).toEqual([
        `storage: the ledger stays on sqlite:${join(dir, "first.db")} until the gateway restarts; postgres://ledger@127.0.0.1:5432/other takes effect then`,
      ]);
    } finally {
      await runtime.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
