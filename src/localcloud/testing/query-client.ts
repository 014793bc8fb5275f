// Test support: an ElastiCache Query-protocol client driven only by the service model (botocore's
// JSON, compacted in model.generated.json), independent of any SDK: it serializes an input object
// with the operation's input shape, signs it (SigV4), and reads the XML answer back with the output
// shape, reporting every element the model does not allow and every scalar of the wrong type.
import { SignatureV4 } from "@smithy/signature-v4";
import type { CompactService, Shape } from "../protocol/model-types.ts";
import { NodeSha256 } from "./node-sha256.ts";

export type Input = { [key: string]: unknown };

/** Query-protocol form fields for `value` of shape `shapeName` (lists as Name.member.N, ...). */
export function serializeQuery(
  service: CompactService,
  shapeName: string,
  value: unknown,
  prefix = "",
): [string, string][] {
  const shape = service.shapes[shapeName] as Shape;
  if (shape.type === "structure") {
    return Object.entries(shape.members).flatMap(([member, ref]) => {
      const v = (value as Input)[member];
      if (v === undefined) return [];
      const key = prefix ? `${prefix}.${ref.name ?? member}` : (ref.name ?? member);
      return serializeQuery(service, ref.shape, v, key);
    });
  }
  if (shape.type === "list") {
    const base = shape.flattened ? prefix : `${prefix}.${shape.memberName ?? "member"}`;
    return (value as unknown[]).flatMap((item, i) =>
      serializeQuery(service, shape.member, item, `${base}.${i + 1}`),
    );
  }
  if (shape.type === "map") {
    return Object.entries(value as Input).flatMap(([k, v], i) => [
      [`${prefix}.entry.${i + 1}.${shape.keyName ?? "key"}`, k] as [string, string],
      ...serializeQuery(service, shape.value, v, `${prefix}.entry.${i + 1}.${shape.valueName ?? "value"}`),
    ]);
  }
  if (shape.type === "timestamp") return [[prefix, (value as Date).toISOString()]];
  return [[prefix, String(value)]];
}

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const entities: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** A small XML reader for the local cloud's answers (elements, text and entities; attributes skipped). */
export function parseXml(xml: string): XmlElement {
  let pos = xml.startsWith("<?xml") ? xml.indexOf("?>") + 2 : 0;
  const decode = (s: string) => s.replace(/&(\w+);/g, (_, e: string) => entities[e] ?? `&${e};`);
  function element(): XmlElement {
    while (/\s/.test(xml[pos] ?? "")) pos++;
    const open = /^<([A-Za-z0-9_:.-]+)[^>]*?(\/?)>/.exec(xml.slice(pos));
    if (open === null) throw new Error(`expected an element at ${pos}: ${xml.slice(pos, pos + 40)}`);
    pos += open[0].length;
    const node: XmlElement = { name: open[1] as string, children: [], text: "" };
    if (open[2] === "/") return node;
    for (;;) {
      const next = xml.indexOf("<", pos);
      if (next < 0) throw new Error(`unclosed <${node.name}>`);
      node.text += decode(xml.slice(pos, next));
      pos = next;
      if (xml.startsWith(`</${node.name}>`, pos)) {
        pos += node.name.length + 3;
        return node;
      }
      node.children.push(element());
    }
  }
  return element();
}

/** Reads `el` with shape `shapeName`; problems collects everything the model does not allow. */
export function readShape(
  service: CompactService,
  shapeName: string,
  el: XmlElement,
  path: string,
  problems: string[],
): unknown {
  const shape = service.shapes[shapeName] as Shape;
  if (shape.type === "structure") {
    const out: Input = {};
    const byName = new Map(Object.entries(shape.members).map(([m, ref]) => [ref.name ?? m, { m, ref }]));
    for (const child of el.children) {
      const member = byName.get(child.name);
      if (member === undefined) {
        problems.push(`${path}: <${child.name}> is not a member of ${shapeName}`);
        continue;
      }
      out[member.m] = readShape(service, member.ref.shape, child, `${path}.${member.m}`, problems);
    }
    return out;
  }
  if (shape.type === "list") {
    const itemName = shape.memberName ?? "member";
    return el.children.map((child, i) => {
      if (child.name !== itemName)
        problems.push(`${path}[${i}]: <${child.name}> where the model has <${itemName}>`);
      return readShape(service, shape.member, child, `${path}.${i}`, problems);
    });
  }
  if (shape.type === "map") {
    const out: Input = {};
    for (const entry of el.children) {
      const k = entry.children.find((c) => c.name === (shape.keyName ?? "key"));
      const v = entry.children.find((c) => c.name === (shape.valueName ?? "value"));
      if (k && v) out[k.text] = readShape(service, shape.value, v, `${path}.${k.text}`, problems);
    }
    return out;
  }
  if (el.children.length > 0) problems.push(`${path}: a ${shape.type} has child elements`);
  const text = el.text;
  switch (shape.type) {
    case "integer":
      if (!/^-?\d+$/.test(text)) problems.push(`${path}: '${text}' is not an integer`);
      return Number(text);
    case "double":
      if (text.trim() === "" || Number.isNaN(Number(text)))
        problems.push(`${path}: '${text}' is not a number`);
      return Number(text);
    case "boolean":
      if (text !== "true" && text !== "false") problems.push(`${path}: '${text}' is not a boolean`);
      return text === "true";
    case "timestamp":
      if (Number.isNaN(Date.parse(text))) problems.push(`${path}: '${text}' is not a timestamp`);
      return text;
    default:
      if (shape.enum && !shape.enum.includes(text))
        problems.push(`${path}: '${text}' is not one of ${shape.enum.join(", ")}`);
      return text;
  }
}

export interface QueryAnswer {
  status: number;
  /** The result read with the output shape (empty for operations without output). */
  result: Input;
  error?: { code: string; message: string };
  /** Everything in the answer that does not follow the model. */
  problems: string[];
}

export interface QueryClientOptions {
  url: string;
  service: CompactService;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region?: string;
  /** SigV4 service name (default elasticache; CloudWatch signs as monitoring). */
  signingName?: string;
}

export async function callQuery(
  options: QueryClientOptions,
  action: string,
  input: Input,
): Promise<QueryAnswer> {
  const { service } = options;
  const op = service.operations[action];
  if (op === undefined) throw new Error(`${action} is not in the model`);
  const fields: [string, string][] = [
    ["Action", action],
    ["Version", service.version],
    ...(op.input ? serializeQuery(service, op.input, input) : []),
  ];
  const body = new URLSearchParams(fields).toString();
  const url = new URL(options.url);
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region ?? "us-east-1",
    service: options.signingName ?? "elasticache",
    sha256: NodeSha256 as never,
  });
  const signed = await signer.sign({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    query: {},
    headers: { host: url.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body,
  });
  const res = await fetch(url, { method: "POST", headers: signed.headers as Record<string, string>, body });
  const xml = parseXml(await res.text());
  const problems: string[] = [];
  if (xml.name === "ErrorResponse") {
    const error = xml.children.find((c) => c.name === "Error");
    const field = (n: string) => error?.children.find((c) => c.name === n)?.text ?? "";
    if (!xml.children.some((c) => c.name === "RequestId")) problems.push("ErrorResponse without RequestId");
    return {
      status: res.status,
      result: {},
      error: { code: field("Code"), message: field("Message") },
      problems,
    };
  }
  if (xml.name !== `${action}Response`)
    problems.push(`root <${xml.name}>, the model has <${action}Response>`);
  const wrapperName = op.resultWrapper ?? `${action}Result`;
  const wrapper = xml.children.find((c) => c.name === wrapperName);
  for (const c of xml.children) {
    if (c.name !== wrapperName && c.name !== "ResponseMetadata")
      problems.push(`<${c.name}> in <${xml.name}>`);
  }
  if (!xml.children.some((c) => c.name === "ResponseMetadata")) problems.push("no ResponseMetadata");
  let result: Input = {};
  if (op.output) {
    if (wrapper === undefined) problems.push(`no <${wrapperName}>`);
    else result = readShape(service, op.output, wrapper, action, problems) as Input;
  } else if (wrapper !== undefined) {
    problems.push(`<${wrapperName}> for an operation without output`);
  }
  return { status: res.status, result, problems };
}

/** The value at a dotted path (`CacheCluster.CacheNodes.0.Endpoint.Port`), or undefined. */
export function at(value: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((v, key) => (v === undefined || v === null ? undefined : (v as Input)[key]), value);
}
