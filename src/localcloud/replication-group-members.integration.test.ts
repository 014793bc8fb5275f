// Integration: the member cache clusters of a replication group report the group's settings, as on
// AWS — at create and after ModifyReplicationGroup. The operator reads a group's security groups,
// parameter group, engine version and maintenance window from a member (DescribeCacheClusters), so a
// member that keeps an old value makes it re-send the same modify forever.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  type CacheCluster,
  CreateCacheParameterGroupCommand,
  CreateReplicationGroupCommand,
  DeleteReplicationGroupCommand,
  DescribeCacheClustersCommand,
  type ElastiCacheClient,
  ModifyReplicationGroupCommand,
  type ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import { startTestCloud, type TestCloud, waitGroupAvailable } from "./testing/harness.ts";

let t: TestCloud;
let ec: ElastiCacheClient;

before(async () => {
  t = await startTestCloud();
  ec = t.elasticache();
});
after(async () => {
  await t?.stop();
});

const waitAvailable = (id: string) => waitGroupAvailable(ec, id);

async function membersOf(rg: ReplicationGroup): Promise<CacheCluster[]> {
  const ids = rg.MemberClusters ?? [];
  assert.ok(ids.length > 0, `${rg.ReplicationGroupId} lists no member clusters`);
  return Promise.all(
    ids.map(async (id) => {
      const r = await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: id }));
      const c = r.CacheClusters?.[0];
      assert.ok(c !== undefined, `member ${id} is not described`);
      return c;
    }),
  );
}

interface GroupSettings {
  securityGroupIds: string[];
  parameterGroup: string;
  engineVersion: string;
  nodeType: string;
  maintenanceWindow: string;
  snapshotRetentionLimit: number;
  snapshotWindow: string;
  autoMinorVersionUpgrade: boolean;
}

/** What every member says about the settings it shares with its group. */
function settingsOf(c: CacheCluster): GroupSettings {
  return {
    securityGroupIds: (c.SecurityGroups ?? []).map((g) => g.SecurityGroupId ?? ""),
    parameterGroup: c.CacheParameterGroup?.CacheParameterGroupName ?? "",
    engineVersion: c.EngineVersion ?? "",
    nodeType: c.CacheNodeType ?? "",
    maintenanceWindow: c.PreferredMaintenanceWindow ?? "",
    snapshotRetentionLimit: c.SnapshotRetentionLimit ?? -1,
    snapshotWindow: c.SnapshotWindow ?? "",
    autoMinorVersionUpgrade: c.AutoMinorVersionUpgrade ?? true,
  };
}

async function assertMembersReport(id: string, want: GroupSettings): Promise<ReplicationGroup> {
  const rg = await waitAvailable(id);
  for (const m of await membersOf(rg)) assert.deepEqual(settingsOf(m), want, `member ${m.CacheClusterId}`);
  // The group's own view agrees where it reports the setting.
  assert.equal(rg.CacheNodeType, want.nodeType);
  assert.equal(rg.SnapshotRetentionLimit, want.snapshotRetentionLimit);
  assert.equal(rg.SnapshotWindow, want.snapshotWindow);
  assert.equal(rg.AutoMinorVersionUpgrade, want.autoMinorVersionUpgrade);
  return rg;
}

test("members carry the group's settings at create and after ModifyReplicationGroup", async () => {
  const created: GroupSettings = {
    securityGroupIds: ["sg-0aaa1111"],
    parameterGroup: "default.redis7",
    engineVersion: "7.0.7",
    nodeType: "cache.t3.micro",
    maintenanceWindow: "mon:03:00-mon:04:00",
    snapshotRetentionLimit: 2,
    snapshotWindow: "01:00-02:00",
    autoMinorVersionUpgrade: false,
  };
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "members-follow",
      ReplicationGroupDescription: "members follow the group",
      Engine: "redis",
      EngineVersion: "7.0",
      CacheNodeType: created.nodeType,
      NumCacheClusters: 2,
      SecurityGroupIds: created.securityGroupIds,
      CacheParameterGroupName: created.parameterGroup,
      PreferredMaintenanceWindow: created.maintenanceWindow,
      SnapshotRetentionLimit: created.snapshotRetentionLimit,
      SnapshotWindow: created.snapshotWindow,
      AutoMinorVersionUpgrade: false,
    }),
  );
  await assertMembersReport("members-follow", created);

  const modified: GroupSettings = {
    securityGroupIds: ["sg-0bbb2222", "sg-0ccc3333"],
    parameterGroup: "custom-redis7-params",
    engineVersion: "7.1.0",
    nodeType: "cache.t3.small",
    maintenanceWindow: "wed:05:00-wed:06:00",
    snapshotRetentionLimit: 5,
    snapshotWindow: "02:30-03:30",
    autoMinorVersionUpgrade: true,
  };
  await ec.send(
    new CreateCacheParameterGroupCommand({
      CacheParameterGroupName: modified.parameterGroup,
      CacheParameterGroupFamily: "redis7",
      Description: "members follow the group",
    }),
  );
  await ec.send(
    new ModifyReplicationGroupCommand({
      ReplicationGroupId: "members-follow",
      ApplyImmediately: true,
      SecurityGroupIds: modified.securityGroupIds,
      CacheParameterGroupName: modified.parameterGroup,
      EngineVersion: "7.1",
      CacheNodeType: modified.nodeType,
      PreferredMaintenanceWindow: "Wed:05:00-Wed:06:00",
      SnapshotRetentionLimit: modified.snapshotRetentionLimit,
      SnapshotWindow: modified.snapshotWindow,
      AutoMinorVersionUpgrade: true,
    }),
  );
  await assertMembersReport("members-follow", modified);

  // One setting alone, as the operator sends it when only the security groups drifted.
  await ec.send(
    new ModifyReplicationGroupCommand({
      ReplicationGroupId: "members-follow",
      ApplyImmediately: true,
      SecurityGroupIds: ["sg-0ddd4444"],
    }),
  );
  const last = { ...modified, securityGroupIds: ["sg-0ddd4444"] };
  await assertMembersReport("members-follow", last);

  // The members' settings are saved with the state: a restarted local cloud reports the same.
  await t.restart();
  ec = t.elasticache();
  await assertMembersReport("members-follow", last);

  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "members-follow" }));
});
