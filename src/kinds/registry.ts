// Every kind of the ElastiCache family on the runtime. One line here adds a kind to the operator,
// the CLI, the CRD generator and the reference docs.
import type { AnyManagedKind } from "../runtime/kind.ts";
import { parameterGroupKind } from "./parameter-group/index.ts";
import { serverlessCacheKind } from "./serverless-cache/index.ts";
import { snapshotKind } from "./snapshot/index.ts";
import { subnetGroupKind } from "./subnet-group/index.ts";
import { userKind } from "./user/index.ts";
import { userGroupKind } from "./user-group/index.ts";

export const managedKinds: AnyManagedKind[] = [
  subnetGroupKind,
  parameterGroupKind,
  userKind,
  userGroupKind,
  snapshotKind,
  serverlessCacheKind,
];

export function managedKind(kind: string): AnyManagedKind | undefined {
  return managedKinds.find((k) => k.definition.kind === kind);
}
