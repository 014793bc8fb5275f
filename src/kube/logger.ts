// Structured logging: JSON lines by default (one object per line: time, level, msg, then fields),
// or a human-readable text form. Context fields (controller, key, ...) are attached once with
// `with()` and carried by every line after. Every line passes through the secret redactor.

import { globalRedactor, type SecretRedactor } from "../secrets/redact.ts";
import { type Clock, systemClock } from "./clock.ts";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ["json", "text"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (later fields win over earlier ones). */
  with(fields: LogFields): Logger;
  /** Whether lines of `level` are written; lets callers skip building costly fields. */
  enabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where finished lines go (each ends with a newline). Default: standard error. */
  write?: (line: string) => void;
  clock?: Clock;
  redactor?: SecretRedactor;
  fields?: LogFields;
}

/** Parses a `--log-level` value, with an error that lists the accepted ones. */
export function parseLogLevel(value: string): LogLevel {
  const v = value.toLowerCase();
  if ((LOG_LEVELS as ReadonlyArray<string>).includes(v)) return v as LogLevel;
  throw new Error(`unknown log level "${value}": use one of ${LOG_LEVELS.join(", ")}`);
}

/** Parses a `--log-format` value, with an error that lists the accepted ones. */
export function parseLogFormat(value: string): LogFormat {
  const v = value.toLowerCase();
  if ((LOG_FORMATS as ReadonlyArray<string>).includes(v)) return v as LogFormat;
  throw new Error(`unknown log format "${value}": use one of ${LOG_FORMATS.join(", ")}`);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const sink: Sink = {
    minRank: LOG_LEVELS.indexOf(options.level ?? "info"),
    format: options.format ?? "json",
    write: options.write ?? ((line) => process.stderr.write(line)),
    clock: options.clock ?? systemClock,
    redactor: options.redactor ?? globalRedactor,
  };
  return makeLogger(sink, options.fields ?? {});
}

/** Discards everything; for tests and callers that do not care. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  with: () => silentLogger,
  enabled: () => false,
};

interface Sink {
  minRank: number;
  format: LogFormat;
  write: (line: string) => void;
  clock: Clock;
  redactor: SecretRedactor;
}

function makeLogger(sink: Sink, context: LogFields): Logger {
  const log = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(level) < sink.minRank) return;
    const time = new Date(sink.clock.now()).toISOString();
    const all = { ...context, ...fields };
    const line = sink.format === "json" ? jsonLine(time, level, msg, all) : textLine(time, level, msg, all);
    sink.write(`${sink.redactor.redact(line)}\n`);
  };
  return {
    debug: (msg, fields) => log("debug", msg, fields),
    info: (msg, fields) => log("info", msg, fields),
    warn: (msg, fields) => log("warn", msg, fields),
    error: (msg, fields) => log("error", msg, fields),
    with: (fields) => makeLogger(sink, { ...context, ...fields }),
    enabled: (level) => LOG_LEVELS.indexOf(level) >= sink.minRank,
  };
}

function jsonLine(time: string, level: LogLevel, msg: string, fields: LogFields): string {
  const record: LogFields = { time, level, msg };
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined && !(k in record)) record[k] = plain(v);
  }
  return safeStringify(record);
}

function textLine(time: string, level: LogLevel, msg: string, fields: LogFields): string {
  let line = `${time} ${level.toUpperCase().padEnd(5)} ${msg}`;
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    const p = plain(v);
    const s = typeof p === "string" ? p : safeStringify(p);
    line += ` ${k}=${/^[^\s"=]+$/.test(s) ? s : JSON.stringify(s)}`;
  }
  return line;
}

// Errors do not serialise with JSON.stringify; keep what helps a reader (name, message, code).
function plain(v: unknown): unknown {
  if (v instanceof Error) {
    const code = (v as { code?: unknown }).code;
    return code === undefined ? `${v.name}: ${v.message}` : `${v.name} (${String(code)}): ${v.message}`;
  }
  if (typeof v === "bigint") return v.toString();
  return v;
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
