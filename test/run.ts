// The whole test suite, as the README's `npm test` runs it:
// static checks first (generated files current, types, lint), then every test file
// with Node's own test runner.
import { spawnSync } from "node:child_process";

function run(title: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  process.stdout.write(`\n==> ${title}\n`);
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) {
    process.stderr.write(`\n${title} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
}

const node = process.execPath;
run("generated files are current", node, ["src/api/generate.ts", "--check"]);
run("typecheck", "npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]);
run("lint", "npx", ["biome", "check", "."]);
run("tests", node, ["--test", "--test-reporter=spec", "src/**/*.test.ts", "test/**/*.test.ts"]);
