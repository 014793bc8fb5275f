// The image config that a Dockerfile's final stage declares (LABEL, ENV, WORKDIR, USER, EXPOSE,
// ENTRYPOINT, CMD), so that tools/image/build gives the image built from packages the same config
// and a test can compare a built image with the Dockerfile.
//
//   node tools/image/dockerfile-config.ts Dockerfile            the config as JSON
//   node tools/image/dockerfile-config.ts Dockerfile --buildah  `buildah config` flags, one a line
//   node tools/image/dockerfile-config.ts Dockerfile --name     the image name (its title label)
import { readFileSync } from "node:fs";

export interface ImageConfig {
  user: string;
  workingDir: string;
  env: Record<string, string>;
  labels: Record<string, string>;
  exposedPorts: string[];
  entrypoint: string[];
  cmd: string[];
}

/** Joins continued lines, drops comments and blank lines: one instruction a line. */
function instructions(text: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (current === "" && (line === "" || line.startsWith("#"))) continue;
    if (line.endsWith("\\")) {
      current += `${line.slice(0, -1).trim()} `;
      continue;
    }
    out.push((current + line).trim());
    current = "";
  }
  if (current.trim() !== "") out.push(current.trim());
  return out;
}

/** Splits `a=1 b="two words"` into pairs (the key=value form of LABEL and ENV). */
function pairs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (const m of args.matchAll(re)) {
    const key = m[1] as string;
    const value = m[2] as string;
    out[key] = value.startsWith('"') ? (JSON.parse(value) as string) : value;
  }
  return out;
}

/** The exec (JSON array) form of ENTRYPOINT and CMD; the shell form as Docker runs it. */
function execForm(args: string): string[] {
  if (args.startsWith("[")) return JSON.parse(args) as string[];
  return ["/bin/sh", "-c", args];
}

/** The config of the Dockerfile's last stage (everything after its last FROM). */
export function parseDockerfile(text: string): ImageConfig {
  const all = instructions(text);
  let start = 0;
  all.forEach((line, i) => {
    if (/^FROM\s/i.test(line)) start = i + 1;
  });
  const config: ImageConfig = {
    user: "",
    workingDir: "",
    env: {},
    labels: {},
    exposedPorts: [],
    entrypoint: [],
    cmd: [],
  };
  for (const line of all.slice(start)) {
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const keyword = (m[1] as string).toUpperCase();
    const args = (m[2] as string).trim();
    if (keyword === "LABEL") Object.assign(config.labels, pairs(args));
    else if (keyword === "ENV") Object.assign(config.env, pairs(args));
    else if (keyword === "WORKDIR") config.workingDir = args;
    else if (keyword === "USER") config.user = args;
    else if (keyword === "EXPOSE")
      config.exposedPorts.push(...args.split(/\s+/).map((p) => (p.includes("/") ? p : `${p}/tcp`)));
    else if (keyword === "ENTRYPOINT") config.entrypoint = execForm(args);
    else if (keyword === "CMD") config.cmd = execForm(args);
  }
  return config;
}

/** The PATH that the Dockerfile's node base image sets; an image from scratch has none. */
export const basePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** `buildah config` flags that give an image built from scratch the Dockerfile's config. */
export function buildahConfigArgs(config: ImageConfig): string[] {
  const args = ["--user", config.user, "--workingdir", config.workingDir, "--env", `PATH=${basePath}`];
  for (const [k, v] of Object.entries(config.env)) args.push("--env", `${k}=${v}`);
  for (const [k, v] of Object.entries(config.labels)) args.push("--label", `${k}=${v}`);
  for (const port of config.exposedPorts) args.push("--port", port);
  args.push("--entrypoint", JSON.stringify(config.entrypoint), "--cmd", JSON.stringify(config.cmd));
  return args;
}

/** The image's name: its org.opencontainers.image.title label. */
export function imageName(config: ImageConfig): string {
  const name = config.labels["org.opencontainers.image.title"];
  if (!name) throw new Error("the Dockerfile's final stage has no org.opencontainers.image.title label");
  return name;
}

if (import.meta.main) {
  const [file, mode] = process.argv.slice(2);
  if (!file) {
    process.stderr.write("usage: dockerfile-config.ts DOCKERFILE [--buildah|--name]\n");
    process.exit(2);
  }
  const config = parseDockerfile(readFileSync(file, "utf8"));
  if (mode === "--buildah") process.stdout.write(`${buildahConfigArgs(config).join("\n")}\n`);
  else if (mode === "--name") process.stdout.write(`${imageName(config)}\n`);
  else process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
}
