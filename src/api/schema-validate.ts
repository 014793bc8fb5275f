// Validates a value against a generated structural schema the way the API server does:
// OpenAPI constraints first, then the node's CEL rules (only where the node itself is well-typed).
// Error texts follow the API server's wording so one expected message serves both.

import { evaluateRule } from "./cel.ts";
import { type CelRule, isTransitionRule, VALIDATIONS_KEY } from "./cel-rule.ts";
import type { Json, JsonObject } from "./crd.ts";

export interface FieldError {
  path: string;
  message: string;
}

type Schema = JsonObject;
const NO_OLD = Symbol("no old value");

/** Applies schema defaults (as the API server does before validating). Returns a new value. */
export function applyDefaults(schema: Schema, value: unknown): unknown {
  if (value === undefined) return schema.default ?? undefined;
  if (isPlainObject(value) && schema.properties) {
    const out: Record<string, unknown> = { ...value };
    for (const [name, sub] of Object.entries(schema.properties as JsonObject)) {
      const v = applyDefaults(sub as Schema, out[name]);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }
  return value;
}

/** The API server's note when type or enum errors keep it from running the CEL rules. */
export const RULES_NOT_CHECKED =
  "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

/**
 * Validates `value` at `path` in the API server's order: OpenAPI constraints over the whole tree,
 * then, unless a type or enum error makes the value unusable, every CEL rule. `old` is the previous
 * value (update) or absent (create): transition rules run only on update, like in Kubernetes.
 */
export function validateAgainstSchema(
  schema: Schema,
  value: unknown,
  path: string,
  old?: unknown,
): FieldError[] {
  const errors: FieldError[] = [];
  const blocking = checkSchema(schema, value, path, errors);
  if (blocking) errors.push({ path: "<nil>", message: RULES_NOT_CHECKED });
  else checkRulesDeep(schema, value, path, old === undefined ? NO_OLD : old, errors);
  return errors;
}

/**
 * OpenAPI pass. Returns true when an error blocks CEL evaluation: a wrong type, an unsupported enum
 * value, or a size bound exceeded (the bounds are what keeps rule cost finite, so the API server
 * refuses to run rules past them).
 */
function checkSchema(schema: Schema, value: unknown, path: string, errors: FieldError[]): boolean {
  if (!checkType(schema, value, path, errors)) return true;
  let blocking = checkConstraints(schema, value, path, errors);
  if (isPlainObject(value)) {
    const props = (schema.properties ?? {}) as JsonObject;
    for (const name of (schema.required ?? []) as string[]) {
      if (value[name] === undefined) errors.push({ path: `${path}.${name}`, message: "Required value" });
    }
    const extra = schema.additionalProperties as Schema | undefined;
    for (const [name, v] of Object.entries(value)) {
      const sub = props[name] as Schema | undefined;
      if (sub !== undefined) blocking = checkSchema(sub, v, `${path}.${name}`, errors) || blocking;
      else if (extra !== undefined) blocking = checkSchema(extra, v, `${path}.${name}`, errors) || blocking;
      else errors.push({ path: `${path}.${name}`, message: `unknown field "${path}.${name}"` });
    }
  } else if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => {
      blocking = checkSchema(schema.items as Schema, item, `${path}[${i}]`, errors) || blocking;
    });
  }
  return blocking;
}

/** CEL pass: every node's rules, children first (the order does not matter to the result). */
function checkRulesDeep(
  schema: Schema,
  value: unknown,
  path: string,
  old: unknown,
  errors: FieldError[],
): void {
  if (isPlainObject(value)) {
    const props = (schema.properties ?? {}) as JsonObject;
    const extra = schema.additionalProperties as Schema | undefined;
    for (const [name, v] of Object.entries(value)) {
      const sub = (props[name] ?? extra) as Schema | undefined;
      const oldChild = isPlainObject(old) && old[name] !== undefined ? old[name] : NO_OLD;
      if (sub !== undefined) checkRulesDeep(sub, v, `${path}.${name}`, oldChild, errors);
    }
  } else if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => {
      checkRulesDeep(schema.items as Schema, item, `${path}[${i}]`, NO_OLD, errors);
    });
  }
  checkRules(schema, value, path, old, errors);
}

function checkType(schema: Schema, value: unknown, path: string, errors: FieldError[]): boolean {
  const type = schema.type as string | undefined;
  const ok =
    type === undefined ||
    (type === "object" && isPlainObject(value)) ||
    (type === "array" && Array.isArray(value)) ||
    (type === "string" && typeof value === "string") ||
    (type === "boolean" && typeof value === "boolean") ||
    (type === "integer" && Number.isInteger(value)) ||
    (type === "number" && typeof value === "number");
  if (!ok) {
    errors.push({
      path,
      message: `Invalid value: "${jsonType(value)}": ${path} in body must be of type ${type}: "${jsonType(value)}"`,
    });
  }
  return ok;
}

function checkConstraints(schema: Schema, value: unknown, path: string, errors: FieldError[]): boolean {
  let blocking = false;
  const fail = (detail: string) => errors.push({ path, message: `Invalid value: ${show(value)}: ${detail}` });
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as Json)) {
    const allowed = schema.enum.map((v) => JSON.stringify(v)).join(", ");
    errors.push({
      path,
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed}`,
    });
    return true;
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && [...value].length < schema.minLength) {
      fail(`${path} in body should be at least ${schema.minLength} chars long`);
    }
    if (typeof schema.maxLength === "number" && [...value].length > schema.maxLength) {
      errors.push({ path, message: `Too long: may not be more than ${schema.maxLength} bytes` });
      blocking = true;
    }
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) {
      fail(`${path} in body should be greater than or equal to ${schema.minimum}`);
    }
    if (typeof schema.maximum === "number" && value > schema.maximum) {
      fail(`${path} in body should be less than or equal to ${schema.maximum}`);
    }
  }
  if (Array.isArray(value) && typeof schema.maxItems === "number" && value.length > schema.maxItems) {
    errors.push({ path, message: `Too many: ${value.length}: must have at most ${schema.maxItems} items` });
    blocking = true;
  }
  if (isPlainObject(value) && typeof schema.maxProperties === "number") {
    const n = Object.keys(value).length;
    if (n > schema.maxProperties) {
      errors.push({ path, message: `Too many: ${n}: must have at most ${schema.maxProperties} items` });
      blocking = true;
    }
  }
  return blocking;
}

function checkRules(schema: Schema, value: unknown, path: string, old: unknown, errors: FieldError[]): void {
  const rules = (schema[VALIDATIONS_KEY] ?? []) as unknown as CelRule[];
  for (const rule of rules) {
    let oldSelf: unknown;
    if (rule.optionalOldSelf) oldSelf = old === NO_OLD ? null : toCel(schema, old);
    else if (isTransitionRule(rule)) {
      if (old === NO_OLD) continue;
      oldSelf = toCel(schema, old);
    }
    const outcome = evaluateRule(rule, toCel(schema, value), oldSelf);
    const at = rule.fieldPath ? `${path}${rule.fieldPath}` : path;
    if (outcome === "fail") {
      errors.push({ path: at, message: `Invalid value: "${jsonType(value)}": ${rule.message}` });
    } else if (outcome !== "pass") {
      errors.push({
        path: at,
        message: `Internal error: rule "${rule.rule}" could not be evaluated: ${outcome.error}`,
      });
    }
  }
}

/** JSON -> CEL values typed by the schema: integers become bigint, objects become Maps. */
export function toCel(schema: Schema, value: unknown): unknown {
  if (schema.type === "integer" && typeof value === "number") return BigInt(value);
  if (Array.isArray(value)) return value.map((v) => toCel((schema.items ?? {}) as Schema, v));
  if (isPlainObject(value)) {
    const props = (schema.properties ?? {}) as JsonObject;
    const extra = (schema.additionalProperties ?? {}) as Schema;
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel((props[k] ?? extra) as Schema, v)]));
  }
  return value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (Number.isInteger(v)) return "integer";
  return typeof v;
}

function show(v: unknown): string {
  return typeof v === "number" ? String(v) : JSON.stringify(v);
}
