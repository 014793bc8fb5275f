// The table of subcommands: name, one-line summary and a lazy loader of its module.
export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load(): Promise<CommandModule>;
}

export const commands: Record<string, CommandEntry> = {
  run: {
    summary: "run [--namespace NS]        run the Kubernetes operator (see run --help)",
    load: () => import("./commands/run.ts"),
  },
  apply: {
    summary: "apply -f FILE|DIR...      create or change caches without Kubernetes, wait until Ready",
    load: () => import("./commands/apply.ts"),
  },
  plan: {
    summary: "plan -f FILE|DIR...       show what apply would change (read-only AWS calls)",
    load: () => import("./commands/plan.ts"),
  },
  get: {
    summary: "get [NAME] [-o yaml|json] list the caches of the state dir (standalone mode)",
    load: () => import("./commands/get.ts"),
  },
  describe: {
    summary: "describe NAME             status, conditions and recent events of a cache",
    load: () => import("./commands/describe.ts"),
  },
  delete: {
    summary: "delete NAME | -f FILE     delete caches, honouring deletionPolicy; waits until done",
    load: () => import("./commands/delete.ts"),
  },
  dev: {
    summary:
      "dev [--dir DIR], dev down the Kubernetes flow on this machine: control plane, local cloud, operator",
    load: () => import("./commands/dev.ts"),
  },
  validate: {
    summary: "validate -f FILE|DIR...   check manifests offline with the CRD's own rules",
    load: () => import("./commands/validate.ts"),
  },
  crds: {
    summary: "crds                      print the CustomResourceDefinitions (for kubectl apply -f -)",
    load: () => import("./commands/crds.ts"),
  },
  "local-cloud": {
    summary:
      "local-cloud [--port 4566] serve a local ElastiCache + STS endpoint backed by real redis/memcached",
    load: () => import("./commands/local-cloud.ts"),
  },
};

export function usage(): string {
  const lines = Object.values(commands).map((c) => `  ${c.summary}`);
  return `Usage: infra-operator COMMAND [flags]\n\nCommands:\n${lines.join("\n")}\n`;
}
