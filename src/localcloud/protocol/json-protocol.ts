// The AWS JSON 1.1 protocol (Application Auto Scaling): the operation comes from the X-Amz-Target
// header (`AnyScaleFrontendService.RegisterScalableTarget`), the input is the JSON body, and the
// answer is JSON too. Timestamps travel as epoch seconds; handlers see them as Dates and may answer
// Dates or ISO strings. Members are checked against the model (required members, enums, types), so
// a malformed request gets the ValidationException AWS gives, naming the member.
import type { CompactService, Shape } from "./model-types.ts";
import type { QueryObject, QueryValue } from "./query-input.ts";

export class JsonValidationError extends Error {}

export const jsonContentType = "application/x-amz-json-1.1";

/** The operation a JSON request names, or undefined when the target is not this service's. */
export function jsonOperation(service: CompactService, target: string): string | undefined {
  const [prefix, operation] = target.split(".");
  if (prefix !== service.targetPrefix || operation === undefined) return undefined;
  return operation;
}

function shapeOf(service: CompactService, name: string): Shape {
  const shape = service.shapes[name];
  if (shape === undefined) throw new Error(`shape ${name} missing from the model`);
  return shape;
}

function parseValue(service: CompactService, shapeName: string, value: unknown, path: string): QueryValue {
  const shape = shapeOf(service, shapeName);
  const fail = (what: string) => new JsonValidationError(`Invalid value at '${path}': ${what}`);
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        throw fail("expected an object");
      return parseStructure(service, shapeName, value as Record<string, unknown>, path);
    }
    case "list": {
      if (!Array.isArray(value)) throw fail("expected a list");
      return value.map((v, i) => parseValue(service, shape.member, v, `${path}.${i + 1}`));
    }
    case "map": {
      if (typeof value !== "object" || value === null) throw fail("expected an object");
      const out: Record<string, QueryValue> = {};
      for (const [k, v] of Object.entries(value))
        out[k] = parseValue(service, shape.value, v, `${path}.${k}`);
      return out;
    }
    case "string":
      if (typeof value !== "string") throw fail("expected a string");
      if (shape.enum && !shape.enum.includes(value))
        throw fail(`'${value}' is not one of [${shape.enum.join(", ")}]`);
      return value;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) throw fail("expected an integer");
      return value;
    case "double":
      if (typeof value !== "number") throw fail("expected a number");
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw fail("expected true or false");
      return value;
    case "timestamp": {
      const date = typeof value === "number" ? new Date(value * 1000) : new Date(String(value));
      if (Number.isNaN(date.getTime())) throw fail("expected a time");
      return date;
    }
  }
}

function parseStructure(
  service: CompactService,
  shapeName: string,
  value: Record<string, unknown>,
  path: string,
): QueryObject {
  const shape = shapeOf(service, shapeName);
  if (shape.type !== "structure") throw new Error(`shape ${shapeName} is not a structure`);
  const out: QueryObject = {};
  for (const [name, member] of Object.entries(shape.members)) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    out[name] = parseValue(service, member.shape, v, path ? `${path}.${name}` : name);
  }
  for (const name of shape.required ?? []) {
    if (out[name] === undefined) {
      throw new JsonValidationError(
        `1 validation error detected: Value null at '${path ? `${path}.` : ""}${name}' failed to satisfy constraint: Member must not be null`,
      );
    }
  }
  return out;
}

/** The request body as the operation's input structure. */
export function parseJsonInput(
  service: CompactService,
  inputShape: string | undefined,
  body: Buffer,
): QueryObject {
  if (inputShape === undefined) return {};
  let raw: unknown;
  try {
    raw = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch {
    throw new JsonValidationError("The request body is not valid JSON");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new JsonValidationError("The request body must be a JSON object");
  return parseStructure(service, inputShape, raw as Record<string, unknown>, "");
}

function serializeValue(service: CompactService, shapeName: string, value: unknown): unknown {
  const shape = shapeOf(service, shapeName);
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      const record = value as Record<string, unknown>;
      for (const [name, member] of Object.entries(shape.members)) {
        if (record[name] === undefined) continue;
        out[name] = serializeValue(service, member.shape, record[name]);
      }
      return out;
    }
    case "list":
      return (value as unknown[]).map((v) => serializeValue(service, shape.member, v));
    case "map":
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          k,
          serializeValue(service, shape.value, v),
        ]),
      );
    case "timestamp":
      return (value instanceof Date ? value.getTime() : Date.parse(String(value))) / 1000;
    default:
      return value;
  }
}

/** The JSON answer of an operation: only the output shape's members, timestamps as epoch seconds. */
export function serializeJsonOutput(
  service: CompactService,
  outputShape: string | undefined,
  result: Record<string, unknown>,
): string {
  return JSON.stringify(outputShape === undefined ? {} : serializeValue(service, outputShape, result));
}

export function serializeJsonError(code: string, message: string): string {
  return JSON.stringify({ __type: code, message });
}
