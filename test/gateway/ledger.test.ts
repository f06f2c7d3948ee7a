// Keys, credits, fees and usage through the running gateway, on SQLite and on PostgreSQL.

import { afterAll, describe, expect, test } from "bun:test";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { testStorages } from "../storages.ts";
import { chatBody, openaiClient, postJson, startGateway, type Gateway } from "./harness.ts";

const fake = startFakeOpenAI({ kind: "reply", reply: { text: "ok", usage: { input: 1000, output: 500 } } });
const storages = await testStorages();
afterAll(async () => {
  await fake.close();
  for (const storage of storages) await storage.cleanup();
});

const ADMIN = "admin-secret-for-tests";

function config(fees: string) {
  return `
version: 1
admin_key: "${ADMIN}"
auth: { use: api-keys }
fees: ${fees}
providers:
  openai: { use: openai, api_key: "sk-openai-ledger", base_url: "${fake.url}/v1" }
models:
  gpt-5-mini: [{ provider: openai, model: gpt-5-mini, price: { input: 3, output: 15 } }]
  metered: [{ provider: openai, model: metered, price: { input: 0, output: 1000 } }]
  reader: [{ provider: openai, model: reader, price: { input: 1000, output: 0 } }]
routes:
  - { name: direct, to: $model }
`;
}

/** What `GET /v1/key` says of the key (of the anonymous caller, with none). */
async function keyInfo(gateway: Gateway, key?: string): Promise<{ usage: number; limit: number | null; limit_remaining: number | null; rate_limit: unknown }> {
  const response = await fetch(`${gateway.url}/v1/key`, key ? { headers: { authorization: `Bearer ${key}` } } : {});
  return ((await response.json()) as { data: Awaited<ReturnType<typeof keyInfo>> }).data;
}

async function createKey(gateway: Gateway, body: Record<string, unknown>): Promise<string> {
  const response = await postJson(`${gateway.url}/admin/keys`, body, { authorization: `Bearer ${ADMIN}` });
  expect(response.status).toBe(200);
  return ((await response.json()) as { key: string }).key;
}

for (const storage of storages) {
  describe(`ledger through the gateway on ${storage.name}`, () => {
    test("a 5% fee is recorded exactly and reported by /v1/generation and usage.cost", async () => {
      const gateway = await startGateway(config("{ use: percentage, rate: 0.05 }"), { storage: await storage.fresh() });
      try {
        const key = await createKey(gateway, { name: "billing" });
        expect(key.startsWith("sk-sy-")).toBe(true);
        const client = openaiClient(gateway, key);
        const completion = await client.chat.completions.create({ model: "gpt-5-mini", messages: [{ role: "user", content: "hi" }] });
        // 1000 × $3/M + 500 × $15/M = $0.0105; 5% fee = $0.000525; total $0.011025.
        expect((completion.usage as unknown as { cost: number }).cost).toBe(0.011025);
        // The operator's list counts it at once, though the ledger writes in batches.
        const listed = (await (await fetch(`${gateway.url}/admin/keys`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { data: { name: string; spent: number }[] };
        expect(listed.data.find((k) => k.name === "billing")?.spent).toBe(0.011025);
        const response = await fetch(`${gateway.url}/v1/generation?id=${completion.id}`, { headers: { authorization: `Bearer ${key}` } });
        const { data } = (await response.json()) as { data: Record<string, unknown> };
        expect(data).toMatchObject({
          id: completion.id,
          model: "gpt-5-mini",
          provider_name: "openai",
          tokens_prompt: 1000,
          tokens_completion: 500,
          upstream_inference_cost: 0.0105,
          fee: 0.000525,
          total_cost: 0.011025,
        });
        expect(typeof data.latency).toBe("number");
        const info = await keyInfo(gateway, key);
        expect(info.usage).toBe(0.011025);
      } finally {
        await gateway.close();
      }
    });

    test("50 concurrent requests on a key with credit for 10 never overspend, then 402", async () => {
      const gateway = await startGateway(config("{ use: none }"), { storage: await storage.fresh() });
      try {
        // Each request holds and spends 10 output tokens × $1000/M = $0.01; the key has $0.10.
        const key = await createKey(gateway, { name: "capped", credit_limit: 0.1 });
        fake.fallback = { kind: "reply", reply: { text: "ok", usage: { input: 0, output: 10 } } };
        const statuses = await Promise.all(
          Array.from({ length: 50 }, () =>
            postJson(`${gateway.url}/v1/chat/completions`, chatBody("metered", "hi", { max_tokens: 10 }), { authorization: `Bearer ${key}` }).then(
              async (r) => (await r.arrayBuffer(), r.status),
            ),
          ),
        );
        expect(statuses.filter((s) => s === 200).length).toBe(10);
        expect(statuses.filter((s) => s === 402).length).toBe(40);
        const after = await postJson(`${gateway.url}/v1/messages`, { model: "metered", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }, { "x-api-key": key });
        expect(after.status).toBe(402);
        const info = await keyInfo(gateway, key);
        expect(info).toMatchObject({ usage: 0.1, limit: 0.1, limit_remaining: 0 });
      } finally {
        fake.fallback = { kind: "reply", reply: { text: "ok", usage: { input: 1000, output: 500 } } };
        await gateway.close();
      }
    });

    test("Chinese text, which counts more tokens than a quarter of its characters, never takes a key past its limit; a 402 says what is left and what is held", async () => {
      const gateway = await startGateway(config("{ use: none }"), { storage: await storage.fresh() });
      try {
        // 100 characters of Chinese, 300 bytes of UTF-8, counted at 150 tokens × $1000/M = $0.15 each.
        const text = "请把这段话翻译成英文并保持原意不变".repeat(6).slice(0, 100);
        const key = await createKey(gateway, { name: "chinese", credit_limit: 1 });
        fake.fallback = { kind: "reply", reply: { text: "ok", usage: { input: 150, output: 1 } } };
        const answers = await Promise.all(
          Array.from({ length: 20 }, () =>
            postJson(`${gateway.url}/v1/chat/completions`, chatBody("reader", text, { max_tokens: 1 }), { authorization: `Bearer ${key}` }).then(async (r) => ({ status: r.status, body: await r.text() })),
          ),
        );
        const served = answers.filter((a) => a.status === 200).length;
        expect(served).toBeGreaterThan(0);
        const info = await keyInfo(gateway, key);
        expect(info.usage).toBeCloseTo(0.15 * served, 9);
        expect(info.usage).toBeLessThanOrEqual(1);
        // Held: 300 bytes and the 8 tokens around the message, × $1000/M.
        const refused = answers.find((a) => a.status === 402)!;
        expect(JSON.parse(refused.body).error.message).toMatch(/^key "chinese" has \$0\.\d{6} of credit left, and this request may cost up to \$0\.308000, which is held until it is charged; lower max_tokens to hold less$/);
      } finally {
        fake.fallback = { kind: "reply", reply: { text: "ok", usage: { input: 1000, output: 500 } } };
        await gateway.close();
      }
    });

    test("a key an auth plugin names, with a credit limit, gets a balance at its first request and is held to it", async () => {
      // The plugin's caller has a key id of its own and $0.05 of credit; the store has no row for it.
      const plugin = `import type { Kit } from "switchyard/kit";
export default (kit: Kit) => ({
  kind: "auth",
  name: "sso",
  settings: kit.Type.Object({}),
  create: () => ({ authenticate: () => ({ keyId: "sso-team-7", name: "team-7", tags: ["sso"], creditLimit: 50_000_000 }) }),
});
`;
      const gateway = await startGateway(config("{ use: none }").replace("auth: { use: api-keys }", "plugins: [./plugins]\nauth: { use: sso }"), {
        storage: await storage.fresh(),
        files: { "plugins/sso.ts": plugin },
      });
      try {
        // Each request holds and spends 10 output tokens × $1000/M = $0.01.
        fake.fallback = { kind: "reply", reply: { text: "ok", usage: { input: 0, output: 10 } } };
        const statuses: number[] = [];
        for (let i = 0; i < 7; i++) {
          const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("metered", "hi", { max_tokens: 10 }));
          statuses.push(response.status);
        }
        expect(statuses).toEqual([200, 200, 200, 200, 200, 402, 402]);
        const info = await keyInfo(gateway);
        expect(info).toMatchObject({ usage: 0.05, limit: 0.05, limit_remaining: 0 });
      } finally {
        fake.fallback = { kind: "reply", reply: { text: "ok", usage: { input: 1000, output: 500 } } };
        await gateway.close();
      }
    });

    test("a credit-limited key's request with no cap goes with the cap it held, so no vendor writes past the hold", async () => {
      const gateway = await startGateway(config("{ use: none }"), { storage: await storage.fresh() });
      try {
        const key = await createKey(gateway, { name: "capped-output", credit_limit: 5 });
        const free = await createKey(gateway, { name: "no-limit" });
        for (const [who, cap] of [[key, 8192], [free, undefined]] as const) {
          const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("gpt-5-mini", "write at length"), { authorization: `Bearer ${who}` });
          expect(response.status).toBe(200);
          expect((fake.requests.at(-1)!.body as { max_completion_tokens?: number }).max_completion_tokens).toBe(cap);
        }
      } finally {
        await gateway.close();
      }
    });

    test("an output cap below one token, no message at all, or a model id past 256 characters is a 400 naming the field before any hold or upstream call", async () => {
      const gateway = await startGateway(config("{ use: none }"), { storage: await storage.fresh() });
      try {
        const key = await createKey(gateway, { name: "negative-cap", credit_limit: 0.001 });
        const before = fake.requests.length;
        const refused = [
          ["/v1/chat/completions", { ...chatBody("metered", "hi"), max_tokens: -1 }, "max_tokens"],
          ["/v1/chat/completions", { ...chatBody("metered", "hi"), max_completion_tokens: 0 }, "max_completion_tokens"],
          ["/v1/chat/completions", { model: "metered", messages: [] }, "messages"],
          ["/v1/responses", { model: "metered", input: "hi", max_output_tokens: -1 }, "max_output_tokens"],
          ["/v1/messages", { model: "metered", max_tokens: 10, messages: [] }, "messages"],
        ] as const;
        for (const [path, body, field] of refused) {
          const response = await postJson(`${gateway.url}${path}`, body, { authorization: `Bearer ${key}` });
          expect(response.status).toBe(400);
          expect(((await response.json()) as { error: { message: string } }).error.message).toContain(field);
          // The caller's refused request has its row, as every request past the key check does.
          const row = await gateway.runtime.ledger.generation(response.headers.get("x-request-id")!);
          expect(row).toMatchObject({ status: 400, errorCode: "bad_request", requestedModel: "metered", cost: 0 });
          expect(row?.keyId).toBeString();
        }
        // A model id no model has the length of is refused in every dialect, and its row keeps only the id's start.
        const long = "m".repeat(1_000_000);
        const bodies = [
          ["/v1/chat/completions", chatBody(long, "hi")],
          ["/v1/responses", { model: long, input: "hi" }],
          ["/v1/messages", { model: long, max_tokens: 10, messages: [{ role: "user", content: "hi" }] }],
        ] as const;
        for (const [path, body] of bodies) {
          const response = await postJson(`${gateway.url}${path}`, body, { authorization: `Bearer ${key}` });
          expect(response.status).toBe(400);
          const text = await response.text();
          expect(text).toContain("model");
          expect(text.length).toBeLessThan(2_000);
          const row = await gateway.runtime.ledger.generation(response.headers.get("x-request-id")!);
          expect(row?.requestedModel).toBe("m".repeat(256));
        }
        expect(fake.requests.length).toBe(before);
        expect((await keyInfo(gateway, key)).usage).toBe(0);
      } finally {
        await gateway.close();
      }
    });

    test("the operator sees a key's holds and may give back those no request will settle; a key's tags of the wrong type are refused", async () => {
      const gateway = await startGateway(config("{ use: none }"), { storage: await storage.fresh() });
      try {
        const admin = { authorization: `Bearer ${ADMIN}` };
        const refused = await postJson(`${gateway.url}/admin/keys`, { name: "tagged", tags: "team-a,team-b" }, admin);
        expect([refused.status, ((await refused.json()) as { error: { message: string } }).error.message]).toEqual([400, "`tags` must be a list of strings"]);
        const key = await createKey(gateway, { name: "orphaned", credit_limit: 1 });
        const { id } = (await gateway.runtime.ledger.keys.bySecret(key))!;
        // As a PostgreSQL instance killed mid-request leaves them: holds no row will settle.
        await gateway.runtime.ledger.reserve(id, 400_000_000);
        const listed = (await (await fetch(`${gateway.url}/admin/keys`, { headers: admin })).json()) as { data: { id: string; held: number }[] };
        expect(listed.data.find((k) => k.id === id)?.held).toBe(0.4);
        const released = await postJson(`${gateway.url}/admin/keys/${id}/release`, {}, admin);
        expect(((await released.json()) as { data: { held: number } }).data.held).toBe(0);
        expect((await postJson(`${gateway.url}/admin/keys/key_nobody/release`, {}, admin)).status).toBe(404);
      } finally {
        await gateway.close();
      }
    });

    test("a key's rate limit answers 429 with retry-after before any upstream call", async () => {
      const gateway = await startGateway(config("{ use: none }"), { storage: await storage.fresh() });
      try {
        const key = await createKey(gateway, { name: "limited", rate_limit: 3 });
        const before = fake.requests.length;
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let i = 0; i < 4; i++) {
          const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("gpt-5-mini", "hi"), { authorization: `Bearer ${key}` });
          await response.arrayBuffer();
          statuses.push(response.status);
          retryAfter = response.headers.get("retry-after") ?? retryAfter;
        }
        expect(statuses).toEqual([200, 200, 200, 429]);
        // Three a minute: the next token comes in 20 s.
        expect(retryAfter).toBe("20");
        // The limit is taken before the body is read: a spent key's body, however malformed or large, is not.
        const malformed = await postJson(`${gateway.url}/v1/chat/completions`, { model: "x".repeat(100_000), messages: "not a list" }, { authorization: `Bearer ${key}` });
        expect(malformed.status).toBe(429);
        expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
        // Counting a prompt's tokens (Claude Code does it every turn) generates nothing, and the
        // spent limit does not refuse it: Anthropic, too, limits counting apart from messages.
        const count = { model: "gpt-5-mini", messages: [{ role: "user", content: "hi" }] };
        expect((await postJson(`${gateway.url}/v1/messages/count_tokens`, count, { "x-api-key": key })).status).toBe(200);
        expect(fake.requests.length - before).toBe(3);
        const info = await keyInfo(gateway, key);
        expect(info.rate_limit).toEqual({ requests: 3, interval: "1m" });
        const listed = (await (await fetch(`${gateway.url}/admin/keys`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { data: { name: string; rate_limit: number | null }[] };
        expect(listed.data.find((k) => k.name === "limited")?.rate_limit).toBe(3);
      } finally {
        await gateway.close();
      }
    });

    test("wrong, missing and disabled keys get 401", async () => {
      const gateway = await startGateway(config("{ use: none }"), { storage: await storage.fresh() });
      try {
        const key = await createKey(gateway, { name: "to-disable" });
        const ok = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("gpt-5-mini", "hi"), { authorization: `Bearer ${key}` });
        expect(ok.status).toBe(200);
        const wrong = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("gpt-5-mini", "hi"), { authorization: "Bearer sk-sy-not-a-real-key" });
        expect(wrong.status).toBe(401);
        const missing = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("gpt-5-mini", "hi"));
        expect(missing.status).toBe(401);
        // The key is asked for before the body is read: a stranger's body is neither parsed nor judged.
        const post = (headers: Record<string, string>) => fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{not json" });
        expect((await post({})).status).toBe(401);
        expect((await post({ authorization: `Bearer ${key}` })).status).toBe(400);
        // Nor waited for: a client announcing a body it never sends is answered, and its connection closed.
        const { port } = new URL(gateway.url);
        const closed = Promise.withResolvers<string>();
        let answer = "";
        const socket = await Bun.connect({
          hostname: "127.0.0.1",
          port: Number(port),
          socket: { data: (_socket, data) => void (answer += data.toString()), close: () => closed.resolve(answer) },
        });
        socket.write("POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer sk-sy-wrong\r\ncontent-length: 1000000\r\n\r\n");
        expect(await closed.promise).toStartWith("HTTP/1.1 401");
        // Counting tokens asks for a key as a chat does.
        const count = { model: "gpt-5-mini", messages: [{ role: "user", content: "hi" }] };
        expect((await postJson(`${gateway.url}/v1/messages/count_tokens`, count, { "x-api-key": key })).status).toBe(200);
        expect((await postJson(`${gateway.url}/v1/messages/count_tokens`, count)).status).toBe(401);
        const list = (await (await fetch(`${gateway.url}/admin/keys`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { data: { id: string; name: string }[] };
        const id = list.data.find((k) => k.name === "to-disable")!.id;
        const disabled = await postJson(`${gateway.url}/admin/keys/${id}/disable`, {}, { authorization: `Bearer ${ADMIN}` });
        expect(disabled.status).toBe(200);
        const after = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("gpt-5-mini", "hi"), { authorization: `Bearer ${key}` });
        expect(after.status).toBe(401);
        const noAdmin = await fetch(`${gateway.url}/admin/keys`);
        expect(noAdmin.status).toBe(401);
      } finally {
        await gateway.close();
      }
    });

    test("retention rolls old rows into daily totals and usage still counts them", async () => {
      const gateway = await startGateway(config("{ use: none }").replace("version: 1", "version: 1\nledger: { retention_days: 1 }"), {
        storage: await storage.fresh(),
      });
      try {
        const key = await createKey(gateway, { name: "retention" });
        const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("gpt-5-mini", "hi"), { authorization: `Bearer ${key}` });
        const id = response.headers.get("x-request-id")!;
        await gateway.runtime.ledger.flush();
        // Two days from now the row is past its retention.
        expect(await gateway.runtime.prune(Date.now() + 2 * 86_400_000)).toBe(1);
        expect(await gateway.runtime.ledger.generation(id)).toBeNull();
        const usage = await gateway.runtime.ledger.usage({ by: "model" });
        expect(usage.find((row) => row.group === "gpt-5-mini")?.requests).toBe(1);
      } finally {
        await gateway.close();
      }
    });

    test("usage totals by model equal the sum of the requests", async () => {
      const gateway = await startGateway(config("{ use: percentage, rate: 0.05 }"), { storage: await storage.fresh() });
      try {
        const key = await createKey(gateway, { name: "usage" });
        const client = openaiClient(gateway, key);
        const ids: string[] = [];
        for (const model of ["gpt-5-mini", "gpt-5-mini", "metered"]) {
          ids.push((await client.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] })).id);
        }
        const rows = await Promise.all(
          ids.map(async (id) => ((await (await fetch(`${gateway.url}/v1/generation?id=${id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { data: { model: string; total_cost: number } }).data),
        );
        const usage = (await (await fetch(`${gateway.url}/admin/usage?by=model`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { data: { group: string; requests: number; total: number }[] };
        for (const model of ["gpt-5-mini", "metered"]) {
          const mine = rows.filter((r) => r.model === model);
          const group = usage.data.find((g) => g.group === model)!;
          expect(group.requests).toBe(mine.length);
          // Exact in nano-USD: compare as integers.
          expect(Math.round(group.total * 1e9)).toBe(mine.reduce((sum, r) => sum + Math.round(r.total_cost * 1e9), 0));
        }
      } finally {
        await gateway.close();
      }
    });
  });
}
