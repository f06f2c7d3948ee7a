// Builds a plugin instance the way the host does: the module checked, the settings' defaults filled
// in and the settings validated, then `create`. Tests of a single plugin start here.

import { createKit, type Kit } from "../core/kit/kit.ts";
import { withDefaults } from "../core/plugins/settings.ts";
import { validatePlugin } from "../core/plugins/validate.ts";

export async function instantiate<T>(exported: unknown, raw: object = {}, kit: Kit = createKit()): Promise<T> {
  const checked = validatePlugin(exported, "test", kit);
  if (!checked.ok) throw new Error(checked.problem.message);
  const { plugin } = checked;
  const settings = withDefaults(plugin.settings, raw);
  if (!kit.Value.Check(plugin.settings, settings)) {
    const problems = [...kit.Value.Errors(plugin.settings, settings)].map((e) => `${e.path || "/"} ${e.message}`);
    throw new Error(`invalid settings for ${plugin.name}: ${problems.join("; ")}`);
  }
  return (await plugin.create(settings as never, kit)) as T;
}
