// A load client in its own process (its own connection pool): keeps N requests in flight against
// a gateway until its standard input closes, then prints the status and route counts as JSON.

export {};

const [url, concurrency = "240", model = "steady"] = process.argv.slice(2);
const statuses: Record<string, number> = {};
const routes: Record<string, number> = {};
let running = true;

async function worker(): Promise<void> {
  while (running) {
    try {
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
      });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      const route = response.headers.get("x-switchyard-route") ?? "";
      routes[route] = (routes[route] ?? 0) + 1;
    } catch (error) {
      const key = `error: ${(error as Error).message}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  }
}

const workers = Array.from({ length: Number(concurrency) }, worker);
for await (const _ of Bun.stdin.stream()) {
  // Any input is ignored; the end of input is the signal to stop.
}
running = false;
await Promise.all(workers);
console.log(JSON.stringify({ statuses, routes }));
