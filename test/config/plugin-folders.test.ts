// Reading the `plugins:` folders of a config before compiling it.

import { expect, test } from "bun:test";
import { pluginFolders } from "../../core/config/plugin-folders.ts";
import { generatedConfig } from "./generated.ts";

test("plugin folders resolve against the config's folder, with the environment substituted", () => {
  const text = "plugins: [./local, '${TEAM_PLUGINS}', '${MISSING:-shared}']\n";
  expect(pluginFolders(text, "/srv/switchyard/router.config.yaml", { TEAM_PLUGINS: "/opt/team" })).toEqual([
    "/srv/switchyard/local",
    "/opt/team",
    "/srv/switchyard/shared",
  ]);
});

test("plugin folders are read from a file the fast parse declines", () => {
  const text = "base: &dir ./local\nplugins: [*dir]\n";
  expect(pluginFolders(text, "/srv/router.config.yaml", {})).toEqual(["/srv/local"]);
});

test("a file with a syntax error names its folders as far as the parser recovers, so their plugins are not called missing beside the error", () => {
  expect(pluginFolders("plugins: [./local]\nroutes:\n  - { name: x, to: loud\n", "/srv/router.config.yaml", {})).toEqual(["/srv/local"]);
  expect(pluginFolders("routes: [\nplugins: ./local\n", "/srv/router.config.yaml", {})).toEqual([]);
});

test("a large config without plugins: names no plugin folders", () => {
  expect(pluginFolders(generatedConfig(1000), "/srv/router.config.yaml", {})).toEqual([]);
});

test("plugin folders are read from a config with more than a hundred aliases of one anchor", () => {
  const models = Array.from({ length: 150 }, (_, i) => `  m-${i}: [{ <<: *base, model: m-${i} }]`);
  const text = `plugins: [./local]\nmodels:\n  base: [&base { provider: openai, model: base }]\n${models.join("\n")}\n`;
  expect(pluginFolders(text, "/srv/router.config.yaml", {})).toEqual(["/srv/local"]);
});
