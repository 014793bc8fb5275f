// Small manifests for the CLI tests, written into a state dir's folder.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export function provider(name: string, extra = ""): string {
  return `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: AWSProvider
metadata:
  name: ${name}
  namespace: default
spec:
  region: us-east-1
  endpoint: local
${extra}`;
}

export function cluster(name: string, clusterID: string, spec: string): string {
  return `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ElastiCacheCluster
metadata:
  name: ${name}
  namespace: default
spec:
  providerRef:
    name: local-test
  clusterID: ${clusterID}
${spec
  .trim()
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}
`;
}

export function writeManifest(dir: string, file: string, ...documents: string[]): string {
  const path = join(dir, file);
  writeFileSync(path, documents.join("---\n"));
  return path;
}
