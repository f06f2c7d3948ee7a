// CORS for browser clients: a preflight from an allowed origin to any path, and the origin on every
// answer (JSON, streams, errors, the framework's routes); another origin, or any with no
// `server.cors`, refused all but reads, and a reload turns it on and off.

import { afterAll, describe, expect, test } from "bun:test";
import { writeFile } from "node:fs/promises";
import { createApp } from "../../core/server/app.ts";
import { chatBody, startGateway } from "./harness.ts";

const APP = "https://app.example.com";
const config = (cors: string) => `${cors}
providers: { demo: { use: echo } }
models: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`;

const gateway = await startGateway(config(`server: { cors: ["${APP}"] }`));
afterAll(() => gateway.close());

const post = (path: string, body: unknown, origin = APP) =>
  fetch(`${gateway.url}${path}`, { method: "POST", headers: { origin, "content-type": "application/json" }, body: JSON.stringify(body) });

describe("with server.cors", () => {
  test("a preflight from an allowed origin is answered for the chat endpoints and the rest, with the headers the page asked to send", async () => {
    for (const path of ["/v1/chat/completions", "/v1/messages", "/api/v1/chat/completions", "/v1/models"]) {
      const response = await fetch(`${gateway.url}${path}`, {
        method: "OPTIONS",
        headers: { origin: APP, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type, anthropic-version" },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe(APP);
      expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST");
      expect(response.headers.get("access-control-allow-headers")).toBe("authorization, content-type, anthropic-version");
      expect(response.headers.get("vary")).toBe("Origin");
    }
  });

  test("JSON answers, streams, errors and the model list carry the origin and expose the gateway's headers", async () => {
    const answers = [
      await post("/v1/chat/completions", chatBody("echo", "hi")),
      await post("/v1/chat/completions", { ...chatBody("echo", "hi"), stream: true }),
      await post("/v1/chat/completions", chatBody("no-such-model", "hi")),
      await post("/v1/messages/count_tokens", { model: "echo", messages: [{ role: "user", content: "hi" }] }),
      await fetch(`${gateway.url}/v1/models`, { headers: { origin: APP } }),
      await fetch(`${gateway.url}/v1/nowhere`, { headers: { origin: APP } }),
    ];
    expect(answers.map((response) => response.status)).toEqual([200, 200, 404, 200, 200, 404]);
    for (const response of answers) {
      await response.arrayBuffer();
      expect(response.headers.get("access-control-allow-origin")).toBe(APP);
      expect(response.headers.get("access-control-expose-headers")).toContain("x-request-id");
    }
  });

  test("in process, through the framework's own route, the answer says Vary: Origin once", async () => {
    const app = createApp(gateway.runtime);
    const request = new Request("http://gateway/v1/chat/completions", { method: "POST", headers: { origin: APP, "content-type": "application/json" }, body: JSON.stringify(chatBody("echo", "hi")) });
    const response = await app.handle(request);
    expect([response.status, response.headers.get("access-control-allow-origin"), response.headers.get("vary")]).toEqual([200, APP, "Origin"]);
  });

  test("another origin's page is refused anything but a read, in its dialect's shape, with no CORS header, and its preflight gets the path's 405", async () => {
    const answer = await post("/v1/chat/completions", chatBody("echo", "hi"), "https://elsewhere.example");
    expect(answer.status).toBe(403);
    expect(((await answer.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: "forbidden",
      message: 'a browser page from "https://elsewhere.example" may not call the gateway: list its origin under server.cors',
    });
    expect(answer.headers.has("access-control-allow-origin")).toBe(false);
    const messages = await post("/v1/messages", { model: "echo", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }, "null");
    expect([messages.status, ((await messages.json()) as { type: string }).type]).toEqual([403, "error"]);
    const reload = await fetch(`${gateway.url}/admin/reload`, { method: "POST", headers: { origin: "https://elsewhere.example" } });
    expect(reload.status).toBe(403);
    // A read is the browser's to keep from the page: without the CORS header the page cannot see it.
    const models = await fetch(`${gateway.url}/v1/models`, { headers: { origin: "https://elsewhere.example" } });
    expect([models.status, models.headers.has("access-control-allow-origin")]).toEqual([200, false]);
    const preflight = await fetch(`${gateway.url}/v1/chat/completions`, { method: "OPTIONS", headers: { origin: "https://elsewhere.example" } });
    expect(preflight.status).toBe(405);
    expect(preflight.headers.has("access-control-allow-origin")).toBe(false);
  });

  test("a reload turns it off, and \"*\" allows any origin", async () => {
    await writeFile(gateway.configPath, config(""));
    expect((await gateway.runtime.reload("admin")).result).toBe("applied");
    const off = await post("/v1/chat/completions", chatBody("echo", "hi"));
    expect(off.status).toBe(403);
    expect(off.headers.has("access-control-allow-origin")).toBe(false);
    // With no server.cors, a page's form post (text/plain, no preflight) spends nothing; clients that are no browser send no Origin.
    const form = await fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", headers: { origin: "https://evil.example", "content-type": "text/plain" }, body: JSON.stringify(chatBody("echo", "hi")) });
    expect(form.status).toBe(403);
    const plain = await fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(chatBody("echo", "hi")) });
    expect(plain.status).toBe(200);

    await writeFile(gateway.configPath, config('server: { cors: ["*"] }'));
    expect((await gateway.runtime.reload("admin")).result).toBe("applied");
    const any = await post("/v1/chat/completions", chatBody("echo", "hi"), "http://localhost:5173");
    expect(any.headers.get("access-control-allow-origin")).toBe("*");
    expect(any.headers.has("vary")).toBe(false);
  });
});
