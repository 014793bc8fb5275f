// What one kind of AWS resource brings to the runtime: its CRD, how to see it in AWS, what to do
// next (pure), how to do it, and what its status shows. Everything else (finalizer, provider,
// ownership tags and adoption, deletion policies, conditions, Events, requeues) is the runtime's,
// the same for every kind, in the operator and in the CLI.
import type { KindDefinition } from "../api/kinds.ts";
import type { OwnerRef } from "../planner/ownership.ts";
import type { TokenFingerprint } from "../planner/token-fingerprint.ts";
import type { ElastiCacheApi } from "./elasticache-api.ts";

/** What every kind's spec has besides its own fields. */
export interface ManagedSpec {
  providerRef: { kind?: "AWSProvider" | "ClusterAWSProvider"; name: string };
  deletionPolicy?: "Delete" | "Retain" | "Orphan";
  tags?: Record<string, string>;
}

/** What every kind's observation has: its ARN and its tags (read in the same observation). */
export interface ManagedObserved {
  arn: string;
  tags: Record<string, string>;
  /** AWS is still working on it (creating, modifying): wait, do not act. */
  busy?: boolean;
  /** AWS is deleting it. */
  deleting?: boolean;
}

/** Another object of the same namespace this one needs (its name in AWS comes from its status). */
export interface Reference {
  kind: string;
  /** The object's name in the namespace (when the spec names the object). */
  name: string;
  /** The resource's AWS name (when the spec names what AWS calls it): an object of the namespace
   *  with that AWS name is waited for; if there is none, the resource was made outside. */
  awsName?: string;
  /** The spec field that names it, for messages ("spec.userGroupRef"). */
  field: string;
}

/** A Secret value the object needs (passwords): read by the front end, never stored. */
export interface SecretInput {
  name: string;
  key: string;
  field: string;
}

export interface PlanInput<Spec, Observed> {
  spec: Spec;
  observed: Observed | undefined;
  owner: OwnerRef;
  /** The AWS tags the resource must carry: the provider's defaults, spec.tags and the ownership tags. */
  tags: Record<string, string>;
  /** The values of spec's SecretInputs, in the order secretInputs() gave them. */
  secrets: string[];
  /** Per SecretInput, its value before its last change as this process saw it (undefined when
   *  unknown): lets a kind keep an old password next to the new one while clients switch. */
  previousSecrets?: (string | undefined)[];
  /** The keyed fingerprint of secret values (the operator's key, ADR 0010): what status may keep. */
  fingerprint?: TokenFingerprint;
  /** The AWS names of the references, in the order references() gave them. */
  resolved: string[];
  /** The object's status as last written (kinds keep their memory there, e.g. a password digest). */
  status: Record<string, unknown>;
  /** The step's clock (ms since the epoch): for kinds that hold a state for a while (a rotation's grace). */
  now?: number;
}

/** What the planner decides: at most one mutating action per step. */
export type Decision<Action> =
  | { type: "act"; action: Action; reason: string; message: string }
  /** Nothing to do yet; `afterMs`: look again then (a hold of known length), else the policy's wait. */
  | { type: "wait"; reason: string; message: string; afterMs?: number }
  | { type: "ready"; message: string }
  /** The spec cannot be done as written (not an AWS failure): the message says what to change. */
  | { type: "invalid"; reason: string; message: string };

export interface ManagedKind<Spec extends ManagedSpec, Observed extends ManagedObserved, Action> {
  definition: KindDefinition;
  /** Parses a stored object's spec (the CRD checked it; this gives it its type and defaults). */
  parseSpec(spec: unknown): Spec;
  /** The resource's name in AWS. */
  awsName(spec: Spec): string;
  /** What the user means by the resource ("parameter group app-params"). */
  describe(spec: Spec): string;
  /** What the object names. `status` is the object's last status: a kind may drop a reference it
   *  needs only until its resource exists (a snapshot's source cache), so it outlives what it named. */
  references?(spec: Spec, status?: Record<string, unknown>): Reference[];
  secretInputs?(spec: Spec): SecretInput[];
  /** Reads the resource (with its tags); undefined when AWS has none of that name. */
  observe(api: ElastiCacheApi, spec: Spec): Promise<Observed | undefined>;
  /** The next action for an object that is not being deleted and may manage what it observed. */
  plan(input: PlanInput<Spec, Observed>): Decision<Action>;
  /** The action that deletes the resource (deletionPolicy Delete). */
  deleteAction(spec: Spec, observed: Observed): Action;
  /** Performs one action: exactly one mutating AWS call. */
  act(api: ElastiCacheApi, action: Action, input: PlanInput<Spec, Observed>): Promise<void>;
  /** The kind's own status fields, from what AWS reports. */
  status(observed: Observed | undefined, spec: Spec): Record<string, unknown>;
  /** Memory the kind keeps in status after an action (e.g. the digest of the password it set). */
  remember?(action: Action, input: PlanInput<Spec, Observed>): Record<string, unknown>;
  /** A connection Secret for the resource's clients, written by the runtime with ElastiCacheCluster's
   *  writer and rules (only while this object is its controller owner; else SecretConflict and no
   *  AWS call). */
  connectionSecret?: ConnectionSecret<Spec, Observed>;
}

export interface ConnectionSecret<Spec, Observed> {
  /** The Secret's name in the object's namespace (e.g. spec.connectionSecret.name or "<name>-connection"). */
  name(spec: Spec, objectName: string): string;
  /** Its keys once the resource is ready; undefined while there is nothing to connect to. */
  data(observed: Observed, spec: Spec): Record<string, string> | undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds kinds of every spec, observation and action.
export type AnyManagedKind = ManagedKind<any, any, any>;
