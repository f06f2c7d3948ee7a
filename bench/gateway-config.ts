// The gateway's bench config: api-keys auth, a percentage fee, the SQLite ledger, a keywords
// classifier, 50 models over 5 providers and 200 routes, every endpoint at the fake upstream.

export interface BenchConfigOptions {
  /** Base URL of the fake upstream, ending where `/chat/completions` is appended. */
  upstream: string;
  /** SQLite file of the ledger. */
  database: string;
  models?: number;
  routes?: number;
}

const PROVIDERS = ["alpha", "beta", "gamma", "delta", "epsilon"];

export const BENCH_MODEL = "model-7";
/** The name of the api key the bench creates and sends. */
export const BENCH_KEY = "bench";

function modelLines(count: number): string[] {
  const lines = ["models:"];
  for (let i = 0; i < count; i++) {
    const first = PROVIDERS[i % PROVIDERS.length]!;
    const second = PROVIDERS[(i + 1) % PROVIDERS.length]!;
    const input = (0.1 + (i % 10) * 0.3).toFixed(2);
    const output = (0.4 + (i % 10) * 1.2).toFixed(2);
    lines.push(`  model-${i}:`);
    lines.push(`    - { provider: ${first}, model: upstream-${i}, price: { input: ${input}, output: ${output} }, context: 128000 }`);
    lines.push(`    - { provider: ${second}, model: upstream-${i}-b, price: { input: ${input}, output: ${output} } }`);
  }
  return lines;
}

/** Conditional routes on aliases and facts that the bench requests do not match, so each request
 * walks the whole table to the final `$model` route: the worst case. The classifier's rule holds
 * for the bench key, so its classifier runs on every request (and says the prompt is no coding). */
function routeLines(count: number, models: number): string[] {
  const lines = ["routes:"];
  for (let i = 0; i < count - 1; i++) {
    const to = `model-${i % models}`;
    const fallback = `model-${(i + 1) % models}`;
    let when = `model == "alias-${i}"`;
    if (i === Math.floor(count / 2)) when = `intent == "coding" and key.name == "${BENCH_KEY}"`;
    else if (i % 10 === 3) when = `model == "alias-${i}" and tokens.input < 100000`;
    else if (i % 10 === 7) when = `key.name == "team-${i}" and stream == true`;
    lines.push(`  - { name: route-${i}, when: '${when}', to: ${to}, fallback: [${fallback}] }`);
  }
  lines.push("  - { name: direct, to: $model, fallback: [model-0] }");
  return lines;
}

export function benchConfig(options: BenchConfigOptions): string {
  const models = options.models ?? 50;
  const routes = options.routes ?? 200;
  return [
    "version: 1",
    "server: { host: 127.0.0.1, port: 0 }",
    `storage: "sqlite:${options.database}"`,
    "auth: { use: api-keys }",
    "fees: { use: percentage, rate: 0.05 }",
    "providers:",
    ...PROVIDERS.map((name) => `  ${name}: { use: openai-compatible, base_url: "${options.upstream}", api_key: bench-upstream-key }`),
    ...modelLines(models),
    "classifiers:",
    '  intent: { use: keywords, labels: { coding: ["```", "stack trace", "traceback", "refactor", "compile", "unit test"] } }',
    "pools:",
    "  cheap: { pick: cheapest, among: [model-0, model-1, model-2, model-3], require: latency.p95 < 2s and error_rate < 0.2 }",
    ...routeLines(routes, models),
    "",
  ].join("\n");
}
