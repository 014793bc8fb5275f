// The AWS layer's public face: what the operator and the CLI use. SDK types stay behind it.
export type { ExecuteOptions } from "./action-mapping.ts";
export type { CallHook, CallOutcome } from "./call.ts";
export { AwsClients, type CallerIdentity, ClientCache, type ProviderRef } from "./clients.ts";
export type { CredentialMethod, CredentialOptions, ProviderAuth } from "./credentials.ts";
export { ElastiCacheGateway, type ExecuteResult, type GatewayOptions } from "./elasticache-gateway.ts";
export { CloudError, type CloudErrorKind, classify, iamActionOf, isCloudError, isKind } from "./errors.ts";
export {
  BatchObserver,
  type ObservationSource,
  type ObserveOptions,
  type ObserverOptions,
} from "./observer.ts";
