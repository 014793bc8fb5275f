// What apply prints for a Ready cluster: endpoint, connection URL (a placeholder names the Secret
// holding the token; the token itself is never printed) and a ready-to-run client command.
import type { ElastiCacheClusterSpec, ElastiCacheClusterStatus } from "../api/elasticache-cluster.ts";

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
