// The documents given to apply/plan/delete, sorted by kind and checked like `validate` does:
// AWSProvider and ElastiCacheCluster with the CRD's rules, Secrets with their data decoded the
// way the API server would store them (stringData merged into base64 data).
import type { ManifestDocument } from "../api/manifests.ts";
import { ManifestReadError, readManifests } from "../api/manifests.ts";
import { nameProblem, namespaceProblem } from "../api/object-names.ts";
import {
  type AWSProvider,
  type ElastiCacheCluster,
  parseAWSProvider,
  parseElastiCacheCluster,
} from "../api/objects.ts";
import { validateManifest } from "../api/validate.ts";
import { managedKind, managedKinds } from "../kinds/registry.ts";
import type { SecretObject } from "../secrets/secret-values.ts";
import { UserError } from "./user-error.ts";

/** An object of the family's kinds (src/kinds/), as given. */
export interface FamilyObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

export interface ManifestSet {
  clusters: ElastiCacheCluster[];
  /** Parameter groups, subnet groups, users, ...: the kinds of src/kinds/registry.ts. */
  family: FamilyObject[];
  providers: AWSProvider[];
  /** By "namespace/name"; data base64 encoded. */
  secrets: Map<string, SecretObject>;
}

const KINDS = ["AWSProvider", "ElastiCacheCluster", "Secret", ...managedKinds.map((k) => k.definition.kind)];

export function loadManifestSet(paths: string[]): ManifestSet {
  let documents: ManifestDocument[];
  try {
    documents = readManifests(paths);
  } catch (err) {
    if (err instanceof ManifestReadError) throw new UserError(err.message);
    throw err;
  }
  return manifestSetOf(documents);
}

/** Throws a UserError listing every problem (validate's `file:document: field: message` lines). */
export function manifestSetOf(documents: ManifestDocument[]): ManifestSet {
  const problems: string[] = [];
  const set: ManifestSet = emptyManifestSet();
  const seen = new Set<string>();
  for (const doc of documents) {
    const where = `${doc.file}:${doc.index}`;
    const object = doc.object as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    const kind = typeof object?.kind === "string" ? object.kind : undefined;
    if (kind === undefined || !KINDS.includes(kind)) {
      problems.push(
        `${where}: unknown kind ${kind === undefined ? "(no kind)" : `"${kind}"`}: apply reads ${KINDS.join(", ")} documents; remove this document or apply it with kubectl`,
      );
      continue;
    }
    const name = object.metadata?.name;
    const namespace = object.metadata?.namespace ?? "default";
    // Before anything else: names become state file paths and AWS requests.
    const nameRule = nameProblem(name) ?? namespaceProblem(namespace);
    if (nameRule !== undefined) {
      problems.push(`${where}: ${kind} ${printableRef(name)}: ${nameRule}`);
      continue;
    }
    const key = `${kind}/${namespace}/${String(name)}`;
    if (seen.has(key)) {
      problems.push(`${where}: ${kind} ${namespace}/${String(name)} appears twice: keep one`);
      continue;
    }
    seen.add(key);
    if (kind === "Secret") {
      const secret = secretOf(doc.object, where, problems);
      if (secret) set.secrets.set(`${namespace}/${secret.metadata?.name}`, secret);
      continue;
    }
    const errors = validateManifest(doc.object);
    if (errors.length > 0) {
      for (const e of errors) problems.push(`${where}: ${e.path}: ${e.message}`);
      continue;
    }
    const withNamespace = {
      ...(doc.object as object),
      metadata: { ...(object.metadata as object), namespace },
    };
    if (kind === "AWSProvider") set.providers.push(parseAWSProvider(withNamespace));
    else if (kind === "ElastiCacheCluster") set.clusters.push(parseElastiCacheCluster(withNamespace));
    else set.family.push(familyObject(withNamespace as FamilyObject, String(namespace)));
  }
  if (problems.length > 0) throw new UserError(problems.join("\n"));
  return set;
}

export function emptyManifestSet(): ManifestSet {
  return { clusters: [], family: [], providers: [], secrets: new Map() };
}

function familyObject(o: FamilyObject, namespace: string): FamilyObject {
  const { name, labels, annotations } = o.metadata;
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name, namespace, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
    // With the schema's defaults, as the API server would store it.
    spec: (managedKind(o.kind)?.parseSpec(o.spec) ?? o.spec ?? {}) as Record<string, unknown>,
  };
}

/** The document's name for an error line, kept to one short line. */
function printableRef(name: unknown): string {
  const text = typeof name === "string" ? name : "(no name)";
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

function secretOf(input: unknown, where: string, problems: string[]): SecretObject | undefined {
  const s = input as {
    metadata?: { name?: unknown; namespace?: unknown };
    data?: Record<string, unknown>;
    stringData?: Record<string, unknown>;
  };
  if (typeof s.metadata?.name !== "string" || s.metadata.name === "") {
    problems.push(`${where}: metadata.name: a Secret needs a name`);
    return undefined;
  }
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) {
    if (typeof v !== "string") {
      problems.push(`${where}: data.${k}: must be a base64 string`);
      continue;
    }
    data[k] = v;
  }
  for (const [k, v] of Object.entries(s.stringData ?? {})) {
    data[k] = Buffer.from(String(v), "utf8").toString("base64");
  }
  const namespace = typeof s.metadata.namespace === "string" ? s.metadata.namespace : "default";
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: s.metadata.name, namespace },
    data,
  } as SecretObject;
}
