// The image built from packages (tools/image/build) has the config the Dockerfile describes: the
// pure comparison on a small Dockerfile, then the real Dockerfile against the real archive when
// one was built (the node suite builds it; `tools/image/build` does it by hand).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { basePath, buildahConfigArgs, parseDockerfile } from "../../tools/image/dockerfile-config.ts";
import { cachedImageArchive, layerPaths, readOciImage } from "../support/image.ts";
import { repoPath } from "../support/paths.ts";

const fixture = `# a comment
FROM debian AS build
WORKDIR /src
USER 0
FROM scratch
LABEL a="one two" \\
      b=three
ENV X=1 \\
    Y="with space"
WORKDIR /app
# inside
USER 1000:1000
EXPOSE 8080 9090/udp
ENTRYPOINT ["node", "main.js"]
CMD run --flag
`;

describe("Dockerfile config", () => {
  it("reads only the final stage, with continued lines, quoted values and both command forms", () => {
    assert.deepEqual(parseDockerfile(fixture), {
      user: "1000:1000",
      workingDir: "/app",
      env: { X: "1", Y: "with space" },
      labels: { a: "one two", b: "three" },
      exposedPorts: ["8080/tcp", "9090/udp"],
      entrypoint: ["node", "main.js"],
      cmd: ["/bin/sh", "-c", "run --flag"],
    });
  });

  it("turns into buildah config flags, PATH first (an image from scratch has none)", () => {
    const args = buildahConfigArgs(parseDockerfile(fixture));
    assert.deepEqual(args.slice(0, 6), [
      "--user",
      "1000:1000",
      "--workingdir",
      "/app",
      "--env",
      `PATH=${basePath}`,
    ]);
    assert.deepEqual(args.slice(-4), [
      "--entrypoint",
      '["node","main.js"]',
      "--cmd",
      '["/bin/sh","-c","run --flag"]',
    ]);
    assert.ok(args.includes("a=one two") && args.includes("9090/udp"));
  });

  it("the repository's Dockerfile runs the operator as uid 1000 on port 8080", () => {
    const config = parseDockerfile(readFileSync(repoPath("Dockerfile"), "utf8"));
    assert.equal(config.user, "1000:1000");
    assert.deepEqual(config.entrypoint, ["node", "--max-semi-space-size=1", "dist/cli/main.js"]);
    assert.deepEqual(config.cmd, ["run"]);
    assert.deepEqual(config.exposedPorts, ["8080/tcp"]);
    assert.equal(config.labels["org.opencontainers.image.title"], "infra-operator");
  });
});

const archive = cachedImageArchive();
describe("the image built from packages", {
  skip: archive ? false : "no .cache/image archive (run tools/image/build)",
}, () => {
  it("has the Dockerfile's user, workdir, env, labels, port, entrypoint and command", () => {
    const want = parseDockerfile(readFileSync(repoPath("Dockerfile"), "utf8"));
    const image = readOciImage(archive as string);
    const got = image.config;
    assert.equal(
      image.refName,
      `${want.labels["org.opencontainers.image.title"]}:${JSON.parse(readFileSync(repoPath("package.json"), "utf8")).version}`,
    );
    assert.equal(got.User, want.user);
    assert.equal(got.WorkingDir, want.workingDir);
    assert.deepEqual(got.Entrypoint, want.entrypoint);
    assert.deepEqual(got.Cmd, want.cmd);
    assert.deepEqual(Object.keys(got.ExposedPorts ?? {}).sort(), [...want.exposedPorts].sort());
    for (const [k, v] of Object.entries(want.labels)) assert.equal(got.Labels?.[k], v, `label ${k}`);
    for (const [k, v] of Object.entries(want.env)) assert.ok(got.Env?.includes(`${k}=${v}`), `env ${k}`);
    const path = got.Env?.find((e) => e.startsWith("PATH="));
    assert.ok(path?.split(/[=:]/).includes("/usr/local/bin"), `PATH holds node's folder: ${path}`);
  });

  it("holds node on PATH, the compiled entrypoint, production dependencies only and the uid 1000 user", () => {
    const image = readOciImage(archive as string);
    const paths = new Set(image.layers.flatMap((l) => layerPaths(archive as string, l)));
    for (const p of [
      "usr/local/bin/node",
      "app/dist/cli/main.js",
      "app/package.json",
      "app/node_modules/yaml/package.json",
      "home/node/",
    ])
      assert.ok(paths.has(p), `${p} in the image`);
    assert.ok(![...paths].some((p) => p.startsWith("app/node_modules/typescript/")), "no dev dependency");
    assert.ok(![...paths].some((p) => p.startsWith("app/src/")), "no TypeScript sources");
  });
});
