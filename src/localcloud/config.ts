// The local cloud's configuration file (YAML or JSON; see docs/local-cloud.md): accounts with users
// (access keys, policies) and roles (trust + permission policies), OIDC issuers for web identity,
// the pace of state transitions and fault injection. With no file, the LocalStack-style default
// applies: account 000000000000, access key `test` / secret `test`, allowed everything.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { conditionOperatorProblem } from "./iam/conditions.ts";
import type { PolicyDocument } from "./iam/policy.ts";

const oneOrMany = z.union([z.string(), z.array(z.string())]);
const statement = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(["Allow", "Deny"]),
    Action: oneOrMany.optional(),
    NotAction: oneOrMany.optional(),
    Resource: oneOrMany.optional(),
    NotResource: oneOrMany.optional(),
    Principal: z.union([z.literal("*"), z.record(z.string(), oneOrMany)]).optional(),
    Condition: z.record(z.string(), z.record(z.string(), z.union([oneOrMany, z.boolean()]))).optional(),
  })
  .superRefine((st, ctx) => {
    // An operator the evaluator does not know would make a Deny silently not apply: refuse it.
    for (const operator of Object.keys(st.Condition ?? {})) {
      const problem = conditionOperatorProblem(operator);
      if (problem) ctx.addIssue({ code: "custom", message: problem, path: ["Condition", operator] });
    }
  });
const policy = z.object({
  Version: z.string().optional(),
  Statement: z.union([statement, z.array(statement)]),
});

const accessKey = z.object({
  id: z.string().min(3),
  secret: z.string().min(1),
});
const user = z.object({
  /** "root" stands for the account itself (arn:aws:iam::<id>:root). */
  name: z.string().min(1),
  accessKeys: z.array(accessKey).default([]),
  policies: z.array(policy).default([]),
});
const role = z.object({
  name: z.string().min(1),
  trustPolicy: policy,
  policies: z.array(policy).default([]),
  maxSessionDurationSeconds: z.number().int().min(900).max(43200).default(3600),
});
const account = z.object({
  id: z.string().regex(/^\d{12}$/, "an account id is 12 digits"),
  users: z.array(user).default([]),
  roles: z.array(role).default([]),
});
const oidcIssuer = z
  .object({
    /** The `iss` claim, e.g. https://oidc.example.com/id/ABC. */
    url: z.string().url(),
    /** Accepted `aud` claims. */
    audiences: z.array(z.string()).default(["sts.amazonaws.com"]),
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).optional(),
    jwksFile: z.string().optional(),
    publicKeyPem: z.string().optional(),
    publicKeyFile: z.string().optional(),
  })
  .refine((i) => i.jwks || i.jwksFile || i.publicKeyPem || i.publicKeyFile, {
    message: "an OIDC issuer needs its public key: one of jwks, jwksFile, publicKeyPem or publicKeyFile",
  });
export const faultsSchema = z.object({
  /** Share (0..1) of requests answered Throttling (400). */
  throttleRate: z.number().min(0).max(1).default(0),
  /** Share (0..1) of requests answered ServiceUnavailable (503). */
  unavailableRate: z.number().min(0).max(1).default(0),
  /**
   * The first N affected requests after these settings are answered Throttling, before the rates
   * apply: a short test is sure to meet a fault instead of meeting one by chance.
   */
  throttleFirst: z.number().int().min(0).default(0),
  /** Added to every request before it is answered. */
  latencyMs: z.number().int().min(0).max(60000).default(0),
  /** Only these actions are affected (e.g. ["DescribeCacheClusters"]); all when absent. */
  actions: z.array(z.string()).optional(),
});

export const configSchema = z.object({
  /** Regions a credential scope may name; any region when absent. */
  regions: z.array(z.string()).optional(),
  accounts: z.array(account).min(1),
  oidcIssuers: z.array(oidcIssuer).default([]),
  /** Extra time each state transition (creating, modifying, ...) takes, so tests can observe it. */
  transitionDelayMs: z.number().int().min(0).max(600000).default(0),
  faults: faultsSchema.default({ throttleRate: 0, unavailableRate: 0, throttleFirst: 0, latencyMs: 0 }),
  /**
   * Each node's maxmemory is its node type's memory divided by this (docs/auto-scaling.md), so that
   * tests fill a cache past an auto scaling target with a few MiB of keys. 1: the node type's memory.
   */
  nodeMemoryDivisor: z.number().int().min(1).max(1024).default(1),
  /**
   * Length of one metric period (AWS: 60 s): engines are sampled once a period, target-tracking
   * alarms count periods as on AWS, and cooldowns shrink by the same factor (period / 60 s).
   */
  metricPeriodMs: z.number().int().min(100).max(60000).default(60000),
  /**
   * "real": a redis-server / valkey-server / memcached process per node. "simulated": the same API,
   * states and events with no processes and endpoints nothing listens on (benchmarks, scale tests).
   */
  engines: z.enum(["real", "simulated"]).default("real"),
});

export type LocalCloudConfig = z.infer<typeof configSchema>;
export type FaultConfig = z.infer<typeof faultsSchema>;
export type AccountConfig = z.infer<typeof account>;
export type RoleConfig = z.infer<typeof role>;
export type UserConfig = z.infer<typeof user>;
export type OidcIssuerConfig = z.infer<typeof oidcIssuer>;

const allowAll: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

export function defaultConfig(): LocalCloudConfig {
  return configSchema.parse({
    accounts: [
      {
        id: "000000000000",
        users: [{ name: "root", accessKeys: [{ id: "test", secret: "test" }], policies: [allowAll] }],
      },
    ],
  });
}

export function parseConfig(input: unknown, source: string): LocalCloudConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    throw new Error(
      `invalid local cloud config ${source}:\n${z.prettifyError(result.error)}\nSee docs/local-cloud.md for the format.`,
    );
  }
  const config = result.data;
  const seen = new Set<string>();
  for (const a of config.accounts) {
    for (const u of a.users) {
      for (const k of u.accessKeys) {
        if (seen.has(k.id))
          throw new Error(`invalid local cloud config ${source}: access key id ${k.id} is declared twice`);
        seen.add(k.id);
      }
    }
  }
  return config;
}

export function loadConfigFile(file: string): LocalCloudConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`cannot read local cloud config ${file}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new Error(
      `local cloud config ${file} is not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(e as Error).message}`,
    );
  }
  return parseConfig(data, file);
}
