// The three operators the comparison runs, each described the same way: its CRDs, the objects a
// user applies for N caches, when an object counts as Ready, and how to start it against one
// control plane, one namespace and one local cloud account. Peers come from bench/peers/build.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { usage as runUsage } from "../../src/cli/commands/run.ts";
import type { ResourceType } from "../../src/kube/index.ts";
import { crdFiles } from "../../test/support/crds.ts";
import { kubectlOk } from "../../test/support/kubectl.ts";
import { freePort, startOperatorProcess } from "../../test/support/operator.ts";
import { repoPath } from "../../test/support/paths.ts";
import { parseDockerfile } from "../../tools/image/dockerfile-config.ts";
import { type BenchAccount, REGION } from "./cloud.ts";
import { type RunningProcess, startProcess } from "./process.ts";

export type ContenderId = "ours" | "ack" | "go";

export interface PhaseContext {
  kubeconfig: string;
  namespace: string;
  cloudUrl: string;
  account: BenchAccount;
  /** Extra flags for this operator (e.g. ours' polling periods). */
  extraArgs: string[];
}

export interface KubeObj {
  metadata: { name: string; namespace?: string };
  status?: Record<string, unknown>;
}

export interface Contender {
  id: ContenderId;
  label: string;
  crdFiles(): string[];
  resource: ResourceType;
  manifest(name: string): Record<string, unknown>;
  isReady(obj: KubeObj): boolean;
  /** Credentials and provider objects, before the operator starts. */
  prepare(ctx: PhaseContext): Promise<void>;
  start(ctx: PhaseContext): Promise<RunningProcess>;
  /** After start: waits until the operator can act (its provider Ready, where it has one). */
  ready(ctx: PhaseContext): Promise<void>;
}

export const peersDir = repoPath(".cache", "peers");
const GROUP = "aws-infra-operator.runner.codes";
const MEMCACHED_VERSION = "1.6.22";

async function applyJson(kubeconfig: string, namespace: string, obj: unknown): Promise<void> {
  await kubectlOk(["apply", "-n", namespace, "-f", "-"], { kubeconfig, input: JSON.stringify(obj) });
}

async function credentialsSecret(ctx: PhaseContext, name: string): Promise<void> {
  await applyJson(ctx.kubeconfig, ctx.namespace, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name },
    type: "Opaque",
    stringData: {
      "access-key-id": ctx.account.accessKeyId,
      "secret-access-key": ctx.account.secretAccessKey,
    },
  });
}

/** The AWSProvider both infra-operators read (the Go one's fields are a subset of ours). */
async function awsProvider(ctx: PhaseContext): Promise<void> {
  await credentialsSecret(ctx, "bench-credentials");
  await applyJson(ctx.kubeconfig, ctx.namespace, {
    apiVersion: `${GROUP}/v1alpha1`,
    kind: "AWSProvider",
    metadata: { name: "bench-aws" },
    spec: {
      region: REGION,
      endpoint: ctx.cloudUrl,
      accessKeyIDRef: { name: "bench-credentials", key: "access-key-id" },
      secretAccessKeyRef: { name: "bench-credentials", key: "secret-access-key" },
    },
  });
}

async function waitProviderReady(ctx: PhaseContext): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const out = await kubectlOk(
      ["get", "awsprovider", "bench-aws", "-n", ctx.namespace, "-o", "jsonpath={.status.ready}"],
      { kubeconfig: ctx.kubeconfig },
    ).catch(() => "");
    if (out.trim() === "true") return;
    if (Date.now() > deadline)
      throw new Error(`AWSProvider ${ctx.namespace}/bench-aws not Ready after 120 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) throw new Error(`${dir} is missing: run bench/peers/build first`);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => path.join(dir, f));
}

async function logFile(id: string): Promise<string> {
  return path.join(await mkdtemp(path.join(os.tmpdir(), `bench-${id}-`)), "operator.log");
}

const infraCluster: ResourceType = {
  group: GROUP,
  version: "v1alpha1",
  plural: "elasticacheclusters",
  namespaced: true,
  kind: "ElastiCacheCluster",
};

function infraManifest(name: string): Record<string, unknown> {
  return {
    apiVersion: `${GROUP}/v1alpha1`,
    kind: "ElastiCacheCluster",
    metadata: { name },
    spec: {
      providerRef: { name: "bench-aws" },
      clusterID: name,
      engine: "memcached",
      engineVersion: MEMCACHED_VERSION,
      nodeType: "cache.t3.micro",
      numCacheNodes: 1,
      deletionPolicy: "Delete",
    },
  };
}

/** Node's flags in the image: what sits between "node" and the entry in its ENTRYPOINT. */
export function imageNodeArgs(): string[] {
  const entrypoint = parseDockerfile(readFileSync(repoPath("Dockerfile"), "utf8")).entrypoint;
  return entrypoint.slice(1, entrypoint.indexOf("dist/cli/main.js"));
}

export function ours(options: { entry?: string; label?: string; nodeArgs?: string[] } = {}): Contender {
  return {
    id: "ours",
    label: options.label ?? "infra-operator (this repository)",
    crdFiles: () => crdFiles(),
    resource: infraCluster,
    manifest: infraManifest,
    isReady: (obj) => obj.status?.ready === true,
    prepare: awsProvider,
    start: async (ctx) => {
      const op = await startOperatorProcess({
        kubeconfig: ctx.kubeconfig,
        namespace: ctx.namespace,
        allowedEndpoints: [ctx.cloudUrl],
        // The defaults users get, except where the benchmark passes its own flags.
        resyncPeriod: flagValue(ctx.extraArgs, "--resync-period") ?? defaultOf("resync-period"),
        tokenRotationGrace: "60s",
        extraArgs: withoutFlag(ctx.extraArgs, "--resync-period"),
        ...(options.entry ? { entry: options.entry } : {}),
        ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
      });
      return {
        pid: op.pid,
        logFile: op.logFile,
        log: op.log,
        exited: op.exited,
        stop: async () => {
          await op.stop();
        },
      };
    },
    ready: waitProviderReady,
  };
}

/** Whether our operator has this flag (`infra-operator run --help`). */
export function hasFlag(flag: string): boolean {
  return runUsage.includes(`--${flag} `);
}

/** Our operator's default for a flag, as `infra-operator run --help` states it. */
export function defaultOf(flag: string): string {
  const m = new RegExp(`--${flag} DURATION\\s[\\s\\S]*?\\(default (\\d+[smh])`).exec(runUsage);
  if (!m?.[1]) throw new Error(`cannot find the default of --${flag} in the run command's usage`);
  return m[1];
}

function flagValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`${flag}=`));
  return eq?.slice(flag.length + 1);
}

function withoutFlag(args: string[], flag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) i++;
    else if (!args[i]?.startsWith(`${flag}=`)) out.push(args[i] as string);
  }
  return out;
}

export const ack: Contender = {
  id: "ack",
  label: "ACK elasticache-controller v1.8.0",
  crdFiles: () => yamlFiles(path.join(peersDir, "ack", "crds")),
  resource: {
    group: "elasticache.services.k8s.aws",
    version: "v1alpha1",
    plural: "cacheclusters",
    namespaced: true,
    kind: "CacheCluster",
  },
  manifest: (name) => ({
    apiVersion: "elasticache.services.k8s.aws/v1alpha1",
    kind: "CacheCluster",
    metadata: { name },
    spec: {
      cacheClusterID: name,
      engine: "memcached",
      engineVersion: MEMCACHED_VERSION,
      cacheNodeType: "cache.t3.micro",
      numCacheNodes: 1,
    },
  }),
  isReady: (obj) => {
    const conditions = (obj.status?.conditions ?? []) as { type?: string; status?: string }[];
    return (
      obj.status?.cacheClusterStatus === "available" &&
      conditions.some((c) => c.type === "ACK.ResourceSynced" && c.status === "True")
    );
  },
  prepare: async () => {},
  start: async (ctx) => {
    const [metrics, health] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KUBECONFIG: ctx.kubeconfig,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: ctx.account.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ctx.account.secretAccessKey,
    };
    delete env.AWS_CA_BUNDLE;
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    return startProcess({
      program: path.join(peersDir, "ack", "bin", "controller"),
      args: [
        "--aws-region",
        REGION,
        "--aws-endpoint-url",
        ctx.cloudUrl,
        "--aws-identity-endpoint-url",
        ctx.cloudUrl,
        "--allow-unsafe-aws-endpoint-urls",
        "--watch-namespace",
        ctx.namespace,
        "--metrics-addr",
        `127.0.0.1:${metrics}`,
        "--healthz-addr",
        `127.0.0.1:${health}`,
        "--enable-leader-election=false",
        "--log-level",
        "info",
        ...ctx.extraArgs,
      ],
      env,
      logFile: await logFile("ack"),
      healthUrl: `http://127.0.0.1:${health}/healthz`,
    });
  },
  ready: async () => {},
};

export const goOperator: Contender = {
  id: "go",
  label: "original Go infra-operator (bf53ff5)",
  crdFiles: () => yamlFiles(path.join(peersDir, "go-operator", "crds")),
  resource: infraCluster,
  manifest: infraManifest,
  isReady: (obj) => obj.status?.ready === true,
  prepare: awsProvider,
  start: async (ctx) => {
    const [metrics, health] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: ctx.kubeconfig };
    for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_CA_BUNDLE", "AWS_PROFILE"])
      delete env[k];
    return startProcess({
      program: path.join(peersDir, "go-operator", "bin", "infra.operator"),
      args: [
        "--metrics-bind-address",
        `127.0.0.1:${metrics}`,
        "--health-probe-bind-address",
        `127.0.0.1:${health}`,
        "--leader-elect=false",
        ...ctx.extraArgs,
      ],
      env,
      logFile: await logFile("go"),
      healthUrl: `http://127.0.0.1:${health}/healthz`,
    });
  },
  ready: waitProviderReady,
};
