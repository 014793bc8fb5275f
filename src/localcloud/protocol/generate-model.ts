// Generates `model.generated.json`: the compact part of the AWS service models (botocore's
// service-2.json for ElastiCache 2015-02-02, STS 2011-06-15, Application Auto Scaling 2016-02-06 and
// CloudWatch 2010-08-01 and the Resource Groups Tagging API 2017-01-26, keyed by their SigV4 signing names)
// that the local cloud needs to parse Query-protocol (and JSON 1.1) requests and serialize responses: operations, shapes (members with their
// serialized names, list member names, required members, enums) and error codes with HTTP statuses.
// Documentation strings are dropped. Run by hand when the model should be refreshed:
//
//   node src/localcloud/protocol/generate-model.ts [BOTOCORE_DATA_DIR]
//   node src/localcloud/protocol/generate-model.ts --check     (exit 1 when the committed file differs)
//
// BOTOCORE_DATA_DIR defaults to the first of the Debian awscli / python3-botocore data folders found;
// the committed file names the botocore release it came from ("source"). Newer is better (the SDK
// sends members that older models lack): `pip download botocore --no-deps`, unzip the wheel and pass
// its botocore/data folder.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { CompactModel, CompactService, Shape } from "./model-types.ts";

const candidates = [
  "/usr/lib/python3/dist-packages/awscli/botocore/data",
  "/usr/lib/python3/dist-packages/botocore/data",
];
const services = [
  { key: "elasticache", path: "elasticache/2015-02-02/service-2.json" },
  { key: "sts", path: "sts/2011-06-15/service-2.json" },
  { key: "application-autoscaling", path: "application-autoscaling/2016-02-06/service-2.json" },
  { key: "monitoring", path: "cloudwatch/2010-08-01/service-2.json" },
  { key: "tagging", path: "resourcegroupstaggingapi/2017-01-26/service-2.json" },
] as const;
const outFile = new URL("./model.generated.json", import.meta.url);

interface RawMember {
  shape: string;
  locationName?: string;
}
interface RawShape {
  type: string;
  key?: RawMember;
  value?: RawMember;
  members?: Record<string, RawMember>;
  member?: RawMember;
  required?: string[];
  enum?: string[];
  flattened?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  exception?: boolean;
}
interface RawOperation {
  input?: { shape: string };
  output?: { shape: string; resultWrapper?: string };
  errors?: { shape: string }[];
}
interface RawModel {
  metadata: { apiVersion: string; xmlNamespace?: string; protocol: string; targetPrefix?: string };
  operations: Record<string, RawOperation>;
  shapes: Record<string, RawShape>;
}

function compactShape(raw: RawShape): Shape {
  switch (raw.type) {
    case "structure": {
      const members: Record<string, { shape: string; name?: string }> = {};
      for (const [name, m] of Object.entries(raw.members ?? {})) {
        members[name] =
          m.locationName && m.locationName !== name
            ? { shape: m.shape, name: m.locationName }
            : { shape: m.shape };
      }
      return {
        type: "structure",
        members,
        ...(raw.required?.length ? { required: raw.required } : {}),
      };
    }
    case "list":
      return {
        type: "list",
        member: raw.member?.shape ?? "String",
        ...(raw.member?.locationName ? { memberName: raw.member.locationName } : {}),
        ...(raw.flattened ? { flattened: true } : {}),
      };
    case "map":
      return {
        type: "map",
        key: raw.key?.shape ?? "String",
        value: raw.value?.shape ?? "String",
        ...(raw.key?.locationName ? { keyName: raw.key.locationName } : {}),
        ...(raw.value?.locationName ? { valueName: raw.value.locationName } : {}),
        ...(raw.flattened ? { flattened: true } : {}),
      };
    case "string":
      return raw.enum ? { type: "string", enum: raw.enum } : { type: "string" };
    case "integer":
    case "long":
      return { type: "integer" };
    case "double":
    case "float":
      return { type: "double" };
    case "boolean":
      return { type: "boolean" };
    case "timestamp":
      return { type: "timestamp" };
    case "blob":
      // Base64 text on the wire (CloudWatch's GetMetricWidgetImage, which the local cloud does not serve).
      return { type: "string" };
    default:
      throw new Error(`unsupported shape type "${raw.type}"`);
  }
}

function compactService(raw: RawModel): CompactService {
  const service: CompactService = {
    version: raw.metadata.apiVersion,
    ...(raw.metadata.xmlNamespace !== undefined ? { xmlNamespace: raw.metadata.xmlNamespace } : {}),
    ...(raw.metadata.targetPrefix !== undefined ? { targetPrefix: raw.metadata.targetPrefix } : {}),
    operations: {},
    shapes: {},
    errors: {},
  };
  for (const [name, op] of Object.entries(raw.operations)) {
    service.operations[name] = {
      ...(op.input ? { input: op.input.shape } : {}),
      ...(op.output ? { output: op.output.shape } : {}),
      ...(op.output?.resultWrapper ? { resultWrapper: op.output.resultWrapper } : {}),
      errors: (op.errors ?? []).map((e) => e.shape),
    };
  }
  for (const [name, shape] of Object.entries(raw.shapes)) {
    if (shape.exception || shape.error) {
      service.errors[name] = {
        code: shape.error?.code ?? name,
        status: shape.error?.httpStatusCode ?? 400,
        sender: shape.error?.senderFault ?? true,
      };
      continue;
    }
    service.shapes[name] = compactShape(shape);
  }
  return service;
}

/** Newer botocore releases ship the models gzipped. */
function readModel(file: string): RawModel {
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as RawModel;
  if (existsSync(`${file}.gz`))
    return JSON.parse(gunzipSync(readFileSync(`${file}.gz`)).toString("utf8")) as RawModel;
  throw new Error(`no ${file}[.gz]: is this a botocore data folder?`);
}

/** "botocore 1.44.8", read from the package beside the data folder, so the file says what it came from. */
function botocoreVersion(dataDir: string): string {
  const init = join(dirname(dataDir), "__init__.py");
  const m = existsSync(init) ? /__version__\s*=\s*['"]([^'"]+)['"]/.exec(readFileSync(init, "utf8")) : null;
  return m ? `botocore ${m[1]}` : `botocore data at ${dataDir}`;
}

export function buildModel(dataDir: string): CompactModel {
  const model: Partial<CompactModel> = { source: botocoreVersion(dataDir) };
  for (const s of services) {
    model[s.key] = compactService(readModel(join(dataDir, s.path)));
  }
  return model as CompactModel;
}

/** The project's formatter decides the layout, so `biome check` and `--check` agree. */
function formatted(json: string): string {
  const result = spawnSync("npx", ["biome", "format", "--stdin-file-path=model.generated.json"], {
    input: json,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`biome format failed: ${result.stderr}`);
  return result.stdout;
}

function main(argv: string[]): number {
  const check = argv.includes("--check");
  const dataDir = argv.find((a) => !a.startsWith("--")) ?? candidates.find((c) => existsSync(c));
  if (dataDir === undefined) {
    process.stderr.write(
      "generate-model: no botocore data folder found; install one (apt-get install -y python3-botocore) or pass its path\n",
    );
    return 2;
  }
  const text = formatted(JSON.stringify(buildModel(dataDir)));
  if (check) {
    const current = existsSync(outFile) ? readFileSync(outFile, "utf8") : "";
    if (current !== text) {
      process.stderr.write("generate-model: model.generated.json is out of date; run the generator\n");
      return 1;
    }
    return 0;
  }
  writeFileSync(outFile, text);
  process.stdout.write(`wrote ${outFile.pathname} from ${dataDir}\n`);
  return 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
