// The whole test suite, as the README's `npm test` runs it:
// static checks first (generated files current, types, lint), then the test control plane
// (kube-apiserver + etcd: built or reused, started once), then every test file with Node's own
// test runner. The control plane reaches the test processes through CONTROLPLANE_DIR and
// KUBECONFIG, and is stopped at the end, on failure and on interrupt.
import { spawn, spawnSync } from "node:child_process";
import { startControlPlane } from "./support/controlplane.ts";

function run(title: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  process.stdout.write(`\n==> ${title}\n`);
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) {
    process.stderr.write(`\n${title} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
}

/** Like run, but asynchronous so that SIGINT/SIGTERM handlers (which stop the control plane) run at once. */
function runAsync(title: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  process.stdout.write(`\n==> ${title}\n`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env });
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

process.stdout.write("\n==> start the test control plane\n");
const controlPlane = await startControlPlane();
process.stdout.write(`KUBECONFIG=${controlPlane.kubeconfig}\n`);
let status = 1;
try {
  status = await runAsync(
    "tests",
    node,
    ["--test", "--test-reporter=spec", "src/**/*.test.ts", "test/**/*.test.ts"],
    { ...process.env, CONTROLPLANE_DIR: controlPlane.dir, KUBECONFIG: controlPlane.kubeconfig },
  );
} finally {
  await controlPlane.stop();
}
process.exit(status);
