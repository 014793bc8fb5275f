// Integration: the local cloud's Application Auto Scaling API over the JSON 1.1 protocol with the
// AWS SDK v3 client — scalable targets on a cluster-mode replication group, target-tracking
// policies, scheduled actions, paging, AWS's validation errors and IAM decisions per action.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  type ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeleteScheduledActionCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { CreateReplicationGroupCommand, type ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { parseConfig } from "./config.ts";
import { errorOf, startTestCloud, type TestCloud, waitGroupAvailable } from "./testing/harness.ts";

const limited = { accessKeyId: "AKIAASREAD00000000001", secretAccessKey: "as-read-secret" };
const config = parseConfig(
  {
    accounts: [
      {
        id: "000000000000",
        users: [
          {
            name: "root",
            accessKeys: [{ id: "test", secret: "test" }],
            policies: [{ Statement: { Effect: "Allow", Action: "*", Resource: "*" } }],
          },
          {
            name: "reader",
            accessKeys: [{ id: limited.accessKeyId, secret: limited.secretAccessKey }],
            policies: [
              { Statement: { Effect: "Allow", Action: "application-autoscaling:Describe*", Resource: "*" } },
            ],
          },
        ],
      },
    ],
  },
  "autoscaling test config",
);

let t: TestCloud;
let ec: ElastiCacheClient;
let as: ApplicationAutoScalingClient;
const ns = "elasticache" as const;
const shards = "elasticache:replication-group:NodeGroups" as const;
const replicas = "elasticache:replication-group:Replicas" as const;

before(async () => {
  t = await startTestCloud({ config });
  ec = t.elasticache();
  as = t.autoScaling();
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "scaled",
      ReplicationGroupDescription: "d",
      CacheNodeType: "cache.t3.micro",
      Engine: "redis",
      NumNodeGroups: 1,
      ReplicasPerNodeGroup: 0,
    }),
  );
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "plain",
      ReplicationGroupDescription: "d",
      CacheNodeType: "cache.t3.micro",
      Engine: "redis",
    }),
  );
  await waitGroupAvailable(ec, "scaled");
  await waitGroupAvailable(ec, "plain");
});
after(async () => {
  await t?.stop();
});

test("scalable targets: registered, updated in place, described, refused where AWS refuses", async () => {
  const out = await as.send(
    new RegisterScalableTargetCommand({
      ServiceNamespace: ns,
      ResourceId: "replication-group/scaled",
      ScalableDimension: shards,
      MinCapacity: 1,
      MaxCapacity: 3,
    }),
  );
  assert.match(
    out.ScalableTargetARN ?? "",
    /^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\//,
  );
  // Updating names only what changes.
  await as.send(
    new RegisterScalableTargetCommand({
      ServiceNamespace: ns,
      ResourceId: "replication-group/scaled",
      ScalableDimension: shards,
      MaxCapacity: 4,
    }),
  );
  const described = await as.send(
    new DescribeScalableTargetsCommand({ ServiceNamespace: ns, ResourceIds: ["replication-group/scaled"] }),
  );
  assert.equal(described.ScalableTargets?.length, 1);
  const target = described.ScalableTargets?.[0];
  assert.equal(target?.MinCapacity, 1);
  assert.equal(target?.MaxCapacity, 4);
  assert.equal(target?.ScalableTargetARN, out.ScalableTargetARN);
  assert.match(target?.RoleARN ?? "", /AWSServiceRoleForApplicationAutoScaling_ElastiCacheRG$/);
  assert.ok(target?.CreationTime instanceof Date);

  const plain = await errorOf(
    as.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: ns,
        ResourceId: "replication-group/plain",
        ScalableDimension: shards,
        MinCapacity: 1,
        MaxCapacity: 2,
      }),
    ),
  );
  assert.equal(plain.name, "ValidationException");
  assert.match(plain.message, /cluster mode/);
  const missing = await errorOf(
    as.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: ns,
        ResourceId: "replication-group/nope",
        ScalableDimension: shards,
        MinCapacity: 1,
        MaxCapacity: 2,
      }),
    ),
  );
  assert.match(missing.message, /Unable to find replication group nope/);
  const inverted = await errorOf(
    as.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: ns,
        ResourceId: "replication-group/scaled",
        ScalableDimension: replicas,
        MinCapacity: 3,
        MaxCapacity: 2,
      }),
    ),
  );
  assert.match(inverted.message, /MinCapacity 3 must not be greater than MaxCapacity 2/);
  const tooMany = await errorOf(
    as.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: ns,
        ResourceId: "replication-group/scaled",
        ScalableDimension: replicas,
        MinCapacity: 0,
        MaxCapacity: 6,
      }),
    ),
  );
  assert.match(tooMany.message, /within 0 and 5/);
  const required = await errorOf(
    as.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: ns,
        ResourceId: "replication-group/scaled",
      } as never),
    ),
  );
  assert.equal(required.name, "ValidationException");
  assert.match(required.message, /ScalableDimension/);
});

test("target-tracking policies: put, described with their alarms, changed, deleted", async () => {
  const put = await as.send(
    new PutScalingPolicyCommand({
      PolicyName: "memory",
      ServiceNamespace: ns,
      ResourceId: "replication-group/scaled",
      ScalableDimension: shards,
      PolicyType: "TargetTrackingScaling",
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 50,
        PredefinedMetricSpecification: {
          PredefinedMetricType: "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage",
        },
        ScaleInCooldown: 600,
        ScaleOutCooldown: 300,
      },
    }),
  );
  assert.match(
    put.PolicyARN ?? "",
    /:scalingPolicy:.*:resource\/elasticache\/replication-group\/scaled:policyName\/memory$/,
  );
  assert.deepEqual(
    put.Alarms?.map((a) => a.AlarmName?.replace(/-[0-9a-f-]{36}$/, "")),
    ["TargetTracking-replication-group/scaled-AlarmHigh", "TargetTracking-replication-group/scaled-AlarmLow"],
  );
  const again = await as.send(
    new PutScalingPolicyCommand({
      PolicyName: "memory",
      ServiceNamespace: ns,
      ResourceId: "replication-group/scaled",
      ScalableDimension: shards,
      PolicyType: "TargetTrackingScaling",
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 60,
        PredefinedMetricSpecification: {
          PredefinedMetricType: "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage",
        },
        DisableScaleIn: true,
      },
    }),
  );
  assert.equal(again.PolicyARN, put.PolicyARN);
  assert.equal(again.Alarms?.length, 1, "no scale-in alarm when scale-in is disabled");
  const described = await as.send(
    new DescribeScalingPoliciesCommand({ ServiceNamespace: ns, ResourceId: "replication-group/scaled" }),
  );
  const policy = described.ScalingPolicies?.[0];
  assert.equal(policy?.TargetTrackingScalingPolicyConfiguration?.TargetValue, 60);
  assert.equal(policy?.TargetTrackingScalingPolicyConfiguration?.DisableScaleIn, true);
  assert.equal(policy?.TargetTrackingScalingPolicyConfiguration?.ScaleInCooldown, undefined);

  const wrongMetric = await errorOf(
    as.send(
      new PutScalingPolicyCommand({
        PolicyName: "cpu",
        ServiceNamespace: ns,
        ResourceId: "replication-group/scaled",
        ScalableDimension: shards,
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 50,
          PredefinedMetricSpecification: { PredefinedMetricType: "ElastiCacheReplicaEngineCPUUtilization" },
        },
      }),
    ),
  );
  assert.match(wrongMetric.message, /cannot be used with elasticache:replication-group:NodeGroups/);
  const noTarget = await errorOf(
    as.send(
      new PutScalingPolicyCommand({
        PolicyName: "cpu",
        ServiceNamespace: ns,
        ResourceId: "replication-group/scaled",
        ScalableDimension: replicas,
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 50,
          PredefinedMetricSpecification: { PredefinedMetricType: "ElastiCacheReplicaEngineCPUUtilization" },
        },
      }),
    ),
  );
  assert.equal(noTarget.name, "ObjectNotFoundException");
  const step = await errorOf(
    as.send(
      new PutScalingPolicyCommand({
        PolicyName: "step",
        ServiceNamespace: ns,
        ResourceId: "replication-group/scaled",
        ScalableDimension: shards,
        PolicyType: "StepScaling",
      }),
    ),
  );
  assert.match(step.message, /StepScaling is not supported/);

  await as.send(
    new DeleteScalingPolicyCommand({
      PolicyName: "memory",
      ServiceNamespace: ns,
      ResourceId: "replication-group/scaled",
      ScalableDimension: shards,
    }),
  );
  const gone = await errorOf(
    as.send(
      new DeleteScalingPolicyCommand({
        PolicyName: "memory",
        ServiceNamespace: ns,
        ResourceId: "replication-group/scaled",
        ScalableDimension: shards,
      }),
    ),
  );
  assert.equal(gone.name, "ObjectNotFoundException");
});

test("scheduled actions: put, described, refused with a bad schedule, deleted with their target", async () => {
  await as.send(
    new PutScheduledActionCommand({
      ServiceNamespace: ns,
      ResourceId: "replication-group/scaled",
      ScalableDimension: shards,
      ScheduledActionName: "weekday-morning",
      Schedule: "cron(0 8 ? * MON-FRI *)",
      Timezone: "Europe/Berlin",
      ScalableTargetAction: { MinCapacity: 2, MaxCapacity: 4 },
    }),
  );
  const listed = await as.send(new DescribeScheduledActionsCommand({ ServiceNamespace: ns }));
  assert.equal(listed.ScheduledActions?.[0]?.Schedule, "cron(0 8 ? * MON-FRI *)");
  assert.equal(listed.ScheduledActions?.[0]?.ScalableTargetAction?.MinCapacity, 2);
  const bad = await errorOf(
    as.send(
      new PutScheduledActionCommand({
        ServiceNamespace: ns,
        ResourceId: "replication-group/scaled",
        ScalableDimension: shards,
        ScheduledActionName: "bad",
        Schedule: "every monday",
        ScalableTargetAction: { MinCapacity: 2 },
      }),
    ),
  );
  assert.match(bad.message, /at\(yyyy-mm-ddThh:mm:ss\), rate\(value unit\) or cron\(fields\)/);
  await as.send(
    new DeleteScheduledActionCommand({
      ServiceNamespace: ns,
      ResourceId: "replication-group/scaled",
      ScalableDimension: shards,
      ScheduledActionName: "weekday-morning",
    }),
  );
  await as.send(
    new PutScheduledActionCommand({
      ServiceNamespace: ns,
      ResourceId: "replication-group/scaled",
      ScalableDimension: shards,
      ScheduledActionName: "later",
      Schedule: "at(2099-01-01T00:00:00)",
      ScalableTargetAction: { MaxCapacity: 2 },
    }),
  );
  await as.send(
    new DeregisterScalableTargetCommand({
      ServiceNamespace: ns,
      ResourceId: "replication-group/scaled",
      ScalableDimension: shards,
    }),
  );
  const none = await as.send(new DescribeScheduledActionsCommand({ ServiceNamespace: ns }));
  assert.deepEqual(none.ScheduledActions, []);
  const targets = await as.send(new DescribeScalableTargetsCommand({ ServiceNamespace: ns }));
  assert.deepEqual(targets.ScalableTargets, []);
  const again = await errorOf(
    as.send(
      new DeregisterScalableTargetCommand({
        ServiceNamespace: ns,
        ResourceId: "replication-group/scaled",
        ScalableDimension: shards,
      }),
    ),
  );
  assert.equal(again.name, "ObjectNotFoundException");
});

test("IAM: each action is application-autoscaling:<Action>, and AccessDenied names it", async () => {
  const reader = t.autoScaling(limited);
  const listed = await reader.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: ns }));
  assert.ok(Array.isArray(listed.ScalingActivities));
  const denied = await errorOf(
    reader.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: ns,
        ResourceId: "replication-group/scaled",
        ScalableDimension: shards,
        MinCapacity: 1,
        MaxCapacity: 2,
      }),
    ),
  );
  assert.equal(denied.name, "AccessDeniedException");
  assert.equal(denied.status, 403);
  assert.match(denied.message, /application-autoscaling:RegisterScalableTarget/);
  const otherNamespace = await errorOf(
    as.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs" })),
  );
  assert.match(otherNamespace.message, /ServiceNamespace elasticache only/);
});
