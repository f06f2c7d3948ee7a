// The built-in fee plugins: exact integer fees in nano-USD from their settings.

import { describe, expect, it } from "bun:test";
import { createKit } from "../../core/kit/kit.ts";
import type { EndpointInfo, FeeInstance, Principal, Usage } from "../../core/kit/index.ts";
import flat from "../../plugins/fees/flat/index.ts";
import none from "../../plugins/fees/none/index.ts";
import percentage from "../../plugins/fees/percentage/index.ts";

const kit = createKit();
const usage: Usage = { inputTokens: 1000, outputTokens: 200 };
const principal: Principal = { keyId: "key_a", name: "team-a", tags: [], creditLimit: null };
const endpoint: EndpointInfo = { id: "anthropic/claude-sonnet-4-5", provider: "anthropic", model: "claude-sonnet-4-5", publicModel: "claude-sonnet" };

async function percentageFee(settings: { rate: number; minimum?: number }): Promise<FeeInstance> {
  const plugin = percentage(kit);
  expect(kit.Value.Check(plugin.settings, settings)).toBe(true);
  return plugin.create(settings, kit);
}

describe("fee plugin none", () => {
  it("charges nothing", async () => {
    const fee = await none(kit).create({}, kit);
    expect(fee.quote(usage, 123_456_789, principal, endpoint)).toBe(0);
  });
});

describe("fee plugin percentage", () => {
  it("charges the rate of the cost exactly", async () => {
    const fee = await percentageFee({ rate: 0.05 });
    expect(fee.quote(usage, 7_500_000, principal, endpoint)).toBe(375_000);
  });

  it("rounds half a nano-USD up and less than half down", async () => {
    const fee = await percentageFee({ rate: 0.05 });
    expect(fee.quote(usage, 10, principal, endpoint)).toBe(1);
    expect(fee.quote(usage, 9, principal, endpoint)).toBe(0);
    expect(fee.quote(usage, 29, principal, endpoint)).toBe(1);
    expect(fee.quote(usage, 30, principal, endpoint)).toBe(2);
  });

  it("stays exact where a float product would not", async () => {
    const fee = await percentageFee({ rate: 0.07 });
    // 0.07 × 1e15 in floating point is 70000000000000.01; the fee must be the exact 7e13.
    expect(fee.quote(usage, 1_000_000_000_000_000, principal, endpoint)).toBe(70_000_000_000_000);
    expect(fee.quote(usage, 9_007_199_254_740, principal, endpoint)).toBe(630_503_947_832);
  });

  it("raises a small fee to the minimum", async () => {
    const fee = await percentageFee({ rate: 0.01, minimum: 0.0001 });
    expect(fee.quote(usage, 1_000_000, principal, endpoint)).toBe(100_000);
    expect(fee.quote(usage, 0, principal, endpoint)).toBe(100_000);
    expect(fee.quote(usage, 50_000_000, principal, endpoint)).toBe(500_000);
  });

  it("rejects a rate above one in its settings schema", () => {
    expect(kit.Value.Check(percentage(kit).settings, { rate: 1.5 })).toBe(false);
  });

  it("refuses a rate finer than six decimals when created", () => {
    expect(() => percentage(kit).create({ rate: 0.0500001 }, kit)).toThrow("more than 6 decimals");
  });
});

describe("fee plugin flat", () => {
  it("charges the configured amount on every request", async () => {
    const fee = await flat(kit).create({ amount: 0.0025 }, kit);
    expect(fee.quote(usage, 0, principal, endpoint)).toBe(2_500_000);
    expect(fee.quote(usage, 987_654_321, principal, endpoint)).toBe(2_500_000);
  });
});
