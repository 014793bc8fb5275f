// The Helm chart: lint-clean, the same RBAC, CRDs and hardening as config/ (kustomize), accepted by
// the API server, and, rendered for one watched namespace (RBAC as a Role there), the operator runs
// the main scenarios as the chart's ServiceAccount, never refused anything, and cannot read Secrets
// elsewhere.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import { kinds } from "../../../src/api/kinds.ts";
import { helm, helmTemplate } from "../../support/helm.ts";
import {
  applyPackaging,
  canI,
  kustomize,
  OPERATOR_NAMESPACE,
  OPERATOR_SERVICE_ACCOUNT,
  parseStream,
  serviceAccountKubeconfig,
} from "../../support/install.ts";
import { kubectl, kubectlOk } from "../../support/kubectl.ts";
import type { Manifest } from "../../support/manifests.ts";
import { createTestNamespace } from "../../support/namespace.ts";
import { repoPath } from "../../support/paths.ts";
import { assertNoExtraRights, type IdentityRun, mainScenarios, startUnderIdentity } from "./scenarios.ts";

type Rules = unknown[];

function find(objects: Manifest[], kind: string, name?: string): Manifest {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  assert.ok(found, `${kind} ${name ?? ""} is rendered`);
  return found;
}

function rulesOf(objects: Manifest[], kind: string, name: string): Rules {
  return find(objects, kind, name).rules as Rules;
}

interface PodSpecLike {
  serviceAccountName?: string;
  securityContext?: unknown;
  containers: {
    securityContext?: unknown;
    livenessProbe?: unknown;
    readinessProbe?: unknown;
    resources?: unknown;
    args?: string[];
  }[];
}

function podSpec(deployment: Manifest): PodSpecLike {
  return (deployment as { spec: { template: { spec: PodSpecLike } } }).spec.template.spec;
}

describe("Helm chart charts/infra-operator", () => {
  let kustomized: Manifest[] = [];
  let chart: Manifest[] = [];

  before(async () => {
    kustomized = await kustomize(repoPath("config", "default"));
    chart = parseStream(helmTemplate("infra-operator", OPERATOR_NAMESPACE), "helm template");
  });

  test("helm lint --strict reports no warning or error", () => {
    const result = helm(["lint", "--strict", repoPath("charts", "infra-operator")]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.doesNotMatch(result.stdout, /\[(WARNING|ERROR)\]/);
  });

  test("installed as documented, it names what the documentation names", () => {
    assert.equal(find(chart, "ServiceAccount").metadata?.name, OPERATOR_SERVICE_ACCOUNT);
    assert.equal(find(chart, "ServiceAccount").metadata?.namespace, OPERATOR_NAMESPACE);
    assert.equal(find(chart, "Deployment").metadata?.name, "infra-operator-controller-manager");
  });

  test("its RBAC rules are identical to config/rbac's", () => {
    assert.deepEqual(
      rulesOf(chart, "ClusterRole", "infra-operator-manager-role"),
      rulesOf(kustomized, "ClusterRole", "infra-operator-manager-role"),
    );
    assert.deepEqual(
      rulesOf(chart, "Role", "infra-operator-leader-election-role"),
      rulesOf(kustomized, "Role", "infra-operator-leader-election-role"),
    );
    const namespaced = parseStream(
      helmTemplate("infra-operator", OPERATOR_NAMESPACE, { watchNamespace: "team-a" }),
      "helm template",
    );
    // Watching one namespace, only the cluster-scoped part stays cluster-wide (no Secrets, no tokens).
    assert.deepEqual(
      namespaced.filter((o) => o.kind === "ClusterRole").map((o) => o.metadata?.name),
      ["infra-operator-cluster-scoped-role"],
    );
    const clusterScoped = JSON.stringify(
      find(namespaced, "ClusterRole", "infra-operator-cluster-scoped-role").rules,
    );
    assert.doesNotMatch(clusterScoped, /secrets|serviceaccounts/);
    const role = find(namespaced, "Role", "infra-operator-manager-role");
    assert.equal(role.metadata?.namespace, "team-a");
    assert.deepEqual(role.rules, rulesOf(kustomized, "ClusterRole", "infra-operator-manager-role"));
  });

  test("its CRDs are config/crd's (plus helm's keep policy)", () => {
    const strip = (o: Manifest) => {
      const copy = structuredClone(o);
      const annotations = copy.metadata?.annotations as Record<string, string> | undefined;
      if (annotations) delete annotations["helm.sh/resource-policy"];
      if (annotations && Object.keys(annotations).length === 0) delete copy.metadata?.annotations;
      return copy;
    };
    const crds = (list: Manifest[]) =>
      list
        .filter((o) => o.kind === "CustomResourceDefinition")
        .map(strip)
        .sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
    assert.equal(crds(chart).length, kinds.length);
    assert.deepEqual(crds(chart), crds(kustomized));
    const without = parseStream(
      helmTemplate("infra-operator", OPERATOR_NAMESPACE, { "crds.install": "false" }),
      "helm template",
    );
    assert.equal(without.filter((o) => o.kind === "CustomResourceDefinition").length, 0);
  });

  test("its Deployment has the same hardening, probes and resources as config/manager's", () => {
    const fromChart = podSpec(find(chart, "Deployment"));
    const fromKustomize = podSpec(find(kustomized, "Deployment"));
    assert.equal(fromChart.serviceAccountName, fromKustomize.serviceAccountName);
    assert.deepEqual(fromChart.securityContext, fromKustomize.securityContext);
    for (const key of ["securityContext", "livenessProbe", "readinessProbe", "resources", "args"] as const) {
      assert.deepEqual(fromChart.containers[0]?.[key], fromKustomize.containers[0]?.[key], key);
    }
  });

  test("values reach the manifests: IRSA annotation, watched namespace, log level, extra env, ServiceMonitor, identity policy", () => {
    const objects = parseStream(
      helmTemplate("infra-operator", OPERATOR_NAMESPACE, {
        "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn": "arn:aws:iam::123456789012:role/r",
        watchNamespace: "team-a",
        logLevel: "debug",
        "extraEnv[0].name": "AWS_STS_REGIONAL_ENDPOINTS",
        "extraEnv[0].value": "regional",
        "serviceMonitor.enabled": "true",
        replicaCount: "2",
        "leaderElection.enabled": "true",
        "leaderElection.renewDeadline": "8s",
        "allowedEndpoints[0]": "https://elasticache.internal.example",
        "operatorIdentityNamespaces[0]": "default",
        "operatorIdentityNamespaces[1]": "platform",
      }),
      "helm template",
    );
    const annotations = find(objects, "ServiceAccount").metadata?.annotations as Record<string, string>;
    assert.equal(annotations["eks.amazonaws.com/role-arn"], "arn:aws:iam::123456789012:role/r");
    const deployment = find(objects, "Deployment") as Manifest & { spec: { replicas: number } };
    assert.equal(deployment.spec.replicas, 2);
    const container = podSpec(deployment).containers[0] as {
      args: string[];
      env: { name: string; value: string }[];
    };
    assert.ok(container.args.includes("--namespace=team-a"));
    assert.ok(container.args.includes("--log-level=debug"));
    assert.ok(container.args.includes("--leader-elect=true"));
    assert.ok(container.args.includes("--leader-election-renew-deadline=8s"));
    assert.ok(container.args.includes("--allowed-endpoints=https://elasticache.internal.example"));
    assert.ok(container.args.includes("--operator-identity-namespaces=default,platform"));
    assert.deepEqual(container.env, [{ name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" }]);
    assert.equal(find(objects, "ServiceMonitor").metadata?.namespace, OPERATOR_NAMESPACE);
  });

  test("the rendered chart (Deployment included) is accepted by the API server (--dry-run=server)", async () => {
    const release = await createTestNamespace("helm-dry");
    await kubectlOk(["label", "namespace", release, "pod-security.kubernetes.io/enforce=restricted"]);
    const rendered = helmTemplate("infra-operator", release);
    const result = await kubectl(["apply", "-n", release, "--dry-run=server", "-f", "-"], {
      input: rendered,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /PodSecurity/, "the Pod meets the restricted Pod Security Standard");
    assert.match(
      result.stdout,
      /deployment\.apps\/infra-operator-controller-manager created \(server dry run\)/,
    );
  });

  describe("installed for one watched namespace, the operator runs as the chart's ServiceAccount", () => {
    let release = "";
    let watched = "";
    let kubeconfig = "";
    let run: IdentityRun | undefined;

    before(async () => {
      // The release in a namespace of its own: the kustomize test uses infra-operator-system at the same time.
      release = `rbac-helm-${randomBytes(3).toString("hex")}`;
      await kubectlOk(["create", "namespace", release]);
      watched = await createTestNamespace("rbac");
      await applyPackaging(
        parseStream(helmTemplate("infra-operator", release, { watchNamespace: watched }), "helm template"),
      );
      kubeconfig = await serviceAccountKubeconfig({ namespace: release });
      run = await startUnderIdentity(kubeconfig, release, watched);
    });

    after(async () => {
      await run?.stop();
    });

    test("main scenarios pass under the chart's ServiceAccount", async (t) => {
      assert.ok(run);
      await mainScenarios(t, run, release);
    });

    test("it reads Secrets only in the watched namespace", async () => {
      assert.equal(await canI(kubeconfig, "get", "secrets", watched), true);
      assert.equal(await canI(kubeconfig, "get", "secrets", "kube-system"), false);
      assert.equal(await canI(kubeconfig, "list", "secrets"), false, "no cluster-wide list of Secrets");
      assert.equal(
        await canI(kubeconfig, "list", "elasticacheclusters.aws-infra-operator.runner.codes", "default"),
        false,
      );
      const denied = await kubectl(["get", "secrets", "-n", "kube-system"], { kubeconfig });
      assert.notEqual(denied.code, 0);
      assert.match(denied.stderr, /forbidden/);
      await assertNoExtraRights((verb, resource, namespace) => canI(kubeconfig, verb, resource, namespace));
    });
  });
});

describe("charts/infra-operator/README.md", () => {
  test("lists every value of values.yaml", () => {
    const values = parse(readFileSync(repoPath("charts", "infra-operator", "values.yaml"), "utf8")) as Record<
      string,
      unknown
    >;
    const readme = readFileSync(repoPath("charts", "infra-operator", "README.md"), "utf8");
    // Leaves, except maps whose keys are the user's (resources is documented as a whole).
    const keys: string[] = [];
    const walk = (node: Record<string, unknown>, prefix: string) => {
      for (const [key, value] of Object.entries(node)) {
        const path = prefix ? `${prefix}.${key}` : key;
        const isMap = value !== null && typeof value === "object" && !Array.isArray(value);
        if (isMap && Object.keys(value).length > 0 && path !== "resources")
          walk(value as Record<string, unknown>, path);
        else keys.push(path);
      }
    };
    walk(values, "");
    assert.ok(keys.length > 25, `found ${keys.length} values`);
    for (const key of keys) assert.ok(readme.includes(`| \`${key}\` |`), `README documents ${key}`);
  });
});
