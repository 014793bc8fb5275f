// Loads and saves the whole state as one JSON document (<data-dir>/state.json), atomically.
// The state is small (hundreds of resources at most), so a full rewrite per change is simple and safe.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.ts";
import type { PersistedState } from "./records.ts";
import { emptyWorld, normalizeWorld, type WorldState, worldFromFlatState } from "./world.ts";

/** Events older than this many are dropped, per account and region (AWS keeps 14 days; we keep a count). */
const maxEvents = 5000;

export class StateFile {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, "state.json");
  }

  load(): WorldState {
    if (!existsSync(this.path)) return emptyWorld();
    try {
      const parsed = JSON.parse(readFileSync(this.path, "utf8")) as WorldState | PersistedState;
      return parsed.version === 2 ? normalizeWorld(parsed) : worldFromFlatState(parsed);
    } catch (e) {
      throw new Error(
        `cannot read the local cloud state ${this.path}: ${(e as Error).message}; move the file away to start empty`,
      );
    }
  }

  save(world: WorldState): void {
    for (const state of Object.values(world.scopes)) {
      if (state.events.length > maxEvents) state.events.splice(0, state.events.length - maxEvents);
    }
    writeFileAtomic(this.path, JSON.stringify(world));
  }
}
