// A config's YAML aliases: what each names, and those not followed: recursive ones, ones naming no
// anchor, and ones past the limit on what aliases repeat (anchors of lists of aliases of anchors: a
// kilobyte that "billion laughs" into gigabytes, and a reload that stalls the gateway reading it).

import { type Alias, type Document, isAlias, isMap, isPair, isSeq, type Node as YamlNode, visit } from "yaml";

/**
 * Values (keys and values alike) that aliases may repeat in one config, in all: far past what a
 * config repeats by hand or by generator, far below what takes noticeable time to read.
 */
export const ALIAS_LIMIT = 100_000;

export interface Aliases {
  /** What the alias stands for; undefined for one not followed (in one of the sets below). */
  target(alias: Alias): YamlNode | undefined;
  /** Aliases naming a map or list that holds them: followed, they would never end. */
  recursive: Set<Alias>;
  /** Aliases naming no anchor (none of that name before them): they stand for nothing. */
  dangling: Set<Alias>;
  /** Aliases that would take what aliases repeat past ALIAS_LIMIT, in the order written. */
  excessive: Set<Alias>;
  /** How many values the alias repeats, for the one that crosses the limit. */
  sizeOf(alias: Alias): number;
}

/**
 * Each alias's anchor as the library resolves it (the last of that name before it), in one pass:
 * `Alias.resolve` walks the whole document on every call.
 */
function anchorsOf(doc: Document): Map<Alias, YamlNode | undefined> {
  const named = new Map<string, YamlNode>();
  const targets = new Map<Alias, YamlNode | undefined>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) targets.set(node, named.get(node.source));
      else if (node.anchor) named.set(node.anchor, node);
    },
  });
  return targets;
}

/** Calls `each` on the items of a map (keys, then values) or a list, in the order written. */
function forChildren(node: YamlNode, each: (child: unknown) => void): void {
  if (!isMap(node) && !isSeq(node)) return;
  for (const item of node.items) {
    if (isPair(item)) {
      each(item.key);
      each(item.value);
    } else each(item);
  }
}

/**
 * The aliases that name a map or list holding them (`a: &x { b: *x }`). YAML allows them; a
 * config cannot be one, and following one would never end. Each node is walked once.
 */
function recursiveAliases(doc: Document, targets: Map<Alias, YamlNode | undefined>): Set<Alias> {
  const found = new Set<Alias>();
  const open = new Set<unknown>();
  const walked = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (isAlias(node)) {
      const target = targets.get(node);
      if (open.has(target)) found.add(node);
      else if (target) walk(target);
      return;
    }
    if ((!isMap(node) && !isSeq(node)) || walked.has(node)) return;
    walked.add(node);
    open.add(node);
    forChildren(node, walk);
    open.delete(node);
  };
  walk(doc.contents);
  return found;
}

export function analyseAliases(doc: Document): Aliases {
  const targets = anchorsOf(doc);
  const recursive = recursiveAliases(doc, targets);
  const dangling = new Set([...targets].filter(([, target]) => target === undefined).map(([alias]) => alias));
  const excessive = new Set<Alias>();
  const follow = (alias: Alias) => (recursive.has(alias) ? undefined : targets.get(alias));
  // Values a node stands for with its aliases followed, each node counted once: linear in the text.
  const sizes = new Map<unknown, number>();
  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const target = follow(node);
      return target ? size(target) : 1;
    }
    if (!isMap(node) && !isSeq(node)) return 1;
    let total = sizes.get(node);
    if (total === undefined) {
      total = 1;
      forChildren(node, (child) => (total! += size(child)));
      sizes.set(node, total);
    }
    return total;
  };
  // Each alias as written repeats its anchor's values, aliases inside included; past the limit,
  // an alias is not followed, so reading the file never takes more than the limit's worth.
  let repeated = 0;
  const charge = (node: unknown): void => {
    if (!isAlias(node)) return forChildren(node as YamlNode, charge);
    const target = follow(node);
    if (!target) return;
    if (repeated + size(target) > ALIAS_LIMIT) excessive.add(node);
    else repeated += size(target);
  };
  if (doc.contents) charge(doc.contents);
  return {
    target: (alias) => (excessive.has(alias) ? undefined : follow(alias)),
    recursive,
    dangling,
    excessive,
    sizeOf: (alias) => size(alias),
  };
}
