// ElastiCacheGateway: the one door between the planner's world (ObservedCache, Action) and ElastiCache
// for one provider. Reads map to ObservedCache (a missing resource is `undefined`, not an error);
// actions map to exactly one API call each; every failure is a classified CloudError; every call is
// reported to `onCall` (metrics, benchmarks).
import {
  type CacheCluster,
  DescribeCacheClustersCommand,
  type DescribeCacheClustersCommandOutput,
  DescribeEventsCommand,
  type DescribeEventsCommandOutput,
  DescribeReplicationGroupsCommand,
  type DescribeReplicationGroupsCommandOutput,
  ListTagsForResourceCommand,
  type ListTagsForResourceCommandOutput,
  type ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import type { Action, ObservedCache, Topology } from "../planner/model.ts";
import { globalRedactor } from "../secrets/redact.ts";
import { type ElastiCacheCommand, type ExecuteOptions, requestFor } from "./action-mapping.ts";
import { type CallHook, callAws } from "./call.ts";
import { isKind } from "./errors.ts";
import { observeCacheCluster, observeReplicationGroup, tagsOf } from "./observed-mapping.ts";
import type { AwsTimeouts } from "./timeouts.ts";

/** The part of the SDK client the gateway uses (unit tests of pagination pass a stand-in). */
export interface ElastiCacheSender {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

export interface GatewayOptions {
  onCall?: CallHook;
  /** MaxRecords of list pages (AWS allows 20..100). Default 100. */
  pageSize?: number;
}

export interface ExecuteResult {
  /** The API operation called, or "none" for actions that call nothing (wait, none). */
  operation: string;
  /** For readTags: the resource's tags. */
  tags?: Record<string, string>;
}

/** A bound on pages per listing, so a misbehaving endpoint cannot keep us paging forever. */
const MAX_PAGES = 1000;

export class ElastiCacheGateway {
  readonly #client: ElastiCacheSender;
  readonly #onCall: CallHook | undefined;
  readonly #pageSize: number;
  readonly #callTimeoutMs: number | undefined;

  constructor(
    client: { elasticache: object; onCall?: CallHook; timeouts?: AwsTimeouts } | ElastiCacheSender,
    options: GatewayOptions = {},
  ) {
    const clients = "elasticache" in client ? client : undefined;
    this.#client = (clients?.elasticache ?? client) as ElastiCacheSender;
    this.#onCall = options.onCall ?? clients?.onCall;
    this.#pageSize = options.pageSize ?? 100;
    this.#callTimeoutMs = clients?.timeouts?.callMs;
  }

  #send<T>(operation: string, command: object): Promise<T> {
    return callAws(
      operation,
      this.#onCall,
      (abortSignal) => this.#client.send(command, { abortSignal }) as Promise<T>,
      this.#callTimeoutMs,
    );
  }

  async #describeClusters(input: Record<string, unknown>): Promise<DescribeCacheClustersCommandOutput> {
    return this.#send("DescribeCacheClusters", new DescribeCacheClustersCommand(input));
  }

  /** One cache cluster (with its nodes), or undefined when AWS has none of that id. */
  async describeCacheCluster(id: string): Promise<ObservedCache | undefined> {
    const cluster = await this.#cluster(id);
    return cluster === undefined ? undefined : observeCacheCluster(cluster);
  }

  async #cluster(id: string): Promise<CacheCluster | undefined> {
    try {
      const out = await this.#describeClusters({ CacheClusterId: id, ShowCacheNodeInfo: true });
      return out.CacheClusters?.find((c) => c.CacheClusterId === id);
    } catch (e) {
      if (isKind(e, "NotFound")) return undefined;
      throw e;
    }
  }

  /**
   * One replication group, or undefined. A replication group does not describe its engine version,
   * security groups, subnet and parameter group: one member cache cluster is read for those.
   */
  async describeReplicationGroup(id: string): Promise<ObservedCache | undefined> {
    let rg: ReplicationGroup | undefined;
    try {
      const out = await this.#send<DescribeReplicationGroupsCommandOutput>(
        "DescribeReplicationGroups",
        new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }),
      );
      rg = out.ReplicationGroups?.find((g) => g.ReplicationGroupId === id);
    } catch (e) {
      if (isKind(e, "NotFound")) return undefined;
      throw e;
    }
    if (rg === undefined) return undefined;
    const firstMember = rg.MemberClusters?.[0];
    const member = firstMember !== undefined ? await this.#cluster(firstMember) : undefined;
    return observeReplicationGroup(rg, member !== undefined ? [member] : []);
  }

  describe(id: string, topology: Topology): Promise<ObservedCache | undefined> {
    return topology === "CacheCluster" ? this.describeCacheCluster(id) : this.describeReplicationGroup(id);
  }

  /**
   * Every cache cluster that is not a replication-group member, and every replication group (with the
   * settings its members give), page by page. The batch observer serves many waiting resources from it.
   */
  async describeAll(): Promise<ObservedCache[]> {
    const [clusters, groups] = await Promise.all([this.#allClusters(), this.#allGroups()]);
    const byGroup = new Map<string, CacheCluster[]>();
    const standalone: ObservedCache[] = [];
    for (const c of clusters) {
      if (c.ReplicationGroupId === undefined) {
        standalone.push(observeCacheCluster(c));
        continue;
      }
      const list = byGroup.get(c.ReplicationGroupId) ?? [];
      list.push(c);
      byGroup.set(c.ReplicationGroupId, list);
    }
    const replicated = groups.map((g) =>
      observeReplicationGroup(g, byGroup.get(g.ReplicationGroupId ?? "") ?? []),
    );
    return [...standalone, ...replicated];
  }

  async #allClusters(): Promise<CacheCluster[]> {
    const all: CacheCluster[] = [];
    let marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await this.#describeClusters({
        ShowCacheNodeInfo: true,
        MaxRecords: this.#pageSize,
        ...(marker !== undefined ? { Marker: marker } : {}),
      });
      all.push(...(out.CacheClusters ?? []));
      marker = out.Marker || undefined;
      if (marker === undefined) break;
    }
    return all;
  }

  async #allGroups(): Promise<ReplicationGroup[]> {
    const all: ReplicationGroup[] = [];
    let marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await this.#send<DescribeReplicationGroupsCommandOutput>(
        "DescribeReplicationGroups",
        new DescribeReplicationGroupsCommand({
          MaxRecords: this.#pageSize,
          ...(marker !== undefined ? { Marker: marker } : {}),
        }),
      );
      all.push(...(out.ReplicationGroups ?? []));
      marker = out.Marker || undefined;
      if (marker === undefined) break;
    }
    return all;
  }

  /** One page of the account's and region's events (the event feed pages through them). */
  describeEvents(input: {
    StartTime: Date;
    MaxRecords: number;
    Marker?: string;
  }): Promise<DescribeEventsCommandOutput> {
    return this.#send("DescribeEvents", new DescribeEventsCommand(input));
  }

  /** The tags of a resource (ListTagsForResource). */
  async listTags(arn: string): Promise<Record<string, string>> {
    const out = await this.#send<ListTagsForResourceCommandOutput>(
      "ListTagsForResource",
      new ListTagsForResourceCommand({ ResourceName: arn }),
    );
    return tagsOf(out.TagList);
  }

  /** Performs one action of the planner: exactly one API call, or none for wait/none. */
  async execute(action: Action, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    // Registered before the request exists, so no error or log line can ever print the token.
    globalRedactor.add(options.authToken);
    const request = requestFor(action, options);
    if (request === undefined) return { operation: "none" };
    const out = await this.#send<unknown>(request.operation, request.command satisfies ElastiCacheCommand);
    if (action.type === "readTags") {
      return {
        operation: request.operation,
        tags: tagsOf((out as ListTagsForResourceCommandOutput).TagList),
      };
    }
    return { operation: request.operation };
  }
}
