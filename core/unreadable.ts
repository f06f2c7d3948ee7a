// Why a file or folder could not be read, in words a user acts on rather than an errno's text.

import { describe } from "./errors.ts";

const REASONS: Record<string, string> = {
  ENOENT: "there is no such file",
  EISDIR: "it is a folder",
  ENOTDIR: "it is a file, not a folder",
  EACCES: "permission denied",
};

/** The reason `error` gives, worded; `words` rewords a code for its context (a folder that is missing). */
export function unreadableReason(error: unknown, words: Record<string, string> = {}): string {
  const code = (error as { code?: unknown } | null)?.code;
  const worded = typeof code === "string" ? (words[code] ?? REASONS[code]) : undefined;
  return worded ?? describe(error);
}
