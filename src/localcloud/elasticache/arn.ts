// ElastiCache ARNs: arn:aws:elasticache:<region>:<account>:<kind>:<name>.

export type ResourceKind =
  | "cluster"
  | "replicationgroup"
  | "snapshot"
  | "subnetgroup"
  | "parametergroup"
  | "reserved-instance"
  | "user"
  | "usergroup"
  | "serverlesscache"
  | "serverlesscachesnapshot";

export function elasticacheArn(region: string, accountId: string, kind: ResourceKind, name: string): string {
  return `arn:aws:elasticache:${region}:${accountId}:${kind}:${name}`;
}

export function parseElasticacheArn(
  arn: string,
): { region: string; accountId: string; kind: string; name: string } | undefined {
  const m = /^arn:aws:elasticache:([a-z0-9-]+):(\d{12}):([a-z-]+):(.+)$/.exec(arn);
  if (m === null) return undefined;
  return { region: m[1] as string, accountId: m[2] as string, kind: m[3] as string, name: m[4] as string };
}
