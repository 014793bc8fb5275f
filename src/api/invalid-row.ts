// The shape every invalid-input row shares (src/api/invalid-cases.ts and each kind's
// src/kinds/*/invalid-cases.ts): a manifest of the project's API group, and the field and message
// the API server (and offline `validate`) must refuse it with.
import { API_GROUP_VERSION } from "./shared.ts";

/** [case name, manifest, field the error is reported on, text the error must contain] */
export type InvalidRow = [string, Record<string, unknown>, string, string];

/** A manifest of `kind` named `name` with `spec`, for an invalid-input row. */
export function manifestOf(
  kind: string,
  name: string,
  spec: Record<string, unknown>,
): Record<string, unknown> {
  return { apiVersion: API_GROUP_VERSION, kind, metadata: { name }, spec };
}
