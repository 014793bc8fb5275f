// A fresh namespace per test, so tests never see each other's objects.
// Namespaces are not deleted afterwards: the test control plane runs no namespace controller, so
// a deleted namespace would stay Terminating forever; the whole control plane goes at the end.
import { randomBytes } from "node:crypto";
import { kubectlOk } from "./kubectl.ts";

/** Creates `t-<random>` (or `<prefix>-<random>`) and returns its name. */
export async function createTestNamespace(prefix = "t"): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString("hex")}`;
  await kubectlOk(["create", "namespace", name]);
  return name;
}
