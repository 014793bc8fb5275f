// The API resource of a kind definition (every kind is served in the one group and version).
import type { KindDefinition } from "../api/kinds.ts";
import { API_GROUP, API_VERSION } from "../api/shared.ts";
import type { ResourceType } from "../kube/resource.ts";

export function resourceOf(def: KindDefinition): ResourceType {
  return {
    group: API_GROUP,
    version: API_VERSION,
    plural: def.plural,
    namespaced: def.scope !== "Cluster",
    kind: def.kind,
  };
}
