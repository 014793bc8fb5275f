// The operator's image built from packages by tools/image/build (cached under .cache/image), and
// the config read back from its OCI archive.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { repoPath } from "./paths.ts";

export interface BuiltImage {
  /** The OCI archive (tools/image/build's last line, first word). */
  archive: string;
  /** The image's name with its tag, e.g. infra-operator:0.1.0. */
  name: string;
}

/** Builds the image (or reuses the cached archive) and returns where it is. */
export function buildImage(): BuiltImage {
  const build = spawnSync(repoPath("tools", "image", "build"), [], {
    encoding: "utf8",
    timeout: 20 * 60_000,
  });
  if (build.status !== 0) {
    throw new Error(
      `tools/image/build failed (exit ${build.status ?? build.signal}): ${build.stderr.trim().split("\n").slice(-10).join("\n")}`,
    );
  }
  const [archive, name] = (build.stdout.trim().split("\n").at(-1) ?? "").split(" ");
  if (!archive || !name)
    throw new Error(`tools/image/build printed no "ARCHIVE IMAGE" line: ${build.stdout}`);
  return { archive, name };
}

/** The archive tools/image/build leaves in its cache, if one was built (its name comes from package.json). */
export function cachedImageArchive(): string | undefined {
  const version = (JSON.parse(readFileSync(repoPath("package.json"), "utf8")) as { version: string }).version;
  const archive = repoPath(".cache", "image", `infra-operator-${version}.oci.tar`);
  return existsSync(archive) ? archive : undefined;
}

function member(archive: string, name: string): Buffer {
  const r = spawnSync("tar", ["-xOf", archive, name], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`tar -xOf ${archive} ${name}: ${r.stderr.toString().trim()}`);
  return r.stdout;
}

function blob(archive: string, digest: string): Buffer {
  return member(archive, `blobs/${digest.replace(":", "/")}`);
}

export interface OciImage {
  /** Annotation org.opencontainers.image.ref.name of the index's manifest. */
  refName: string | undefined;
  /** The config's `config` object (User, Env, Entrypoint, ...), as the OCI image spec names it. */
  config: {
    User?: string;
    WorkingDir?: string;
    Env?: string[];
    Labels?: Record<string, string>;
    ExposedPorts?: Record<string, unknown>;
    Entrypoint?: string[];
    Cmd?: string[];
  };
  /** Digests of the layers, base first. */
  layers: string[];
}

/** Reads index.json, the manifest and the config of an OCI archive (one image). */
export function readOciImage(archive: string): OciImage {
  type Descriptor = { digest: string; annotations?: Record<string, string> };
  const index = JSON.parse(member(archive, "index.json").toString()) as { manifests: Descriptor[] };
  const entry = index.manifests[0];
  if (!entry || index.manifests.length !== 1)
    throw new Error(`${archive} holds ${index.manifests.length} images`);
  const manifest = JSON.parse(blob(archive, entry.digest).toString()) as {
    config: Descriptor;
    layers: Descriptor[];
  };
  const config = JSON.parse(blob(archive, manifest.config.digest).toString()) as {
    config: OciImage["config"];
  };
  return {
    refName: entry.annotations?.["org.opencontainers.image.ref.name"],
    config: config.config,
    layers: manifest.layers.map((l) => l.digest),
  };
}

/** Paths in one layer of the archive (as tar lists them, without a leading "./"). */
export function layerPaths(archive: string, digest: string): string[] {
  const layer = spawnSync(
    "sh",
    ["-c", 'tar -xOf "$1" "$2" | tar -t', "sh", archive, `blobs/${digest.replace(":", "/")}`],
    {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    },
  );
  if (layer.status !== 0) throw new Error(`cannot list layer ${digest}: ${layer.stderr.trim()}`);
  return layer.stdout.split("\n").map((p) => p.replace(/^\.\//, ""));
}
