// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
// exposition format 0.0.4. Written here rather than pulled in as a dependency because the
// operator needs only these three types and no default process collectors.

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type Labels = Record<string, string>;

interface Metric {
  readonly name: string;
  render(): string;
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class Registry {
  #metrics = new Map<string, Metric>();

  counter(name: string, help: string, labelNames: ReadonlyArray<string> = []): Counter {
    return this.#register(new Counter(name, help, labelNames));
  }

  gauge(name: string, help: string, labelNames: ReadonlyArray<string> = []): Gauge {
    return this.#register(new Gauge(name, help, labelNames));
  }

  histogram(
    name: string,
    help: string,
    labelNames: ReadonlyArray<string> = [],
    buckets: ReadonlyArray<number> = DEFAULT_BUCKETS,
  ): Histogram {
    return this.#register(new Histogram(name, help, labelNames, buckets));
  }

  /** The whole registry in the text exposition format. */
  render(): string {
    return [...this.#metrics.values()].map((m) => m.render()).join("");
  }

  #register<M extends Metric>(metric: M): M {
    if (this.#metrics.has(metric.name)) {
      throw new Error(`metric ${metric.name} is registered twice: create it once and share it`);
    }
    this.#metrics.set(metric.name, metric);
    return metric;
  }
}

/** Seconds; suits reconcile and API call durations (5 ms to 1 min). */
export const DEFAULT_BUCKETS: ReadonlyArray<number> = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

abstract class LabelledMetric<V> implements Metric {
  readonly name: string;
  readonly help: string;
  readonly labelNames: ReadonlyArray<string>;
  protected series = new Map<string, { labels: Labels; value: V }>();

  constructor(name: string, help: string, labelNames: ReadonlyArray<string>) {
    if (!NAME_RE.test(name)) throw new Error(`invalid metric name "${name}"`);
    for (const l of labelNames) {
      if (!LABEL_RE.test(l) || l.startsWith("__")) throw new Error(`invalid label name "${l}" on ${name}`);
    }
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }

  protected abstract initial(): V;
  abstract render(): string;

  protected entry(labels: Labels): { labels: Labels; value: V } {
    const key = this.#key(labels);
    let e = this.series.get(key);
    if (e === undefined) {
      e = { labels: this.#pick(labels), value: this.initial() };
      this.series.set(key, e);
    }
    return e;
  }

  protected header(type: string): string {
    return `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${type}\n`;
  }

  #pick(labels: Labels): Labels {
    const out: Labels = {};
    for (const n of this.labelNames) out[n] = labels[n] ?? "";
    return out;
  }

  #key(labels: Labels): string {
    for (const k of Object.keys(labels)) {
      if (!this.labelNames.includes(k)) throw new Error(`metric ${this.name} has no label "${k}"`);
    }
    return JSON.stringify(this.labelNames.map((n) => labels[n] ?? ""));
  }
}

export class Counter extends LabelledMetric<number> {
  protected initial(): number {
    return 0;
  }

  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error(`counter ${this.name} cannot decrease (inc by ${by})`);
    this.entry(labels).value += by;
  }

  get(labels: Labels = {}): number {
    return this.entry(labels).value;
  }

  render(): string {
    let out = this.header("counter");
    for (const { labels, value } of this.series.values()) out += sample(this.name, labels, value);
    return out;
  }
}

export class Gauge extends LabelledMetric<number> {
  #collectors: Array<() => void> = [];

  protected initial(): number {
    return 0;
  }

  set(labels: Labels, value: number): void {
    this.entry(labels).value = value;
  }

  inc(labels: Labels = {}, by = 1): void {
    this.entry(labels).value += by;
  }

  dec(labels: Labels = {}, by = 1): void {
    this.entry(labels).value -= by;
  }

  get(labels: Labels = {}): number {
    return this.entry(labels).value;
  }

  /** Drops every series: a collector that rebuilds the gauge at scrape time starts with this. */
  reset(): void {
    this.series.clear();
  }

  /** Runs `collect` before every render, to read values (such as a queue depth) at scrape time. */
  onCollect(collect: () => void): void {
    this.#collectors.push(collect);
  }

  render(): string {
    for (const c of this.#collectors) c();
    let out = this.header("gauge");
    for (const { labels, value } of this.series.values()) out += sample(this.name, labels, value);
    return out;
  }
}

interface HistogramValue {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends LabelledMetric<HistogramValue> {
  readonly buckets: ReadonlyArray<number>;

  constructor(name: string, help: string, labelNames: ReadonlyArray<string>, buckets: ReadonlyArray<number>) {
    if (labelNames.includes("le")) throw new Error(`histogram ${name} cannot use the label "le"`);
    super(name, help, labelNames);
    this.buckets = [...buckets].sort((a, b) => a - b);
  }

  protected initial(): HistogramValue {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }

  observe(labels: Labels, value: number): void {
    const v = this.entry(labels).value;
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= (this.buckets[i] ?? Number.POSITIVE_INFINITY)) v.counts[i] = (v.counts[i] ?? 0) + 1;
    }
    v.sum += value;
    v.count += 1;
  }

  /** Count and sum of observations for `labels`. */
  get(labels: Labels = {}): { count: number; sum: number } {
    const v = this.entry(labels).value;
    return { count: v.count, sum: v.sum };
  }

  render(): string {
    let out = this.header("histogram");
    for (const { labels, value } of this.series.values()) {
      this.buckets.forEach((b, i) => {
        out += sample(`${this.name}_bucket`, { ...labels, le: formatNumber(b) }, value.counts[i] ?? 0);
      });
      out += sample(`${this.name}_bucket`, { ...labels, le: "+Inf" }, value.count);
      out += sample(`${this.name}_sum`, labels, value.sum);
      out += sample(`${this.name}_count`, labels, value.count);
    }
    return out;
  }
}

function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `${name}${pairs.length > 0 ? `{${pairs.join(",")}}` : ""} ${formatNumber(value)}\n`;
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}
