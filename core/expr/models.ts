// Which model ids an expression pins (`model == "x"`, `model in [...]`), so dispatch can index routes.

import type { Node } from "./parser.ts";

const isModel = (node: Node) => node.kind === "fact" && node.name === "model";

/** The model ids a request must name for `node` to hold, or null when any model may match. */
export function pinnedModels(node: Node): string[] | null {
  switch (node.kind) {
    case "compare": {
      if (node.op === "==") {
        const literal = isModel(node.left) ? node.right : isModel(node.right) ? node.left : undefined;
        return literal?.kind === "literal" && typeof literal.value === "string" ? [literal.value] : null;
      }
      if (node.op === "in" && isModel(node.left) && node.right.kind === "list") {
        const values = node.right.items.map((item) => (item.kind === "literal" ? item.value : undefined));
        return values.every((v): v is string => typeof v === "string") ? [...new Set(values)] : null;
      }
      return null;
    }
    case "logic": {
      const left = pinnedModels(node.left);
      const right = pinnedModels(node.right);
      if (node.op === "and") {
        if (left && right) return left.filter((m) => right.includes(m));
        return left ?? right;
      }
      return left && right ? [...new Set([...left, ...right])] : null;
    }
    default:
      return null;
  }
}
