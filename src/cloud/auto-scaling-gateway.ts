// Application Auto Scaling calls for one replication group (`replication-group/<id>`), in the
// engine's terms (src/engine/auto-scaling.ts): what is registered, the calls that change it, and
// the newest scaling activities. Every call goes through callAws (CloudErrors, metrics hook).
import {
  type ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeleteScheduledActionCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  type DescribeScalableTargetsCommandOutput,
  DescribeScalingActivitiesCommand,
  type DescribeScalingActivitiesCommandOutput,
  DescribeScalingPoliciesCommand,
  type DescribeScalingPoliciesCommandOutput,
  DescribeScheduledActionsCommand,
  type DescribeScheduledActionsCommandOutput,
  PutScalingPolicyCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
  type ScalableDimension,
} from "@aws-sdk/client-application-auto-scaling";
import {
  type AutoScalingCall,
  type AutoScalingState,
  type Dimension,
  dimensions,
  scalableDimensionOf,
} from "../engine/auto-scaling.ts";
import type { CallHook } from "./call.ts";
import { callAws } from "./call.ts";
import { isKind } from "./errors.ts";

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
  readonly #client: () => ApplicationAutoScalingClient;
  readonly #onCall: CallHook | undefined;

  constructor(client: () => ApplicationAutoScalingClient, onCall?: CallHook) {
    this.#client = client;
    this.#onCall = onCall;
  }

  #send<T>(operation: string, command: unknown): Promise<T> {
    // biome-ignore lint/suspicious/noExplicitAny: one send for every command type
    return callAws(operation, this.#onCall, () => this.#client().send(command as any) as Promise<T>);
  }

  async observe(groupId: string): Promise<AutoScalingState> {
    const ResourceId = resourceIdOf(groupId);
    const targets = await this.#send<DescribeScalableTargetsCommandOutput>(
      "DescribeScalableTargets",
      new DescribeScalableTargetsCommand({ ServiceNamespace: namespace, ResourceIds: [ResourceId] }),
    );
    const state: AutoScalingState = { targets: [], policies: [], scheduledActions: [] };
    for (const t of targets.ScalableTargets ?? []) {
      const dimension = dimensionOf(t.ScalableDimension);
      if (dimension) state.targets.push({ dimension, min: t.MinCapacity ?? 0, max: t.MaxCapacity ?? 0 });
    }
    if (state.targets.length === 0) return state;
    const policies = await this.#send<DescribeScalingPoliciesCommandOutput>(
      "DescribeScalingPolicies",
      new DescribeScalingPoliciesCommand({ ServiceNamespace: namespace, ResourceId }),
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
      new DescribeScheduledActionsCommand({ ServiceNamespace: namespace, ResourceId }),
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
            new RegisterScalableTargetCommand({
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
            new PutScalingPolicyCommand({
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
            new PutScheduledActionCommand({
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
            new DeleteScheduledActionCommand({ ...base(call.dimension), ScheduledActionName: call.name }),
          );
          return;
        case "deletePolicy":
          await this.#send(
            "DeleteScalingPolicy",
            new DeleteScalingPolicyCommand({ ...base(call.dimension), PolicyName: call.name }),
          );
          return;
        case "deregisterTarget":
          await this.#send(
            "DeregisterScalableTarget",
            new DeregisterScalableTargetCommand(base(call.dimension)),
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
      new DescribeScalingActivitiesCommand({
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
