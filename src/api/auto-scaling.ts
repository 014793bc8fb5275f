// spec.autoScaling and status.autoScaling of ElastiCacheCluster: shards and replicas that follow
// load through Application Auto Scaling (scalable targets elasticache:replication-group:NodeGroups
// and :Replicas, target tracking on ElastiCache's predefined metrics, scheduled actions).
import { z } from "zod";
import { celRules } from "./cel-rule.ts";

const cooldown = (direction: string) =>
  z
    .int()
    .optional()
    .describe(
      `Seconds after a scale-${direction} completes before another scale-${direction} may start (0-31536000; AWS's default when absent).`,
    )
    .meta(
      celRules({
        rule: "self >= 0 && self <= 31536000",
        message: `scale${direction === "out" ? "Out" : "In"}CooldownSeconds must be between 0 and 31536000`,
      }),
    );

const percent = (field: string, what: string) =>
  z
    .int()
    .optional()
    .describe(what)
    .meta(
      celRules({
        rule: "self >= 1 && self <= 100",
        message: `${field} must be a percentage between 1 and 100`,
      }),
    );

function dimension(name: "shards" | "replicas", limits: { min: number; max: number }) {
  const unit = name === "shards" ? "shards (node groups)" : "replicas per shard";
  const range = `${limits.min}-${limits.max}`;
  return z
    .object({
      min: z
        .int()
        .describe(`Fewest ${unit} auto scaling may leave (${range}).`)
        .meta(
          celRules({
            rule: `self >= ${limits.min} && self <= ${limits.max}`,
            message: `autoScaling.${name}.min must be between ${limits.min} and ${limits.max}`,
          }),
        ),
      max: z
        .int()
        .describe(`Most ${unit} auto scaling may add (${range}).`)
        .meta(
          celRules({
            rule: `self >= ${limits.min} && self <= ${limits.max}`,
            message: `autoScaling.${name}.max must be between ${limits.min} and ${limits.max}`,
          }),
        ),
      ...(name === "shards"
        ? {
            targetMemoryPercent: percent(
              "targetMemoryPercent",
              "Target of the primaries' average memory use counted for eviction (ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage).",
            ),
            targetCPUPercent: percent(
              "targetCPUPercent",
              "Target of the primaries' average engine CPU (ElastiCachePrimaryEngineCPUUtilization).",
            ),
          }
        : {
            targetCPUPercent: percent(
              "targetCPUPercent",
              "Target of the replicas' average engine CPU (ElastiCacheReplicaEngineCPUUtilization).",
            ),
            targetMemoryPercent: z
              .int()
              .optional()
              .describe("Not supported for replicas: adding replicas does not lower memory use."),
          }),
      scaleOutCooldownSeconds: cooldown("out"),
      scaleInCooldownSeconds: cooldown("in"),
      disableScaleIn: z
        .boolean()
        .optional()
        .describe("Only scale out; never remove capacity (default false)."),
    })
    .describe(`Target tracking of the ${unit}.`)
    .meta(
      celRules(
        {
          rule: "self.min <= self.max",
          message: `autoScaling.${name}.min must not be greater than autoScaling.${name}.max`,
          fieldPath: ".min",
        },
        ...(name === "replicas"
          ? [
              {
                rule: "!has(self.targetMemoryPercent)",
                message:
                  "autoScaling.replicas cannot track memory (replicas hold the same keys): use targetCPUPercent, or targetMemoryPercent under autoScaling.shards",
                fieldPath: ".targetMemoryPercent",
              },
              {
                rule: "has(self.targetCPUPercent)",
                message: "autoScaling.replicas needs a target: set targetCPUPercent",
                fieldPath: ".targetCPUPercent",
              },
            ]
          : [
              {
                rule: "has(self.targetMemoryPercent) != has(self.targetCPUPercent)",
                message:
                  "autoScaling.shards needs exactly one target: set targetMemoryPercent or targetCPUPercent (not both)",
                fieldPath: ".targetMemoryPercent",
              },
            ]),
      ),
    );
}

const scheduledAction = z
  .object({
    name: z
      .string()
      .min(1)
      .max(256)
      .describe("Name of the scheduled action (unique within the cache).")
      .meta(
        celRules({
          rule: "self.matches('^[A-Za-z0-9._-]+$')",
          message: "scheduledActions[].name may contain only letters, digits, '.', '_' and '-'",
        }),
      ),
    dimension: z.enum(["shards", "replicas"]).describe("Which range the action sets."),
    schedule: z
      .string()
      .max(256)
      .describe('When: "at(2026-12-24T18:00:00)", "rate(6 hours)" or "cron(0 8 ? * MON-FRI *)".')
      .meta(
        celRules({
          rule: "self.matches('^(at\\\\([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\\\)|rate\\\\([0-9]+ (minute|minutes|hour|hours|day|days)\\\\)|cron\\\\([^)]+\\\\))$')",
          message:
            'scheduledActions[].schedule must be at(yyyy-mm-ddThh:mm:ss), rate(N minutes|hours|days) or cron(min hour day month weekday year), e.g. "cron(0 8 ? * MON-FRI *)"',
        }),
      ),
    timezone: z
      .string()
      .max(64)
      .optional()
      .describe("IANA time zone of the schedule, e.g. Europe/Berlin (UTC when absent)."),
    min: z.int().min(0).optional().describe("New minimum of the dimension's range."),
    max: z.int().min(0).optional().describe("New maximum of the dimension's range."),
  })
  .meta(
    celRules(
      {
        rule: "has(self.min) || has(self.max)",
        message: "scheduledActions[] needs min, max or both",
        fieldPath: ".min",
      },
      {
        rule: "!has(self.min) || !has(self.max) || self.min <= self.max",
        message: "scheduledActions[].min must not be greater than max",
        fieldPath: ".min",
      },
    ),
  );

export const autoScalingSpec = z
  .object({
    shards: dimension("shards", { min: 1, max: 500 }).optional(),
    replicas: dimension("replicas", { min: 0, max: 5 }).optional(),
    scheduledActions: z
      .array(scheduledAction)
      .max(20)
      .optional()
      .describe("Range changes on a schedule (Application Auto Scaling scheduled actions)."),
  })
  .describe(
    "Application Auto Scaling of a cluster-mode Redis/Valkey cache. While a dimension is set here, numNodeGroups / replicasPerNodeGroup are only the initial counts: the operator never reverts what auto scaling does. Removing a dimension deregisters it and the spec's count applies again.",
  )
  .meta(
    celRules(
      {
        rule: "has(self.shards) || has(self.replicas)",
        message: "autoScaling needs shards, replicas or both",
        fieldPath: ".shards",
      },
      {
        rule: "!has(self.scheduledActions) || self.scheduledActions.all(a, a.dimension == 'shards' ? has(self.shards) : has(self.replicas))",
        message:
          "autoScaling.scheduledActions[].dimension names a dimension that is not under autoScaling: add it, or change the action",
        fieldPath: ".scheduledActions",
      },
    ),
  );

const range = z.object({
  current: z.int().min(0).optional().describe("Count AWS reports now."),
  min: z.int().min(0),
  max: z.int().min(0),
});

export const autoScalingStatus = z
  .object({
    shards: range.optional().describe("Shards: current count and the registered range."),
    replicas: range.optional().describe("Replicas per shard: current count and the registered range."),
    lastActivity: z
      .object({
        dimension: z.enum(["shards", "replicas"]),
        description: z.string(),
        cause: z.string().optional(),
        status: z.string().describe("Application Auto Scaling's status: InProgress, Successful, Failed, ..."),
        startTime: z.string(),
        id: z.string(),
      })
      .optional()
      .describe("The newest scaling activity of either dimension."),
    appliedHash: z
      .string()
      .optional()
      .describe(
        "Hash of the autoScaling spec last made to match in AWS (skips the full comparison while unchanged).",
      ),
  })
  .describe("What Application Auto Scaling has registered for this cache, and what it last did.");

export type AutoScalingSpec = z.infer<typeof autoScalingSpec>;
export type AutoScalingStatus = z.infer<typeof autoScalingStatus>;
