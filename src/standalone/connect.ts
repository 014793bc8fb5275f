// From resolved clusters to working gateways: checks the engine programs the local cloud will need,
// starts (or reuses) the local cloud when a provider uses it, and builds one set of SDK clients
// per provider.
import { AwsClients } from "../cloud/clients.ts";
import { MissingBinaryError, resolveEngineBinary } from "../localcloud/engines/binaries.ts";
import type { CacheGateway } from "../reconcile/gateway.ts";
import { makeGateway } from "../reconcile/make-gateway.ts";
import { ensureLocalCloud, type LocalCloudInfo } from "./local-cloud-daemon.ts";
import type { ResolvedCluster, ResolvedProvider } from "./resolve.ts";
import { UserError } from "./user-error.ts";

export interface Connections {
  gatewayOf(provider: ResolvedProvider): CacheGateway;
  localCloud?: LocalCloudInfo;
  close(): void;
}

export async function connect(
  stateDir: string,
  clusters: ResolvedCluster[],
  log: (line: string) => void,
): Promise<Connections> {
  const local = clusters.filter((c) => c.provider.local);
  let localCloud: LocalCloudInfo | undefined;
  if (local.length > 0) {
    checkEnginePrograms(local.map((c) => c.cluster.spec.engine));
    localCloud = await ensureLocalCloud(stateDir, log);
  }
  const clients = new Map<string, AwsClients>();
  const gateways = new Map<string, CacheGateway>();
  return {
    ...(localCloud ? { localCloud } : {}),
    gatewayOf(provider) {
      const key = `${provider.namespace}/${provider.name}`;
      let gateway = gateways.get(key);
      if (gateway === undefined) {
        const auth = provider.local ? { ...provider.auth, endpoint: localCloud?.url } : provider.auth;
        const c = new AwsClients(auth, { maxAttempts: 2 });
        clients.set(key, c);
        gateway = makeGateway(c);
        gateways.set(key, gateway);
      }
      return gateway;
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
