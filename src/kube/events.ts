// Records core/v1 Events about objects, so `kubectl describe` shows what the operator did and why.
//
// Identical events (same object, type, reason and message) are aggregated like kubelet's: the
// first creates an Event, repeats bump its `count` and `lastTimestamp` instead of piling up
// objects. Recording is best effort: failures are logged, never thrown, and a reconcile never
// waits on them longer than one API call.
//
// Messages must not contain secrets; that is the caller's duty. As a guard, every message passes
// through the secret redactor (values registered process-wide, plus any passed per call).
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { globalRedactor, type SecretRedactor } from "../secrets/redact.ts";
import { type Clock, systemClock } from "./clock.ts";
import { type Logger, silentLogger } from "./logger.ts";
import { coreResources } from "./resource.ts";
import { isNotFound, type KubeObject, type KubeRest } from "./rest.ts";

export type EventType = "Normal" | "Warning";

export const REPORTING_COMPONENT = "infra-operator";
// The API server stores longer messages, but kubectl output and humans do not need them.
const MAX_MESSAGE = 1024;

export interface EventRecorderOptions {
  rest: KubeRest;
  /** `source.component` and `reportingComponent`. Default "infra-operator". */
  component?: string;
  /** `reportingInstance`: which replica. Default the host name (the pod name in a cluster). */
  instance?: string;
  clock?: Clock;
  logger?: Logger;
  redactor?: SecretRedactor;
  /** Aggregation entries remembered (oldest forgotten first). Default 4096. */
  cacheSize?: number;
}

export interface EventOptions {
  /** Values to mask in the message in addition to the registered ones. */
  secrets?: ReadonlyArray<string>;
}

interface Aggregate {
  name: string;
  namespace: string;
  count: number;
}

export class EventRecorder {
  readonly #rest: KubeRest;
  readonly #component: string;
  readonly #instance: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #redactor: SecretRedactor;
  readonly #cacheSize: number;
  #aggregates = new Map<string, Aggregate>();
  // Events with the same aggregation key are recorded one after another, so repeats fired
  // together bump one Event instead of racing to create several.
  #chains = new Map<string, Promise<void>>();

  constructor(options: EventRecorderOptions) {
    this.#rest = options.rest;
    this.#component = options.component ?? REPORTING_COMPONENT;
    this.#instance = options.instance ?? hostname();
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#redactor = options.redactor ?? globalRedactor;
    this.#cacheSize = options.cacheSize ?? 4096;
  }

  normal(obj: KubeObject, reason: string, message: string, options?: EventOptions): Promise<void> {
    return this.event(obj, "Normal", reason, message, options);
  }

  warning(obj: KubeObject, reason: string, message: string, options?: EventOptions): Promise<void> {
    return this.event(obj, "Warning", reason, message, options);
  }

  /** Records an Event about `obj` (which needs apiVersion, kind and metadata.name). Never throws. */
  event(obj: KubeObject, type: EventType, reason: string, message: string, options: EventOptions = {}) {
    const safeMessage = this.#redactor.redact(message, options.secrets).slice(0, MAX_MESSAGE);
    const m = obj.metadata ?? {};
    const key = JSON.stringify([m.uid, obj.kind, m.namespace, m.name, type, reason, safeMessage]);
    const previous = this.#chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.#record(key, obj, type, reason, safeMessage))
      .catch((err) => {
        this.#logger.warn("could not record an Event", {
          reason,
          object: `${obj.kind}/${m.namespace ? `${m.namespace}/` : ""}${m.name}`,
          err,
        });
      })
      .finally(() => {
        if (this.#chains.get(key) === next) this.#chains.delete(key);
      });
    this.#chains.set(key, next);
    return next;
  }

  async #record(
    key: string,
    obj: KubeObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const now = new Date(this.#clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
    const seen = this.#aggregates.get(key);
    if (seen !== undefined) {
      try {
        await this.#rest.patch(
          coreResources.events,
          { namespace: seen.namespace, name: seen.name },
          { count: seen.count + 1, lastTimestamp: now },
        );
        seen.count++;
        this.#touch(key, seen);
        return;
      } catch (err) {
        // Events expire (one hour by default); start a new one.
        if (!isNotFound(err)) throw err;
        this.#aggregates.delete(key);
      }
    }
    const m = obj.metadata ?? {};
    if (!m.name || !obj.kind || !obj.apiVersion) {
      throw new Error("an Event needs an object with apiVersion, kind and metadata.name");
    }
    // Events of cluster-scoped objects live in "default", as kubectl expects.
    const namespace = m.namespace || "default";
    const name = `${m.name}.${randomBytes(8).toString("hex")}`;
    await this.#rest.create(coreResources.events, {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: m.name,
        namespace: m.namespace,
        uid: m.uid,
        resourceVersion: m.resourceVersion,
      },
      type,
      reason,
      message,
      source: { component: this.#component },
      reportingComponent: this.#component,
      reportingInstance: this.#instance,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
    this.#touch(key, { name, namespace, count: 1 });
  }

  // Map order is insertion order: re-inserting marks the entry recently used.
  #touch(key: string, entry: Aggregate): void {
    this.#aggregates.delete(key);
    this.#aggregates.set(key, entry);
    if (this.#aggregates.size > this.#cacheSize) {
      const oldest = this.#aggregates.keys().next().value;
      if (oldest !== undefined) this.#aggregates.delete(oldest);
    }
  }
}
