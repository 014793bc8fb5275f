// ElastiCacheSnapshot manifests the API server must refuse (rows of src/api/invalid-cases.ts), and
// ElastiCacheCluster's restoreFromSnapshot.
import { type InvalidRow, manifestOf } from "../../api/invalid-row.ts";

const snapshot = (name: string, spec: Record<string, unknown>) =>
  manifestOf("ElastiCacheSnapshot", name, {
    providerRef: { name: "localstack" },
    snapshotName: "app-backup",
    ...spec,
  });

const cluster = (name: string, spec: Record<string, unknown>) =>
  manifestOf("ElastiCacheCluster", name, {
    providerRef: { name: "localstack" },
    clusterID: name,
    engine: "redis",
    engineVersion: "7.0",
    nodeType: "cache.t3.micro",
    ...spec,
  });

export const snapshotInvalidRows: InvalidRow[] = [
  [
    "snapshot without a source",
    snapshot("snap1", {}),
    "spec.clusterID",
    "give exactly one of clusterID (the cache's ID in AWS) or clusterRef",
  ],
  [
    "snapshot with clusterID and clusterRef",
    snapshot("snap2", { clusterID: "app", clusterRef: { name: "app" } }),
    "spec.clusterID",
    "give exactly one of clusterID (the cache's ID in AWS) or clusterRef",
  ],
  [
    "snapshot name with an underscore",
    snapshot("snap3", { snapshotName: "app_backup", clusterID: "app" }),
    "spec.snapshotName",
    "snapshotName must be letters, digits and hyphens",
  ],
  [
    "snapshot name with a trailing hyphen",
    snapshot("snap4", { snapshotName: "app-", clusterID: "app" }),
    "spec.snapshotName",
    "snapshotName must be letters, digits and hyphens",
  ],
  [
    "snapshot clusterID with a dot",
    snapshot("snap5", { clusterID: "app.cache" }),
    "spec.clusterID",
    "clusterID must be the cache's ID in AWS",
  ],
  [
    "snapshot deletionPolicy Snapshot",
    snapshot("snap6", { clusterID: "app", deletionPolicy: "Snapshot" }),
    "spec.deletionPolicy",
    'Unsupported value: "Snapshot"',
  ],
  [
    "memcached cluster restoreFromSnapshot",
    cluster("rsc1", { engine: "memcached", engineVersion: "1.6.22", restoreFromSnapshot: "app-backup" }),
    "spec.restoreFromSnapshot",
    "memcached has no snapshots to restore",
  ],
];
