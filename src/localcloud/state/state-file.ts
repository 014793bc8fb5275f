// Loads and saves the whole state as one JSON document (<data-dir>/state.json), atomically.
// The state is small (hundreds of resources at most), so a full rewrite per change is simple and safe.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.ts";
import { emptyState, type PersistedState } from "./records.ts";

/** Events older than this many are dropped (AWS keeps 14 days; we keep a count). */
const maxEvents = 5000;

export class StateFile {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, "state.json");
  }

  load(): PersistedState {
    if (!existsSync(this.path)) return emptyState();
    try {
      const parsed = JSON.parse(readFileSync(this.path, "utf8")) as PersistedState;
      return { ...emptyState(), ...parsed };
    } catch (e) {
      throw new Error(
        `cannot read the local cloud state ${this.path}: ${(e as Error).message}; move the file away to start empty`,
      );
    }
  }

  save(state: PersistedState): void {
    if (state.events.length > maxEvents) state.events.splice(0, state.events.length - maxEvents);
    writeFileAtomic(this.path, JSON.stringify(state));
  }
}
