// SDK clients that only some paths need are imported on first use, not at start: every client
// package brings its schemas and command classes, and a process that never scales or scans tags
// should not hold them (issue 13: peak RSS at 100 caches). ElastiCache and STS stay static, every
// provider uses them at once. Types come from `import type`, which costs nothing at run time.
//
// The returned function imports once and hands every caller the same module; a failed import is
// forgotten so the next call tries again.
export function lazyImport<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}

/** Application Auto Scaling: only for caches with spec.autoScaling. */
export const autoScalingSdk = lazyImport(() => import("@aws-sdk/client-application-auto-scaling"));
/** Resource Groups Tagging API: only when the batched tag scan runs. */
export const taggingSdk = lazyImport(() => import("@aws-sdk/client-resource-groups-tagging-api"));
