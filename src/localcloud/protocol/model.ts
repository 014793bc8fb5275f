// The compact service model (generated from botocore's service-2.json by generate-model.ts).
import raw from "./model.generated.json" with { type: "json" };
import type { CompactModel, CompactService } from "./model-types.ts";

export const model = raw as unknown as CompactModel;
export type ServiceName = "elasticache" | "sts" | "application-autoscaling" | "monitoring" | "tagging";

export function serviceModel(name: ServiceName): CompactService {
  return model[name];
}

/** The HTTP status a wire error code has in the model (e.g. CacheClusterNotFound -> 404), if any. */
export function statusOfCode(service: CompactService, code: string): number | undefined {
  for (const e of Object.values(service.errors)) if (e.code === code) return e.status;
  return undefined;
}
