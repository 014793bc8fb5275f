// A provider's CacheGateway: the cloud layer's gateway for calls, its batch observer for reads.
import type { AwsClients } from "../cloud/clients.ts";
import { ElastiCacheGateway } from "../cloud/gateway.ts";
import type { CacheGateway } from "./gateway.ts";

export function makeGateway(clients: AwsClients): CacheGateway {
  const gateway = new ElastiCacheGateway(clients);
  return {
    observe: (id, topology) => gateway.describe(id, topology),
    listTags: (arn) => gateway.listTags(arn),
    execute: async (action, secrets) => {
      await gateway.execute(action, secrets);
    },
  };
}
