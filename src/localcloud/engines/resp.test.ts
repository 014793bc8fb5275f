import assert from "node:assert/strict";
import net from "node:net";
import { test } from "node:test";

import { encodeCommand, parseInfo, RespConnection, RespParser, RespReplyError } from "./resp.ts";

test("commands encode as arrays of bulk strings, byte lengths for UTF-8", () => {
  assert.equal(encodeCommand(["SET", "k", "é"]).toString(), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n");
  assert.equal(encodeCommand(["INCRBY", "n", 5]).toString(), "*3\r\n$6\r\nINCRBY\r\n$1\r\nn\r\n$1\r\n5\r\n");
});

test("the parser reads every RESP2 type, across chunk boundaries", () => {
  const wire =
    "+OK\r\n-ERR wrong\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*2\r\n$1\r\na\r\n*1\r\n:1\r\n*-1\r\n$0\r\n\r\n";
  const whole = new RespParser().push(Buffer.from(wire));
  const parser = new RespParser();
  const chunked = [];
  for (const byte of Buffer.from(wire)) chunked.push(...parser.push(Buffer.from([byte])));
  for (const values of [whole, chunked]) {
    assert.equal(values.length, 8);
    assert.equal(values[0], "OK");
    assert.ok(values[1] instanceof RespReplyError);
    assert.equal((values[1] as RespReplyError).message, "ERR wrong");
    assert.equal(values[2], 42);
    assert.equal(values[3], "hello");
    assert.equal(values[4], null);
    assert.deepEqual(values[5], ["a", [1]]);
    assert.equal(values[6], null);
    assert.equal(values[7], "");
  }
});

test("bulk strings may contain CRLF", () => {
  assert.deepEqual(new RespParser().push(Buffer.from("$4\r\na\r\nb\r\n")), ["a\r\nb"]);
});

test("INFO text parses into fields, skipping section headers", () => {
  const info = parseInfo(
    "# Replication\r\nrole:master\r\nconnected_slaves:1\r\nslave0:ip=127.0.0.1,port=1\r\n",
  );
  assert.equal(info.get("role"), "master");
  assert.equal(info.get("slave0"), "ip=127.0.0.1,port=1");
  assert.equal(info.has("# Replication"), false);
});

test("a command without an answer times out, naming the command but never its arguments", async (t) => {
  // A server that accepts connections and never answers (a hung engine).
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  const port = (server.address() as net.AddressInfo).port;
  const connection = await RespConnection.connect({ host: "127.0.0.1", port, timeoutMs: 200 });
  const secret = "super-secret-token-0123456789";
  await assert.rejects(connection.command(["AUTH", "default", secret]), (error: Error) => {
    assert.match(error.message, /AUTH to 127\.0\.0\.1:\d+ timed out after 200 ms/);
    assert.ok(!error.message.includes(secret));
    return true;
  });
  // The connection is unusable afterwards, and says so.
  await assert.rejects(connection.command(["PING"]), /timed out/);
});

test("pipelined commands get their own replies, in order; error replies reject only their command", async (t) => {
  const server = net.createServer((socket) => {
    const parser = new RespParser();
    socket.on("data", (chunk) => {
      for (const request of parser.push(chunk)) {
        const [name, arg] = request as string[];
        socket.write(
          name === "FAIL" ? "-ERR asked to fail\r\n" : `$${Buffer.byteLength(arg ?? "")}\r\n${arg ?? ""}\r\n`,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => server.close());
  const port = (server.address() as net.AddressInfo).port;
  const connection = await RespConnection.connect({ host: "127.0.0.1", port });
  t.after(() => connection.close());
  const replies = await Promise.allSettled([
    connection.command(["ECHO", "one"]),
    connection.command(["FAIL"]),
    connection.command(["ECHO", "three"]),
  ]);
  assert.deepEqual(replies[0], { status: "fulfilled", value: "one" });
  assert.equal(replies[1]?.status, "rejected");
  assert.deepEqual(replies[2], { status: "fulfilled", value: "three" });
  assert.ok((await connection.send(["FAIL"])) instanceof RespReplyError);
});

test("connecting to a closed port fails with the address in the message", async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await assert.rejects(
    RespConnection.connect({ host: "127.0.0.1", port }),
    new RegExp(`cannot connect to 127\\.0\\.0\\.1:${port}`),
  );
});
