// Where the standalone CLI keeps its state: --state-dir, else $INFRA_OPERATOR_STATE_DIR, else
// ~/.infra-operator.
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export function stateDirFrom(flag: string | undefined, env = process.env): string {
  if (flag) return resolve(flag);
  if (env.INFRA_OPERATOR_STATE_DIR) return resolve(env.INFRA_OPERATOR_STATE_DIR);
  return join(homedir(), ".infra-operator");
}
