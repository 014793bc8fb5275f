// Annotations the operator reads on objects that are not its own kinds, documented in
// docs/reference.md with the fields (generate-reference.ts renders this list).
import { API_GROUP } from "./shared.ts";

/** On a Secret: comma-separated namespaces whose ElastiCacheClusters may use it as `authTokenRef`. */
export const SHARED_WITH_ANNOTATION = `${API_GROUP}/shared-with-namespaces`;

export interface DocumentedAnnotation {
  name: string;
  /** The kind of object it goes on. */
  on: string;
  description: string;
}

export const documentedAnnotations: DocumentedAnnotation[] = [
  {
    name: SHARED_WITH_ANNOTATION,
    on: "Secret",
    description:
      "Comma-separated namespaces whose ElastiCacheClusters may name this Secret in `spec.authTokenRef` from another namespace. The operator must also run with `--allow-cross-namespace-secrets`; without both, the cluster reports `SecretNotShared` (or `InvalidSpec` without the flag). Example: `team-a,team-b`.",
  },
];
