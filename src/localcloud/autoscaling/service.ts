// The Application Auto Scaling service of the local cloud (JSON 1.1 protocol, 2016-02-06): scalable
// targets, target-tracking policies and scheduled actions for ElastiCache replication groups, and
// the scaling activities the scaler records. Each handler runs in its caller's account and region.
import type { Handler } from "../context.ts";
import type { Cloud } from "../elasticache/cloud.ts";
import { scopedHandlers } from "../elasticache/scoped-handlers.ts";
import { activityHandlers } from "./activities.ts";
import { policyHandlers } from "./policies.ts";
import { scheduledActionHandlers } from "./scheduled-actions.ts";
import { targetHandlers } from "./targets.ts";

export function autoScalingHandlers(cloud: Cloud): Record<string, Handler> {
  return scopedHandlers({
    ...targetHandlers(cloud),
    ...policyHandlers(cloud),
    ...scheduledActionHandlers(cloud),
    ...activityHandlers(cloud),
  });
}
