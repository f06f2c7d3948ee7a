// Redaction of configured secrets in what leaves the process, in every form a secret is passed on in.

import { expect, test } from "bun:test";
import { createRedactor, redactValue } from "../core/redact.ts";

const SECRET = 'sk-we"ird\\k/ey+pad=';

test("a secret is redacted as it is, inside a JSON string, and URL-encoded with escapes in either case", () => {
  const redact = createRedactor([SECRET]);
  const upstream = { error: { message: `bad key ${SECRET}`, param: SECRET, url: `https://vendor.test/v1?key=${encodeURIComponent(SECRET)}` } };
  const redacted = redactValue(upstream, redact);
  expect(redacted).toEqual({ error: { message: "bad key [redacted]", param: "[redacted]", url: "https://vendor.test/v1?key=[redacted]" } });
  expect(redact(`key=${encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())}`)).toBe("key=[redacted]");
});

test("a secret with nothing to escape is redacted once, and text without it comes back as it was", () => {
  const redact = createRedactor(["sk-plain-secret-1234"]);
  expect(redact("a sk-plain-secret-1234 b")).toBe("a [redacted] b");
  expect(redact("nothing here")).toBe("nothing here");
});
