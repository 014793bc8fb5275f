// The control-plane helper's promise: whatever happens to the process that started a control
// plane (normal stop, SIGTERM, SIGKILL), nothing is left running. Each case starts its own.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { startControlPlane } from "./controlplane.ts";
import { repoPath } from "./paths.ts";

function pidsOf(dir: string): number[] {
  return ["etcd", "apiserver"].map((name) =>
    Number(readFileSync(path.join(dir, `${name}.pid`), "utf8").trim()),
  );
}

function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/status`, "utf8").match(/^State:\s+(\S)/m)?.[1];
    return state !== undefined && state !== "Z";
  } catch {
    return false;
  }
}

async function waitUntil(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A separate Node process that starts a control plane and prints its folder, then idles. */
async function ownerProcess(): Promise<{ child: ChildProcess; dir: string }> {
  const helper = new URL("./controlplane.ts", import.meta.url).href;
  const script = `const { startControlPlane } = await import(${JSON.stringify(helper)});
    const cp = await startControlPlane();
    process.stdout.write(cp.dir + "\\n");
    setTimeout(() => {}, 120000);`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  try {
    await waitUntil("the owner process to start its control plane", () => out.includes("\n"), 90_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return { child, dir: out.trim() };
}

describe("test control plane lifecycle", () => {
  test("stop() ends both processes and removes the folder", async () => {
    const cp = await startControlPlane();
    const pids = pidsOf(cp.dir);
    try {
      assert.ok(pids.every(alive), "etcd and kube-apiserver should be running after start");
      assert.ok(existsSync(cp.kubeconfig));
    } finally {
      await cp.stop();
    }
    assert.deepEqual(pids.filter(alive), []);
    assert.equal(existsSync(cp.dir), false);
    await cp.stop(); // a second stop is harmless
  });

  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    test(`an owner that dies of ${signal} leaves nothing running`, async () => {
      const { child, dir } = await ownerProcess();
      const pids = pidsOf(dir);
      try {
        assert.ok(pids.every(alive));
        child.kill(signal);
        // SIGTERM: the owner's handler runs down; SIGKILL: the watchdog notices within a second or so.
        await waitUntil("etcd and kube-apiserver to stop", () => !pids.some(alive), 30_000);
        await waitUntil("the folder to be removed", () => !existsSync(dir), 10_000);
      } finally {
        child.kill("SIGKILL");
        for (const pid of pids.filter(alive)) process.kill(pid, "SIGKILL");
      }
    });
  }

  test("missing binaries: start fails, naming the build script", async () => {
    const saved = process.env.CONTROLPLANE_BIN;
    const empty = mkdtempSync(path.join(tmpdir(), "no-binaries-"));
    process.env.CONTROLPLANE_BIN = empty;
    try {
      await assert.rejects(startControlPlane(), /missing\. Build it with tools\/controlplane\/build/);
    } finally {
      if (saved === undefined) delete process.env.CONTROLPLANE_BIN;
      else process.env.CONTROLPLANE_BIN = saved;
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test("a fixed port that is taken is reported with its variable", async () => {
    const { createServer } = await import("node:net");
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const dir = mkdtempSync(path.join(tmpdir(), "port-taken-"));
    try {
      const up = spawn(repoPath("tools", "controlplane", "up"), [dir], {
        env: { ...process.env, CONTROLPLANE_APISERVER_PORT: String(port) },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      up.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
      });
      const code = await new Promise<number | null>((resolve) => up.on("close", resolve));
      assert.equal(code, 1);
      assert.match(stderr, new RegExp(`port ${port} \\(CONTROLPLANE_APISERVER_PORT\\) is already in use`));
      assert.equal(existsSync(path.join(dir, "etcd.pid")), false, "nothing should have been started");
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
