// Whether the real-node suite (test/e2e/node/) runs here. It does by default as root, where
// scripts/setup installs its packages; INFRA_OPERATOR_NODE_TESTS=0 turns it off (a quicker run).
// Kept apart from node.ts so that test/run.ts can ask without loading the node's machinery.

/** Why the node tests cannot run here, or undefined when they can. */
export function nodeTestsSkipReason(): string | undefined {
  if (process.env.INFRA_OPERATOR_NODE_TESTS === "0")
    return "the real-node suite is off (INFRA_OPERATOR_NODE_TESTS=0; docs/node-tests.md)";
  if (process.getuid?.() !== 0)
    return "the real-node suite needs root (network namespace, cgroups, containerd; docs/node-tests.md)";
  return undefined;
}
