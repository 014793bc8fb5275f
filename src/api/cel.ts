// Offline evaluation of the CRD's CEL rules with the same strings extension the API server
// enables. Rules are compiled once and cached.
import { CelScalar, celEnv, celMethod, isCelError, parse, plan } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import type { CelRule } from "./cel-rule.ts";

// `oldSelf.hasValue()` for rules with optionalOldSelf: offline, oldSelf is bound to null on create
// and to the old value on update, so "has a value" is "is not null".
const hasValue = celMethod("hasValue", CelScalar.DYN, [], CelScalar.BOOL, function () {
  return this !== null;
});

const env = celEnv({ funcs: [...strings, hasValue] });
const compiled = new Map<string, ReturnType<typeof plan>>();

function program(rule: string): ReturnType<typeof plan> {
  let p = compiled.get(rule);
  if (p === undefined) {
    p = plan(env, parse(rule));
    compiled.set(rule, p);
  }
  return p;
}

export type RuleOutcome = "pass" | "fail" | { error: string };

/** Evaluates one rule; `self`/`oldSelf` must already be CEL values (Maps, bigints, arrays...). */
export function evaluateRule(rule: CelRule, self: unknown, oldSelf?: unknown): RuleOutcome {
  const bindings: Record<string, unknown> = { self };
  if (oldSelf !== undefined) bindings.oldSelf = oldSelf;
  const result = program(rule.rule)(bindings as never);
  if (isCelError(result)) return { error: result.message };
  return result === true ? "pass" : "fail";
}
