import assert from "node:assert/strict";
import { test } from "node:test";
import { SecretRedactor } from "../secrets/redact.ts";
import { FakeClock } from "./fake-clock.ts";
import { createLogger, parseLogLevel } from "./logger.ts";

function capture(options: Parameters<typeof createLogger>[0] = {}) {
  const lines: string[] = [];
  const logger = createLogger({ clock: new FakeClock(0), write: (l) => lines.push(l), ...options });
  return { logger, lines };
}

test("JSON lines carry time, level, message, context and call fields", () => {
  const { logger, lines } = capture();
  logger.with({ controller: "cache", key: "ns/a" }).info("reconciled", { ms: 12 });
  assert.equal(lines.length, 1);
  assert.ok(lines[0]?.endsWith("\n"));
  assert.deepEqual(JSON.parse(lines[0] ?? ""), {
    time: "1970-01-01T00:00:00.000Z",
    level: "info",
    msg: "reconciled",
    controller: "cache",
    key: "ns/a",
    ms: 12,
  });
});

test("lines below the level are dropped", () => {
  const { logger, lines } = capture({ level: "warn" });
  logger.info("quiet");
  logger.debug("quieter");
  logger.error("loud");
  assert.equal(lines.length, 1);
  assert.equal(logger.enabled("info"), false);
  assert.equal(logger.enabled("error"), true);
});

test("text format quotes values with spaces and renders errors", () => {
  const { logger, lines } = capture({ format: "text" });
  logger.warn("retrying", { key: "ns/a", err: new Error("boom went it") });
  assert.equal(lines[0], '1970-01-01T00:00:00.000Z WARN  retrying key=ns/a err="Error: boom went it"\n');
});

test("registered secrets never reach the output", () => {
  const redactor = new SecretRedactor();
  redactor.add("s3cr3t-token-value");
  const { logger, lines } = capture({ redactor });
  logger.error("auth failed", { detail: "token s3cr3t-token-value rejected" });
  assert.ok(!lines[0]?.includes("s3cr3t-token-value"));
  assert.ok(lines[0]?.includes("[REDACTED]"));
});

test("parseLogLevel names the accepted values", () => {
  assert.equal(parseLogLevel("DEBUG"), "debug");
  assert.throws(() => parseLogLevel("loud"), /use one of debug, info, warn, error/);
});
