// How keys and usage rows look outside the process (admin API, CLI --json): money in USD at the
// edge, dates in ISO 8601, never the secret or its hash.

import { errors } from "../errors.ts";
import { isUsageGroup, USAGE_GROUPS, type KeyRecord, type UsageGroup, type UsageRow } from "../ledger/types.ts";
import { nanoToUsd } from "../money.ts";

export function keyView(record: KeyRecord) {
  return {
    id: record.id,
    prefix: record.prefix,
    name: record.name,
    tags: record.tags,
    credit_limit: record.creditLimit === null ? null : nanoToUsd(record.creditLimit),
    rate_limit: record.rateLimit,
    spent: nanoToUsd(record.spent),
    // Held by requests in flight, charged (or given back) as they finish.
    held: nanoToUsd(record.reserved),
    disabled: record.disabled,
    created_at: new Date(record.createdAt).toISOString(),
  };
}

/** `by` as a client wrote it (`--by`, `?by=`), checked against the groupings the ledger has. */
export function usageGroup(value: string | null | undefined): UsageGroup {
  const by = value ?? "model";
  if (!isUsageGroup(by)) throw errors.badRequest(`\`by\` must be one of ${USAGE_GROUPS.join(", ")}`);
  return by;
}

export function usageView(row: UsageRow) {
  return { ...row, cost: nanoToUsd(row.cost), fee: nanoToUsd(row.fee), total: nanoToUsd(row.total) };
}
