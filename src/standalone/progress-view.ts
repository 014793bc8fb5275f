// Live progress of several clusters: on a terminal one line per cluster, redrawn in place (and the
// elapsed time ticking); otherwise a plain line whenever a cluster's phase or AWS status changes.
import type { DriveProgress } from "./drive-cluster.ts";

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function progressLine(p: DriveProgress, nameWidth = 0): string {
  const seconds = Math.floor(p.elapsedMs / 1000);
  const elapsed =
    seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`;
  return `${p.name.padEnd(nameWidth)}  ${p.phase.padEnd(12)} aws: ${p.awsStatus.padEnd(10)} ${elapsed.padStart(6)}`;
}

export class ProgressView {
  readonly #out: ProgressOutput;
  readonly #tty: boolean;
  readonly #rows = new Map<string, { p: DriveProgress; at: number; done: boolean }>();
  readonly #lastPlain = new Map<string, string>();
  #drawn = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(out: ProgressOutput, names: string[]) {
    this.#out = out;
    this.#tty = out.isTTY === true;
    for (const name of names) {
      this.#rows.set(name, {
        p: { name, phase: "Pending", awsStatus: "-", message: "", elapsedMs: 0 },
        at: Date.now(),
        done: false,
      });
    }
    if (this.#tty) {
      this.#draw();
      this.#timer = setInterval(() => this.#draw(), 1000);
      this.#timer.unref();
    }
  }

  update(p: DriveProgress): void {
    this.#rows.set(p.name, { p, at: Date.now(), done: this.#rows.get(p.name)?.done ?? false });
    if (this.#tty) {
      this.#draw();
      return;
    }
    const key = `${p.phase}|${p.awsStatus}`;
    if (this.#lastPlain.get(p.name) === key) return;
    this.#lastPlain.set(p.name, key);
    this.#out.write(`${progressLine(p)}${p.message && p.phase !== "Ready" ? `  ${p.message}` : ""}\n`);
  }

  /** Freezes a cluster's elapsed time (it finished). */
  done(name: string): void {
    const row = this.#rows.get(name);
    if (row) row.done = true;
    if (this.#tty) this.#draw();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#tty) this.#draw();
  }

  #draw(): void {
    const width = Math.max(...[...this.#rows.keys()].map((n) => n.length));
    const lines = [...this.#rows.values()].map(({ p, at, done }) =>
      progressLine({ ...p, elapsedMs: p.elapsedMs + (done ? 0 : Date.now() - at) }, width),
    );
    const up = this.#drawn > 0 ? `\x1b[${this.#drawn}A` : "";
    this.#out.write(`${up}${lines.map((l) => `\r\x1b[2K${l}\n`).join("")}`);
    this.#drawn = lines.length;
  }
}
