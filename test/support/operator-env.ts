// Everything one operator e2e test file needs, started in `before` and stopped in `after`: the CRDs,
// its own namespace, its own local cloud, its own operator process (watching only that namespace,
// so files are independent), the credentials Secret of examples/aws-credentials.yaml and the
// AWSProviders the examples name (localstack, production-aws, dev-aws), all pointed at the local
// cloud, each Ready before a test starts.
import { installCrds } from "./crds.ts";
import { exampleFiles, firstExample } from "./examples.ts";
import { kubectl, kubectlOk } from "./kubectl.ts";
import {
  type CloudSettings,
  type LocalCloudForTests,
  ROOT_KEYS,
  startCloudForTests,
  type TestUser,
} from "./localcloud.ts";
import { type Manifest, readManifests } from "./manifests.ts";
import { createTestNamespace } from "./namespace.ts";
import { type OperatorOptions, type OperatorProcess, startOperatorProcess } from "./operator.ts";
import { secretLeaks } from "./secret-leaks.ts";
import { waitFor } from "./wait.ts";

export const API = "aws-infra-operator.runner.codes/v1alpha1";
export const CLUSTERS = "elasticachecluster";
export const PROVIDERS = "awsprovider";

export interface OperatorEnv {
  namespace: string;
  cloud: LocalCloudForTests;
  operator: OperatorProcess;
  stop(): Promise<void>;
}

/**
 * Every secret value this test process handed to the operator (Secret data, secret access keys);
 * the secrecy checks look for each of them in the operator's log and in the Events.
 */
export const secretsUsed = new Set<string>();

export interface ProviderSetup {
  name: string;
  /** The Secret holding the keys (default: aws-credentials, the root test/test keys). */
  secretName?: string;
  defaultTags?: Record<string, string>;
}

/**
 * The providers the examples define or name (localstack, production-aws, dev-aws, ...), as
 * local-cloud providers; the defaultTags of an example AWSProvider are kept.
 */
export function exampleProviders(): ProviderSetup[] {
  const providers = new Map<string, ProviderSetup>();
  for (const file of exampleFiles())
    for (const m of readManifests(file)) {
      if (m.kind === "AWSProvider" && m.metadata?.name) {
        const defaultTags = (m.spec as { defaultTags?: Record<string, string> } | undefined)?.defaultTags;
        providers.set(m.metadata.name, { name: m.metadata.name, defaultTags });
      }
      const ref = (m.spec as { providerRef?: { name?: string } } | undefined)?.providerRef?.name;
      if (m.kind === "ElastiCacheCluster" && ref && !providers.has(ref)) providers.set(ref, { name: ref });
    }
  if (!providers.has("localstack")) providers.set("localstack", { name: "localstack" });
  return [...providers.values()];
}

export async function startOperatorEnv(
  options: {
    users?: TestUser[];
    providers?: ProviderSetup[];
    /** Secrets to create first: name -> data. */
    secrets?: Record<string, Record<string, string>>;
    operator?: OperatorOptions;
    transitionDelayMs?: number;
    cloudSettings?: CloudSettings;
  } = {},
): Promise<OperatorEnv> {
  await installCrds();
  for (const u of options.users ?? []) secretsUsed.add(u.secretAccessKey);
  const namespace = await createTestNamespace("op");
  const cloud = await startCloudForTests({
    users: options.users,
    transitionDelayMs: options.transitionDelayMs,
    ...(options.cloudSettings ? { settings: options.cloudSettings } : {}),
  });
  let operator: OperatorProcess | undefined;
  try {
    await createSecret(namespace, "aws-credentials", {
      "access-key-id": ROOT_KEYS.accessKeyId,
      "secret-access-key": ROOT_KEYS.secretAccessKey,
    });
    for (const [name, data] of Object.entries(options.secrets ?? {}))
      await createSecret(namespace, name, data);
    operator = await startOperatorProcess({ namespace, allowedEndpoints: [cloud.url], ...options.operator });
    const providers = options.providers ?? exampleProviders();
    for (const p of providers) await applyProvider(namespace, cloud.url, p);
    for (const p of providers) await waitProviderReady(namespace, p.name);
  } catch (err) {
    await operator?.stop();
    await cloud.stop();
    throw err;
  }
  const started = operator;
  return {
    namespace,
    cloud,
    operator: started,
    stop: async () => {
      await started.stop();
      await cloud.stop();
    },
  };
}

export async function createSecret(
  namespace: string,
  name: string,
  data: Record<string, string>,
): Promise<void> {
  // Access key ids are not secret (AWS shows them in ARNs and errors); everything else is.
  for (const [key, value] of Object.entries(data))
    if (value !== ROOT_KEYS.secretAccessKey && !/access-key-id/i.test(key)) secretsUsed.add(value);
  await applyObject(namespace, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name },
    type: "Opaque",
    stringData: data,
  });
}

export async function applyProvider(namespace: string, endpoint: string, p: ProviderSetup): Promise<void> {
  const secret = p.secretName ?? "aws-credentials";
  await applyObject(namespace, {
    apiVersion: API,
    kind: "AWSProvider",
    metadata: { name: p.name },
    spec: {
      region: "us-east-1",
      endpoint,
      accessKeyIDRef: { name: secret, key: "access-key-id" },
      secretAccessKeyRef: { name: secret, key: "secret-access-key" },
      ...(p.defaultTags ? { defaultTags: p.defaultTags } : {}),
    },
  });
}

export async function waitProviderReady(namespace: string, name: string): Promise<void> {
  await waitFor(
    `AWSProvider ${namespace}/${name} Ready`,
    () => getObj(namespace, PROVIDERS, name),
    (p) => p.status?.ready === true,
    60_000,
  );
}

/** `kubectl apply -f -` of one object in `namespace` (server-side defaults and CEL apply). */
export async function applyObject(namespace: string, manifest: Manifest): Promise<void> {
  const placed = structuredClone(manifest);
  placed.metadata = { ...(placed.metadata ?? {}), namespace };
  await kubectlOk(["apply", "-n", namespace, "-f", "-"], { input: JSON.stringify(placed) });
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export interface ClusterObject {
  metadata: {
    name: string;
    namespace: string;
    generation: number;
    uid: string;
    finalizers?: string[];
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec: Record<string, unknown>;
  status?: {
    ready?: boolean;
    clusterStatus?: string;
    observedGeneration?: number;
    conditions?: Condition[];
    primaryEndpoint?: { address: string; port: number };
    configurationEndpoint?: { address: string; port: number };
    readerEndpoint?: { address: string; port: number };
    [key: string]: unknown;
  };
}

export async function getObj(namespace: string, resource: string, name: string): Promise<ClusterObject> {
  return JSON.parse(await kubectlOk(["get", resource, name, "-n", namespace, "-o", "json"])) as ClusterObject;
}

/** The object, or undefined once the API server no longer has it. */
export async function findObj(
  namespace: string,
  resource: string,
  name: string,
): Promise<ClusterObject | undefined> {
  const out = await kubectl(["get", resource, name, "-n", namespace, "-o", "json", "--ignore-not-found"]);
  if (out.code !== 0) throw new Error(out.stderr);
  return out.stdout.trim() === "" ? undefined : (JSON.parse(out.stdout) as ClusterObject);
}

export function condition(obj: ClusterObject | undefined, type: string): Condition | undefined {
  return obj?.status?.conditions?.find((c) => c.type === type);
}

/**
 * Converged for the current generation: Ready (available) and Synced (AWS matches the spec). Ready
 * alone is not enough: it stays True while a modify of an available cache is under way.
 */
export function isReady(obj: ClusterObject): boolean {
  const ready = condition(obj, "Ready");
  const synced = condition(obj, "Synced");
  const generation = obj.metadata.generation;
  return (
    obj.status?.ready === true &&
    ready?.status === "True" &&
    synced?.status === "True" &&
    (synced.observedGeneration ?? 0) >= generation &&
    (obj.status.observedGeneration ?? 0) >= generation
  );
}

export async function waitClusterReady(
  namespace: string,
  name: string,
  timeoutMs = 120_000,
): Promise<ClusterObject> {
  return waitFor(
    `ElastiCacheCluster ${namespace}/${name} Ready`,
    () => getObj(namespace, CLUSTERS, name),
    isReady,
    timeoutMs,
  );
}

/** Waits until condition `type` has `reason` (and returns the object). */
export async function waitCondition(
  namespace: string,
  name: string,
  type: string,
  accept: (c: Condition) => boolean,
  timeoutMs = 60_000,
): Promise<ClusterObject> {
  return waitObjCondition(namespace, CLUSTERS, name, type, accept, timeoutMs);
}

/** Waits until condition `type` of any kind's object is accepted (and returns the object). */
export async function waitObjCondition(
  namespace: string,
  resource: string,
  name: string,
  type: string,
  accept: (c: Condition) => boolean,
  timeoutMs = 60_000,
): Promise<ClusterObject> {
  return waitFor(
    `condition ${type} of ${resource} ${namespace}/${name}`,
    () => getObj(namespace, resource, name),
    (o) => {
      const c = condition(o, type);
      return c !== undefined && accept(c);
    },
    timeoutMs,
  );
}

export async function patchCluster(namespace: string, name: string, patch: unknown) {
  return kubectl(["patch", CLUSTERS, name, "-n", namespace, "--type", "merge", "-p", JSON.stringify(patch)]);
}

export interface EventRecord {
  type: string;
  reason: string;
  message: string;
}

/** Events about one object (as `kubectl describe` lists them). */
export async function eventsFor(namespace: string, name: string): Promise<EventRecord[]> {
  const out = await kubectlOk([
    "get",
    "events",
    "-n",
    namespace,
    "--field-selector",
    `involvedObject.name=${name}`,
    "-o",
    "json",
  ]);
  return ((JSON.parse(out) as { items: EventRecord[] }).items ?? []).map((e) => ({
    type: e.type,
    reason: e.reason,
    message: e.message,
  }));
}

/** Every Event of the namespace as text (for the secrecy check). */
export async function allEventsText(namespace: string): Promise<string> {
  return kubectlOk(["get", "events", "-n", namespace, "-o", "json"]);
}

/** A cluster manifest of examples/ by object name, with `spec` overrides merged in. */
export function exampleCluster(name: string, overrides: Record<string, unknown> = {}): Manifest {
  const example = firstExample("ElastiCacheCluster", (m) => m.metadata?.name === name);
  const copy = structuredClone(example);
  copy.spec = { ...(copy.spec as Record<string, unknown>), ...overrides };
  for (const [k, v] of Object.entries(overrides))
    if (v === undefined) delete (copy.spec as Record<string, unknown>)[k];
  return copy;
}

/** A small cluster object (for scenarios that are not about a particular example). */
export function clusterObject(name: string, spec: Record<string, unknown>): Manifest {
  return {
    apiVersion: API,
    kind: "ElastiCacheCluster",
    metadata: { name },
    spec: {
      providerRef: { name: "localstack" },
      deletionPolicy: "Delete",
      engineVersion: spec.engine === "memcached" ? "1.6.22" : "7.0",
      ...spec,
    },
  };
}

export async function deleteCluster(namespace: string, name: string, wait = false): Promise<void> {
  await kubectlOk(["delete", CLUSTERS, name, "-n", namespace, `--wait=${wait}`]);
}

export async function waitGone(namespace: string, name: string, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    `${namespace}/${name} gone`,
    () => findObj(namespace, CLUSTERS, name),
    (o) => o === undefined,
    timeoutMs,
  );
}

/**
 * Fails naming the place (log line number, Event) where any value of `secretsUsed` (or `extra`)
 * shows up in the operator's whole log or in the namespace's Events; never prints the value.
 * The root keys test/test of examples/aws-credentials.yaml are not looked for: "test" is also an
 * ordinary word (tags say environment: test); the IAM test files use long distinct keys instead.
 */
export async function assertNoSecretsLeaked(env: OperatorEnv, extra: string[] = []): Promise<void> {
  const places: [string, string][] = [
    ["operator log", env.operator.log()],
    ["Events", await allEventsText(env.namespace)],
  ];
  const leaks = secretLeaks(places, [...secretsUsed, ...extra]);
  if (leaks.length > 0) throw new Error(`secrets leaked:\n${leaks.join("\n")}`);
  if (env.operator.log().length === 0)
    throw new Error("the operator logged nothing: the secrecy check proves nothing");
}
