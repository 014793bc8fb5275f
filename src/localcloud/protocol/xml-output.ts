// Serializes results and errors as Query-protocol XML, driven by the output shape in the model
// (member serialized names, list element names such as <CacheCluster>, timestamps as ISO 8601).
import type { CompactService, Shape } from "./model-types.ts";

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot", "'": "apos" }[c]};`,
  );
}

function scalarText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function shapeOf(service: CompactService, name: string): Shape {
  const shape = service.shapes[name];
  if (shape === undefined) throw new Error(`shape ${name} missing from the model`);
  return shape;
}

function serializeMembers(service: CompactService, shapeName: string, value: unknown, out: string[]): void {
  const shape = shapeOf(service, shapeName);
  if (shape.type !== "structure" || typeof value !== "object" || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [member, ref] of Object.entries(shape.members)) {
    const v = record[member];
    if (v === undefined || v === null) continue;
    serializeElement(service, ref.shape, ref.name ?? member, v, out);
  }
}

function serializeElement(
  service: CompactService,
  shapeName: string,
  tag: string,
  value: unknown,
  out: string[],
): void {
  const shape = shapeOf(service, shapeName);
  if (shape.type === "structure") {
    out.push(`<${tag}>`);
    serializeMembers(service, shapeName, value, out);
    out.push(`</${tag}>`);
  } else if (shape.type === "list") {
    const items = Array.isArray(value) ? value : [];
    const itemTag = shape.memberName ?? "member";
    if (shape.flattened) {
      for (const item of items) serializeElement(service, shape.member, itemTag, item, out);
    } else {
      out.push(`<${tag}>`);
      for (const item of items) serializeElement(service, shape.member, itemTag, item, out);
      out.push(`</${tag}>`);
    }
  } else if (shape.type === "map") {
    const entries = Object.entries((value ?? {}) as Record<string, unknown>);
    if (!shape.flattened) out.push(`<${tag}>`);
    for (const [k, v] of entries) {
      out.push(shape.flattened ? `<${tag}>` : "<entry>");
      out.push(`<${shape.keyName ?? "key"}>${escapeXml(k)}</${shape.keyName ?? "key"}>`);
      serializeElement(service, shape.value, shape.valueName ?? "value", v, out);
      out.push(shape.flattened ? `</${tag}>` : "</entry>");
    }
    if (!shape.flattened) out.push(`</${tag}>`);
  } else {
    out.push(`<${tag}>${escapeXml(scalarText(value))}</${tag}>`);
  }
}

export function serializeResponse(
  service: CompactService,
  action: string,
  result: Record<string, unknown>,
  requestId: string,
): string {
  const op = service.operations[action];
  const out: string[] = [`<${action}Response xmlns="${service.xmlNamespace}">`];
  if (op?.output !== undefined) {
    const wrapper = op.resultWrapper ?? `${action}Result`;
    out.push(`<${wrapper}>`);
    serializeMembers(service, op.output, result, out);
    out.push(`</${wrapper}>`);
  }
  out.push(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`);
  return out.join("");
}

export function serializeError(code: string, message: string, status: number, requestId: string): string {
  const type = status >= 500 ? "Receiver" : "Sender";
  return (
    `<ErrorResponse><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
