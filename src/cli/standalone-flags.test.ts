import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UserError } from "../standalone/user-error.ts";
import { splitName, takeWaitFlag } from "./standalone-flags.ts";

describe("standalone flags", () => {
  it("reads --wait=false, --wait and --no-wait, leaving the rest", () => {
    assert.deepEqual(takeWaitFlag(["-f", "x", "--wait=false"]), { wait: false, rest: ["-f", "x"] });
    assert.deepEqual(takeWaitFlag(["--wait"]), { wait: true, rest: [] });
    assert.deepEqual(takeWaitFlag(["--no-wait", "-f", "y"]), { wait: false, rest: ["-f", "y"] });
    assert.deepEqual(takeWaitFlag([]), { wait: true, rest: [] });
  });

  it("splits NAMESPACE/NAME", () => {
    assert.deepEqual(splitName("a"), { namespace: "default", name: "a" });
    assert.deepEqual(splitName("ns/a"), { namespace: "ns", name: "a" });
  });

  it("refuses a NAME or NAMESPACE Kubernetes would refuse", () => {
    assert.throws(
      () => splitName("x/../../escaped"),
      /name: "\.\.\/\.\.\/escaped" must be a DNS-1123 subdomain/,
    );
    assert.throws(() => splitName("a.b/c"), /namespace: "a\.b" must be a DNS-1123 label/);
    assert.throws(() => splitName("/a"), /namespace: "" must be a DNS-1123 label/);
    assert.throws(() => splitName("UPPER"), UserError);
  });
});
