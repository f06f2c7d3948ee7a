// Keys written in the config (`auth: static`) through the gateway: each key's generations are its own.

import { afterAll, expect, test } from "bun:test";
import { chatBody, postJson, startGateway } from "./harness.ts";

const gateway = await startGateway(`
auth: { use: static, keys: [{ key: "sk-team-a", name: team-a }, { key: "sk-team-b", name: team-b }] }
providers: { demo: { use: echo } }
models: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`);
afterAll(() => gateway.close());

const generation = (id: string, key: string) => fetch(`${gateway.url}/v1/generation?id=${id}`, { headers: { authorization: `Bearer ${key}` } });

test("a static key reads its own generations and not another's, and the ledger counts each key apart", async () => {
  const answer = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("echo", "team a's secret plans"), { authorization: "Bearer sk-team-a" });
  const id = ((await answer.json()) as { id: string }).id;
  expect((await generation(id, "sk-team-a")).status).toBe(200);
  const other = await generation(id, "sk-team-b");
  expect(other.status).toBe(404);
  expect(await other.text()).not.toContain("echo");
  await postJson(`${gateway.url}/v1/chat/completions`, chatBody("echo", "hi"), { authorization: "Bearer sk-team-b" }).then((r) => r.arrayBuffer());
  await gateway.runtime.ledger.flush();
  const byKey = await gateway.runtime.ledger.usage({ by: "key" });
  expect(byKey.map((row) => [row.group, row.requests]).sort()).toEqual([
    ["static:team-a", 1],
    ["static:team-b", 1],
  ]);
});
