// CEL validation rules attached to schema nodes. They end up verbatim in the CRD as
// `x-kubernetes-validations`, and the offline validator evaluates the very same strings,
// so `infra-operator validate` and the API server can never disagree.

export interface CelRule {
  /** CEL expression; `self` is the value of the schema node the rule is attached to. */
  rule: string;
  /** Human message: names the field and says how to fix it. */
  message: string;
  /** JSON path (relative to the node) that the API server reports the error on, e.g. ".authTokenRef". */
  fieldPath?: string;
  /**
   * Also evaluate on create, with `oldSelf` an optional (`oldSelf.hasValue()` is false).
   * Only the form `oldSelf.hasValue() || EXPR` with EXPR free of `oldSelf` is used.
   */
  optionalOldSelf?: boolean;
}

export const VALIDATIONS_KEY = "x-kubernetes-validations";

/** Schema metadata carrying CEL rules (spread into zod's `.meta()`). */
export function celRules(...rules: CelRule[]): { [VALIDATIONS_KEY]: CelRule[] } {
  return { [VALIDATIONS_KEY]: rules };
}

/** A transition rule (references `oldSelf`): Kubernetes evaluates it on update only. */
export function isTransitionRule(rule: CelRule): boolean {
  return /\boldSelf\b/.test(rule.rule);
}
