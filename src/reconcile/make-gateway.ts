// A provider's CacheGateway: the cloud layer's gateway for calls, its batch observer for reads
// (one listing serves every cache of the provider that is waiting at the same moment). Shared by
// the operator and the standalone CLI.
import { ApplicationAutoScalingGateway } from "../cloud/auto-scaling-gateway.ts";
import type { AwsClients } from "../cloud/clients.ts";
import { ElastiCacheGateway } from "../cloud/gateway.ts";
import { BatchObserver } from "../cloud/observer.ts";
import type { Action } from "../engine/model.ts";
import type { CacheGateway } from "./gateway.ts";

/** Answers from a listing this recent are good enough for a reconcile. */
const MAX_OBSERVATION_AGE_MS = 2_000;
/**
 * For a settled (available) cache, answers this recent are good enough: the reconciles of one
 * resync tick reach the observer over several seconds (a few workers, a status write each), and
 * one listing should answer them all. What the operator changes itself is never served stale
 * (execute() forgets it), and a forced sync reads fresh.
 */
const SETTLED_OBSERVATION_AGE_MS = 30_000;

export function makeGateway(clients: AwsClients): CacheGateway {
  const gateway = new ElastiCacheGateway(clients);
  const observer = new BatchObserver(gateway);
  return {
    observe: (id, topology, options) =>
      observer.observe(
        id,
        topology,
        options?.fresh
          ? { maxAgeMs: 0 }
          : { maxAgeMs: MAX_OBSERVATION_AGE_MS, settledMaxAgeMs: SETTLED_OBSERVATION_AGE_MS },
      ),
    listTags: (arn) => gateway.listTags(arn),
    autoScaling: new ApplicationAutoScalingGateway(() => clients.autoScaling, clients.onCall),
    execute: async (action, secrets) => {
      await gateway.execute(action, secrets);
      // A listing started before this call must not answer for the changed resource.
      const target = changedResource(action);
      if (target) observer.forget(target.id, target.topology);
    },
  };
}

function changedResource(
  action: Action,
): { id: string; topology: "CacheCluster" | "ReplicationGroup" } | undefined {
  switch (action.type) {
    case "create":
      return { id: action.params.id, topology: action.params.topology };
    case "modify":
      return { id: action.params.id, topology: action.params.topology };
    case "delete":
      return { id: action.id, topology: action.topology };
    case "increaseReplicaCount":
    case "decreaseReplicaCount":
    case "reshard":
      return { id: action.id, topology: "ReplicationGroup" };
    default:
      return undefined;
  }
}
