#!/usr/bin/env bun
// The composition root: the core CLI with the built-in plugins wired in (core never imports plugins).

import { useServerEnvironment } from "./core/cli/server-environment.ts";

const argv = process.argv.slice(2);
// A gateway restarts itself here with the allocator's setting for servers, before the CLI and the
// plugins are loaded: the process that goes on loads them once.
if (argv[0] === "serve") useServerEnvironment();
const [{ run }, { builtinPlugins }] = await Promise.all([import("./core/cli/run.ts"), import("./plugins/builtin.ts")]);
const code = await run(argv, builtinPlugins);
if (code >= 0) process.exit(code);
