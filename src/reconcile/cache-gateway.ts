// What a reconcile step needs from AWS. The AWS layer's gateway + observer provide it; keeping
// the interface here lets the operator and the standalone CLI share one step without SDK types.
import type { AutoScalingGateway } from "../aws/auto-scaling-gateway.ts";
import type { Action, ObservedCache, Topology } from "../planner/model.ts";

export interface CacheGateway {
  /**
   * The cache as AWS reports it now (or from a recent batch read); undefined when it does not
   * exist. `fresh` asks AWS now, never a cached answer (force-sync, first look, tag checks).
   */
  observe(id: string, topology: Topology, options?: { fresh?: boolean }): Promise<ObservedCache | undefined>;
  listTags(arn: string): Promise<Record<string, string>>;
  /** Performs a mutating action. The auth token is passed only for create and token rotation. */
  execute(action: Action, secrets: { authToken?: string }): Promise<void>;
  /** Application Auto Scaling (spec.autoScaling); absent where the backend has none. */
  autoScaling?: AutoScalingGateway;
}
