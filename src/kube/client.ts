// Where the operator finds its cluster, and the API clients the kit uses.
//
// Order: an explicit --kubeconfig path, then the in-cluster service account (when running in a
// pod), then KUBECONFIG or ~/.kube/config. In a pod that is what people expect; outside one the
// developer's current context is used.
import { existsSync } from "node:fs";
import { CoordinationV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { KubeRest } from "./rest.ts";

const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export interface KubeConfigSource {
  /** The --kubeconfig flag. */
  path?: string | undefined;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to the real service-account token path; tests point it elsewhere. */
  serviceAccountTokenPath?: string;
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
  const config = new KubeConfig();
  const inCluster =
    Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync(from.serviceAccountTokenPath ?? SERVICE_ACCOUNT_TOKEN);
  let source: LoadedKubeConfig["source"];
  if (from.path) {
    if (!existsSync(from.path)) {
      throw new Error(
        `kubeconfig ${from.path} (--kubeconfig) does not exist: pass the path of a readable file`,
      );
    }
    config.loadFromFile(from.path);
    source = "flag";
  } else if (inCluster) {
    config.loadFromCluster();
    source = "in-cluster";
  } else {
    const previous = process.env.KUBECONFIG;
    // loadFromDefault reads process.env; honour an injected environment.
    if (from.env) process.env.KUBECONFIG = env.KUBECONFIG;
    try {
      config.loadFromDefault();
    } finally {
      if (from.env) restoreEnv("KUBECONFIG", previous);
    }
    source = "default";
  }
  const cluster = config.getCurrentCluster();
  if (cluster === null || !cluster.server) {
    throw new Error(
      "no Kubernetes cluster configured: pass --kubeconfig, set KUBECONFIG, run inside a cluster, " +
        "or create ~/.kube/config with a current-context",
    );
  }
  return { config, source, inCluster };
}

export interface KubeClients {
  config: KubeConfig;
  /** Any resource, built-in or custom; what the kit itself uses. */
  rest: KubeRest;
  /** Typed core/v1 client (Secrets, Namespaces, ...) for controllers that prefer typed models. */
  core: CoreV1Api;
  /** Typed coordination.k8s.io/v1 client (Leases). */
  coordination: CoordinationV1Api;
}

export function makeKubeClients(config: KubeConfig): KubeClients {
  return {
    config,
    rest: new KubeRest(config),
    core: config.makeApiClient(CoreV1Api),
    coordination: config.makeApiClient(CoordinationV1Api),
  };
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
