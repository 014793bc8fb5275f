// Which API resource an operation is about (built-in or custom), and the REST paths for it.

export interface ResourceType {
  /** API group; "" for the core group (Secrets, Events, ...). */
  group: string;
  version: string;
  /** Lower-case plural as in the URL, e.g. "elasticacheclusters". */
  plural: string;
  namespaced: boolean;
  /** Kind, e.g. "Secret"; needed where objects are created or referenced (Events). */
  kind: string;
}

export const coreResources = {
  secrets: { group: "", version: "v1", plural: "secrets", namespaced: true, kind: "Secret" },
  configMaps: { group: "", version: "v1", plural: "configmaps", namespaced: true, kind: "ConfigMap" },
  events: { group: "", version: "v1", plural: "events", namespaced: true, kind: "Event" },
  namespaces: { group: "", version: "v1", plural: "namespaces", namespaced: false, kind: "Namespace" },
  leases: { group: "coordination.k8s.io", version: "v1", plural: "leases", namespaced: true, kind: "Lease" },
  customResourceDefinitions: {
    group: "apiextensions.k8s.io",
    version: "v1",
    plural: "customresourcedefinitions",
    namespaced: false,
    kind: "CustomResourceDefinition",
  },
} as const satisfies Record<string, ResourceType>;

/** "v1" for the core group, "group/version" otherwise. */
export function apiVersionOf(type: ResourceType): string {
  return type.group === "" ? type.version : `${type.group}/${type.version}`;
}

export interface PathParts {
  /** Omit to address a namespaced resource across all namespaces (list/watch only). */
  namespace?: string | undefined;
  name?: string | undefined;
  /** e.g. "status". */
  subresource?: string | undefined;
}

/** The REST path of a collection, an object or an object's subresource. */
export function resourcePath(type: ResourceType, parts: PathParts = {}): string {
  const base = type.group === "" ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  let path = base;
  if (type.namespaced && parts.namespace) path += `/namespaces/${encodeURIComponent(parts.namespace)}`;
  path += `/${type.plural}`;
  if (parts.name !== undefined) {
    path += `/${encodeURIComponent(parts.name)}`;
    if (parts.subresource) path += `/${parts.subresource}`;
  } else if (parts.subresource) {
    throw new Error(`a subresource (${parts.subresource}) needs an object name`);
  }
  return path;
}
