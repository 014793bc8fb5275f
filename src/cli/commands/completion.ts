// `infra-operator completion bash|zsh`: prints a shell completion script.
import { parseFlags, usageError } from "../parse-flags.ts";

export const usage = `Usage: infra-operator completion bash|zsh

Prints a completion script for the shell: commands, their flags, -o formats, files for -f and the
cluster names of the state dir for get, describe and delete.

  source <(infra-operator completion bash)     # bash, this shell only
  infra-operator completion bash > /etc/bash_completion.d/infra-operator
  source <(infra-operator completion zsh)      # zsh, after compinit
  infra-operator completion zsh > "\${fpath[1]}/_infra-operator"

Flags:
  -h, --help   this help

Exit codes: 0 printed, 2 no or an unknown shell.
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags("completion", usage, argv, {}, true);
  if (typeof parsed === "number") return parsed;
  const [shell, ...extra] = parsed.positionals;
  if ((shell !== "bash" && shell !== "zsh") || extra.length > 0) {
    return usageError("completion", `give bash or zsh, got "${parsed.positionals.join(" ")}"`, usage);
  }
  const { commands } = await import("../commands.ts");
  const { bashCompletion, zshCompletion } = await import("../completion-script.ts");
  const table = await Promise.all(
    Object.entries(commands).map(async ([name, entry]) => ({
      name,
      summary: entry.summary,
      usage: (await entry.load()).usage,
    })),
  );
  process.stdout.write(shell === "bash" ? bashCompletion(table) : zshCompletion(table));
  return 0;
}
