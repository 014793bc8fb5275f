// What apply prints for a Ready cluster or serverless cache: endpoint, connection URL (a placeholder
// names the Secret holding the token, or the user group whose users log in; no secret is ever
// printed) and a ready-to-run client command. It stands in for the operator's connection Secret,
// which the standalone CLI has no Kubernetes to write to.
import type { ElastiCacheClusterSpec, ElastiCacheClusterStatus } from "../api/elasticache-cluster.ts";
import type { ServerlessCacheSpec, ServerlessCacheStatus } from "../kinds/serverless-cache/schema.ts";

export interface SummaryContext {
  /** CA file of the local cloud, for TLS endpoints it serves. */
  caFile?: string;
}

export function connectionSummary(
  name: string,
  spec: ElastiCacheClusterSpec,
  status: ElastiCacheClusterStatus,
  context: SummaryContext = {},
): string[] {
  const main = status.configurationEndpoint ?? status.primaryEndpoint ?? firstNode(status);
  if (main === undefined) return [`${name}: no endpoint reported yet`];
  const hostPort = `${main.address}:${main.port}`;
  const lines = [`${name}: ${spec.engine} ${status.engineVersion ?? spec.engineVersion} at ${hostPort}`];
  if (spec.engine === "memcached") {
    lines.push(`  url:  memcached://${hostPort}`);
    lines.push(`  try:  printf 'version\\r\\nquit\\r\\n' | nc ${main.address} ${main.port}`);
    return lines;
  }
  if (status.readerEndpoint) {
    lines.push(`  reader endpoint: ${status.readerEndpoint.address}:${status.readerEndpoint.port}`);
  }
  const tls = spec.transitEncryptionEnabled === true;
  const ref = spec.authTokenRef;
  const auth = ref ? `:<token from Secret ${ref.name}, key ${ref.key}>@` : "";
  lines.push(`  url:  ${tls ? "rediss" : "redis"}://${auth}${hostPort}`);
  const args = ["redis-cli", "-h", main.address, "-p", String(main.port)];
  if (status.configurationEndpoint) args.push("-c");
  if (tls) args.push("--tls", ...(context.caFile ? ["--cacert", context.caFile] : []));
  if (ref) args.push("--askpass");
  args.push("PING");
  lines.push(
    `  try:  ${args.join(" ")}${ref ? `   (enter the token from Secret ${ref.name} when asked)` : ""}`,
  );
  return lines;
}

function firstNode(status: ElastiCacheClusterStatus): { address: string; port: number } | undefined {
  const node = status.nodeEndpoints?.[0];
  return node ? { address: node.address, port: node.port } : undefined;
}

/**
 * The same for a serverless cache: always TLS; with a user group, clients log in as one of its users
 * (the command asks for the password), without one they are the default user.
 */
export function serverlessConnectionSummary(
  name: string,
  spec: ServerlessCacheSpec,
  status: ServerlessCacheStatus,
  context: SummaryContext = {},
): string[] {
  const main = status.endpoint;
  if (main === undefined) return [`${name}: no endpoint reported yet`];
  const hostPort = `${main.address}:${main.port}`;
  const version = status.fullEngineVersion ?? status.majorEngineVersion ?? spec.majorEngineVersion;
  const lines = [`${name}: serverless ${spec.engine}${version ? ` ${version}` : ""} at ${hostPort} (TLS)`];
  const cacert = context.caFile ? ["--cacert", context.caFile] : [];
  if (spec.engine === "memcached") {
    lines.push(`  url:  memcached://${hostPort}`);
    const caOption = context.caFile ? ` -CAfile ${context.caFile}` : "";
    lines.push(
      `  try:  printf 'version\\r\\nquit\\r\\n' | openssl s_client -quiet -connect ${hostPort}${caOption}`,
    );
    return lines;
  }
  if (status.readerEndpoint) {
    lines.push(`  reader endpoint: ${status.readerEndpoint.address}:${status.readerEndpoint.port}`);
  }
  const group = status.userGroupID ?? spec.userGroupID;
  const auth = group ? `<user of user group ${group}>:<its password>@` : "";
  lines.push(`  url:  rediss://${auth}${hostPort}`);
  const args = ["redis-cli", "-h", main.address, "-p", String(main.port), "--tls", ...cacert];
  if (group) args.push("--user", "<user>", "--askpass");
  args.push("PING");
  lines.push(
    `  try:  ${args.join(" ")}${group ? `   (a user of user group ${group}; enter its password when asked)` : ""}`,
  );
  return lines;
}
