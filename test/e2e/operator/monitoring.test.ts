// The dashboard and the alerts shipped with the operator: the rules parse with Prometheus's own
// rule and PromQL parsers, every metric the dashboard and the rules query is one the operator
// really serves on /metrics, each alert has a runbook in docs/troubleshooting.md, and both ship
// (optional) in the Helm chart and as a kustomize component.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse, parseAllDocuments, stringify } from "yaml";
import { helmTemplate } from "../../support/helm.ts";
import { kubectlOk } from "../../support/kubectl.ts";
import {
  applyObject,
  clusterObject,
  type OperatorEnv,
  startOperatorEnv,
  waitClusterReady,
} from "../../support/operator-env.ts";
import { repoPath } from "../../support/paths.ts";
import { checkExpressions, checkRuleFiles } from "../../support/promql.ts";

const RULES_FILE = repoPath("charts", "infra-operator", "files", "prometheus-rules.yaml");
const PROMETHEUS_RULE = repoPath("config", "components", "monitoring", "prometheus-rule.yaml");
const DASHBOARD = repoPath("config", "components", "monitoring", "grafana-dashboard.json");

interface Dashboard {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as Dashboard;
const alerts = (
  parse(readFileSync(RULES_FILE, "utf8")) as { groups: Array<{ rules: Array<{ alert: string }> }> }
).groups.flatMap((g) => g.rules.map((r) => r.alert));

/** Grafana's own variables, as Grafana fills them in before sending a query. */
function asSent(expr: string): string {
  return expr.replaceAll("$__rate_interval", "5m");
}

/** Metric names of a text exposition: every sample's name, and every declared family. */
function servedMetrics(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    const declared = /^# TYPE (\S+) (\S+)/.exec(line);
    if (declared?.[1]) {
      names.add(declared[1]);
      if (declared[2] === "histogram")
        for (const s of ["_bucket", "_sum", "_count"]) names.add(declared[1] + s);
    } else if (line && !line.startsWith("#")) names.add(line.split(/[{ ]/)[0] ?? "");
  }
  return names;
}

describe("monitoring: the rules and the dashboard", () => {
  test("the rules parse as Prometheus rule files, in the chart and in the PrometheusRule", () => {
    const chart = checkRuleFiles([RULES_FILE]);
    assert.equal(chart.code, 0, chart.problems);
    assert.equal(chart.rules, 5);
    const spec = (parse(readFileSync(PROMETHEUS_RULE, "utf8")) as { spec: unknown }).spec;
    const file = join(mkdtempSync(join(tmpdir(), "rules-")), "rules.yaml");
    writeFileSync(file, stringify(spec));
    const rule = checkRuleFiles([file]);
    assert.equal(rule.code, 0, rule.problems);
    assert.deepEqual(rule.metrics, chart.metrics);
  });

  test("the parser refuses a broken rule (so the check above can fail)", () => {
    const file = join(mkdtempSync(join(tmpdir(), "rules-")), "bad.yaml");
    writeFileSync(
      file,
      "groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum(rate(x_total[5m])\n        for: 5m\n",
    );
    const bad = checkRuleFiles([file]);
    assert.equal(bad.code, 1);
    assert.match(bad.problems, /unclosed left parenthesis/);
  });

  test("has the alerts asked for, each with a runbook in docs/troubleshooting.md", () => {
    assert.deepEqual(alerts, [
      "InfraOperatorDown",
      "InfraOperatorReconcileErrors",
      "InfraOperatorAWSThrottling",
      "InfraOperatorCacheNotReady",
      "InfraOperatorProviderNotReady",
    ]);
    const runbooks = readFileSync(repoPath("docs", "troubleshooting.md"), "utf8");
    for (const alert of alerts) {
      assert.match(runbooks, new RegExp(`^### ${alert}\\n\\n\\S`, "m"), `runbook section for ${alert}`);
    }
  });

  test("the dashboard shows reconciles, errors by reason, queue depth, AWS calls, caches by status", () => {
    const titles = dashboard.panels.map((p) => p.title);
    for (const t of [
      "Reconciles",
      "Errors by reason",
      "Work queue depth",
      "AWS calls by action and outcome",
      "Caches by status",
    ]) {
      assert.ok(titles.includes(t), `panel ${t} in ${titles.join(", ")}`);
    }
    const parsed = checkExpressions(dashboard.panels.flatMap((p) => p.targets.map((t) => asSent(t.expr))));
    assert.equal(parsed.code, 0, parsed.problems);
  });
});

describe("monitoring: every metric queried is served on /metrics", () => {
  let env: OperatorEnv;
  before(async () => {
    env = await startOperatorEnv();
    // One cache, so that reconciles and AWS calls have happened and every series exists.
    await applyObject(
      env.namespace,
      clusterObject("monitored", {
        clusterID: "monitored-redis",
        engine: "redis",
        nodeType: "cache.t3.micro",
      }),
    );
    await waitClusterReady(env.namespace, "monitored");
  });
  after(() => env?.stop());

  test("the dashboard's and the rules' metrics are all in the operator's /metrics", async () => {
    const text = await (await fetch(`${env.operator.metricsUrl}/metrics`)).text();
    const served = servedMetrics(text);
    const rules = checkRuleFiles([RULES_FILE]);
    const panels = checkExpressions(dashboard.panels.flatMap((p) => p.targets.map((t) => asSent(t.expr))));
    const queried = new Set([...rules.metrics, ...panels.metrics]);
    assert.ok(queried.size >= 8, [...queried].join(", "));
    const missing = [...queried].filter((m) => !served.has(m));
    assert.deepEqual(missing, [], `queried but not served:\n${text}`);
    // And with values: the Ready cache and provider are 1, the cache counts under "available".
    assert.match(
      text,
      new RegExp(
        `infra_operator_elasticache_cluster_ready\\{namespace="${env.namespace}",name="monitored"\\} 1\\n`,
      ),
    );
    assert.match(text, /infra_operator_elasticache_clusters\{status="available",ready="true"\} 1\n/);
    assert.match(
      text,
      new RegExp(
        `infra_operator_awsprovider_ready\\{kind="AWSProvider",namespace="${env.namespace}",name="localstack"\\} 1\\n`,
      ),
    );
  });
});

describe("monitoring: shipped in the Helm chart and as a kustomize component", () => {
  const kinds = (yaml: string) =>
    parseAllDocuments(yaml)
      .map(
        (d) =>
          d.toJS() as {
            kind?: string;
            metadata?: { name?: string; labels?: Record<string, string> };
            data?: Record<string, string>;
          } | null,
      )
      .filter((o) => o !== null);

  test("Helm: off by default; grafanaDashboard.enabled and prometheusRule.enabled add them", () => {
    const plain = kinds(helmTemplate("mon", "ops"));
    assert.equal(plain.filter((o) => o.kind === "PrometheusRule" || o.kind === "ConfigMap").length, 0);
    const on = kinds(
      helmTemplate("mon", "ops", { "grafanaDashboard.enabled": "true", "prometheusRule.enabled": "true" }),
    );
    const configMap = on.find((o) => o.kind === "ConfigMap");
    assert.equal(configMap?.metadata?.labels?.grafana_dashboard, "1");
    assert.deepEqual(JSON.parse(configMap?.data?.["infra-operator.json"] ?? "{}"), dashboard);
    const rule = on.find((o) => o.kind === "PrometheusRule") as { spec?: unknown } | undefined;
    assert.deepEqual(rule?.spec, parse(readFileSync(RULES_FILE, "utf8")));
  });

  test("kustomize: config/with-monitoring is config/default plus the dashboard and the rules", async () => {
    const built = kinds(await kubectlOk(["kustomize", repoPath("config", "with-monitoring")]));
    const configMap = built.find(
      (o) => o.kind === "ConfigMap" && o.metadata?.name === "infra-operator-dashboard",
    );
    assert.equal(configMap?.metadata?.labels?.grafana_dashboard, "1");
    assert.deepEqual(JSON.parse(configMap?.data?.["infra-operator.json"] ?? "{}"), dashboard);
    assert.ok(built.some((o) => o.kind === "PrometheusRule"));
    assert.ok(built.some((o) => o.kind === "Deployment"));
    const plain = kinds(await kubectlOk(["kustomize", repoPath("config", "default")]));
    assert.ok(!plain.some((o) => o.kind === "PrometheusRule" || o.kind === "ConfigMap"), "optional");
  });
});
