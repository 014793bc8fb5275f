// The `infra-operator` command: dispatches to one module per subcommand.
// Subcommands are imported lazily so that, e.g., `validate` never loads the AWS SDK.
import { commands, usage } from "./commands.ts";

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`infra-operator: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const module = await command.load();
  return module.run(rest);
}

process.exitCode = await main(process.argv.slice(2));
