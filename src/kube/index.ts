// The controller kit's public surface. Controllers import from here; see README.md for how the
// parts fit together.

export { globalRedactor, SecretRedactor } from "../secrets/redact.ts";
export { type AwsCallMetrics, createAwsCallMetrics, recordAwsCall } from "./aws-call-metrics.ts";
export {
  type KubeClients,
  type KubeConfigSource,
  type LoadedKubeConfig,
  loadKubeConfig,
  makeKubeClients,
} from "./client.ts";
export { type CancelTimer, type Clock, sleep, systemClock } from "./clock.ts";
export {
  type Condition,
  type ConditionInput,
  type ConditionStatus,
  findCondition,
  setCondition,
} from "./conditions.ts";
export {
  Controller,
  type ControllerOptions,
  done,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  requeueAfter,
  TerminalError,
} from "./controller.ts";
export {
  type ControllerMetrics,
  createControllerMetrics,
  type ReconcileOutcome,
} from "./controller-metrics.ts";
export { type EventOptions, EventRecorder, type EventRecorderOptions, type EventType } from "./events.ts";
export { addFinalizer, type FinalizerResult, hasFinalizer, removeFinalizer } from "./finalizers.ts";
export { enqueueMapped, enqueueObject, significantChange } from "./handlers.ts";
export { livenessChecks, readinessChecks } from "./health-checks.ts";
export {
  type HealthCheck,
  parseListenAddress,
  type RunningHealthServer,
  startHealthServer,
} from "./health-server.ts";
export { Informer, type InformerHandlers, type InformerOptions } from "./informer.ts";
export { keyOf, type ObjectRef, objectKey, splitKey } from "./keys.ts";
export {
  type KubeConfig,
  type KubeCredentials,
  type KubeTls,
  kubeConfigFromFile,
  kubeConfigFromString,
} from "./kubeconfig.ts";
export { type LeaderElectionOptions, LeaderElector } from "./leader-election.ts";
export { LAST_APPLIED_ANNOTATION, leanObject } from "./lean.ts";
export {
  createLogger,
  type LogFormat,
  type Logger,
  type LogLevel,
  parseLogFormat,
  parseLogLevel,
  silentLogger,
} from "./logger.ts";
export { type ManagedInformer, Manager, type ManagerOptions, type ManagerOutcome } from "./manager.ts";
export { Counter, Gauge, Histogram, PROMETHEUS_CONTENT_TYPE, Registry } from "./metrics.ts";
export { type RateLimit, TokenBucket } from "./rate-limit.ts";
export { apiVersionOf, coreResources, type ResourceType, resourcePath } from "./resource.ts";
export {
  isAlreadyExists,
  isConflict,
  isGone,
  isNotFound,
  KubeApiError,
  type KubeList,
  type KubeObject,
  KubeRest,
  PatchType,
} from "./rest.ts";
export { type StatusWriteResult, writeStatus } from "./status.ts";
export { backoffDelay, WorkQueue } from "./workqueue.ts";
