#!/usr/bin/env bun
// The composition root: the core CLI with the built-in plugins wired in (core never imports plugins).

import { useServerAllocator } from "./core/cli/allocator.ts";
import { run } from "./core/cli/run.ts";
import { builtinPlugins } from "./plugins/builtin.ts";

const argv = process.argv.slice(2);
// Before anything else: a gateway restarts itself here with the allocator's setting for servers.
if (argv[0] === "serve") useServerAllocator();
const code = await run(argv, builtinPlugins);
if (code >= 0) process.exit(code);
