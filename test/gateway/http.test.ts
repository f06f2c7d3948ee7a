// core/server/http.ts: request ids and the client key read from the headers.

import { expect, test } from "bun:test";
import { clientKey, newRequestId } from "../../core/server/http.ts";

test("request ids: fixed shape, unique, and in creation order across refills of the random pool", () => {
  const ids = Array.from({ length: 1000 }, () => newRequestId());
  for (const id of ids) expect(id).toMatch(/^gen-[0-9a-z]{9}[0-9A-Za-z]{14}$/);
  expect(new Set(ids).size).toBe(ids.length);
  // The time part never goes back, so ids sort by creation (up to the same millisecond).
  const times = ids.map((id) => id.slice(4, 13));
  expect(times).toEqual([...times].sort());
});

test("the client key: a Bearer token however the header is spaced, else x-api-key, else none", () => {
  const key = (headers: Record<string, string>) => clientKey(new Headers(headers));
  expect(key({ authorization: "Bearer sk-one" })).toBe("sk-one");
  expect(key({ authorization: "  bearer \t sk-two  " })).toBe("sk-two");
  expect(key({ authorization: "Bearer " })).toBeNull();
  expect(key({ authorization: "Basic abc", "x-api-key": " sk-three " })).toBe("sk-three");
  expect(key({ "x-api-key": "  " })).toBeNull();
  expect(key({})).toBeNull();
});
