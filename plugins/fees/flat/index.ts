// Fee plugin `flat`: the same fee on every request, whatever it cost upstream.
//
//   fees: { use: flat, amount: 0.001 }   # USD per request

import type { FeePlugin, Kit } from "../../../core/kit/index.ts";

const NANO_PER_USD = 1_000_000_000;

export default (kit: Kit) => {
  const Settings = kit.Type.Object(
    { amount: kit.Type.Number({ minimum: 0, description: "USD per request" }) },
    { additionalProperties: false },
  );
  // Typed as the contract (not `satisfies`) so callers see create()'s full signature.
  const plugin: FeePlugin<typeof Settings> = {
    kind: "fee",
    name: "flat",
    description: "A fixed fee per request, in USD.",
    settings: Settings,
    create(settings) {
      const fee = Math.round(settings.amount * NANO_PER_USD);
      return { quote: function quoteFlatFee() { return fee; } };
    },
  };
  return plugin;
};
