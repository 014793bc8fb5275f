// docs/reference.md: the field reference of every kind, generated from the same
// OpenAPI schemas the CRDs carry (so it says exactly what the API server enforces). Written by
// `npm run generate` together with the CRDs; `--check` fails when it is out of date.
import { documentedAnnotations } from "./annotations.ts";
import { allCrds, type JsonObject } from "./crd.ts";
import { kinds } from "./kinds.ts";
import { API_GROUP } from "./shared.ts";

interface Schema {
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  pattern?: string;
  format?: string;
  "x-kubernetes-validations"?: { rule: string; message?: string; fieldPath?: string }[];
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
}

interface Row {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

/** Markdown table cells cannot hold pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/** Ends a description or message with a full stop unless it already ends a sentence. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function typeOf(s: Schema): string {
  if (s["x-kubernetes-int-or-string"]) return "integer or string";
  if (s.type === "array") return `[]${s.items ? typeOf(s.items) : "any"}`;
  if (
    s.type === "object" &&
    s.additionalProperties &&
    typeof s.additionalProperties === "object" &&
    !s.properties
  )
    return `map[string]${typeOf(s.additionalProperties)}`;
  return s.type ?? "any";
}

/** Constraints the schema states besides its type, in words. */
function constraints(s: Schema): string[] {
  const out: string[] = [];
  if (s.enum) out.push(`One of: ${s.enum.map((v) => `\`${String(v)}\``).join(", ")}.`);
  if (s.default !== undefined) out.push(`Default: \`${JSON.stringify(s.default)}\`.`);
  if (s.minimum !== undefined && s.maximum !== undefined) out.push(`Range: ${s.minimum}–${s.maximum}.`);
  else if (s.minimum !== undefined) out.push(`Minimum: ${s.minimum}.`);
  else if (s.maximum !== undefined) out.push(`Maximum: ${s.maximum}.`);
  if (s.minLength !== undefined && s.minLength > 0) out.push(`Length ≥ ${s.minLength}.`);
  if (s.maxLength !== undefined) out.push(`Length ≤ ${s.maxLength}.`);
  if (s.minItems !== undefined && s.minItems > 0) out.push(`At least ${s.minItems} items.`);
  if (s.maxItems !== undefined) out.push(`At most ${s.maxItems} items.`);
  if (s.maxProperties !== undefined) out.push(`At most ${s.maxProperties} entries.`);
  if (s.pattern !== undefined) out.push(`Pattern: \`${s.pattern}\`.`);
  if (s.format !== undefined) out.push(`Format: ${s.format}.`);
  // Rules on the field itself (a rule with a fieldPath is listed under the object that holds it).
  for (const v of s["x-kubernetes-validations"] ?? [])
    if (v.message && !v.fieldPath) out.push(`${v.message}.`);
  return out;
}

function rows(s: Schema, prefix: string, out: Row[]): void {
  const required = new Set(s.required ?? []);
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    const path = prefix === "" ? name : `${prefix}.${name}`;
    const description = [child.description ?? "", ...constraints(child)]
      .filter((t) => t !== "")
      .map(sentence)
      .join(" ");
    out.push({ path, type: typeOf(child), required: required.has(name), description });
    if (child.properties) rows(child, path, out);
    else if (child.type === "array" && child.items?.properties) rows(child.items, `${path}[]`, out);
    else if (typeof child.additionalProperties === "object" && child.additionalProperties.properties)
      rows(child.additionalProperties, `${path}.*`, out);
  }
}

/** Rules spanning several fields, from the object that carries them (with the field they point at). */
function objectRules(s: Schema, prefix: string, out: string[]): void {
  for (const v of s["x-kubernetes-validations"] ?? []) {
    if (!v.message || !v.fieldPath) continue;
    out.push(`- \`${prefix}${v.fieldPath}\`: ${v.message}`);
  }
  for (const [name, child] of Object.entries(s.properties ?? {}))
    objectRules(child, `${prefix}.${name}`, out);
}

function table(title: string, schema: Schema | undefined, root: string): string {
  if (schema === undefined) return "";
  const out: Row[] = [];
  rows(schema, root, out);
  return [
    `### ${title}`,
    schema.description ?? "",
    [
      "| Field | Type | Required | Description |",
      "| --- | --- | --- | --- |",
      ...out.map(
        (r) => `| \`${r.path}\` | ${cell(r.type)} | ${r.required ? "yes" : ""} | ${cell(r.description)} |`,
      ),
    ].join("\n"),
  ]
    .filter((block) => block !== "")
    .join("\n\n");
}

function kindSection(crd: JsonObject): string {
  const spec = crd.spec as JsonObject;
  const names = spec.names as { kind: string; plural: string; shortNames?: string[] };
  const version = (spec.versions as JsonObject[])[0] as JsonObject;
  const root = (version.schema as unknown as { openAPIV3Schema: Schema }).openAPIV3Schema;
  const columns =
    (version.additionalPrinterColumns as { name: string; jsonPath: string }[] | undefined) ?? [];
  const rules: string[] = [];
  objectRules(root.properties?.spec ?? {}, "spec", rules);
  const parts = [
    `## ${names.kind}`,
    `\`apiVersion: ${API_GROUP}/${String(version.name)}\`, namespaced; \`kubectl get ${names.plural}\`` +
      (names.shortNames?.length ? ` (short: ${names.shortNames.map((n) => `\`${n}\``).join(", ")})` : "") +
      ".",
    root.description ?? "",
    table("spec", root.properties?.spec, "spec"),
    rules.length > 0
      ? `Rules that involve several fields (checked by the API server and by \`infra-operator validate\`):\n\n${rules.join("\n")}`
      : "",
    table("status", root.properties?.status, "status"),
    columns.length > 0
      ? `Columns of \`kubectl get ${names.plural}\`: ${columns.map((c) => `${c.name} (\`${c.jsonPath}\`)`).join(", ")}.`
      : "",
  ];
  return parts.filter((p) => p !== "").join("\n\n");
}

function annotationSection(): string {
  return [
    "## Annotations on other objects",
    [
      "| Annotation | On | Meaning |",
      "| --- | --- | --- |",
      ...documentedAnnotations.map((a) => `| \`${a.name}\` | ${a.on} | ${cell(a.description)} |`),
    ].join("\n"),
  ].join("\n\n");
}

export function referenceMarkdown(): string {
  const crds = allCrds();
  const sections = kinds.map((_, i) => kindSection(crds[i] as JsonObject));
  const intro = [
    "<!-- Generated by `npm run generate` from src/api/ (the CRD schemas). Do not edit. -->",
    "# API reference",
    "",
    "Every field of each kind, as the CRDs define them (the API server enforces exactly this).",
    "Descriptions, defaults, limits and validation messages come from the schemas in `src/api/`.",
  ].join("\n");
  return `${[intro, ...sections, annotationSection()].join("\n\n")}\n`;
}
