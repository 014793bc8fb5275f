// A provider's CacheGateway: the AWS layer's gateway for calls, its batch observer for reads
// (one listing serves every cache of the provider that is waiting at the same moment), its event
// feed (what changed since the last look, one DescribeEvents per tick whatever the fleet size) and
// its tag reader (tags of many caches from one GetResources). Shared by the operator and the
// standalone CLI. See docs/adr/0016-event-driven-polling.md.
import { ApplicationAutoScalingGateway } from "../aws/auto-scaling-gateway.ts";
import { callAws } from "../aws/call.ts";
import type { AwsClients } from "../aws/clients.ts";
import { ElastiCacheGateway } from "../aws/elasticache-gateway.ts";
import { EventFeed } from "../aws/event-feed.ts";
import { EventSync } from "../aws/event-sync.ts";
import { taggingSdk } from "../aws/lazy-import.ts";
import { BatchObserver } from "../aws/observer.ts";
import { type GetResources, TagReader } from "../aws/tag-reader.ts";
import type { Action, ObservedCache, Topology } from "../planner/model.ts";
import { OWNER_TAG } from "../planner/ownership.ts";
import type { CacheGateway } from "./cache-gateway.ts";

/** Answers from a listing this recent are good enough for a reconcile. */
const MAX_OBSERVATION_AGE_MS = 2_000;
/**
 * Without events (DescribeEvents refused or failing), answers for a settled (available) cache this
 * recent are good enough: the reconciles of one resync tick reach the observer over several seconds
 * (a few workers, a status write each), and one listing should answer them all.
 */
const SETTLED_OBSERVATION_AGE_MS = 30_000;

export interface GatewayTimings {
  /**
   * A settled cache no event named is served from the last answer up to this old; then every
   * cache is read again (one listing), for the changes AWS reports no event for. Default 6 h.
   */
  fullResyncMs?: number;
  /** One DescribeEvents answers for this long (at most one per tick). Default 30 s. */
  eventPollMs?: number;
  /** Told of each cache (its id) an event names: the operator wakes the objects behind it. */
  onChanged?: (id: string) => void;
}

export const DEFAULT_FULL_RESYNC_MS = 6 * 3600_000;

export function makeGateway(clients: AwsClients, timings: GatewayTimings = {}): CacheGateway {
  const fullResyncMs = timings.fullResyncMs ?? DEFAULT_FULL_RESYNC_MS;
  const gateway = new ElastiCacheGateway(clients);
  const observer = new BatchObserver(gateway, { retainMs: fullResyncMs + 10 * 60_000 });
  const events = new EventSync(new EventFeed((input) => gateway.describeEvents(input)), observer, {
    minIntervalMs: timings.eventPollMs ?? 30_000,
    onChanged: timings.onChanged,
  });
  const getResources: GetResources = (input) =>
    callAws(
      "GetResources",
      clients.onCall,
      async (abortSignal) => {
        const [{ GetResourcesCommand }, tagging] = await Promise.all([taggingSdk(), clients.tagging()]);
        return tagging.send(new GetResourcesCommand(input), { abortSignal });
      },
      clients.timeouts.callMs,
    );
  const tags = new TagReader(getResources, {
    ownershipKey: OWNER_TAG,
    fallback: (arn) => gateway.listTags(arn),
    scanMaxAgeMs: timings.eventPollMs ?? 30_000,
  });
  // Each answer says when AWS was read for it (status.lastSyncTime): one served from what is
  // held changes nothing in status, so a quiet tick writes no status either.
  const dated = (id: string, topology: Topology, value: ObservedCache | undefined) => {
    const at = observer.answeredAt(id, topology);
    return value === undefined || at === undefined ? value : { ...value, observedAt: at };
  };
  return {
    observe: async (id, topology, options) => {
      if (options?.fresh) return dated(id, topology, await observer.observe(id, topology, { maxAgeMs: 0 }));
      // A settled cache no event named since its last answer is as that answer says.
      const known = observer.holdsSettled(id, topology) && (await events.sync());
      const value = await observer.observe(id, topology, {
        maxAgeMs: MAX_OBSERVATION_AGE_MS,
        settledMaxAgeMs: known ? fullResyncMs : SETTLED_OBSERVATION_AGE_MS,
      });
      return dated(id, topology, value);
    },
    listTags: (arn) => tags.read(arn),
    autoScaling: new ApplicationAutoScalingGateway(() => clients.autoScaling(), clients.onCall),
    execute: async (action, secrets) => {
      await gateway.execute(action, secrets);
      // A listing or tag scan started before this call must not answer for the changed resource.
      const target = changedResource(action);
      if (target) {
        if (action.type !== "addTags" && action.type !== "removeTags")
          observer.forget(target.id, target.topology);
        tags.forget(`:${target.topology === "CacheCluster" ? "cluster" : "replicationgroup"}:${target.id}`);
      }
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
    case "addTags":
    case "removeTags":
      return targetOfArn(action.arn);
    default:
      return undefined;
  }
}

function targetOfArn(arn: string): { id: string; topology: "CacheCluster" | "ReplicationGroup" } | undefined {
  const m = /:(cluster|replicationgroup):([^:]+)$/.exec(arn);
  if (m?.[2] === undefined) return undefined;
  return { id: m[2], topology: m[1] === "cluster" ? "CacheCluster" : "ReplicationGroup" };
}
