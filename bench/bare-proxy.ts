// The floor for a JS gateway: a reverse proxy of nothing but Bun.serve and fetch, forwarding every
// request to one upstream. Run as `bun bench/bare-proxy.ts <upstream-url>`; prints `listening <port>`.

export function startBareProxy(upstream: string, port = 0) {
  const base = upstream.replace(/\/$/, "");
  return Bun.serve({
    hostname: "127.0.0.1",
    port,
    idleTimeout: 255,
    async fetch(request) {
      const url = new URL(request.url);
      const headers = new Headers(request.headers);
      headers.delete("host");
      const response = await fetch(base + url.pathname + url.search, {
        method: request.method,
        headers,
        body: request.body,
      });
      return new Response(response.body, { status: response.status, headers: response.headers });
    },
  });
}

if (import.meta.main) {
  const upstream = process.argv[2];
  if (!upstream) throw new Error("usage: bun bench/bare-proxy.ts <upstream-url>");
  const server = startBareProxy(upstream, Number(process.env.PORT ?? 0));
  console.log(`listening ${server.port}`);
}
