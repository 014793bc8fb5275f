// Names as Kubernetes accepts them, so the standalone CLI refuses what the API server would:
// object names are DNS-1123 subdomains (≤253, lowercase alphanumerics, '-' and '.'), namespaces
// DNS-1123 labels (≤63, no '.'). This is also what keeps names safe to use in state file paths.
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `value` is not a valid object name, or undefined when it is. */
export function nameProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return "metadata.name: required";
  if (value.length > 253 || !SUBDOMAIN.test(value)) {
    return `metadata.name: "${printable(value)}" must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Why `value` is not a valid namespace, or undefined when it is. */
export function namespaceProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 63 || !LABEL.test(value)) {
    return `metadata.namespace: "${printable(String(value))}" must be a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`;
  }
  return undefined;
}

export function isName(value: unknown): value is string {
  return nameProblem(value) === undefined;
}

export function isNamespace(value: unknown): value is string {
  return namespaceProblem(value) === undefined;
}

/** Quoted in one line, whatever the file held (newlines, terminal escapes, a megabyte). */
function printable(value: string): string {
  const shown = JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  return shown.slice(1, -1);
}
