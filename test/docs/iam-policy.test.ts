// docs/iam-policy.json is the policy the documentation tells users to attach; it must grant every
// AWS call the operator and the CLI send, or a feature fails with AccessDenied on real AWS while the
// tests (most of which run without IAM) stay green. The calls are read from the source: every SDK
// command class imported as a value from an @aws-sdk/client-* package outside src/localcloud (the
// local cloud serves calls, it does not send them), and every command constructed from a client
// that src/aws/lazy-import.ts imports on first use. Adding a kind or a call without its action here
// fails this test, naming the action.
import assert from "node:assert/strict";
import { globSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { iamActionOf } from "../../src/aws/errors.ts";
import { repoPath } from "../support/paths.ts";

/** The IAM prefix of each SDK client package the source may import (IAM's names, not the endpoints'). */
const IAM_PREFIX: Record<string, string> = {
  "client-elasticache": "elasticache",
  "client-application-auto-scaling": "application-autoscaling",
  "client-resource-groups-tagging-api": "tag",
  "client-sts": "sts",
};

/** Sent, but authorized elsewhere than in the permission policy (docs/iam-policy.md, "Not in the policy"). */
const NOT_IN_POLICY: Record<string, string> = {
  "sts:AssumeRole": "granted by the role's trust policy and the base identity's own policy",
  "sts:AssumeRoleWithWebIdentity": "granted by the role's trust policy (IRSA)",
};

/** Granted though never sent: AWS checks them in the caller's name (docs/iam-policy.md says why). */
const NEEDED_BY_AWS = new Set([
  "cloudwatch:PutMetricAlarm",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:DeleteAlarms",
  "iam:CreateServiceLinkedRole",
]);

interface Call {
  action: string;
  operation: string;
  file: string;
}

const importPattern = /import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/([a-z0-9-]+)"/g;

/** The commands one source file sends: value imports named *Command from an AWS SDK client. */
export function commandsOf(source: string, file: string): Call[] {
  const calls: Call[] = [];
  for (const [, names = "", pkg = ""] of source.matchAll(importPattern)) {
    for (const raw of names.split(",")) {
      const name = raw.trim();
      if (name.startsWith("type ") || !/^[A-Z]\w*Command$/.test(name)) continue;
      const prefix = IAM_PREFIX[pkg];
      assert.ok(
        prefix,
        `${file} imports ${name} from @aws-sdk/${pkg}: add the package's IAM prefix to IAM_PREFIX`,
      );
      const operation = name.replace(/Command$/, "");
      calls.push({ action: `${prefix}:${operation}`, operation, file });
    }
  }
  return calls;
}

const lazyPattern =
  /export\s+const\s+(\w+)\s*=\s*lazyImport\(\s*\(\)\s*=>\s*import\("@aws-sdk\/([a-z0-9-]+)"\)/g;

/** src/aws/lazy-import.ts's accessors (name to SDK package): clients imported on first use. */
export function lazySdksOf(source: string): Map<string, string> {
  return new Map([...source.matchAll(lazyPattern)].map(([, name = "", pkg = ""]) => [name, pkg]));
}

/**
 * The commands one source file sends through a lazily imported client: a file that imports one of
 * the accessors and constructs `new sdk.XCommand(` or `new XCommand(` (destructured from the
 * awaited module) without a static import of it. One accessor per such file, so each command has
 * one package.
 */
export function lazyCommandsOf(source: string, file: string, lazy: Map<string, string>): Call[] {
  const used = [...lazy.keys()].filter((name) => new RegExp(`\\b${name}\\(\\)`).test(source));
  const statics = new Set(commandsOf(source, file).map((c) => c.operation));
  const constructed = [...source.matchAll(/new\s+(?:\w+\.)?([A-Z]\w*)Command\(/g)]
    .map(([, operation = ""]) => operation)
    .filter((operation) => !statics.has(operation));
  if (constructed.length === 0) return [];
  assert.equal(
    used.length,
    1,
    `${file} constructs ${constructed.join(", ")} and calls ${used.length} lazy SDK accessors: split it so each command has one package`,
  );
  const prefix = IAM_PREFIX[lazy.get(used[0] as string) as string];
  assert.ok(prefix, `${file}: add the IAM prefix of ${lazy.get(used[0] as string)} to IAM_PREFIX`);
  return [...new Set(constructed)].map((operation) => ({
    action: `${prefix}:${operation}`,
    operation,
    file,
  }));
}

function sentCalls(): Call[] {
  const files = globSync("src/**/*.ts", { cwd: repoPath() }).filter(
    (f) => !f.startsWith("src/localcloud/") && !f.endsWith(".test.ts"),
  );
  const lazy = lazySdksOf(readFileSync(repoPath("src", "aws", "lazy-import.ts"), "utf8"));
  return files.flatMap((f) => {
    const source = readFileSync(repoPath(f), "utf8");
    return [...commandsOf(source, f), ...lazyCommandsOf(source, f, lazy)];
  });
}

interface Statement {
  Effect: string;
  Action: string | string[];
}

function granted(): string[] {
  const policy = JSON.parse(readFileSync(repoPath("docs", "iam-policy.json"), "utf8")) as {
    Statement: Statement[];
  };
  return policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) =>
    Array.isArray(s.Action) ? s.Action : [s.Action],
  );
}

function grants(actions: string[], action: string): boolean {
  return actions.some((a) =>
    new RegExp(`^${a.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action),
  );
}

describe("docs/iam-policy.json and the calls in src/", () => {
  const calls = sentCalls();
  const policy = granted();

  it("the scan finds the calls of every front end and kind", () => {
    const actions = new Set(calls.map((c) => c.action));
    for (const known of [
      "elasticache:CreateReplicationGroup",
      "elasticache:CreateCacheParameterGroup",
      "elasticache:CreateServerlessCache",
      "elasticache:CreateSnapshot",
      "elasticache:CreateUserGroup",
      "application-autoscaling:PutScalingPolicy",
      "tag:GetResources",
      "sts:GetCallerIdentity",
    ])
      assert.ok(
        actions.has(known),
        `the scan of src/ did not find ${known}; found ${[...actions].join(", ")}`,
      );
  });

  it("grants every action the source sends", () => {
    const missing = calls.filter((c) => NOT_IN_POLICY[c.action] === undefined && !grants(policy, c.action));
    assert.deepEqual(
      [...new Set(missing.map((c) => `${c.action} (sent by ${c.file})`))],
      [],
      "docs/iam-policy.json lacks these actions: add each to a statement, and a row to docs/iam-policy.md",
    );
  });

  it("grants nothing the source does not send, except what AWS checks in the caller's name", () => {
    const sent = new Set(calls.map((c) => c.action));
    const extra = policy.filter((a) => !sent.has(a) && !NEEDED_BY_AWS.has(a));
    assert.deepEqual(extra, [], "docs/iam-policy.json grants actions nothing in src/ sends: remove them");
  });

  it("keeps out what the trust policy grants", () => {
    for (const action of Object.keys(NOT_IN_POLICY))
      assert.ok(
        !grants(policy, action),
        `${action} is ${NOT_IN_POLICY[action]}, not part of docs/iam-policy.json`,
      );
  });

  it("docs/iam-policy.md says why for every granted action", () => {
    const doc = readFileSync(repoPath("docs", "iam-policy.md"), "utf8");
    const undocumented = policy.filter((a) => !doc.includes(`\`${a}\``));
    assert.deepEqual(undocumented, [], "docs/iam-policy.md has no row for these actions: add one saying why");
  });

  it("an AccessDenied hint names the same action as the policy (iamActionOf)", () => {
    const wrong = calls
      .filter((c) => iamActionOf(c.operation) !== c.action)
      .map((c) => `${c.operation}: iamActionOf says ${iamActionOf(c.operation)}, IAM says ${c.action}`);
    assert.deepEqual([...new Set(wrong)], [], "src/aws/errors.ts names the wrong IAM action");
  });
});

describe("commandsOf", () => {
  it("takes value imports of commands only", () => {
    const source = `import {\n  CreateUserCommand,\n  type DescribeUsersCommand,\n  type User,\n  ModifyUserCommandOutput,\n} from "@aws-sdk/client-elasticache";\nimport { GetResourcesCommand } from "@aws-sdk/client-resource-groups-tagging-api";`;
    assert.deepEqual(
      commandsOf(source, "x.ts").map((c) => c.action),
      ["elasticache:CreateUser", "tag:GetResources"],
    );
  });
});
