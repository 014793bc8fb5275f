// IAM condition operators: String*, Arn*, Numeric*, Date*, Bool, Null, IpAddress/NotIpAddress,
// each with ...IfExists (but Null), and the ForAnyValue:/ForAllValues: set qualifiers. An operator
// outside this list is refused when the config is loaded (conditionOperatorProblem), so a Deny never
// silently fails to apply.
import { BlockList, isIP } from "node:net";
import { wildcardMatch } from "./wildcard.ts";

type Test = (actual: string, expected: string) => boolean;

function number(v: string): number {
  return v.trim() === "" ? Number.NaN : Number(v);
}

/** Dates as ISO 8601 or epoch seconds (both forms IAM accepts). */
function date(v: string): number {
  return /^\d+$/.test(v.trim()) ? Number(v) * 1000 : Date.parse(v);
}

function compare(parse: (v: string) => number, ok: (a: number, e: number) => boolean): Test {
  return (a, e) => {
    const x = parse(a);
    const y = parse(e);
    return !Number.isNaN(x) && !Number.isNaN(y) && ok(x, y);
  };
}

/** ArnLike/ArnEquals: the six colon-separated parts match one by one, wildcards within each. */
function arnMatch(actual: string, pattern: string): boolean {
  const split = (arn: string) => {
    const parts = arn.split(":");
    return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(":")];
  };
  const a = split(actual);
  const p = split(pattern);
  if (a === undefined || p === undefined) return false;
  return p.every((segment, i) => wildcardMatch(segment, a[i] as string));
}

function inCidr(actual: string, cidr: string): boolean {
  const ip = actual.startsWith("::ffff:") && isIP(actual.slice(7)) === 4 ? actual.slice(7) : actual;
  const [base = "", bits] = cidr.split("/");
  const family = isIP(base);
  if (family === 0 || isIP(ip) !== family) return false;
  const type = family === 4 ? "ipv4" : "ipv6";
  const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix)) return false;
  const list = new BlockList();
  list.addSubnet(base, prefix, type);
  return list.check(ip, type);
}

const positive: Record<string, Test> = {
  StringEquals: (a, e) => a === e,
  StringEqualsIgnoreCase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  StringLike: (a, e) => wildcardMatch(e, a),
  ArnEquals: arnMatch,
  ArnLike: arnMatch,
  NumericEquals: compare(number, (a, e) => a === e),
  NumericLessThan: compare(number, (a, e) => a < e),
  NumericLessThanEquals: compare(number, (a, e) => a <= e),
  NumericGreaterThan: compare(number, (a, e) => a > e),
  NumericGreaterThanEquals: compare(number, (a, e) => a >= e),
  DateEquals: compare(date, (a, e) => a === e),
  DateLessThan: compare(date, (a, e) => a < e),
  DateLessThanEquals: compare(date, (a, e) => a <= e),
  DateGreaterThan: compare(date, (a, e) => a > e),
  DateGreaterThanEquals: compare(date, (a, e) => a >= e),
  Bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
  IpAddress: inCidr,
};

/** Negated operators: true when the value matches none of the expected values. */
const negated: Record<string, string> = {
  StringNotEquals: "StringEquals",
  StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase",
  StringNotLike: "StringLike",
  ArnNotEquals: "ArnEquals",
  ArnNotLike: "ArnLike",
  NumericNotEquals: "NumericEquals",
  DateNotEquals: "DateEquals",
  NotIpAddress: "IpAddress",
};

export const conditionOperators = [...Object.keys(positive), ...Object.keys(negated), "Null"];

interface ParsedOperator {
  set: "ForAnyValue" | "ForAllValues" | undefined;
  op: string;
  ifExists: boolean;
}

function parseOperator(raw: string): ParsedOperator {
  const m = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/.exec(raw);
  return {
    set: m?.[1] as ParsedOperator["set"],
    op: m?.[2] ?? raw,
    ifExists: m?.[3] !== undefined,
  };
}

/** Why an operator cannot be evaluated (to refuse it at load), or undefined when it can. */
export function conditionOperatorProblem(raw: string): string | undefined {
  const { op, ifExists } = parseOperator(raw);
  if (!conditionOperators.includes(op)) {
    return `the condition operator "${raw}" is not one the local cloud evaluates; use ${conditionOperators.join(", ")} (optionally ...IfExists, ForAnyValue: or ForAllValues:)`;
  }
  if (op === "Null" && ifExists)
    return `the condition operator "${raw}" does not exist (Null takes no IfExists)`;
  return undefined;
}

function valueMatches(op: string, actual: string, expected: string[]): boolean {
  const base = negated[op];
  if (base !== undefined) return !expected.some((e) => (positive[base] as Test)(actual, e));
  const test = positive[op];
  // Unknown operators are refused at load; one arriving anyway never matches (fails closed).
  return test !== undefined && expected.some((e) => test(actual, e));
}

/**
 * One condition: `actual` is the key's values in the request (undefined when the key is absent).
 * Without a set qualifier a positive operator needs one matching value and a negated one needs
 * every value to match (none equal, ...); absent keys fail, except with IfExists or a negated operator.
 */
export function conditionHolds(raw: string, actual: string[] | undefined, expected: string[]): boolean {
  const { set, op, ifExists } = parseOperator(raw);
  if (op === "Null") {
    const wantAbsent = expected.some((e) => e.toLowerCase() === "true");
    return wantAbsent === (actual === undefined || actual.length === 0);
  }
  if (set === "ForAllValues") return (actual ?? []).every((a) => valueMatches(op, a, expected));
  if (set === "ForAnyValue") return (actual ?? []).some((a) => valueMatches(op, a, expected));
  if (actual === undefined) return ifExists || negated[op] !== undefined;
  if (negated[op] !== undefined) return actual.every((a) => valueMatches(op, a, expected));
  return actual.some((a) => valueMatches(op, a, expected));
}
