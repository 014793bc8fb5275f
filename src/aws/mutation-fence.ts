// The fence in front of every mutating ElastiCache request. With leader election, only the replica
// that holds the Lease may change AWS; a replica that was paused (GC, throttled CPU, frozen VM) wakes
// up with reconciles in flight that decided to act before the pause. The fence is asked right before
// each attempt goes on the wire (SDK retries included), so a replica that no longer holds the Lease
// sends nothing. What the fence cannot stop, a request already on the wire, is described in
// docs/adr/0004-lease-fencing.md.
import type { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { CloudError } from "./errors.ts";

/** True when this process may send a mutating call now (it holds the Lease, or runs alone). */
export type MutationFence = () => boolean;

/** Reads (Describe*, List*) change nothing and may go out from any replica. */
export function isMutatingOperation(operation: string): boolean {
  return !/^(Describe|List)/.test(operation);
}

/** The error a fenced call fails with, before anything is sent. */
export function leaseNotHeld(operation: string): CloudError {
  return new CloudError({
    kind: "Transient",
    code: "LeaseNotHeld",
    action: operation,
    message: `${operation} not sent: this replica no longer holds the leader Lease (not renewed within the renew deadline); the replica that holds it does the work`,
  });
}

export function isLeaseNotHeld(err: unknown): boolean {
  return err instanceof CloudError && err.code === "LeaseNotHeld";
}

/**
 * Adds the fence as the innermost middleware of the client: it runs once per attempt, after
 * serializing, signing and the retry strategy's wait, immediately before the HTTP handler sends.
 */
export function installMutationFence(client: ElastiCacheClient, fence: MutationFence): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? "").replace(/Command$/, "");
      if (isMutatingOperation(operation) && !fence()) throw leaseNotHeld(operation);
      return next(args);
    },
    { step: "deserialize", priority: "low", name: "leaseFenceMiddleware" },
  );
}
