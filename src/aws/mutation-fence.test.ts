// The fence sits right before the wire: a refused mutation sends nothing, SDK retries are asked
// again (a Lease lost between two attempts stops the second), and reads are never fenced. The
// endpoint is a plain HTTP server counting requests and answering 503, so every call is retried.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { CreateCacheClusterCommand, DescribeCacheClustersCommand } from "@aws-sdk/client-elasticache";
import { AwsClients } from "./clients.ts";
import { isLeaseNotHeld, isMutatingOperation } from "./mutation-fence.ts";

let server: Server;
let endpoint: string;
const received: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      received.push(new URLSearchParams(body).get("Action") ?? "?");
      res.writeHead(503, { "content-type": "text/xml" });
      res.end(
        "<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>down</Message></Error><RequestId>r</RequestId></ErrorResponse>",
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

function clientsWith(fence: () => boolean): AwsClients {
  return new AwsClients(
    { region: "us-east-1", endpoint, accessKeyId: "AKIAFENCETEST", secretAccessKey: "fence-test-secret" },
    { maxAttempts: 3, fence },
  );
}

const create = new CreateCacheClusterCommand({ CacheClusterId: "c1", Engine: "redis", NumCacheNodes: 1 });

test("only Describe* and List* are reads", () => {
  assert.equal(isMutatingOperation("DescribeCacheClusters"), false);
  assert.equal(isMutatingOperation("ListTagsForResource"), false);
  for (const op of ["CreateCacheCluster", "ModifyReplicationGroup", "AddTagsToResource", "TestFailover"]) {
    assert.equal(isMutatingOperation(op), true, op);
  }
});

test("a mutation is refused unsent when the fence is closed", async () => {
  received.length = 0;
  const clients = clientsWith(() => false);
  try {
    await assert.rejects(clients.elasticache.send(create), (e) => isLeaseNotHeld(e));
    assert.deepEqual(received, []);
  } finally {
    clients.destroy();
  }
});

test("the fence is asked before every attempt: a Lease lost after the first stops the retries", async () => {
  received.length = 0;
  let open = true;
  const clients = clientsWith(() => {
    const answer = open;
    open = false;
    return answer;
  });
  try {
    await assert.rejects(clients.elasticache.send(create), (e) => isLeaseNotHeld(e));
    assert.deepEqual(received, ["CreateCacheCluster"]);
  } finally {
    clients.destroy();
  }
});

test("reads go out (and are retried) whatever the fence says", async () => {
  received.length = 0;
  const clients = clientsWith(() => false);
  try {
    await assert.rejects(clients.elasticache.send(new DescribeCacheClustersCommand({})));
    assert.deepEqual(received, ["DescribeCacheClusters", "DescribeCacheClusters", "DescribeCacheClusters"]);
  } finally {
    clients.destroy();
  }
});

test("an open fence lets a mutation through (and its retries)", async () => {
  received.length = 0;
  const clients = clientsWith(() => true);
  try {
    await assert.rejects(clients.elasticache.send(create), (e) => !isLeaseNotHeld(e));
    assert.equal(received.length, 3);
  } finally {
    clients.destroy();
  }
});
