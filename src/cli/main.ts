// The `infra-operator` command: dispatches to one module per subcommand.
// Subcommands are imported lazily so that, e.g., `validate` never loads the AWS SDK.
import { commands, usage } from "./commands.ts";
import { EXIT_OK, EXIT_USAGE } from "./parse-flags.ts";

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    // `help COMMAND` is `COMMAND --help`.
    const topic = name === "help" && rest[0] !== undefined ? commands[rest[0]] : undefined;
    if (topic) {
      process.stdout.write((await topic.load()).usage);
      return EXIT_OK;
    }
    if (name === undefined) {
      process.stderr.write(usage());
      return EXIT_USAGE;
    }
    process.stdout.write(usage());
    return EXIT_OK;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`infra-operator: unknown command "${name}"\n\n${usage()}`);
    return EXIT_USAGE;
  }
  const module = await command.load();
  return module.run(rest);
}

// `infra-operator get | head`: a closed pipe ends the output, not in a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
  process.exit(0);
});
process.exitCode = await main(process.argv.slice(2));
