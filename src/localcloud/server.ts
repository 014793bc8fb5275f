// The local cloud's HTTP front: admin endpoints, then for AWS calls SigV4 verification, routing by
// the credential scope's service (elasticache, sts or application-autoscaling), fault injection,
// IAM-style authorization, model-driven parsing, the handler, and an XML answer (Query protocol) or
// a JSON one (JSON 1.1 protocol, X-Amz-Target). One log line per request.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { clientAppId } from "./admin/call-counter.ts";
import type { AdminState } from "./admin/routes.ts";
import { handleAdmin } from "./admin/routes.ts";
import type { Handler, RequestContext } from "./context.ts";
import { notImplementedMessage } from "./coverage.ts";
import { accessDeniedMessage, evaluate } from "./iam/policy.ts";
import type { Principal, Principals } from "./iam/principals.ts";
import { AwsError } from "./protocol/errors.ts";
import {
  JsonValidationError,
  jsonContentType,
  jsonOperation,
  parseJsonInput,
  serializeJsonError,
  serializeJsonOutput,
} from "./protocol/json-protocol.ts";
import { type ServiceName, serviceModel, statusOfCode } from "./protocol/model.ts";
import { parseQueryInput } from "./protocol/query-input.ts";
import { serializeError, serializeResponse } from "./protocol/xml-output.ts";
import { queryParams, readBody, signableRequest } from "./request.ts";
import { hasAuthentication, parseAuth } from "./sigv4/parse-auth.ts";
import { verifySigV4 } from "./sigv4/verify.ts";

export interface ServiceEntry {
  handlers: Record<string, Handler>;
  /** The resource ARN to authorize; absent: the service authorizes inside its handlers. */
  resourceArn?: (action: string, ctx: RequestContext) => string;
  /** The service's prefix in IAM actions when it is not its signing name (CloudWatch: cloudwatch). */
  iamPrefix?: string;
}

export interface FrontOptions {
  services: Record<ServiceName, ServiceEntry>;
  principals: Principals;
  admin: AdminState;
  regions: string[] | undefined;
  /** Host names a request may be addressed to, besides the loopback names (e.g. the --host given). */
  allowedHosts: string[];
  log: (line: string) => void;
}

const loopbackNames = ["localhost", "127.0.0.1", "::1"];

/**
 * The host name a request is addressed to (Host header, port and IPv6 brackets removed).
 * Anything but a loopback name or a configured host is refused: a page of another site that
 * resolves its own name to 127.0.0.1 (DNS rebinding) must not reach the API or the admin routes.
 */
function checkHost(req: IncomingMessage, allowed: string[]): void {
  const raw = req.headers.host ?? "";
  const name = (
    raw.startsWith("[") ? raw.slice(1, raw.indexOf("]")) : raw.replace(/:\d+$/, "")
  ).toLowerCase();
  if (loopbackNames.includes(name) || /^127(\.\d{1,3}){3}$/.test(name) || allowed.includes(name)) return;
  throw new AwsError(
    "AccessDenied",
    `The Host header ${JSON.stringify(raw.slice(0, 80))} does not name this local cloud; use localhost, 127.0.0.1, ::1${allowed.length ? ` or ${allowed.join(", ")}` : ""}`,
    403,
  );
}
/** The services a credential scope may name. */
const signedServices: ServiceName[] = [
  "elasticache",
  "sts",
  "application-autoscaling",
  "monitoring",
  "tagging",
];
const isServiceName = (name: string): name is ServiceName => (signedServices as string[]).includes(name);

/** Actions that AWS accepts without a signature. */
const unsignedActions: Record<string, ServiceName> = { AssumeRoleWithWebIdentity: "sts" };

interface Outcome {
  service: string;
  action: string;
  caller: string;
  accessKeyId: string | undefined;
  /** The request used the JSON protocol (X-Amz-Target): errors are answered in JSON too. */
  json: boolean;
}

function sendXml(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, {
    "content-type": "text/xml",
    "x-amzn-requestid": requestId,
    date: new Date().toUTCString(),
  });
  res.end(xml);
}

function sendJson(res: ServerResponse, status: number, json: string, requestId: string, code?: string): void {
  res.writeHead(status, {
    "content-type": jsonContentType,
    "x-amzn-requestid": requestId,
    ...(code !== undefined ? { "x-amzn-errortype": code } : {}),
    date: new Date().toUTCString(),
  });
  res.end(json);
}

async function handleAws(req: IncomingMessage, body: Buffer, options: FrontOptions, outcome: Outcome) {
  const signable = signableRequest(req, body);
  const target = signable.headers["x-amz-target"];
  outcome.json = target !== undefined;
  const params = outcome.json ? new URLSearchParams() : queryParams(signable);
  let action = params.get("Action") ?? "";
  outcome.action = action || "-";
  let serviceName: ServiceName;
  let principal: Principal | undefined;
  let region = "us-east-1";
  if (hasAuthentication(signable)) {
    // Named in the log line and the call counts even when verification fails below.
    const claimed = parseAuth(signable);
    outcome.accessKeyId = claimed.accessKeyId;
    outcome.caller = claimed.accessKeyId;
    if (isServiceName(claimed.service)) outcome.service = claimed.service;
    const auth = verifySigV4(signable, {
      services: signedServices,
      ...(options.regions ? { regions: options.regions } : {}),
      now: new Date(),
      lookupKey: (id) => options.principals.resolve(id)?.key,
    });
    serviceName = auth.service as ServiceName;
    region = auth.region;
    principal = options.principals.resolve(auth.accessKeyId)?.principal;
    outcome.accessKeyId = auth.accessKeyId;
    outcome.caller = principal?.arn ?? auth.accessKeyId;
  } else {
    const unsigned = unsignedActions[action];
    if (unsigned === undefined) {
      throw new AwsError(
        "MissingAuthenticationToken",
        "Request is missing Authentication Token; sign it with AWS Signature Version 4",
      );
    }
    serviceName = unsigned;
  }
  outcome.service = serviceName;
  const model = serviceModel(serviceName);
  if (target !== undefined) {
    action = jsonOperation(model, target) ?? "";
    outcome.action = action || "-";
    if (action === "") throw new AwsError("UnknownOperationException", `Unknown operation ${target}`, 400);
  }
  if (action === "") throw new AwsError("MissingAction", "The request must contain the parameter Action");
  const op = model.operations[action];
  if (op === undefined) {
    throw new AwsError("InvalidAction", `Could not find operation ${action} for version ${model.version}`);
  }
  const entry = options.services[serviceName];
  const handler = entry.handlers[action];
  if (handler === undefined) {
    throw new AwsError(
      "InvalidAction",
      serviceName === "elasticache"
        ? notImplementedMessage(action)
        : `${action} is not implemented by the local cloud (see docs/local-cloud.md for the supported operations)`,
    );
  }
  const latency = options.admin.faults.latencyMs(action);
  if (latency > 0) await new Promise((r) => setTimeout(r, latency));
  const injected = options.admin.faults.pick(action);
  if (injected) throw injected;
  const input = outcome.json ? parseJson(model, op.input, body) : parseQueryInput(model, op.input, params);
  const ctx: RequestContext = { action, input, principal, region, now: new Date() };
  if (entry.resourceArn && principal) {
    const resource = entry.resourceArn(action, ctx);
    const iamAction = `${entry.iamPrefix ?? serviceName}:${action}`;
    const context = {
      "aws:RequestedRegion": region,
      "aws:PrincipalArn": principal.arn,
      "aws:PrincipalAccount": principal.accountId,
      "aws:SecureTransport": "false",
      ...(req.socket.remoteAddress ? { "aws:SourceIp": req.socket.remoteAddress } : {}),
      "aws:CurrentTime": ctx.now.toISOString(),
      "aws:EpochTime": String(Math.floor(ctx.now.getTime() / 1000)),
    };
    const decision = evaluate(principal.policies, { action: iamAction, resource, context });
    if (decision !== "Allow")
      throw new AwsError("AccessDenied", accessDeniedMessage(principal.arn, iamAction, resource, decision));
  }
  const result = await handler(ctx);
  return { model, action, result };
}

function parseJson(model: ReturnType<typeof serviceModel>, shape: string | undefined, body: Buffer) {
  try {
    return parseJsonInput(model, shape, body);
  } catch (e) {
    if (e instanceof JsonValidationError) throw new AwsError("ValidationException", e.message, 400);
    throw e;
  }
}

export function createFront(options: FrontOptions): Server {
  return createServer((req, res) => {
    const started = performance.now();
    const requestId = randomUUID();
    const outcome: Outcome = {
      service: "-",
      action: "-",
      caller: "anonymous",
      accessKeyId: undefined,
      json: false,
    };
    void (async () => {
      let code = "OK";
      let status = 200;
      try {
        checkHost(req, options.allowedHosts);
        const body = await readBody(req);
        if (handleAdmin(req, res, body, options.admin)) return;
        const { model, action, result } = await handleAws(req, body, options, outcome);
        if (outcome.json)
          sendJson(res, 200, serializeJsonOutput(model, model.operations[action]?.output, result), requestId);
        else sendXml(res, 200, serializeResponse(model, action, result, requestId), requestId);
      } catch (e) {
        if (e instanceof AwsError) {
          code = e.code;
          const model = isServiceName(outcome.service) ? serviceModel(outcome.service) : undefined;
          status = e.status ?? (model ? statusOfCode(model, e.code) : undefined) ?? 400;
        } else {
          code = "InternalFailure";
          status = 500;
          options.log(`local cloud: internal error in ${outcome.action}: ${(e as Error).stack ?? String(e)}`);
        }
        const message =
          e instanceof AwsError ? e.message : "The local cloud hit an internal error; see its log";
        if (res.headersSent) {
          // answered already
        } else if (outcome.json) {
          // JSON services name AWS's common errors with the Exception suffix.
          const jsonCode = code === "AccessDenied" ? "AccessDeniedException" : code;
          sendJson(res, status, serializeJsonError(jsonCode, message), requestId, jsonCode);
        } else sendXml(res, status, serializeError(code, message, status, requestId), requestId);
      }
      if (outcome.action !== "-" || outcome.service !== "-") {
        options.admin.calls.record(
          outcome.service,
          outcome.action,
          outcome.accessKeyId,
          code === "OK" ? undefined : code,
          clientAppId(req.headers),
        );
      }
      const ms = (performance.now() - started).toFixed(1);
      options.log(
        `${outcome.service} ${outcome.action} caller=${outcome.caller} -> ${status} ${code} ${ms}ms`,
      );
    })();
  });
}

export function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      reject(
        e.code === "EADDRINUSE"
          ? new Error(
              `port ${port} on ${host} is already in use; stop the other program or pass --port (0 picks a free port)`,
            )
          : e,
      );
    });
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve(`http://${host}:${address.port}`);
    });
  });
}
