// A kind's spec as admitted by the API server, typed with its zod schema (structure and defaults;
// the CEL rules were checked at admission).
import type { z } from "zod";
import { InvalidObjectError } from "../api/object-schemas.ts";

export function parseSpecWith<T>(schema: z.ZodType<T>, kind: string): (spec: unknown) => T {
  return (spec) => {
    const result = schema.safeParse(spec);
    if (result.success) return result.data;
    const problems = result.error.issues.map((i) => `spec.${i.path.join(".")}: ${i.message}`);
    throw new InvalidObjectError(`${kind} spec`, problems);
  };
}
