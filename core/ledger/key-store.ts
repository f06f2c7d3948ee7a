// Client keys: creation (the secret is shown once, only its hash kept), listing, disabling, and
// verification with a short cache so a busy key costs one lookup a second, not one per request.

import { randomUUID } from "node:crypto";
import { errors } from "../errors.ts";
import type { Principal } from "../kit/index.ts";
import type { KeyRow, LedgerDriver } from "./driver.ts";
import { hashSecret, newSecret, visiblePrefix } from "./secrets.ts";
import type { KeyRecord, KeyStore } from "./types.ts";

// C0 and C1 controls and DEL: none has a place in a name, an id or a prefix.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const CACHE_TTL_MS = 1000;
/** Bounds the cache against clients sending many distinct wrong keys. */
const CACHE_MAX = 10_000;

function toKeyRecord(row: KeyRow): KeyRecord {
  return {
    id: row.id,
    prefix: row.prefix,
    name: row.name,
    tags: row.tags,
    creditLimit: row.creditLimit,
    rateLimit: row.rateLimit,
    spent: row.spent,
    reserved: row.reserved,
    disabled: row.disabled,
    createdAt: row.createdAt,
  };
}

function toPrincipal(row: KeyRow): Principal {
  return {
    keyId: row.id,
    name: row.name,
    tags: row.tags,
    creditLimit: row.creditLimit,
    rateLimit: row.rateLimit,
  };
}

export function createKeyStore(driver: LedgerDriver, now: () => number): KeyStore {
  const cache = new Map<string, { principal: Principal | null; expires: number }>();
  // Bumped by disable(): a lookup that started before it must not cache what it read.
  let epoch = 0;

  return {
    async create(input) {
      const name = input.name.trim();
      if (!name) throw errors.badRequest("a key needs a name");
      const tags = input.tags ?? [];
      // A name or tag shows up in listings, logs and `key.tags` rules, and PostgreSQL refuses a NUL.
      if (CONTROL.test(name)) throw errors.badRequest("a key's name must not hold control characters");
      if (tags.some((tag) => CONTROL.test(tag))) throw errors.badRequest("a key's tags must not hold control characters");
      const creditLimit = input.creditLimit ?? null;
      if (creditLimit !== null && (!Number.isSafeInteger(creditLimit) || creditLimit < 0)) {
        throw errors.badRequest("credit limit must be a non-negative integer of nano-USD");
      }
      const rateLimit = input.rateLimit ?? null;
      if (rateLimit !== null && (!Number.isSafeInteger(rateLimit) || rateLimit < 1)) {
        throw errors.badRequest("rate limit must be a whole number of requests per minute, at least 1");
      }
      const key = newSecret();
      const row: KeyRow = {
        id: `key_${randomUUID().replaceAll("-", "")}`,
        secretHash: hashSecret(key),
        prefix: visiblePrefix(key),
        name,
        tags,
        creditLimit,
        rateLimit,
        spent: 0,
        reserved: 0,
        disabled: false,
        createdAt: now(),
      };
      await driver.insertKey(row);
      return { key, record: toKeyRecord(row) };
    },
    async adopt(principal) {
      const mark = `external:${principal.keyId}`;
      const row: KeyRow = {
        id: principal.keyId,
        secretHash: mark,
        prefix: mark,
        name: principal.name,
        tags: principal.tags,
        creditLimit: principal.creditLimit,
        rateLimit: null,
        spent: 0,
        reserved: 0,
        disabled: false,
        createdAt: now(),
      };
      await driver.insertKey(row).catch(async (error: unknown) => {
        // Another request of the same key made it first.
        if (!(await driver.keyById(principal.keyId))) throw error;
      });
    },
    async list() {
      return (await driver.listKeys()).map(toKeyRecord);
    },
    async get(id) {
      if (CONTROL.test(id)) return null;
      const row = await driver.keyById(id);
      return row ? toKeyRecord(row) : null;
    },
    async disable(idOrPrefix) {
      // No key's id or prefix holds a control character, and PostgreSQL refuses a NUL in a query.
      if (CONTROL.test(idOrPrefix)) return null;
      const row = await driver.disableKey(idOrPrefix);
      epoch += 1;
      cache.clear();
      return row ? toKeyRecord(row) : null;
    },
    async releaseHolds(id) {
      if (CONTROL.test(id)) return null;
      const row = await driver.releaseHolds(id);
      return row ? toKeyRecord(row) : null;
    },
    async bySecret(secret) {
      const row = await driver.keyByHash(hashSecret(secret));
      return row ? toKeyRecord(row) : null;
    },
    verify(secret) {
      const hash = hashSecret(secret);
      const at = now();
      const cached = cache.get(hash);
      if (cached && cached.expires > at) return cached.principal;
      const started = epoch;
      return driver.keyByHash(hash).then((row) => {
        const principal = row && !row.disabled ? toPrincipal(row) : null;
        if (started !== epoch) return principal;
        if (cache.size >= CACHE_MAX) cache.clear();
        cache.set(hash, { principal, expires: at + CACHE_TTL_MS });
        return principal;
      });
    },
  };
}
