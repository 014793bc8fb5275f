// startLocalCloud(): the ElastiCache- and STS-compatible endpoint backed by real engines.
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { CallCounter } from "./admin/call-counter.ts";
import { FaultInjector } from "./admin/faults.ts";
import { adminTokenFile, loadOrCreateAdminToken } from "./admin/token.ts";
import { AutoScaler } from "./autoscaling/scaler.ts";
import { autoScalingHandlers } from "./autoscaling/service.ts";
import { cloudWatchHandlers } from "./cloudwatch/service.ts";
import { defaultConfig, type LocalCloudConfig, loadConfigFile } from "./config.ts";
import { Cloud } from "./elasticache/cloud.ts";
import { recover } from "./elasticache/recover.ts";
import { scopedHandlers } from "./elasticache/scoped-handlers.ts";
import { elasticacheHandlers, requestResourceArn } from "./elasticache/service.ts";
import type { EngineHost } from "./engines/contract.ts";
import { createEngineHost, ensureLocalCa } from "./engines/host.ts";
import { SimulatedEngineHost } from "./engines/simulated.ts";
import { Principals } from "./iam/principals.ts";
import { createFront, listen } from "./server.ts";
import { inScope } from "./state/scope.ts";
import { StateFile } from "./state/state-file.ts";
import { StsService } from "./sts/sts-service.ts";
import { taggingHandlers } from "./tagging/get-resources.ts";

export interface LocalCloudOptions {
  host?: string;
  /** 0 picks a free port. Default 4566. */
  port?: number;
  dataDir?: string;
  /** A config file path (YAML or JSON), or a parsed config; the test/test default when absent. */
  config?: string | LocalCloudConfig;
  /** One line per request and lifecycle messages; default stderr. */
  log?: (line: string) => void;
  /**
   * "simulated": no engine processes (overrides the config file's `engines`); an EngineHost: an
   * override for tests of the API side alone; the config file's choice (real by default) when absent.
   */
  engines?: EngineHost | "real" | "simulated";
  /** Let the engine host also stop engines on SIGTERM/SIGINT and kill leftovers on exit; default true. */
  handleSignals?: boolean;
}

export interface LocalCloud {
  url: string;
  dataDir: string;
  caFile: string;
  /** What /_localcloud/* callers present as Authorization: Bearer (also in adminTokenFile). */
  adminToken: string;
  adminTokenFile: string;
  /** Stops the HTTP server and every engine process. */
  stop(): Promise<void>;
  /** Resolves when no background transition is running (tests). */
  settle(): Promise<void>;
}

export function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share");
  return join(base, "infra-operator", "local-cloud");
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const host = options.host ?? "127.0.0.1";
  const dataDir = resolve(options.dataDir ?? defaultDataDir());
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const config =
    typeof options.config === "string" ? loadConfigFile(options.config) : (options.config ?? defaultConfig());
  const stateFile = new StateFile(dataDir);
  const world = stateFile.load();
  const engineMode = typeof options.engines === "string" ? options.engines : config.engines;
  const engines =
    typeof options.engines === "object"
      ? options.engines
      : engineMode === "simulated"
        ? new SimulatedEngineHost({ host })
        : createEngineHost({ dataDir, host, log, handleSignals: options.handleSignals ?? true });
  if (engineMode === "simulated" && typeof options.engines !== "object")
    log("local cloud: simulated engines: no engine processes; endpoints are not connectable");
  const tls = await ensureLocalCa(dataDir, log);
  const cloud = new Cloud({
    world,
    stateFile,
    engines,
    dataDir,
    transitionDelayMs: config.transitionDelayMs,
    nodeMemoryDivisor: config.nodeMemoryDivisor,
    tlsFiles: () => ensureLocalCa(dataDir, log),
    log,
  });
  const principals = new Principals(config, () => world.credentials);
  const sts = new StsService(config, principals, {
    credentials: () => world.credentials,
    addCredential: (c) => {
      // Expired credentials are dropped when new ones are issued, so the state does not grow forever.
      const now = Date.now();
      for (const [id, old] of Object.entries(world.credentials))
        if (Date.parse(old.expiration) < now) delete world.credentials[id];
      world.credentials[c.accessKeyId] = c;
      cloud.save();
    },
  });
  try {
    // Each account and region recovers in its own scope (engine node ids, events, ...).
    for (const scope of cloud.scopes()) await inScope(scope, () => recover(cloud));
  } catch (e) {
    await engines.stopAll();
    throw e;
  }
  const adminToken = loadOrCreateAdminToken(dataDir);
  const scaler = new AutoScaler(cloud, config.metricPeriodMs);
  const faults = new FaultInjector(config.faults);
  const calls = new CallCounter();
  const server = createFront({
    services: {
      elasticache: {
        handlers: scopedHandlers(elasticacheHandlers(cloud)),
        resourceArn: (action, ctx) =>
          requestResourceArn(action, ctx.input, ctx.region, ctx.principal?.accountId ?? "000000000000"),
      },
      sts: { handlers: sts.handlers },
      // Application Auto Scaling's actions name no resource ARN in IAM.
      "application-autoscaling": { handlers: autoScalingHandlers(cloud), resourceArn: () => "*" },
      // CloudWatch's read actions name no resource either; its IAM prefix is cloudwatch.
      monitoring: {
        handlers: cloudWatchHandlers(scaler.metrics),
        resourceArn: () => "*",
        iamPrefix: "cloudwatch",
      },
      // GetResources names no resource in IAM (tag:GetResources on "*"); the service's IAM prefix is
      // tag, not its endpoint name, as in AWS.
      tagging: { handlers: taggingHandlers(cloud), resourceArn: () => "*", iamPrefix: "tag" },
    },
    principals,
    regions: config.regions,
    allowedHosts: [host.toLowerCase()],
    log,
    admin: {
      token: adminToken,
      faults,
      calls,
      getPace: () => cloud.transitionDelayMs,
      setPace: (ms) => {
        cloud.transitionDelayMs = ms;
      },
      health: () => ({
        status: "ok",
        engines: typeof options.engines === "object" ? "custom" : engineMode,
        dataDir,
        caFile: tls.caFile,
        cacheClusters: cloud.scopes().reduce((n, s) => n + Object.keys(cloud.stateOf(s).clusters).length, 0),
        replicationGroups: cloud
          .scopes()
          .reduce((n, s) => n + Object.keys(cloud.stateOf(s).replicationGroups).length, 0),
      }),
    },
  });
  let url: string;
  try {
    url = await listen(server, host, options.port ?? 4566);
  } catch (e) {
    await engines.stopAll();
    throw e;
  }
  scaler.start();
  let stopping: Promise<void> | undefined;
  return {
    url,
    dataDir,
    caFile: tls.caFile,
    adminToken,
    adminTokenFile: adminTokenFile(dataDir),
    settle: () => cloud.settle(),
    stop: () => {
      // Bounded in every state (a SIGTERM must end the process within seconds): the engines stop
      // first, which ends any transition still running; the state is saved as it stands, and a
      // restart settles unfinished work. A failed save (data dir removed) does not keep engines alive.
      stopping ??= (async () => {
        cloud.stopping = true;
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
        try {
          await scaler.stop();
          await cloud.memcachedDiscovery.closeAll();
          await engines.stopAll();
        } finally {
          await cloud.settle(2000);
          try {
            cloud.save();
          } catch (e) {
            log(`local cloud: could not save the state on stop: ${(e as Error).message}`);
          }
          await closed;
        }
      })();
      return stopping;
    },
  };
}
