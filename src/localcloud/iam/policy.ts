// IAM-style policy documents and their evaluation: an explicit Deny wins, then any Allow,
// otherwise the request is implicitly denied. Actions match case-insensitively with wildcards,
// resources with wildcards; Condition operators are in conditions.ts.
import { conditionHolds } from "./conditions.ts";
import { wildcardMatch } from "./wildcard.ts";

export type OneOrMany = string | string[];
export type ConditionBlock = Record<string, Record<string, OneOrMany | boolean>>;

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: OneOrMany;
  NotAction?: OneOrMany;
  Resource?: OneOrMany;
  NotResource?: OneOrMany;
  /** Trust policies only: who may assume the role. */
  Principal?: "*" | Record<string, OneOrMany>;
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement | Statement[];
}

export interface EvaluationRequest {
  action: string;
  resource: string;
  /** Condition keys (lower-cased on lookup), e.g. "sts:externalid", "oidc.example.com:sub". */
  context?: Record<string, string | string[]>;
  /** Trust policies: the principals making the request, per type ("AWS", "Federated", "Service"). */
  principals?: Record<string, string[]>;
}

export type Decision = "Allow" | "Deny" | "ImplicitDeny";

function list(v: OneOrMany | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function statements(doc: PolicyDocument): Statement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

function matchesAction(st: Statement, action: string): boolean {
  if (st.NotAction !== undefined) return !list(st.NotAction).some((p) => wildcardMatch(p, action, true));
  return list(st.Action).some((p) => wildcardMatch(p, action, true));
}

function matchesResource(st: Statement, resource: string): boolean {
  if (st.NotResource !== undefined) return !list(st.NotResource).some((p) => wildcardMatch(p, resource));
  // Trust policies may omit Resource; permission policies without one match nothing.
  if (st.Resource === undefined) return st.Principal !== undefined;
  return list(st.Resource).some((p) => wildcardMatch(p, resource));
}

function matchesPrincipal(st: Statement, principals: Record<string, string[]> | undefined): boolean {
  if (st.Principal === undefined) return true;
  if (st.Principal === "*") return true;
  for (const [type, allowed] of Object.entries(st.Principal)) {
    const actual = principals?.[type] ?? [];
    for (const pattern of list(allowed)) {
      if (pattern === "*" && actual.length > 0) return true;
      if (actual.some((a) => wildcardMatch(pattern, a))) return true;
    }
  }
  return false;
}

function lookup(context: Record<string, string | string[]>, key: string): string[] | undefined {
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(context))
    if (k.toLowerCase() === lower) return Array.isArray(v) ? v : [v];
  return undefined;
}

function matchesConditions(st: Statement, context: Record<string, string | string[]>): boolean {
  for (const [operator, block] of Object.entries(st.Condition ?? {})) {
    for (const [key, expectedRaw] of Object.entries(block)) {
      const expected = (Array.isArray(expectedRaw) ? expectedRaw : [expectedRaw]).map(String);
      if (!conditionHolds(operator, lookup(context, key), expected)) return false;
    }
  }
  return true;
}

export function evaluate(policies: PolicyDocument[], request: EvaluationRequest): Decision {
  let allowed = false;
  for (const doc of policies) {
    for (const st of statements(doc)) {
      if (!matchesAction(st, request.action)) continue;
      if (!matchesResource(st, request.resource)) continue;
      if (!matchesPrincipal(st, request.principals)) continue;
      if (!matchesConditions(st, request.context ?? {})) continue;
      if (st.Effect === "Deny") return "Deny";
      if (st.Effect === "Allow") allowed = true;
    }
  }
  return allowed ? "Allow" : "ImplicitDeny";
}

export function accessDeniedMessage(
  principalArn: string,
  action: string,
  resource: string,
  decision: Decision,
): string {
  const why = decision === "Deny" ? " with an explicit deny" : "";
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}${why}`;
}
