// Validation of whole objects (any manifest document), offline, with the CRD's own schema and
// CEL rules. Used by `infra-operator validate`, the standalone CLI and the operator's read path.
import { type Json, type JsonObject, openApiSchemaOf } from "./crd.ts";
import { type KindDefinition, kindByName, kinds } from "./kinds.ts";
import { applyDefaults, type FieldError, validateAgainstSchema } from "./schema-validate.ts";
import { API_GROUP_VERSION } from "./shared.ts";

export type { FieldError };

const schemas = new Map<string, JsonObject>(kinds.map((k) => [k.kind, openApiSchemaOf(k)]));
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Validates one manifest document. `old` (the stored object) turns on the update rules
 * (immutable fields). Secrets are checked for shape only; other kinds are refused.
 */
export function validateManifest(doc: unknown, old?: unknown): FieldError[] {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    return [
      { path: "", message: "a manifest must be a YAML/JSON object with apiVersion, kind and metadata" },
    ];
  }
  const obj = doc as Record<string, unknown>;
  const errors = validateMetadata(obj.metadata);
  if (obj.kind === "Secret" && obj.apiVersion === "v1") return [...errors, ...validateSecret(obj)];
  const def = typeof obj.kind === "string" ? kindByName(obj.kind) : undefined;
  if (def === undefined) {
    return [
      ...errors,
      {
        path: "kind",
        message: `unsupported kind ${JSON.stringify(obj.kind)} (apiVersion ${JSON.stringify(obj.apiVersion)}): infra-operator reads ${kinds.map((k) => k.kind).join(", ")} (${API_GROUP_VERSION}) and v1 Secret`,
      },
    ];
  }
  if (obj.apiVersion !== API_GROUP_VERSION) {
    errors.push({
      path: "apiVersion",
      message: `apiVersion must be ${API_GROUP_VERSION} for kind ${def.kind} (found ${JSON.stringify(obj.apiVersion)})`,
    });
  }
  return [...errors, ...validateKind(def, obj, old)];
}

function validateKind(def: KindDefinition, obj: Record<string, unknown>, old: unknown): FieldError[] {
  const schema = schemas.get(def.kind) as JsonObject;
  const specSchema = (schema.properties as JsonObject).spec as JsonObject;
  if (obj.spec === undefined) return [{ path: "spec", message: "Required value" }];
  const spec = applyDefaults(specSchema, obj.spec);
  const oldSpec = (old as { spec?: unknown } | undefined)?.spec;
  const errors = validateAgainstSchema(specSchema, spec, "spec", oldSpec);
  for (const key of Object.keys(obj)) {
    if (!["apiVersion", "kind", "metadata", "spec", "status"].includes(key)) {
      errors.push({ path: key, message: `unknown field "${key}"` });
    }
  }
  return errors;
}

function validateMetadata(metadata: unknown): FieldError[] {
  const name = (metadata as { name?: unknown } | undefined)?.name;
  if (typeof name !== "string" || name === "") return [{ path: "metadata.name", message: "Required value" }];
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    return [
      {
        path: "metadata.name",
        message: `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
      },
    ];
  }
  return [];
}

function validateSecret(obj: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ["data", "stringData"]) {
    const v = obj[field] as Json | undefined;
    if (v === undefined) continue;
    if (
      typeof v !== "object" ||
      v === null ||
      Array.isArray(v) ||
      Object.values(v).some((x) => typeof x !== "string")
    ) {
      errors.push({ path: field, message: `${field} must map keys to strings` });
    }
  }
  return errors;
}
