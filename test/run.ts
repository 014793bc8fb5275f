// The whole test suite, as the README's `npm test` runs it:
// static checks first (generated files current, types, lint), then the test control plane
// (kube-apiserver + etcd: built or reused, started once), then every test file with Node's own
// test runner. The control plane reaches the test processes through CONTROLPLANE_DIR and
// KUBECONFIG, and is stopped at the end, on failure and on interrupt.
//
// The real-node suite (test/e2e/node/, root only) runs in a second test process beside the rest:
// it mostly waits on kubelet, containerd and Pods, so on two cores it costs little wall time
// there. Each of its files starts a control plane of its own; its output is printed after the
// rest's, so the two reports do not interleave.
import { type StdioOptions, spawn, spawnSync } from "node:child_process";
import { globSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startControlPlane } from "./support/controlplane.ts";
import { nodeTestsSkipReason } from "./support/node-switch.ts";

function run(title: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  process.stdout.write(`\n==> ${title}\n`);
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) {
    process.stderr.write(`\n${title} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
}

/**
 * Like run, but asynchronous so that SIGINT/SIGTERM handlers (which stop the control plane) run at
 * once; with `logFd`, the output goes to that file instead of the terminal.
 */
function runAsync(
  title: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFd?: number,
): Promise<number> {
  process.stdout.write(`\n==> ${title}\n`);
  return new Promise((resolve) => {
    const stdio: StdioOptions = logFd === undefined ? "inherit" : ["ignore", logFd, logFd];
    const child = spawn(command, args, { stdio, env });
    // Pass an interrupt on to the tests, so they stop too instead of running on without a control plane.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("error", (error) => {
      process.stderr.write(`${title}: cannot run ${command}: ${error.message}\n`);
      resolve(127);
    });
    child.on("close", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      if (code !== 0) process.stderr.write(`\n${title} failed (exit ${code ?? signal})\n`);
      resolve(code ?? 1);
    });
  });
}

const node = process.execPath;
run("generated files are current", node, ["src/api/generate.ts", "--check"]);
run("typecheck", "npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]);
run("lint", "npx", ["biome", "check", "."]);
run("test control plane binaries (built once, then reused)", "tools/controlplane/build", []);
const nodeSkip = nodeTestsSkipReason();
if (nodeSkip === undefined) {
  // Built before any test starts, so that test/image/ always finds the image it checks.
  run("operator image for the real-node suite (built once, then reused)", "tools/image/build", []);
  run(
    "real-node programs: kubelet, scheduler, controller manager (built once, then reused)",
    "tools/node/build",
    [],
  );
} else {
  process.stdout.write(`\n==> real-node suite skipped: ${nodeSkip}\n`);
}

const testFiles = globSync(["src/**/*.test.ts", "test/**/*.test.ts"]).sort();
const nodeFiles = nodeSkip === undefined ? testFiles.filter((f) => f.startsWith("test/e2e/node/")) : [];
const otherFiles = testFiles.filter((f) => !nodeFiles.includes(f));

process.stdout.write("\n==> start the test control plane\n");
const controlPlane = await startControlPlane();
process.stdout.write(`KUBECONFIG=${controlPlane.kubeconfig}\n`);
const testEnv = { ...process.env, CONTROLPLANE_DIR: controlPlane.dir, KUBECONFIG: controlPlane.kubeconfig };
const nodeLog = path.join(mkdtempSync(path.join(tmpdir(), "infra-operator-node-suite-")), "tests.log");
let status = 1;
try {
  const statuses = await Promise.all([
    runAsync("tests", node, ["--test", "--test-reporter=spec", ...otherFiles], testEnv),
    nodeFiles.length === 0
      ? Promise.resolve(0)
      : runAsync(
          `tests on a real node, beside the rest (${nodeFiles.length} files; report below when done)`,
          node,
          ["--test", "--test-reporter=spec", ...nodeFiles],
          testEnv,
          openSync(nodeLog, "w"),
        ),
  ]);
  if (nodeFiles.length > 0) {
    process.stdout.write(`\n==> tests on a real node: report (${nodeLog})\n`);
    process.stdout.write(readFileSync(nodeLog, "utf8"));
  }
  status = statuses.find((s) => s !== 0) ?? 0;
} finally {
  await controlPlane.stop();
}
process.exit(status);
