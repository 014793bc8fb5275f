// Shell completion scripts for bash and zsh, built from the command table and each command's
// help text (its flags are read from there, so completion never lists a flag the command lacks).

export interface CompletionCommand {
  name: string;
  summary: string;
  usage: string;
}

/** Words after the command that are not flags: `dev down`, `local-cloud stop`, `completion bash`. */
const SUBWORDS: Record<string, string[]> = {
  dev: ["down"],
  "local-cloud": ["stop"],
  completion: ["bash", "zsh"],
};
/** Commands whose positionals are cluster names (completed from `get -o name`). */
const TAKES_NAMES = ["get", "describe", "delete"];
const FILE_FLAGS = ["-f", "--filename", "--config", "--kubeconfig"];
const DIR_FLAGS = ["--state-dir", "--dir", "--data-dir"];
const VALUES: Record<string, string[]> = {
  "-o": ["yaml", "json", "wide", "name"],
  "--output": ["yaml", "json", "wide", "name"],
  "--log-level": ["debug", "info", "warn", "error"],
  "--log-format": ["json", "text"],
};

/** Every `--long` and `-s` flag of a help text's "Flags:" section, in order of first mention. */
export function flagsOf(usage: string): string[] {
  const flags = usage.slice(Math.max(0, usage.indexOf("\nFlags:")));
  const found = flags.match(/(?<![\w$-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])/g) ?? [];
  return [...new Set(found)];
}

function words(c: CompletionCommand): string {
  return [...(SUBWORDS[c.name] ?? []), ...flagsOf(c.usage)].join(" ");
}

export function bashCompletion(commands: CompletionCommand[]): string {
  const cases = commands.map((c) => `    ${c.name}) words="${words(c)}" ;;`).join("\n");
  const values = Object.entries(VALUES)
    .map(([flag, v]) => `    ${flag}) COMPREPLY=($(compgen -W "${v.join(" ")}" -- "$cur")); return ;;`)
    .join("\n");
  return `# bash completion for infra-operator
# Load it with: source <(infra-operator completion bash)
# or install it: infra-operator completion bash > /etc/bash_completion.d/infra-operator
_infra_operator() {
  local cur prev cmd words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${commands.map((c) => c.name).join(" ")} help" -- "$cur"))
    return
  fi
  case "$prev" in
    ${FILE_FLAGS.join("|")}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    ${DIR_FLAGS.join("|")}) COMPREPLY=($(compgen -d -- "$cur")); return ;;
${values}
  esac
  case "$cmd" in
${cases}
    *) words="" ;;
  esac
  case "$cmd" in
    ${TAKES_NAMES.join("|")})
      if [[ "$cur" != -* ]]; then
        words="$words $("\${COMP_WORDS[0]}" get -o name 2>/dev/null | sed 's|^.*/||')"
      fi ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _infra_operator infra-operator
`;
}

export function zshCompletion(commands: CompletionCommand[]): string {
  const described = commands.map((c) => `    '${c.name}:${c.summary.replace(/'/g, "'\\''")}'`).join("\n");
  const cases = commands.map((c) => `    ${c.name}) compadd -- ${words(c)} ;;`).join("\n");
  const values = Object.entries(VALUES)
    .map(([flag, v]) => `    ${flag}) compadd -- ${v.join(" ")}; return ;;`)
    .join("\n");
  return `#compdef infra-operator
# zsh completion for infra-operator
# Load it with: source <(infra-operator completion zsh)   (after compinit)
# or install it as _infra-operator in a folder of $fpath.
_infra_operator() {
  local -a commands
  commands=(
${described}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case "\${words[CURRENT-1]}" in
    ${FILE_FLAGS.join("|")}) _files; return ;;
    ${DIR_FLAGS.join("|")}) _files -/; return ;;
${values}
  esac
  case "\${words[2]}" in
    ${TAKES_NAMES.join("|")})
      if [[ "\${words[CURRENT]}" != -* ]]; then
        compadd -- \${(f)"$("\${words[1]}" get -o name 2>/dev/null | sed 's|^.*/||')"}
      fi ;;
  esac
  case "\${words[2]}" in
${cases}
  esac
}
if [ "$funcstack[1]" = "_infra_operator" ]; then
  _infra_operator "$@"
else
  compdef _infra_operator infra-operator
fi
`;
}
