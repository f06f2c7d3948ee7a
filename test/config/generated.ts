// A generated config of N public models and N routes (N-1 conditional, then a catch-all), for
// compiler tests at scale. Its plugins are those of ./catalog.ts.

const PROVIDERS = ["alpha", "beta", "gamma"];

export function generatedConfig(routes: number): string {
  const lines = ["version: 1", "auth: { use: none }", "providers:"];
  for (const name of PROVIDERS) lines.push(`  ${name}: { use: openai-compatible, base_url: http://127.0.0.1:9/v1, api_key: sk-${name} }`);
  lines.push("models:");
  for (let i = 0; i < routes; i++) {
    lines.push(`  m-${i}:`);
    for (const k of [0, 1]) lines.push(`    - { provider: ${PROVIDERS[(i + k) % 3]}, model: model-${i}, price: { input: ${0.1 * (k + 1)}, output: ${0.4 * (k + 1)} } }`);
  }
  lines.push("routes:");
  for (let i = 0; i < routes - 1; i++) {
    lines.push(`  - { name: r-${i}, when: 'model == "m-${i}" and tokens.input < 100000', to: m-${i}, fallback: [m-${(i + 1) % routes}] }`);
  }
  lines.push("  - { name: direct, to: $model }");
  return `${lines.join("\n")}\n`;
}
