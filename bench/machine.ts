// The machine a bench ran on, read at run time for the table header.

import { cpus, release, totalmem } from "node:os";

export function machineLine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? "unknown CPU";
  const memory = (totalmem() / 1024 ** 3).toFixed(1);
  return `${list.length} cores (${model}), ${memory} GB memory, Linux ${release()}, Bun ${Bun.version}`;
}
