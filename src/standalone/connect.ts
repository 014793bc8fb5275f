// From resolved clusters to working gateways: checks the engine programs the local cloud will need,
// starts (or reuses) the local cloud when a provider uses it, and builds one set of SDK clients
// per provider.
import { AwsClients } from "../aws/clients.ts";
import { MissingBinaryError, resolveEngineBinary } from "../localcloud/engines/binaries.ts";
import type { CacheGateway } from "../reconcile/cache-gateway.ts";
import { makeGateway } from "../reconcile/make-cache-gateway.ts";
import { ElastiCacheApi } from "../runtime/elasticache-api.ts";
import { ensureLocalCloud, type LocalCloudInfo } from "./local-cloud-daemon.ts";
import type { ResolvedCluster, ResolvedFamilyObject, ResolvedProvider } from "./resolve.ts";
import { UserError } from "./user-error.ts";

export interface Connections {
  gatewayOf(provider: ResolvedProvider): CacheGateway;
  /** The ElastiCache calls of a provider for the family's kinds (src/kinds/). */
  apiOf(provider: ResolvedProvider): ElastiCacheApi;
  localCloud?: LocalCloudInfo;
  close(): void;
}

export async function connect(
  stateDir: string,
  clusters: ResolvedCluster[],
  log: (line: string) => void,
  family: ResolvedFamilyObject[] = [],
): Promise<Connections> {
  const local = clusters.filter((c) => c.provider.local);
  let localCloud: LocalCloudInfo | undefined;
  if (local.length > 0 || family.some((f) => f.provider.local)) {
    checkEnginePrograms(local.map((c) => c.cluster.spec.engine));
    localCloud = await ensureLocalCloud(stateDir, log);
  }
  const clients = new Map<string, AwsClients>();
  const gateways = new Map<string, CacheGateway>();
  const apis = new Map<string, ElastiCacheApi>();
  const clientsOf = (provider: ResolvedProvider): AwsClients => {
    const key = `${provider.namespace}/${provider.name}`;
    let c = clients.get(key);
    if (c === undefined) {
      const auth = provider.local ? { ...provider.auth, endpoint: localCloud?.url } : provider.auth;
      c = new AwsClients(auth, { maxAttempts: 2 });
      clients.set(key, c);
    }
    return c;
  };
  return {
    ...(localCloud ? { localCloud } : {}),
    gatewayOf(provider) {
      const key = `${provider.namespace}/${provider.name}`;
      let gateway = gateways.get(key);
      if (gateway === undefined) {
        gateway = makeGateway(clientsOf(provider));
        gateways.set(key, gateway);
      }
      return gateway;
    },
    apiOf(provider) {
      const key = `${provider.namespace}/${provider.name}`;
      let api = apis.get(key);
      if (api === undefined) {
        api = new ElastiCacheApi(clientsOf(provider));
        apis.set(key, api);
      }
      return api;
    },
    close() {
      for (const c of clients.values()) c.destroy();
    },
  };
}

/** The local cloud runs every node as a real process: say which program is missing before anything starts. */
export function checkEnginePrograms(engines: string[], searchPath?: string): void {
  const problems = new Set<string>();
  for (const engine of new Set(engines)) {
    try {
      resolveEngineBinary(engine as "redis" | "valkey" | "memcached", searchPath);
    } catch (err) {
      if (!(err instanceof MissingBinaryError)) throw err;
      problems.add(`the local cloud needs ${err.message} (for the ${engine} clusters you apply)`);
    }
  }
  if (problems.size > 0) throw new UserError([...problems].join("\n"));
}
