// Fee plugin `percentage`: a share of the upstream cost, with an optional minimum per request.
//
//   fees: { use: percentage, rate: 0.05, minimum: 0.0001 }   # 5%, at least $0.0001 per request
//
// Exact integer math: the rate is held as parts per million (so it may have at most 6 decimals),
// and fee = cost × rate rounded half up to a whole nano-USD, then raised to the minimum. The
// minimum applies to every request quoted, a zero-cost one included.

import type { FeePlugin, Kit } from "../../../core/kit/index.ts";

const NANO_PER_USD = 1_000_000_000;
const PPM = 1_000_000;

/** round(cost × ppm / 1e6) half up, split so no intermediate product leaves the safe-integer range. */
function shareOf(cost: number, ppm: number): number {
  if (cost <= 0) return 0;
  const whole = Math.floor(cost / PPM);
  const rest = cost - whole * PPM;
  return whole * ppm + Math.floor((rest * ppm + PPM / 2) / PPM);
}

export default (kit: Kit) => {
  const Settings = kit.Type.Object(
    {
      rate: kit.Type.Number({ minimum: 0, maximum: 1, description: "share of the upstream cost, 0.05 = 5%" }),
      minimum: kit.Type.Optional(kit.Type.Number({ minimum: 0, description: "USD per request" })),
    },
    { additionalProperties: false },
  );
  // Typed as the contract (not `satisfies`) so callers see create()'s full signature.
  const plugin: FeePlugin<typeof Settings> = {
    kind: "fee",
    name: "percentage",
    description: "A share of the upstream cost, with an optional minimum per request.",
    settings: Settings,
    create(settings, kit: Kit) {
      const ppm = Math.round(settings.rate * PPM);
      if (Math.abs(ppm - settings.rate * PPM) > 1e-6) {
        throw kit.errors.badRequest(`fee rate ${settings.rate} has more than 6 decimals`);
      }
      const minimum = Math.round((settings.minimum ?? 0) * NANO_PER_USD);
      return {
        quote: function quotePercentageFee(_usage, cost) {
          return Math.max(shareOf(cost, ppm), minimum);
        },
      };
    },
  };
  return plugin;
};
