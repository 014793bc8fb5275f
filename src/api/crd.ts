// Builds CustomResourceDefinitions from the zod schemas. The output must be a structural
// schema (Kubernetes refuses $ref, const, allOf/anyOf/oneOf, propertyNames, additionalProperties: false
// next to properties), so zod's JSON Schema is checked and trimmed here, never patched by hand.
import { z } from "zod";
import { CATEGORY, type KindDefinition, kinds } from "./kinds.ts";
import { API_GROUP, API_VERSION } from "./shared.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const FORBIDDEN = ["$ref", "$defs", "definitions", "const", "allOf", "anyOf", "oneOf", "not", "prefixItems"];
const DROPPED = ["$schema", "propertyNames", "id"];

/** zod -> OpenAPI v3 structural schema. Throws on anything Kubernetes would refuse. */
export function structuralSchema(schema: z.ZodType, where: string): JsonObject {
  const json = z.toJSONSchema(schema, {
    target: "openapi-3.0",
    io: "input",
    unrepresentable: "throw",
    reused: "inline",
    cycles: "throw",
  }) as JsonObject;
  return clean(json, where);
}

function clean(node: JsonObject, where: string): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (FORBIDDEN.includes(key))
      throw new Error(`${where}: "${key}" is not allowed in a structural CRD schema`);
    if (DROPPED.includes(key)) continue;
    if (key === "additionalProperties" && value === false) continue;
    // z.int() adds +/- Number.MAX_SAFE_INTEGER bounds: noise in a CRD.
    if ((key === "minimum" || key === "maximum") && Math.abs(value as number) === Number.MAX_SAFE_INTEGER)
      continue;
    if (key === "properties") {
      const props: JsonObject = {};
      for (const [name, sub] of Object.entries(value as JsonObject)) {
        props[name] = clean(sub as JsonObject, `${where}.${name}`);
      }
      out[key] = props;
    } else if (key === "items" || (key === "additionalProperties" && typeof value === "object")) {
      out[key] = clean(value as JsonObject, `${where}[]`);
    } else {
      out[key] = value;
    }
  }
  return out;
}

export function crdFor(def: KindDefinition): JsonObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${def.plural}.${API_GROUP}` },
    spec: {
      group: API_GROUP,
      scope: def.scope ?? "Namespaced",
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        shortNames: def.shortNames,
        categories: [CATEGORY],
      },
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: def.printerColumns as unknown as Json,
          schema: {
            openAPIV3Schema: {
              type: "object",
              description: def.description,
              required: ["spec"],
              properties: {
                apiVersion: { type: "string" },
                kind: { type: "string" },
                metadata: { type: "object" },
                spec: structuralSchema(def.spec, `${def.kind}.spec`),
                status: structuralSchema(def.status, `${def.kind}.status`),
              },
            },
          },
        },
      ],
    },
  };
}

export function allCrds(): JsonObject[] {
  return kinds.map(crdFor);
}

/** The openAPIV3Schema of a kind (what the API server validates with). */
export function openApiSchemaOf(def: KindDefinition): JsonObject {
  const version = ((crdFor(def).spec as JsonObject).versions as JsonObject[])[0] as JsonObject;
  return (version.schema as JsonObject).openAPIV3Schema as JsonObject;
}

export type { Json, JsonObject };
