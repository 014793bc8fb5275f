// Reading an HTTP request into what SigV4 and the Query protocol need.
import type { IncomingMessage } from "node:http";
import { AwsError } from "./protocol/errors.ts";
import type { SignableRequest } from "./sigv4/canonical.ts";

const maxBodyBytes = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes)
      throw new AwsError("MalformedQueryString", "The request body is larger than 1 MiB", 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function signableRequest(req: IncomingMessage, body: Buffer): SignableRequest {
  const url = new URL(req.url ?? "/", "http://localhost");
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] as string).toLowerCase();
    const value = req.rawHeaders[i + 1] as string;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return { method: req.method ?? "GET", path: url.pathname, query: [...url.searchParams], headers, body };
}

/** The Query-protocol parameters: query string plus form-encoded body. */
export function queryParams(req: SignableRequest): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of req.query) if (!k.startsWith("X-Amz-")) params.append(k, v);
  const type = req.headers["content-type"] ?? "";
  if (req.body.length > 0 && (type === "" || type.startsWith("application/x-www-form-urlencoded"))) {
    for (const [k, v] of new URLSearchParams(req.body.toString("utf8"))) params.append(k, v);
  }
  return params;
}
