// `infra-operator dev`: the whole Kubernetes flow on one machine: the test control plane (built if
// needed), the local cloud, the CRDs, an AWSProvider "localstack" (+ Secret aws-credentials,
// test/test) pointing at the local cloud so the documentation's manifests work unchanged, and the
// operator in the background. Everything's pid and log lives in DIR; `dev down` stops it all.
import { spawn, spawnSync } from "node:child_process";
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.ts";
import { ensureLocalCloud, stopLocalCloud } from "./local-cloud-daemon.ts";
import { UserError } from "./user-error.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "infra-operator.js");
const CONTROLPLANE = join(ROOT, "tools", "controlplane");

export interface DevPaths {
  dir: string;
  controlplane: string;
  kubeconfig: string;
  operatorPid: string;
  operatorLog: string;
}

export function devPaths(dir: string): DevPaths {
  const controlplane = join(dir, "controlplane");
  return {
    dir,
    controlplane,
    kubeconfig: join(controlplane, "kubeconfig"),
    operatorPid: join(dir, "operator.pid"),
    operatorLog: join(dir, "operator.log"),
  };
}

export async function devUp(dir: string, log: (line: string) => void): Promise<DevPaths> {
  const paths = devPaths(dir);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(CONTROLPLANE, "up"))) {
    throw new UserError(`dev needs a source checkout (tools/controlplane is missing under ${ROOT})`);
  }
  if (pidAlive(paths.operatorPid)) {
    throw new UserError(
      `a dev stack already runs in ${dir}: stop it with \`infra-operator dev down --dir ${dir}\``,
    );
  }
  log("building the test control plane if needed (the first build takes several minutes)...");
  script("build", []);
  log("starting the test control plane...");
  script("up", [paths.controlplane]);
  try {
    const cloud = await ensureLocalCloud(dir, log);
    const kubectl = findKubectl();
    log("applying the CRDs...");
    const crds = spawnSync(process.execPath, [BIN, "crds"], { encoding: "utf8" });
    if (crds.status !== 0) throw new UserError(`infra-operator crds failed: ${crds.stderr.trim()}`);
    run(kubectl, ["--kubeconfig", paths.kubeconfig, "apply", "-f", "-"], crds.stdout);
    run(kubectl, [
      "--kubeconfig",
      paths.kubeconfig,
      "wait",
      "--for=condition=Established",
      "--timeout=60s",
      "crd/awsproviders.aws-infra-operator.runner.codes",
      "crd/clusterawsproviders.aws-infra-operator.runner.codes",
      "crd/elasticacheclusters.aws-infra-operator.runner.codes",
    ]);
    run(kubectl, ["--kubeconfig", paths.kubeconfig, "apply", "-f", "-"], localProvider(cloud.url));
    log(`AWSProvider default/localstack points at the local cloud (${cloud.url})`);
    const metricsPort = await freePort();
    const out = openSync(paths.operatorLog, "a");
    const operator = spawn(
      process.execPath,
      [
        BIN,
        "run",
        "--kubeconfig",
        paths.kubeconfig,
        "--leader-elect=false",
        "--metrics-bind-address",
        `127.0.0.1:${metricsPort}`,
        "--log-format",
        "text",
        // The local cloud this stack started, and the documentation's providers in default.
        "--allowed-endpoints",
        cloud.url,
        "--operator-identity-namespaces",
        "default",
      ],
      { detached: true, stdio: ["ignore", out, out] },
    );
    closeSync(out);
    operator.unref();
    writeFileSync(paths.operatorPid, `${operator.pid}\n`);
    log(`operator running (pid ${operator.pid}, log ${paths.operatorLog}, metrics 127.0.0.1:${metricsPort})`);
  } catch (err) {
    await devDown(dir, () => {});
    throw err;
  }
  return paths;
}

/** Stops the operator, the local cloud and the control plane of DIR; safe to run twice. */
export async function devDown(dir: string, log: (line: string) => void): Promise<void> {
  const paths = devPaths(dir);
  const pid = readPid(paths.operatorPid);
  if (pid !== undefined && isAlive(pid)) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + 20_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
    log(`stopped the operator (pid ${pid})`);
  }
  rmSync(paths.operatorPid, { force: true });
  const cloud = await stopLocalCloud(dir);
  if (cloud !== undefined) log(`stopped the local cloud (pid ${cloud}) and its engines`);
  if (existsSync(paths.controlplane)) {
    spawnSync(join(CONTROLPLANE, "down"), [paths.controlplane], { stdio: ["ignore", "ignore", "inherit"] });
    log("stopped the test control plane");
  }
}

function localProvider(url: string): string {
  return `apiVersion: v1
kind: Secret
metadata:
  name: aws-credentials
  namespace: default
type: Opaque
stringData:
  access-key-id: test
  secret-access-key: test
---
apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: AWSProvider
metadata:
  name: localstack
  namespace: default
spec:
  region: us-east-1
  endpoint: ${url}
  accessKeyIDRef:
    name: aws-credentials
    key: access-key-id
  secretAccessKeyRef:
    name: aws-credentials
    key: secret-access-key
  defaultTags:
    managed-by: infra-operator
    environment: test
`;
}

function script(name: string, args: string[]): string {
  const r = spawnSync(join(CONTROLPLANE, name), args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status !== 0) {
    throw new UserError(
      `tools/controlplane/${name} failed (exit ${r.status ?? r.signal}); see its messages above`,
    );
  }
  return r.stdout;
}

function run(program: string, args: string[], input?: string): void {
  const r = spawnSync(program, args, { encoding: "utf8", input, timeout: 90_000 });
  if (r.error) throw new UserError(`cannot run ${program}: ${r.error.message}`);
  if (r.status !== 0) throw new UserError(`${program} ${args.slice(2).join(" ")} failed: ${r.stderr.trim()}`);
}

/** kubectl on PATH, else the one tools/controlplane/build makes on machines without one. */
export function findKubectl(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && executable(join(dir, "kubectl"))) return join(dir, "kubectl");
  }
  const built = join(ROOT, ".cache", "controlplane", "bin", "kubectl");
  if (executable(built)) return built;
  throw new UserError(
    "kubectl not found: install it (e.g. 'apt-get install kubernetes-client') or run tools/controlplane/build, which builds one",
  );
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function pidAlive(file: string): boolean {
  const pid = readPid(file);
  return pid !== undefined && isAlive(pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
