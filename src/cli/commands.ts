// The table of subcommands: name, synopsis, one-line summary and a lazy loader of its module.
// Every module exports its `usage` text (what `COMMAND --help` prints); shell completion reads the
// flags from it, so the help text is the one list of a command's flags.
export interface CommandModule {
  usage: string;
  run(argv: string[]): Promise<number>;
}

interface CommandEntry {
  synopsis: string;
  summary: string;
  load(): Promise<CommandModule>;
}

export const commands: Record<string, CommandEntry> = {
  run: {
    synopsis: "run [flags]",
    summary: "run the Kubernetes operator",
    load: () => import("./commands/run.ts"),
  },
  apply: {
    synopsis: "apply -f FILE|DIR...",
    summary: "create or change caches without Kubernetes, wait until Ready",
    load: () => import("./commands/apply.ts"),
  },
  plan: {
    synopsis: "plan -f FILE|DIR...",
    summary: "show what apply would change and what it costs (read-only AWS calls)",
    load: () => import("./commands/plan.ts"),
  },
  get: {
    synopsis: "get [NAME...|-f FILE] [-o FORMAT]",
    summary: "list the caches of the state dir (-o yaml|json|wide|name)",
    load: () => import("./commands/get.ts"),
  },
  describe: {
    synopsis: "describe NAME...|-f FILE",
    summary: "status, conditions, cost estimate and recent events of caches",
    load: () => import("./commands/describe.ts"),
  },
  delete: {
    synopsis: "delete NAME...|-f FILE",
    summary: "delete caches, honouring deletionPolicy; waits until done",
    load: () => import("./commands/delete.ts"),
  },
  validate: {
    synopsis: "validate -f FILE|DIR...",
    summary: "check manifests offline with the CRD's own rules",
    load: () => import("./commands/validate.ts"),
  },
  crds: {
    synopsis: "crds",
    summary: "print the CustomResourceDefinitions (for kubectl apply -f -)",
    load: () => import("./commands/crds.ts"),
  },
  dev: {
    synopsis: "dev [down] [--dir DIR]",
    summary: "the Kubernetes flow on this machine: control plane, local cloud, operator",
    load: () => import("./commands/dev.ts"),
  },
  "local-cloud": {
    synopsis: "local-cloud [stop] [--port 4566]",
    summary: "serve a local ElastiCache + STS endpoint backed by real redis/memcached",
    load: () => import("./commands/local-cloud.ts"),
  },
  completion: {
    synopsis: "completion bash|zsh",
    summary: "print a shell completion script",
    load: () => import("./commands/completion.ts"),
  },
};

export function usage(): string {
  const entries = Object.values(commands);
  const width = Math.max(...entries.map((c) => c.synopsis.length));
  const lines = entries.map((c) => `  ${c.synopsis.padEnd(width)}  ${c.summary}`);
  return `Usage: infra-operator COMMAND [flags]

Commands:
${lines.join("\n")}

Run "infra-operator COMMAND --help" for a command's flags.
Exit codes: 0 done, 1 error (files, AWS, state), 2 usage error (unknown command or flag).
`;
}
