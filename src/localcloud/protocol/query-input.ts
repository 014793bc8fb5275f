// Parses a Query-protocol request (form fields such as `SecurityGroupIds.SecurityGroupId.1` or
// `Tags.Tag.2.Key`) into a plain object following the operation's input shape in the model.
// Serialized names, list element names, required members, enums and scalar types all come from the
// model, so no operation needs hand-written parsing.
import { AwsError, invalidParameter } from "./errors.ts";
import type { CompactService, ListShape, MapShape, Shape, StructureShape } from "./model-types.ts";

export type QueryValue = string | number | boolean | Date | QueryValue[] | { [key: string]: QueryValue };
export type QueryObject = { [key: string]: QueryValue };

export function parseQueryInput(
  service: CompactService,
  shapeName: string | undefined,
  params: URLSearchParams,
): QueryObject {
  if (shapeName === undefined) return {};
  const fields = new Map<string, string>();
  for (const [k, v] of params) fields.set(k, v);
  const shape = shapeOf(service, shapeName);
  if (shape.type !== "structure") throw new Error(`input shape ${shapeName} is not a structure`);
  return parseStructure(service, shape, "", fields);
}

function shapeOf(service: CompactService, name: string): Shape {
  const shape = service.shapes[name];
  if (shape === undefined) throw new Error(`shape ${name} missing from the model`);
  return shape;
}

function hasPrefix(fields: Map<string, string>, key: string): boolean {
  if (fields.has(key)) return true;
  const dotted = `${key}.`;
  for (const k of fields.keys()) if (k.startsWith(dotted)) return true;
  return false;
}

function parseStructure(
  service: CompactService,
  shape: StructureShape,
  prefix: string,
  fields: Map<string, string>,
): QueryObject {
  const out: QueryObject = {};
  for (const [member, ref] of Object.entries(shape.members)) {
    const key = prefix ? `${prefix}.${ref.name ?? member}` : (ref.name ?? member);
    if (!hasPrefix(fields, key)) continue;
    const value = parseValue(service, ref.shape, key, fields);
    if (value !== undefined) out[member] = value;
  }
  for (const member of shape.required ?? []) {
    if (out[member] === undefined) {
      throw new AwsError(
        "MissingParameter",
        `The request must contain the parameter ${prefix ? `${prefix}.` : ""}${member}`,
      );
    }
  }
  return out;
}

function parseList(
  service: CompactService,
  shape: ListShape,
  key: string,
  fields: Map<string, string>,
): QueryValue[] {
  const base = shape.flattened ? key : `${key}.${shape.memberName ?? "member"}`;
  const items: QueryValue[] = [];
  // Indexes start at 1 and are contiguous; the bound keeps a hostile request from looping long.
  for (let i = 1; i <= 1000; i++) {
    const itemKey = `${base}.${i}`;
    if (!hasPrefix(fields, itemKey)) break;
    const v = parseValue(service, shape.member, itemKey, fields);
    if (v !== undefined) items.push(v);
  }
  return items;
}

function parseMap(
  service: CompactService,
  shape: MapShape,
  key: string,
  fields: Map<string, string>,
): QueryObject {
  const base = shape.flattened ? key : `${key}.entry`;
  const out: QueryObject = {};
  for (let i = 1; i <= 1000; i++) {
    const entry = `${base}.${i}`;
    if (!hasPrefix(fields, entry)) break;
    const k = fields.get(`${entry}.${shape.keyName ?? "key"}`);
    const v = parseValue(service, shape.value, `${entry}.${shape.valueName ?? "value"}`, fields);
    if (k !== undefined && v !== undefined) out[k] = v;
  }
  return out;
}

function parseValue(
  service: CompactService,
  shapeName: string,
  key: string,
  fields: Map<string, string>,
): QueryValue | undefined {
  const shape = shapeOf(service, shapeName);
  if (shape.type === "structure") return parseStructure(service, shape, key, fields);
  if (shape.type === "list") return parseList(service, shape, key, fields);
  if (shape.type === "map") return parseMap(service, shape, key, fields);
  const text = fields.get(key);
  if (text === undefined) return undefined;
  switch (shape.type) {
    case "string":
      if (shape.enum && !shape.enum.includes(text)) {
        throw invalidParameter(`Invalid value '${text}' for ${key}; valid values: ${shape.enum.join(", ")}`);
      }
      return text;
    case "integer": {
      if (!/^-?\d+$/.test(text))
        throw invalidParameter(`Invalid value '${text}' for ${key}: expected an integer`);
      return Number.parseInt(text, 10);
    }
    case "double": {
      const n = Number(text);
      if (text.trim() === "" || Number.isNaN(n))
        throw invalidParameter(`Invalid value '${text}' for ${key}: expected a number`);
      return n;
    }
    case "boolean": {
      const lower = text.toLowerCase();
      if (lower !== "true" && lower !== "false") {
        throw invalidParameter(`Invalid value '${text}' for ${key}: expected true or false`);
      }
      return lower === "true";
    }
    case "timestamp": {
      const d = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
      if (Number.isNaN(d.getTime()))
        throw invalidParameter(`Invalid value '${text}' for ${key}: expected an ISO 8601 time`);
      return d;
    }
  }
}
