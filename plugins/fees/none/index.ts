// Fee plugin `none`: no fee on top of the upstream cost.
//
//   fees: { use: none }

import type { FeePlugin, Kit } from "../../../core/kit/index.ts";

export default (kit: Kit) => {
  const Settings = kit.Type.Object({}, { additionalProperties: false });
  // Typed as the contract (not `satisfies`) so callers see create()'s full signature.
  const plugin: FeePlugin<typeof Settings> = {
    kind: "fee",
    name: "none",
    description: "No fee.",
    settings: Settings,
    create() {
      return { quote: function quoteNoFee() { return 0; } };
    },
  };
  return plugin;
};
