// Engine versions compare by what the user wrote: "7.0" is satisfied by "7.0.7", so a
// patch-level upgrade by AWS is never reported as drift.

function parts(version: string): number[] {
  return version.split(".").map((p) => Number.parseInt(p, 10) || 0);
}

/** True when `observed` starts with every component of `wanted` ("7.0" ~ "7.0.7", not "7.1"). */
export function versionSatisfies(wanted: string, observed: string): boolean {
  const w = parts(wanted);
  const o = parts(observed);
  return w.every((n, i) => o[i] === n);
}

/** Negative when a < b, compared over the components both have. */
export function compareVersions(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
