// CPU and memory of a process from /proc (Linux): the same figures for a Node.js or a Go operator.
import { readFileSync } from "node:fs";

/** USER_HZ: /proc/PID/stat counts CPU time in 1/100 s on Linux. */
const CLK_TCK = 100;

export interface ProcStats {
  /** User + system CPU seconds since the process started. */
  cpuSeconds: number;
  /** Peak resident set (VmHWM). */
  peakRssMiB: number;
  /** Resident set now (VmRSS). */
  rssMiB: number;
}

/** The process's figures, or undefined once it is gone. */
export function procStats(pid: number): ProcStats | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the command name, field 3 (state) is index 0: utime (14) is 11, stime (15) is 12.
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { cpuSeconds, peakRssMiB: kb("VmHWM") / 1024, rssMiB: kb("VmRSS") / 1024 };
  } catch {
    return undefined;
  }
}

/** procStats that throws when the process is gone (the operator under test must be running). */
export function mustProcStats(pid: number): ProcStats {
  const s = procStats(pid);
  if (!s) throw new Error(`process ${pid} is gone`);
  return s;
}

/** 1-minute load average and the number of CPUs, for the caveat printed with every result. */
export function machineLoad(): string {
  try {
    const [one, five] = readFileSync("/proc/loadavg", "utf8").split(" ");
    const cpus = readFileSync("/proc/cpuinfo", "utf8").match(/^processor\s*:/gm)?.length ?? 0;
    return `load average ${one} (1 min), ${five} (5 min) on ${cpus} CPUs`;
  } catch {
    return "load unknown";
  }
}
