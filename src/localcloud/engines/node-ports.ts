// Which port a (re)starting node gets: the one asked for, else the one it had, else a free one.
import type { PortAllocator } from "./ports.ts";
import { isPortFree } from "./ports.ts";

export interface PortChoice {
  port: number;
  /** True when the port was asked for explicitly (then a busy port is an error, not a retry). */
  requested: boolean;
}

export async function choosePort(
  allocator: PortAllocator,
  host: string,
  requested: number | undefined,
  previous: number | undefined,
  log: (line: string) => void,
  what: string,
): Promise<PortChoice> {
  if (requested !== undefined) {
    if (!(await isPortFree(host, requested))) {
      throw new Error(
        `${what}: port ${requested} on ${host} is already in use; stop what listens there or start the node without a port`,
      );
    }
    allocator.reserve(requested);
    return { port: requested, requested: true };
  }
  if (previous !== undefined) {
    if (await isPortFree(host, previous)) {
      allocator.reserve(previous);
      return { port: previous, requested: false };
    }
    log(`${what}: previous port ${previous} is taken by another process; using a new port`);
  }
  return { port: await allocator.allocate(), requested: false };
}
