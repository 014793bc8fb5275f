// One measured phase: one operator, N caches, its own fresh control plane, namespace and local
// cloud account. Apply N objects in one `kubectl apply`, wait for all Ready (watched), then count
// a steady window. Calls are the local cloud's counts for the phase's access key only; CPU and
// memory come from /proc of the operator process; a sample every second feeds the plots.

import { countDelta, sum } from "../../test/support/bench/stats.ts";
import { type ControlPlane, startControlPlane } from "../../test/support/controlplane.ts";
import { kubectlOk } from "../../test/support/kubectl.ts";
import type { BenchAccount, CloudProcess } from "./cloud.ts";
import type { Contender, PhaseContext } from "./contenders.ts";
import { mustProcStats, procStats } from "./proc.ts";
import type { RunningProcess } from "./process.ts";
import { watchReady } from "./ready-watch.ts";

export interface Sample {
  /** Seconds since the apply started. */
  t: number;
  ready: number;
  /** The phase key's calls since the apply started. */
  calls: number;
  rssMiB: number;
}

export interface PhaseResult {
  contender: string;
  label: string;
  n: number;
  applySeconds: number;
  /** Seconds from the apply's start to the last object Ready; undefined when not all were. */
  allReadySeconds: number | undefined;
  readyCount: number;
  createCalls: Record<string, number>;
  createCpuSeconds: number;
  cloudCreateCpuSeconds: number;
  steadyWindowSeconds: number;
  steadyCalls: Record<string, number>;
  steadyCpuSeconds: number;
  peakRssMiB: number;
  samples: Sample[];
  logFile: string;
}

export interface PhaseOptions {
  contender: Contender;
  n: number;
  cloud: CloudProcess;
  account: BenchAccount;
  extraArgs?: string[];
  readyTimeoutMs: number;
  settleMs: number;
  steadyMs: number;
  log(line: string): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function cacheName(i: number): string {
  return `bench-${String(i).padStart(5, "0")}`;
}

export async function installCrdFiles(kubeconfig: string, files: string[]): Promise<void> {
  const applied = await kubectlOk(
    ["apply", "--server-side", "--field-manager=bench", "-o", "name", ...files.flatMap((f) => ["-f", f])],
    { kubeconfig, timeoutMs: 120_000 },
  );
  const names = applied
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("customresourcedefinition"));
  await kubectlOk(["wait", "--for=condition=Established", "--timeout=90s", ...names], {
    kubeconfig,
    timeoutMs: 120_000,
  });
}

/** Applies objects in one `kubectl apply` of a List per chunk, `parallel` chunks at a time. */
export async function applyObjects(
  kubeconfig: string,
  namespace: string,
  items: Record<string, unknown>[],
  options: { chunk?: number; parallel?: number } = {},
): Promise<void> {
  const chunk = options.chunk ?? items.length;
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += chunk) chunks.push(items.slice(i, i + chunk));
  const next = { i: 0 };
  const worker = async () => {
    for (let c = next.i++; c < chunks.length; c = next.i++) {
      const input = JSON.stringify({ apiVersion: "v1", kind: "List", items: chunks[c] });
      await kubectlOk(["apply", "-n", namespace, "-f", "-"], { kubeconfig, input, timeoutMs: 1_800_000 });
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 1 }, worker));
}

/** startControlPlane, tried up to three times (a start can fail on a busy shared machine). */
export async function startControlPlaneRetrying(log: (line: string) => void): Promise<ControlPlane> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startControlPlane();
    } catch (err) {
      if (attempt >= 3) throw err;
      log(
        `control plane start failed (attempt ${attempt}), retrying: ${(err as Error).message.split("\n")[0]}`,
      );
      await sleep(5000);
    }
  }
}

export async function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const { contender: c, n, cloud, account, log } = options;
  log(`phase ${c.id} N=${n}: starting a control plane`);
  const cp: ControlPlane = await startControlPlaneRetrying(log);
  let op: RunningProcess | undefined;
  try {
    await installCrdFiles(cp.kubeconfig, c.crdFiles());
    const namespace = `bench-${c.id}-${n}`;
    await kubectlOk(["create", "namespace", namespace], { kubeconfig: cp.kubeconfig });
    const ctx: PhaseContext = {
      kubeconfig: cp.kubeconfig,
      namespace,
      cloudUrl: cloud.url,
      account,
      extraArgs: options.extraArgs ?? [],
    };
    await c.prepare(ctx);
    op = await c.start(ctx);
    await c.ready(ctx);
    const watch = await watchReady({
      kubeconfig: cp.kubeconfig,
      namespace,
      resource: c.resource,
      isReady: c.isReady,
    });
    const key = account.accessKeyId;
    const callsOf = async () => (await cloud.calls()).byAccessKeyAction?.[key] ?? {};
    const before = await callsOf();
    const cpu0 = mustProcStats(op.pid).cpuSeconds;
    const cloudCpu0 = procStats(cloud.pid)?.cpuSeconds ?? 0;
    const items = Array.from({ length: n }, (_, i) => c.manifest(cacheName(i)));
    const samples: Sample[] = [];
    const t0 = Date.now();
    let sampling = true;
    const pid = op.pid;
    const sampler = (async () => {
      while (sampling) {
        const calls = sum(countDelta(await callsOf().catch(() => before), before));
        samples.push({
          t: (Date.now() - t0) / 1000,
          ready: watch.readyAt.size,
          calls,
          rssMiB: procStats(pid)?.rssMiB ?? 0,
        });
        await sleep(1000);
      }
    })();
    log(`phase ${c.id} N=${n}: applying`);
    await applyObjects(cp.kubeconfig, namespace, items);
    const applySeconds = (Date.now() - t0) / 1000;
    const all = await watch.waitAllReady(n, options.readyTimeoutMs);
    const readyAt = Math.max(...watch.readyAt.values());
    const allReadySeconds = all ? (readyAt - t0) / 1000 : undefined;
    const createCalls = countDelta(await callsOf(), before);
    const cpu1 = mustProcStats(op.pid).cpuSeconds;
    const cloudCpu1 = procStats(cloud.pid)?.cpuSeconds ?? 0;
    log(
      `phase ${c.id} N=${n}: ${watch.readyAt.size}/${n} Ready after ${allReadySeconds ?? "(timeout)"} s, ${sum(createCalls)} calls; steady window next`,
    );
    await sleep(options.settleMs);
    const steady0 = await callsOf();
    const steadyCpu0 = mustProcStats(op.pid).cpuSeconds;
    const w0 = Date.now();
    await sleep(options.steadyMs);
    const steadyCalls = countDelta(await callsOf(), steady0);
    const steadyWindowSeconds = (Date.now() - w0) / 1000;
    const end = mustProcStats(op.pid);
    sampling = false;
    await sampler;
    await watch.stop();
    log(`phase ${c.id} N=${n}: steady ${sum(steadyCalls)} calls in ${steadyWindowSeconds.toFixed(0)} s`);
    return {
      contender: c.id,
      label: c.label,
      n,
      applySeconds,
      allReadySeconds,
      readyCount: watch.readyAt.size,
      createCalls,
      createCpuSeconds: cpu1 - cpu0,
      cloudCreateCpuSeconds: cloudCpu1 - cloudCpu0,
      steadyWindowSeconds,
      steadyCalls,
      steadyCpuSeconds: end.cpuSeconds - steadyCpu0,
      peakRssMiB: end.peakRssMiB,
      samples,
      logFile: op.logFile,
    };
  } finally {
    await op?.stop();
    await cp.stop();
  }
}
