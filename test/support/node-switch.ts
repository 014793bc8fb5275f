// Whether the real-node suite (test/e2e/node/) runs here: as root with INFRA_OPERATOR_NODE_TESTS=1
// (scripts/setup then installs its packages). Not on by default until a duplicate CreateCacheCluster
// seen once in its kustomize test is understood (docs/node-tests.md).
// Kept apart from node.ts so that test/run.ts can ask without loading the node's machinery.

/** Why the node tests cannot run here, or undefined when they can. */
export function nodeTestsSkipReason(): string | undefined {
  if (process.env.INFRA_OPERATOR_NODE_TESTS !== "1")
    return "the real-node suite runs with INFRA_OPERATOR_NODE_TESTS=1 (docs/node-tests.md)";
  if (process.getuid?.() !== 0)
    return "the real-node suite needs root (network namespace, cgroups, containerd; docs/node-tests.md)";
  return undefined;
}
