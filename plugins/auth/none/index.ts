// Auth plugin `none`: every caller is the anonymous principal. For a gateway on a private machine.
//
//   auth: { use: none }

import type { AuthPlugin, Kit, Principal } from "../../../core/kit/index.ts";

export default (kit: Kit) => {
  const Settings = kit.Type.Object({}, { additionalProperties: false });
  // Typed as the contract (not `satisfies`) so callers see create()'s full signature.
  const plugin: AuthPlugin<typeof Settings> = {
    kind: "auth",
    name: "none",
    description: "No authentication: every request is the anonymous principal, without a credit limit.",
    settings: Settings,
    create() {
      return {
        // A fresh object each time, so no caller can change what the next request sees.
        authenticate: function authenticateAnonymous(): Principal {
          return { keyId: null, name: "anonymous", tags: [], creditLimit: null };
        },
      };
    },
  };
  return plugin;
};
