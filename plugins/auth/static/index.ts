// Auth plugin `static`: a fixed list of keys written in the config, for small setups without a
// key store. Both sides are hashed before comparing, so the comparison takes the same time for
// every key a client may send.
//
//   auth:
//     use: static
//     keys:
//       - { key: "${TEAM_A_KEY}", name: team-a, tags: [beta], rate_limit: 600 }   # requests per minute
//
// Static keys have no row in the key store, so they carry no credit limit: use `api-keys` for
// credits. Each has the key id `static:<name>`, which its requests' rows carry: a key reads only its
// own generations, and usage --by key counts each apart.

import type { AuthPlugin, AuthRequest, Kit, Principal } from "../../../core/kit/index.ts";

/** Equal-length digests compared without an early exit. */
function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ (b[i] ?? 0);
  return difference === 0;
}

export default (kit: Kit) => {
  const T = kit.Type;
  const Key = T.Object(
    {
      key: T.String({ minLength: 1 }),
      name: T.String({ minLength: 1 }),
      tags: T.Optional(T.Array(T.String())),
      rate_limit: T.Optional(T.Integer({ minimum: 1, description: "requests per minute" })),
    },
    { additionalProperties: false },
  );
  const Settings = T.Object({ keys: T.Array(Key, { minItems: 1 }) }, { additionalProperties: false });

  // Typed as the contract (not `satisfies`) so callers see create()'s full signature.
  const plugin: AuthPlugin<typeof Settings> = {
    kind: "auth",
    name: "static",
    description: "A fixed list of keys in the config.",
    settings: Settings,
    create(settings, kit: Kit) {
      const names = new Set<string>();
      const entries: { digest: Uint8Array; principal: Principal }[] = [];
      for (const entry of settings.keys) {
        if (names.has(entry.name)) throw kit.errors.badRequest(`static auth: key name "${entry.name}" is used twice`);
        names.add(entry.name);
        const principal: Principal = { keyId: `static:${entry.name}`, name: entry.name, tags: entry.tags ?? [], creditLimit: null, rateLimit: entry.rate_limit ?? null };
        entries.push({ digest: kit.sha256(entry.key), principal });
      }
      return {
        authenticate: function authenticateStatic(request: AuthRequest): Principal {
          if (!request.key) throw kit.errors.unauthorized("missing API key: send Authorization: Bearer <key>");
          // At once, no await: the request's body is read in the same turn (a pipelining client's next request waits behind it).
          const digest = kit.sha256(request.key);
          let found: Principal | null = null;
          // Every entry is compared, so the time taken does not tell which one matched.
          for (const entry of entries) if (sameDigest(entry.digest, digest)) found = entry.principal;
          if (!found) throw kit.errors.unauthorized("invalid API key");
          return { ...found, tags: [...found.tags] };
        },
      };
    },
  };
  return plugin;
};
