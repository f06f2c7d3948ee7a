// HTTP/1.1 pipelining: a client that writes its next request before the first is answered gets
// both answers, in order, with a key to check on the first.

import { afterAll, expect, test } from "bun:test";
import { startGateway } from "./harness.ts";

const gateway = await startGateway(`
auth: { use: static, keys: [{ key: "sk-pipelined-client", name: "pipeliner" }] }
providers: { demo: { use: echo } }
models: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`);
afterAll(() => gateway.close());

test("a keyed chat request and the request written after it on the same connection are both answered, in order", async () => {
  const { port } = new URL(gateway.url);
  const body = JSON.stringify({ model: "echo", messages: [{ role: "user", content: "first in line" }] });
  const chat = `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer sk-pipelined-client\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const health = "GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n";
  let received = "";
  const answered = Promise.withResolvers<void>();
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port: Number(port),
    socket: {
      open: (socket) => void socket.write(chat + health),
      data(_socket, data) {
        received += data.toString();
        if ((received.match(/HTTP\/1\.1 \d{3}/g) ?? []).length === 2 && received.includes('"status":"ok"')) answered.resolve();
      },
      close: () => answered.resolve(),
    },
  });
  await answered.promise;
  socket.end();
  expect(received.match(/HTTP\/1\.1 \d{3}/g)).toEqual(["HTTP/1.1 200", "HTTP/1.1 200"]);
  expect(received.indexOf("first in line")).toBeLessThan(received.indexOf('"status":"ok"'));
});
