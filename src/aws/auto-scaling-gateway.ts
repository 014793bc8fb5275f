// Application Auto Scaling calls for one replication group (`replication-group/<id>`), in the
// engine's terms (src/planner/auto-scaling.ts): what is registered, the calls that change it, and
// the newest scaling activities. Every call goes through callAws (CloudErrors, metrics hook).
import type * as AutoScaling from "@aws-sdk/client-application-auto-scaling";
import type {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommandOutput,
  DescribeScalingActivitiesCommandOutput,
  DescribeScalingPoliciesCommandOutput,
  DescribeScheduledActionsCommandOutput,
  ScalableDimension,
} from "@aws-sdk/client-application-auto-scaling";
import {
  type AutoScalingCall,
  type AutoScalingState,
  type Dimension,
  dimensions,
  scalableDimensionOf,
} from "../planner/auto-scaling.ts";
import type { CallHook } from "./call.ts";
import { callAws } from "./call.ts";
import { isKind } from "./errors.ts";
import { autoScalingSdk } from "./lazy-import.ts";

/** The SDK module, imported on first use (lazy-import.ts): its command classes build each request. */
type Sdk = typeof AutoScaling;

export interface ScalingActivity {
  id: string;
  dimension: Dimension;
  description: string;
  cause?: string;
  status: string;
  statusMessage?: string;
  startTime: string;
}

export interface AutoScalingGateway {
  observe(groupId: string): Promise<AutoScalingState>;
  execute(groupId: string, call: AutoScalingCall): Promise<void>;
  /** Newest first, at most `limit`. */
  activities(groupId: string, limit: number): Promise<ScalingActivity[]>;
}

const namespace = "elasticache" as const;
const dimensionOf = (scalable: string | undefined): Dimension | undefined =>
  dimensions.find((d) => scalableDimensionOf[d] === scalable);
const resourceIdOf = (groupId: string) => `replication-group/${groupId}`;

export class ApplicationAutoScalingGateway implements AutoScalingGateway {
  readonly #client: () => Promise<ApplicationAutoScalingClient>;
  readonly #onCall: CallHook | undefined;

  constructor(client: () => Promise<ApplicationAutoScalingClient>, onCall?: CallHook) {
    this.#client = client;
    this.#onCall = onCall;
  }

  #send<T>(operation: string, command: (sdk: Sdk) => unknown): Promise<T> {
    return callAws(operation, this.#onCall, async () => {
      const [sdk, client] = await Promise.all([autoScalingSdk(), this.#client()]);
      // biome-ignore lint/suspicious/noExplicitAny: one send for every command type
      return client.send(command(sdk) as any) as Promise<T>;
    });
  }

  async observe(groupId: string): Promise<AutoScalingState> {
    const ResourceId = resourceIdOf(groupId);
    const targets = await this.#send<DescribeScalableTargetsCommandOutput>(
      "DescribeScalableTargets",
      (sdk) =>
        new sdk.DescribeScalableTargetsCommand({ ServiceNamespace: namespace, ResourceIds: [ResourceId] }),
    );
    const state: AutoScalingState = { targets: [], policies: [], scheduledActions: [] };
    for (const t of targets.ScalableTargets ?? []) {
      const dimension = dimensionOf(t.ScalableDimension);
      if (dimension) state.targets.push({ dimension, min: t.MinCapacity ?? 0, max: t.MaxCapacity ?? 0 });
    }
    if (state.targets.length === 0) return state;
    const policies = await this.#send<DescribeScalingPoliciesCommandOutput>(
      "DescribeScalingPolicies",
      (sdk) => new sdk.DescribeScalingPoliciesCommand({ ServiceNamespace: namespace, ResourceId }),
    );
    for (const p of policies.ScalingPolicies ?? []) {
      const dimension = dimensionOf(p.ScalableDimension);
      const tt = p.TargetTrackingScalingPolicyConfiguration;
      if (!dimension || !p.PolicyName || !tt) continue;
      state.policies.push({
        dimension,
        name: p.PolicyName,
        targetValue: tt.TargetValue ?? 0,
        metricType: tt.PredefinedMetricSpecification?.PredefinedMetricType ?? "",
        ...(tt.ScaleOutCooldown !== undefined ? { scaleOutCooldown: tt.ScaleOutCooldown } : {}),
        ...(tt.ScaleInCooldown !== undefined ? { scaleInCooldown: tt.ScaleInCooldown } : {}),
        disableScaleIn: tt.DisableScaleIn === true,
      });
    }
    const scheduled = await this.#send<DescribeScheduledActionsCommandOutput>(
      "DescribeScheduledActions",
      (sdk) => new sdk.DescribeScheduledActionsCommand({ ServiceNamespace: namespace, ResourceId }),
    );
    for (const a of scheduled.ScheduledActions ?? []) {
      const dimension = dimensionOf(a.ScalableDimension);
      if (!dimension || !a.ScheduledActionName || !a.Schedule) continue;
      const range = a.ScalableTargetAction ?? {};
      state.scheduledActions.push({
        dimension,
        name: a.ScheduledActionName,
        schedule: a.Schedule,
        ...(a.Timezone !== undefined && a.Timezone !== "UTC" ? { timezone: a.Timezone } : {}),
        ...(range.MinCapacity !== undefined ? { min: range.MinCapacity } : {}),
        ...(range.MaxCapacity !== undefined ? { max: range.MaxCapacity } : {}),
      });
    }
    return state;
  }

  async execute(groupId: string, call: AutoScalingCall): Promise<void> {
    const ResourceId = resourceIdOf(groupId);
    const base = (dimension: Dimension) => ({
      ServiceNamespace: namespace,
      ResourceId,
      ScalableDimension: scalableDimensionOf[dimension] as ScalableDimension,
    });
    try {
      switch (call.type) {
        case "registerTarget":
          await this.#send(
            "RegisterScalableTarget",
            (sdk) =>
              new sdk.RegisterScalableTargetCommand({
                ...base(call.target.dimension),
                MinCapacity: call.target.min,
                MaxCapacity: call.target.max,
              }),
          );
          return;
        case "putPolicy": {
          const p = call.policy;
          await this.#send(
            "PutScalingPolicy",
            (sdk) =>
              new sdk.PutScalingPolicyCommand({
                ...base(p.dimension),
                PolicyName: p.name,
                PolicyType: "TargetTrackingScaling",
                TargetTrackingScalingPolicyConfiguration: {
                  TargetValue: p.targetValue,
                  PredefinedMetricSpecification: { PredefinedMetricType: p.metricType as never },
                  ...(p.scaleOutCooldown !== undefined ? { ScaleOutCooldown: p.scaleOutCooldown } : {}),
                  ...(p.scaleInCooldown !== undefined ? { ScaleInCooldown: p.scaleInCooldown } : {}),
                  DisableScaleIn: p.disableScaleIn,
                },
              }),
          );
          return;
        }
        case "putScheduledAction": {
          const a = call.action;
          await this.#send(
            "PutScheduledAction",
            (sdk) =>
              new sdk.PutScheduledActionCommand({
                ...base(a.dimension),
                ScheduledActionName: a.name,
                Schedule: a.schedule,
                ...(a.timezone !== undefined ? { Timezone: a.timezone } : {}),
                ScalableTargetAction: {
                  ...(a.min !== undefined ? { MinCapacity: a.min } : {}),
                  ...(a.max !== undefined ? { MaxCapacity: a.max } : {}),
                },
              }),
          );
          return;
        }
        case "deleteScheduledAction":
          await this.#send(
            "DeleteScheduledAction",
            (sdk) =>
              new sdk.DeleteScheduledActionCommand({
                ...base(call.dimension),
                ScheduledActionName: call.name,
              }),
          );
          return;
        case "deletePolicy":
          await this.#send(
            "DeleteScalingPolicy",
            (sdk) => new sdk.DeleteScalingPolicyCommand({ ...base(call.dimension), PolicyName: call.name }),
          );
          return;
        case "deregisterTarget":
          await this.#send(
            "DeregisterScalableTarget",
            (sdk) => new sdk.DeregisterScalableTargetCommand(base(call.dimension)),
          );
          return;
      }
    } catch (err) {
      // Already gone is what a delete wants.
      if (call.type.startsWith("de") && isKind(err, "NotFound")) return;
      throw err;
    }
  }

  async activities(groupId: string, limit: number): Promise<ScalingActivity[]> {
    const out = await this.#send<DescribeScalingActivitiesCommandOutput>(
      "DescribeScalingActivities",
      (sdk) =>
        new sdk.DescribeScalingActivitiesCommand({
          ServiceNamespace: namespace,
          ResourceId: resourceIdOf(groupId),
          MaxResults: limit,
        }),
    );
    const result: ScalingActivity[] = [];
    for (const a of out.ScalingActivities ?? []) {
      const dimension = dimensionOf(a.ScalableDimension);
      if (!dimension || !a.ActivityId) continue;
      result.push({
        id: a.ActivityId,
        dimension,
        description: a.Description ?? "",
        ...(a.Cause !== undefined ? { cause: a.Cause } : {}),
        status: a.StatusCode ?? "Unknown",
        ...(a.StatusMessage !== undefined ? { statusMessage: a.StatusMessage } : {}),
        startTime: (a.StartTime ?? new Date(0)).toISOString(),
      });
    }
    return result;
  }
}
