import assert from "node:assert/strict";
import { test } from "node:test";

import { encodeCommand, parseInfo, RespParser, RespReplyError } from "./resp.ts";

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
