// Auth plugin `api-keys`: clients send a key made by `switchyard keys create`; the ledger's key
// store checks it (hash lookup, disabled keys refused).
//
//   storage: sqlite:./data/switchyard.db
//   auth: { use: api-keys }

import type { AuthPlugin, AuthRequest, Kit, Principal } from "../../../core/kit/index.ts";

export default (kit: Kit) => {
  const Settings = kit.Type.Object({}, { additionalProperties: false });
  // Typed as the contract (not `satisfies`) so callers see create()'s full signature.
  const plugin: AuthPlugin<typeof Settings> = {
    kind: "auth",
    name: "api-keys",
    description: "Keys created with `switchyard keys create`, stored hashed in the ledger.",
    settings: Settings,
    create(_settings, kit: Kit) {
      const keys = kit.keys;
      if (!keys) {
        throw new Error('the "api-keys" auth plugin needs the key store: set `storage:` in router.config.yaml');
      }
      const known = (principal: Principal | null): Principal => {
        if (!principal) throw kit.errors.unauthorized("invalid or disabled API key");
        return principal;
      };
      return {
        // Synchronous for a key checked within the last second: most requests need no await here.
        authenticate(request: AuthRequest) {
          if (!request.key) throw kit.errors.unauthorized("missing API key: send Authorization: Bearer <key>");
          const verified = keys.verify(request.key);
          return verified instanceof Promise ? verified.then(known) : known(verified);
        },
      };
    },
  };
  return plugin;
};
