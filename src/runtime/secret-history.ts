// What this process saw of an object's Secret values: the current ones and, per input, the value
// before its last change. A kind that must keep the old password next to the new one while
// clients switch (ElastiCacheUser) needs the old value after the Secret already holds the new one;
// it is never written anywhere (only this process's memory), so after a restart it is unknown.

export interface SecretValues {
  /** The values now, in the order of the kind's secretInputs. */
  current: string[];
  /** Per input, its value before its last change (undefined when not seen by this process). */
  previous: (string | undefined)[];
}

export class SecretHistory {
  readonly #seen = new Map<string, { uid: string; values: SecretValues }>();

  /** Records the values read now for the object and returns them with the previous ones. */
  observe(key: string, uid: string, current: string[]): SecretValues {
    const last = this.#seen.get(key);
    const before = last?.uid === uid ? last.values : undefined;
    const previous = current.map((value, i) => {
      if (before === undefined) return undefined;
      const was = before.current[i];
      return was !== undefined && was !== value ? was : before.previous[i];
    });
    const values = { current, previous };
    this.#seen.set(key, { uid, values });
    return values;
  }

  forget(key: string): void {
    this.#seen.delete(key);
  }
}
