// The operator's reconciler for any family kind: the shared shell (object-reconciler.ts) with the
// family's adapter: references resolved by the graph, Secret inputs (with what this process saw of
// them before), a Delete held while in use, and the runtime's step (step.ts).
import type { AwsClients } from "../aws/clients.ts";
import type { Reconciler } from "../kube/controller.ts";
import type { EventRecorder } from "../kube/events.ts";
import type { Informer } from "../kube/informer.ts";
import type { ResourceType } from "../kube/resource.ts";
import type { KubeObject, KubeRest } from "../kube/rest.ts";
import { FingerprintKeyError } from "../operator/fingerprint-key.ts";
import type { ProviderRef, ProviderResolution } from "../operator/ready-provider.ts";
import { ADOPT_ANNOTATION } from "../planner/ownership.ts";
import type { TokenFingerprint } from "../planner/token-fingerprint.ts";
import { type SecretLookup, SecretValueError, secretValue } from "../secrets/secret-values.ts";
import { ElastiCacheApi } from "./elasticache-api.ts";
import type { AnyManagedKind, ManagedSpec } from "./kind.ts";
import { Blocked, objectReconciler, type StepAdapter } from "./object-reconciler.ts";
import type { ReferenceGraph } from "./references.ts";
import { defaultRequeuePolicy, type RequeuePolicy } from "./requeue-policy.ts";
import { SecretHistory } from "./secret-history.ts";
import { type ManagedStatus, managedStep } from "./step.ts";

export interface KindControllerDeps {
  rest: KubeRest;
  kind: AnyManagedKind;
  resource: ResourceType;
  objects: Informer<KubeObject>;
  graph: ReferenceGraph;
  secrets: SecretLookup;
  provider(namespace: string, ref: ProviderRef): ProviderResolution;
  events: EventRecorder;
  now: () => number;
  policy?: RequeuePolicy;
  /** The keyed fingerprint of secret values (its key is loaded on first use, by kinds with Secrets). */
  fingerprint?: () => Promise<TokenFingerprint>;
}

export function kindReconciler(deps: KindControllerDeps): Reconciler {
  return objectReconciler(deps, managedAdapter(deps));
}

/** What a family object's step needs besides the object: resolved references and Secret values. */
interface ManagedInputs {
  resolved: string[];
  secrets: string[];
  previousSecrets: (string | undefined)[];
}

function managedAdapter(deps: KindControllerDeps): StepAdapter<ManagedSpec, ManagedInputs> {
  const policy = deps.policy ?? defaultRequeuePolicy;
  const { kind } = deps;
  const apis = new WeakMap<AwsClients, ElastiCacheApi>();
  const apiOf = (clients: AwsClients) => {
    let api = apis.get(clients);
    if (api === undefined) {
      api = new ElastiCacheApi(clients);
      apis.set(clients, api);
    }
    return api;
  };
  const history = new SecretHistory();

  return {
    parse: (raw) => kind.parseSpec((raw as { spec?: unknown }).spec),
    providerRef: (spec) => spec.providerRef,
    deletionPolicy: (spec) => spec.deletionPolicy ?? "Delete",
    heldBy: ({ parsed: spec, namespace, name }) => {
      const users = deps.graph.usersOf(kind.definition.kind, namespace, name, kind.awsName(spec));
      if (users.length === 0) return undefined;
      const message = `deletion held: ${kind.describe(spec)} is still used by ${users.join(", ")}; delete them or stop naming it, and the deletion goes on`;
      return new Blocked({ reason: "InUse", message }, policy.missingInputMs);
    },
    inputs: ({ key, raw, parsed: spec, namespace, deleting }) => {
      const inputs: ManagedInputs = { resolved: [], secrets: [], previousSecrets: [] };
      if (deleting) return inputs;
      for (const ref of kind.references?.(spec, statusOf(raw)) ?? []) {
        const r = deps.graph.resolve(namespace, ref);
        if ("reason" in r) throw new Blocked(r, policy.missingInputMs);
        inputs.resolved.push(r.awsName);
      }
      try {
        for (const input of kind.secretInputs?.(spec) ?? [])
          inputs.secrets.push(secretValue(deps.secrets, namespace, input, input.field));
      } catch (err) {
        if (!(err instanceof SecretValueError)) throw err;
        throw new Blocked(err, policy.missingInputMs);
      }
      if (inputs.secrets.length > 0)
        inputs.previousSecrets = history.observe(key, raw.metadata?.uid ?? "", inputs.secrets).previous;
      return inputs;
    },
    secrets: (inputs) => [...inputs.secrets, ...inputs.previousSecrets.filter((s) => s !== undefined)],
    connectionSecret: ({ parsed: spec, name }) => {
      const secretName = kind.connectionSecret?.name(spec, name);
      return secretName === undefined ? undefined : { name: secretName, keepToken: false };
    },
    step: async ({ raw, parsed: spec, namespace, name, deleting }, inputs, provider) => {
      let fingerprint: TokenFingerprint | undefined;
      if (inputs.secrets.length > 0) {
        try {
          fingerprint = await deps.fingerprint?.();
        } catch (err) {
          if (!(err instanceof FingerprintKeyError)) throw err;
          throw new Blocked(err, policy.keyUnavailableMs);
        }
      }
      return managedStep({
        kind,
        spec,
        status: statusOf(raw) as ManagedStatus,
        generation: raw.metadata?.generation ?? 0,
        owner: { namespace, name, uid: raw.metadata?.uid ?? "" },
        deleting,
        adopt: raw.metadata?.annotations?.[ADOPT_ANNOTATION] === "true",
        defaultTags: provider.defaultTags,
        secrets: inputs.secrets,
        previousSecrets: inputs.previousSecrets,
        fingerprint,
        resolved: inputs.resolved,
        api: apiOf(provider.clients),
        now: deps.now(),
        policy,
      });
    },
    gone: (key) => history.forget(key),
  };
}

function statusOf(obj: KubeObject): Record<string, unknown> {
  return (obj as { status?: Record<string, unknown> }).status ?? {};
}
