#!/usr/bin/env node
// Entry point of the `infra-operator` command.
// In a source checkout it runs the TypeScript sources directly (Node.js >= 22.18 strips types);
// an installed package ships only the compiled `dist/`, so it runs that.
import { existsSync } from "node:fs";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `infra-operator needs Node.js >= 22.18 (found ${process.versions.node}). ` +
      "In a checkout, `scripts/setup quickstart` installs Node.js 22 into .tools/ (`npm run quickstart` does it and runs the quick start); " +
      "then put .tools/node_modules/.bin first on PATH.\n",
  );
  process.exit(1);
}

const source = new URL("../src/cli/main.ts", import.meta.url);
const built = new URL("../dist/cli/main.js", import.meta.url);
await import(existsSync(source) ? source.href : built.href);
