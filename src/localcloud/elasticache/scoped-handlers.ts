// Runs every ElastiCache handler in the scope of its caller's account and the signed region, so
// that a request, and the background work it starts, sees only that account's resources there.
import type { Handler } from "../context.ts";
import { defaultScope, inScope } from "../state/scope.ts";

export function scopedHandlers(handlers: Record<string, Handler>): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([action, handler]): [string, Handler] => [
      action,
      (ctx) =>
        inScope({ accountId: ctx.principal?.accountId ?? defaultScope.accountId, region: ctx.region }, () =>
          handler(ctx),
        ),
    ]),
  );
}
