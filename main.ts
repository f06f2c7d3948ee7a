#!/usr/bin/env bun
// The composition root: the core CLI with the built-in plugins wired in (core never imports plugins).

import { run } from "./core/cli/run.ts";
import { builtinPlugins } from "./plugins/builtin.ts";

const code = await run(process.argv.slice(2), builtinPlugins);
if (code >= 0) process.exit(code);
