// Where the operator finds its cluster, and the API client the kit uses.
//
// Order: an explicit --kubeconfig path, then the in-cluster service account (when running in a
// pod), then KUBECONFIG (its first file) or ~/.kube/config. In a pod that is what people expect;
// outside one the developer's current context is used.

import { existsSync } from "node:fs";
import path from "node:path";
import {
  defaultKubeconfigPath,
  inClusterConfig,
  type KubeConfig,
  kubeConfigFromFile,
  SERVICE_ACCOUNT_DIR,
} from "./kubeconfig.ts";
import type { RateLimit } from "./rate-limit.ts";
import { KubeRest } from "./rest.ts";

export interface KubeConfigSource {
  /** The --kubeconfig flag. */
  path?: string | undefined;
  /** A context other than the file's current-context (not used in a pod). */
  context?: string | undefined;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to the real service-account folder (token, ca.crt, namespace); tests point it elsewhere. */
  serviceAccountDir?: string;
  /** Where ~/.kube/config is looked for when HOME is unset; defaults to os.homedir(). */
  homeDir?: string;
}

export interface LoadedKubeConfig {
  config: KubeConfig;
  /** Which source was used: "flag", "in-cluster" or "default" (KUBECONFIG / ~/.kube/config). */
  source: "flag" | "in-cluster" | "default";
  /** True when running in a pod (leader election defaults on there). */
  inCluster: boolean;
}

export function loadKubeConfig(from: KubeConfigSource = {}): LoadedKubeConfig {
  const env = from.env ?? process.env;
  const saDir = from.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const inCluster = Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync(path.join(saDir, "token"));
  if (from.path) {
    if (!existsSync(from.path)) {
      throw new Error(
        `kubeconfig ${from.path} (--kubeconfig) does not exist: pass the path of a readable file`,
      );
    }
    return { config: kubeConfigFromFile(from.path, from.context), source: "flag", inCluster };
  }
  if (inCluster) return { config: inClusterConfig(env, saDir), source: "in-cluster", inCluster };
  const file = defaultKubeconfigPath(env, from.homeDir);
  if (!existsSync(file)) {
    throw new Error(
      `no Kubernetes cluster configured (${file} does not exist): pass --kubeconfig, set KUBECONFIG, ` +
        "run inside a cluster, or create ~/.kube/config with a current-context",
    );
  }
  return { config: kubeConfigFromFile(file, from.context), source: "default", inCluster };
}

export interface KubeClients {
  config: KubeConfig;
  /** Any resource, built-in or custom; what the kit itself uses. */
  rest: KubeRest;
}

export function makeKubeClients(config: KubeConfig, options: { rateLimit?: RateLimit } = {}): KubeClients {
  return { config, rest: new KubeRest(config, options) };
}
