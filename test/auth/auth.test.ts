// The built-in auth plugins: who each one lets in, and the 401 it answers everyone else with.

import { afterAll, describe, expect, it } from "bun:test";
import { errors, isSwitchyardError, type SwitchyardError } from "../../core/errors.ts";
import { authenticate } from "../../core/gateway/pipeline.ts";
import type { Snapshot } from "../../core/runtime/snapshot.ts";
import { createKit } from "../../core/kit/kit.ts";
import type { AuthInstance, AuthRequest, Principal } from "../../core/kit/index.ts";
import { openLedger } from "../../core/ledger/index.ts";
import apiKeys from "../../plugins/auth/api-keys/index.ts";
import none from "../../plugins/auth/none/index.ts";
import staticKeys from "../../plugins/auth/static/index.ts";

function request(key: string | null): AuthRequest {
  return { headers: new Headers(key ? { authorization: `Bearer ${key}` } : {}), key };
}

async function rejection(auth: AuthInstance, key: string | null): Promise<{ status: number; code: string }> {
  try {
    await auth.authenticate(request(key));
  } catch (error) {
    if (isSwitchyardError(error)) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error("authenticate accepted the request");
}

describe("auth plugin none", () => {
  it("lets every request in as the anonymous principal", async () => {
    const kit = createKit();
    const auth = await none(kit).create({}, kit);
    expect(await auth.authenticate(request(null))).toEqual({ keyId: null, name: "anonymous", tags: [], creditLimit: null });
  });
});

describe("auth plugin api-keys", async () => {
  const ledger = await openLedger("sqlite::memory:");
  afterAll(() => ledger.close());
  const kit = createKit({ keys: ledger.keys });
  const auth = await apiKeys(kit).create({}, kit);

  it("returns the principal of a key from the key store", async () => {
    const { key, record } = await ledger.keys.create({ name: "team-a", tags: ["beta"], creditLimit: 2_000_000_000 });
    expect(await auth.authenticate(request(key))).toEqual({ keyId: record.id, name: "team-a", tags: ["beta"], creditLimit: 2_000_000_000, rateLimit: null });
  });

  it("answers a key checked within the last second at once, not as a promise", async () => {
    const { key, record } = await ledger.keys.create({ name: "hot" });
    const first = auth.authenticate(request(key));
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toMatchObject({ keyId: record.id });
    const again = auth.authenticate(request(key));
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toMatchObject({ keyId: record.id });
  });

  it("answers 401 when no key is sent", async () => {
    expect(await rejection(auth, null)).toEqual({ status: 401, code: "unauthorized" });
  });

  it("answers 401 for an unknown key", async () => {
    expect(await rejection(auth, "sk-sy-not-a-key-anyone-made")).toEqual({ status: 401, code: "unauthorized" });
  });

  it("answers 401 for a disabled key", async () => {
    const { key, record } = await ledger.keys.create({ name: "revoked" });
    await ledger.keys.disable(record.id);
    expect(await rejection(auth, key)).toEqual({ status: 401, code: "unauthorized" });
  });

  it("cannot be created without a key store", () => {
    const bare = createKit();
    expect(() => apiKeys(bare).create({}, bare)).toThrow("needs the key store");
  });
});

describe("auth plugin static", async () => {
  const kit = createKit();
  const plugin = staticKeys(kit);
  const settings = {
    keys: [
      { key: "team-a-secret", name: "team-a", tags: ["beta"], rate_limit: 600 },
      { key: "team-b-secret", name: "team-b" },
    ],
  };
  const auth = await plugin.create(settings, kit);

  it("accepts its settings schema and rejects unknown fields", () => {
    expect(kit.Value.Check(plugin.settings, settings)).toBe(true);
    expect(kit.Value.Check(plugin.settings, { keys: [{ key: "k", name: "n", limit: 1 }] })).toBe(false);
  });

  it("returns the configured principal with its credit limit in nano-USD", async () => {
    expect(await auth.authenticate(request("team-a-secret"))).toEqual({ keyId: "static:team-a", name: "team-a", tags: ["beta"], creditLimit: null, rateLimit: 600 });
    expect(await auth.authenticate(request("team-b-secret"))).toEqual({ keyId: "static:team-b", name: "team-b", tags: [], creditLimit: null, rateLimit: null });
  });

  it("answers 401 for a missing or wrong key", async () => {
    expect(await rejection(auth, null)).toEqual({ status: 401, code: "unauthorized" });
    expect(await rejection(auth, "team-a-secreT")).toEqual({ status: 401, code: "unauthorized" });
  });

  it("refuses two keys with the same name", async () => {
    const twice = { keys: [{ key: "a", name: "ops" }, { key: "b", name: "ops" }] };
    await expect(async () => plugin.create(twice, kit)).toThrow('key name "ops" is used twice');
  });
});

describe("the gateway's call of an auth plugin", () => {
  const principal: Principal = { keyId: null, name: "p", tags: [], creditLimit: null };
  const answering = (authenticate: AuthInstance["authenticate"]) => ({ auth: { authenticate }, authName: "custom" }) as unknown as Snapshot;
  const asked = { headers: new Headers(), key: null };

  it("takes a principal given at once, or through any thenable", async () => {
    expect(authenticate(answering(() => principal), asked)).toBe(principal);
    const thenable = { then: (resolve: (value: Principal) => void) => resolve(principal) } as unknown as Promise<Principal>;
    expect(await authenticate(answering(() => thenable), asked)).toBe(principal);
  });

  it("keeps a plugin's own 401, and names the plugin when it fails otherwise, thrown or rejected", async () => {
    const refused = authenticate(answering(() => { throw errors.unauthorized("no"); }), asked);
    expect(refused).toMatchObject({ status: 401, code: "unauthorized" });
    const thrown = authenticate(answering(() => { throw new Error("boom"); }), asked);
    const rejected = await authenticate(answering(() => Promise.reject(new Error("boom"))), asked);
    const thenable = { then: (_: unknown, reject: (error: Error) => void) => reject(new Error("boom")) } as unknown as Promise<Principal>;
    const rejectedThenable = await authenticate(answering(() => thenable), asked);
    for (const failure of [thrown, rejected, rejectedThenable]) {
      expect(isSwitchyardError(failure)).toBe(true);
      expect((failure as SwitchyardError).message).toContain('"custom"');
    }
  });
});
