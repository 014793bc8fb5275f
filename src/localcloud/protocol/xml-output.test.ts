import assert from "node:assert/strict";
import { test } from "node:test";
import { serviceModel } from "./model.ts";
import { serializeError, serializeResponse } from "./xml-output.ts";

const ec = serviceModel("elasticache");

test("serializes a result with the wrapper, list element names and ISO timestamps", () => {
  const xml = serializeResponse(
    ec,
    "DescribeCacheClusters",
    {
      CacheClusters: [
        {
          CacheClusterId: "a<b",
          NumCacheNodes: 1,
          CacheClusterCreateTime: new Date("2025-01-02T03:04:05Z"),
          CacheNodes: [{ CacheNodeId: "0001", Endpoint: { Address: "127.0.0.1", Port: 6379 } }],
        },
      ],
    },
    "req-1",
  );
  assert.ok(
    xml.startsWith(
      '<DescribeCacheClustersResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">',
    ),
  );
  assert.ok(
    xml.includes(
      "<DescribeCacheClustersResult><CacheClusters><CacheCluster><CacheClusterId>a&lt;b</CacheClusterId>",
    ),
  );
  assert.ok(xml.includes("<CacheClusterCreateTime>2025-01-02T03:04:05.000Z</CacheClusterCreateTime>"));
  assert.ok(
    xml.includes(
      "<CacheNodes><CacheNode><CacheNodeId>0001</CacheNodeId><Endpoint><Address>127.0.0.1</Address><Port>6379</Port>",
    ),
  );
  assert.ok(
    xml.endsWith(
      "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeCacheClustersResponse>",
    ),
  );
});

test("serializes errors with Sender or Receiver type", () => {
  assert.equal(
    serializeError("CacheClusterNotFound", "Cache cluster x not found.", 404, "r"),
    "<ErrorResponse><Error><Type>Sender</Type><Code>CacheClusterNotFound</Code><Message>Cache cluster x not found.</Message></Error><RequestId>r</RequestId></ErrorResponse>",
  );
  assert.ok(serializeError("ServiceUnavailable", "busy", 503, "r").includes("<Type>Receiver</Type>"));
});
