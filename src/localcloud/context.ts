// What a service handler knows about the request it serves.
import type { Principal } from "./iam/principals.ts";
import type { QueryObject } from "./protocol/query-input.ts";

export interface RequestContext {
  action: string;
  input: QueryObject;
  /** Absent only for the one unsigned action (AssumeRoleWithWebIdentity). */
  principal: Principal | undefined;
  region: string;
  now: Date;
}

export type Handler = (ctx: RequestContext) => Promise<Record<string, unknown>>;
