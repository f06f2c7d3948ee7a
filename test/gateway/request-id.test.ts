import { expect, test } from "bun:test";
import { newRequestId } from "../../core/server/http.ts";

test("request ids: fixed shape, unique, and in creation order across refills of the random pool", () => {
  const ids = Array.from({ length: 1000 }, () => newRequestId());
  for (const id of ids) expect(id).toMatch(/^gen-[0-9a-z]{9}[0-9A-Za-z]{14}$/);
  expect(new Set(ids).size).toBe(ids.length);
  // The time part never goes back, so ids sort by creation (up to the same millisecond).
  const times = ids.map((id) => id.slice(4, 13));
  expect(times).toEqual([...times].sort());
});
