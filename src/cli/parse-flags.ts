// One way for every command to read its flags: `--help`/`-h` prints the usage and exits 0, a flag
// error prints the message and the usage and exits 2 (docs/standalone.md "Exit codes").
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

/** The exit codes of every command: 0 done, 1 an error (files, AWS, state), 2 a usage error. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedFlags<V extends FlagValues> {
  values: V;
  positionals: string[];
}

/** The parsed flags, or the exit code when the command must stop (help shown, bad flags). */
export function parseFlags<V extends FlagValues>(
  command: string,
  usage: string,
  argv: string[],
  options: ParseArgsOptionsConfig,
  allowPositionals = false,
): ParsedFlags<V> | number {
  let parsed: ParsedFlags<V>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals,
      strict: true,
      options: { ...options, help: { type: "boolean", short: "h" } },
    }) as unknown as ParsedFlags<V>;
  } catch (e) {
    return usageError(command, (e as Error).message, usage);
  }
  if (parsed.values.help) {
    process.stdout.write(usage);
    return EXIT_OK;
  }
  return parsed;
}

/** Prints `infra-operator COMMAND: message` and the usage to stderr; returns exit code 2. */
export function usageError(command: string, message: string, usage: string): number {
  process.stderr.write(`infra-operator ${command}: ${message}\n\n${usage}`);
  return EXIT_USAGE;
}
