// Pure slot arithmetic for Redis Cluster: even spreading of the 16384 hash slots, and the
// smallest set of slot moves that makes a given list of primaries own them evenly.
export const slotCount = 16384;

export type SlotRange = [start: number, end: number];

/** Quota of shard `index` out of `shards`: 16384 split as evenly as possible, extras first. */
export function slotQuota(index: number, shards: number): number {
  return Math.floor(slotCount / shards) + (index < slotCount % shards ? 1 : 0);
}

/** Contiguous, even ranges for a new cluster: shard i gets the i-th range. */
export function evenSlotRanges(shards: number): SlotRange[] {
  if (shards < 1) throw new Error("a cluster needs at least one shard");
  const ranges: SlotRange[] = [];
  let start = 0;
  for (let i = 0; i < shards; i++) {
    const size = slotQuota(i, shards);
    ranges.push([start, start + size - 1]);
    start += size;
  }
  return ranges;
}

/** Sorted slot numbers as inclusive ranges. */
export function slotsToRanges(slots: readonly number[]): SlotRange[] {
  const sorted = [...slots].sort((a, b) => a - b);
  const ranges: SlotRange[] = [];
  for (const slot of sorted) {
    const last = ranges.at(-1);
    if (last && slot === last[1] + 1) last[1] = slot;
    else ranges.push([slot, slot]);
  }
  return ranges;
}

export interface SlotMove {
  slot: number;
  /** Current owner; undefined when the slot is unassigned. */
  from: string | undefined;
  to: string;
}

/**
 * Moves that make exactly `targets` own all slots, each within one slot of an even share,
 * moving as few slots as possible: a target keeps what it has up to its quota; slots of
 * non-targets, unassigned slots and each target's excess (its highest slots) go to the
 * targets below quota, lowest slot first.
 * `owners[slot]` is the current owner of each slot (undefined: unassigned).
 */
export function planRebalance(
  owners: readonly (string | undefined)[],
  targets: readonly string[],
): SlotMove[] {
  if (targets.length === 0) throw new Error("a cluster needs at least one shard");
  if (new Set(targets).size !== targets.length) throw new Error("a primary appears twice in the shard list");
  const owned = new Map<string, number[]>(targets.map((t) => [t, []]));
  const pool: number[] = [];
  for (let slot = 0; slot < slotCount; slot++) {
    const owner = owners[slot];
    const list = owner === undefined ? undefined : owned.get(owner);
    if (list) list.push(slot);
    else pool.push(slot);
  }
  const quotas = new Map<string, number>();
  // Larger quotas go to the targets that already hold the most, so fewer slots move.
  const bySize = [...targets].sort((a, b) => (owned.get(b)?.length ?? 0) - (owned.get(a)?.length ?? 0));
  bySize.forEach((target, index) => {
    quotas.set(target, slotQuota(index, targets.length));
  });
  for (const target of targets) {
    const list = owned.get(target) ?? [];
    const quota = quotas.get(target) ?? 0;
    if (list.length > quota) pool.push(...list.splice(quota));
  }
  pool.sort((a, b) => a - b);
  const moves: SlotMove[] = [];
  let next = 0;
  for (const target of targets) {
    const missing = (quotas.get(target) ?? 0) - (owned.get(target)?.length ?? 0);
    for (let i = 0; i < missing; i++) {
      const slot = pool[next++];
      if (slot === undefined) throw new Error("internal error: slot pool exhausted while rebalancing");
      if (owners[slot] !== target) moves.push({ slot, from: owners[slot], to: target });
    }
  }
  return moves;
}

/**
 * Moves that make each target own exactly the slots it was given (an explicit layout, e.g.
 * NodeGroupConfiguration Slots), whoever owns them now.
 */
export function planAssignment(
  owners: readonly (string | undefined)[],
  targets: readonly { id: string; slots: readonly SlotRange[] }[],
): SlotMove[] {
  const moves: SlotMove[] = [];
  for (const target of targets) {
    for (const [start, end] of target.slots) {
      for (let slot = start; slot <= end; slot++) {
        if (owners[slot] !== target.id) moves.push({ slot, from: owners[slot], to: target.id });
      }
    }
  }
  return moves;
}

export interface ClusterNodeEntry {
  id: string;
  host: string;
  port: number;
  flags: string[];
  /** The primary's id for replicas; undefined for primaries. */
  primaryId: string | undefined;
  linkState: string;
  slots: SlotRange[];
}

/** Parses the text of CLUSTER NODES (migrating/importing markers are ignored). */
export function parseClusterNodes(text: string): ClusterNodeEntry[] {
  const entries: ClusterNodeEntry[] = [];
  for (const line of text.split("\n")) {
    const fields = line.trim().split(" ");
    if (fields.length < 8) continue;
    const [id = "", address = "", flags = "", primary = "-", , , , linkState = "", ...slotFields] = fields;
    const hostPort = address.split("@")[0] ?? "";
    const colon = hostPort.lastIndexOf(":");
    const slots: SlotRange[] = [];
    for (const field of slotFields) {
      if (field.startsWith("[")) continue;
      const [start, end] = field.split("-").map(Number);
      if (start === undefined || Number.isNaN(start)) continue;
      slots.push([start, end ?? start]);
    }
    entries.push({
      id,
      host: hostPort.slice(0, colon),
      port: Number(hostPort.slice(colon + 1)),
      flags: flags.split(","),
      primaryId: primary === "-" ? undefined : primary,
      linkState,
      slots,
    });
  }
  return entries;
}

/** Slot → owner id table from parsed CLUSTER NODES. */
export function slotOwners(entries: readonly ClusterNodeEntry[]): (string | undefined)[] {
  const owners: (string | undefined)[] = new Array(slotCount).fill(undefined);
  for (const entry of entries) {
    for (const [start, end] of entry.slots) {
      for (let slot = start; slot <= end; slot++) owners[slot] = entry.id;
    }
  }
  return owners;
}
