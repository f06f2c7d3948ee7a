// The floor for a gateway that reads what it routes and meters: a Bun.serve + fetch proxy that
// parses the request body (a router must look at it), forwards the same text, parses a JSON answer
// for its usage and passes a stream through while looking in each chunk for the usage. Nothing
// else: no auth, no routing table, no ledger. The gap between it and the bare proxy is the cost of
// touching the body in JavaScript; the gap between the gateway and it is the gateway's own.
// Run as `bun bench/parsing-proxy.ts <upstream-url>`; prints `listening <port>`.

const USAGE = '"usage"';

export function startParsingProxy(upstream: string, port = 0) {
  const base = upstream.replace(/\/$/, "");
  const decoder = new TextDecoder();
  return Bun.serve({
    hostname: "127.0.0.1",
    port,
    idleTimeout: 255,
    async fetch(request) {
      const text = await request.text();
      const body = JSON.parse(text) as { model?: unknown; stream?: unknown };
      if (typeof body.model !== "string") return Response.json({ error: "model is required" }, { status: 400 });
      const response = await fetch(base + new URL(request.url).pathname, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: request.headers.get("authorization") ?? "" },
        body: text,
      });
      if (body.stream !== true || !response.body) {
        const answer = await response.text();
        const usage = (JSON.parse(answer) as { usage?: unknown }).usage;
        if (response.ok && usage === undefined) return Response.json({ error: "no usage" }, { status: 502 });
        return new Response(answer, { status: response.status, headers: { "content-type": "application/json" } });
      }
      let sawUsage = false;
      const meter = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          sawUsage ||= decoder.decode(chunk, { stream: true }).includes(USAGE);
          controller.enqueue(chunk);
        },
        flush() {
          if (!sawUsage) console.error("a stream ended without usage");
        },
      });
      return new Response(response.body.pipeThrough(meter), { status: response.status, headers: { "content-type": "text/event-stream" } });
    },
  });
}

if (import.meta.main) {
  const upstream = process.argv[2];
  if (!upstream) throw new Error("usage: bun bench/parsing-proxy.ts <upstream-url>");
  const server = startParsingProxy(upstream, Number(process.env.PORT ?? 0));
  console.log(`listening ${server.port}`);
}
