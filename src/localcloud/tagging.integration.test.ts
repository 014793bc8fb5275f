// Integration: GetResources (IAM action tag:GetResources) of the local cloud through the AWS SDK's
// Resource Groups Tagging API client: tag and resource-type filters, AWS's pagination (PaginationToken, at most 100 per
// page) and IAM. Simulated engines: the tagging API does not depend on the engines.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  AddTagsToResourceCommand,
  CreateCacheClusterCommand,
  CreateReplicationGroupCommand,
  DescribeCacheClustersCommand,
  type ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import {
  GetResourcesCommand,
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { parseConfig } from "./config.ts";
import {
  type Credentials,
  errorOf,
  startTestCloud,
  type TestCloud,
  testCredentials,
  waitFor,
} from "./testing/harness.ts";

let t: TestCloud;
let ec: ElastiCacheClient;
const account = "000000000000";
const arn = (kind: string, name: string) => `arn:aws:elasticache:us-east-1:${account}:${kind}:${name}`;
const noTagging: Credentials = { accessKeyId: "AKIANOTAGGING0000001", secretAccessKey: "no-tagging" };

function tagging(credentials: Credentials = testCredentials, region = "us-east-1") {
  return new ResourceGroupsTaggingAPIClient({ endpoint: t.url, region, credentials, maxAttempts: 1 });
}

before(async () => {
  const config = parseConfig(
    {
      accounts: [
        {
          id: account,
          users: [
            {
              name: "root",
              accessKeys: [{ id: "test", secret: "test" }],
              policies: [{ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }],
            },
            {
              name: "ec-only",
              accessKeys: [{ id: noTagging.accessKeyId, secret: noTagging.secretAccessKey }],
              policies: [{ Statement: [{ Effect: "Allow", Action: "elasticache:*", Resource: "*" }] }],
            },
          ],
        },
      ],
    },
    "test",
  );
  t = await startTestCloud({ config, engines: "simulated" });
  ec = t.elasticache();
  for (let i = 0; i < 5; i++) {
    await ec.send(
      new CreateCacheClusterCommand({
        CacheClusterId: `mc-${i}`,
        Engine: "memcached",
        CacheNodeType: "cache.t3.micro",
        NumCacheNodes: 1,
        // mc-4 has no tags: AWS lists tagged resources only.
        ...(i < 4 ? { Tags: [{ Key: "owner", Value: i < 3 ? "ours" : "theirs" }] } : {}),
      }),
    );
  }
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "rg-a",
      ReplicationGroupDescription: "d",
      CacheNodeType: "cache.t3.micro",
      NumCacheClusters: 1,
      Tags: [{ Key: "owner", Value: "ours" }],
    }),
  );
  await waitFor("clusters available", async () => {
    const r = await ec.send(new DescribeCacheClustersCommand({}));
    return r.CacheClusters?.every((c) => c.CacheClusterStatus === "available") ? true : undefined;
  });
});
after(async () => {
  await t?.stop();
});

const arnsOf = (r: { ResourceTagMappingList?: { ResourceARN?: string }[] }): string[] =>
  (r.ResourceTagMappingList ?? []).map((m) => m.ResourceARN ?? "").sort();

test("GetResources filters by tag and by resource type", async () => {
  const all = await tagging().send(new GetResourcesCommand({}));
  // rg-a's member cluster rg-a-001 carries no tags of its own.
  assert.deepEqual(arnsOf(all), [
    arn("cluster", "mc-0"),
    arn("cluster", "mc-1"),
    arn("cluster", "mc-2"),
    arn("cluster", "mc-3"),
    arn("replicationgroup", "rg-a"),
  ]);
  assert.equal(all.PaginationToken, "");
  const ours = await tagging().send(
    new GetResourcesCommand({ TagFilters: [{ Key: "owner", Values: ["ours"] }] }),
  );
  assert.deepEqual(arnsOf(ours), [
    arn("cluster", "mc-0"),
    arn("cluster", "mc-1"),
    arn("cluster", "mc-2"),
    arn("replicationgroup", "rg-a"),
  ]);
  assert.deepEqual(ours.ResourceTagMappingList?.[0]?.Tags, [{ Key: "owner", Value: "ours" }]);
  const anyOwner = await tagging().send(new GetResourcesCommand({ TagFilters: [{ Key: "owner" }] }));
  assert.equal(anyOwner.ResourceTagMappingList?.length, 5);
  const groups = await tagging().send(
    new GetResourcesCommand({
      TagFilters: [{ Key: "owner", Values: ["ours"] }],
      ResourceTypeFilters: ["elasticache:replicationgroup"],
    }),
  );
  assert.deepEqual(arnsOf(groups), [arn("replicationgroup", "rg-a")]);
  const ec2 = await tagging().send(new GetResourcesCommand({ ResourceTypeFilters: ["ec2:instance"] }));
  assert.deepEqual(arnsOf(ec2), []);
  // Tags added later are seen; another region of the same account holds nothing.
  await ec.send(
    new AddTagsToResourceCommand({
      ResourceName: arn("cluster", "mc-4"),
      Tags: [{ Key: "owner", Value: "ours" }],
    }),
  );
  const later = await tagging().send(
    new GetResourcesCommand({ TagFilters: [{ Key: "owner", Values: ["ours"] }] }),
  );
  assert.equal(later.ResourceTagMappingList?.length, 5);
  const elsewhere = await tagging(testCredentials, "eu-west-1").send(new GetResourcesCommand({}));
  assert.deepEqual(arnsOf(elsewhere), []);
});

test("GetResources pages with PaginationToken, at most 100 per page", async () => {
  const pages: string[][] = [];
  for await (const page of paginateGetResources({ client: tagging() }, { ResourcesPerPage: 2 }))
    pages.push(arnsOf(page));
  assert.deepEqual(
    pages.map((p) => p.length),
    [2, 2, 2],
  );
  // Six tagged resources (mc-4 was tagged by the test above), each listed once.
  assert.equal(new Set(pages.flat()).size, 6);
  const tooMany = await errorOf(tagging().send(new GetResourcesCommand({ ResourcesPerPage: 101 })));
  assert.equal(tooMany.code, "InvalidParameterException");
  assert.match(tooMany.message, /ResourcesPerPage/);
  const listed = await tagging().send(
    new GetResourcesCommand({ ResourceARNList: [arn("cluster", "mc-1"), arn("cluster", "gone")] }),
  );
  assert.deepEqual(arnsOf(listed), [arn("cluster", "mc-1")]);
  const listedPaged = await errorOf(
    tagging().send(
      new GetResourcesCommand({ ResourceARNList: [arn("cluster", "mc-1")], ResourcesPerPage: 5 }),
    ),
  );
  assert.equal(listedPaged.code, "InvalidParameterException");
  const badToken = await errorOf(tagging().send(new GetResourcesCommand({ PaginationToken: "not-a-token" })));
  assert.equal(badToken.code, "InvalidParameterException");
});

test("GetResources needs tag:GetResources in IAM and is counted", async () => {
  const denied = await errorOf(tagging(noTagging).send(new GetResourcesCommand({})));
  assert.equal(denied.code, "AccessDeniedException");
  assert.match(denied.message, /perform: tag:GetResources /);
  const calls = (await t.admin("/_localcloud/calls")) as { byAction: Record<string, number> };
  assert.ok((calls.byAction["tagging:GetResources"] ?? 0) >= 1, JSON.stringify(calls.byAction));
});
