// Which endpoints a provider may send credentials to. An admin lists URL prefixes
// (`run --allowed-endpoints`); AWS's own https endpoints are always allowed; plain http is refused
// for every host but loopback, allowlisted or not, since keys, session tokens and web-identity
// tokens would cross the network in the clear.

export interface EndpointPrefix {
  /** As the admin wrote it, for messages. */
  text: string;
  protocol: string;
  host: string;
  /** Path the endpoint's path must start with, ending in "/". */
  path: string;
}

export type EndpointRefusal = { reason: "EndpointNotAllowed" | "InsecureEndpoint"; message: string };

/** `--allowed-endpoints`: comma-separated http(s) URL prefixes. Throws naming the bad entry. */
export function parseAllowedEndpoints(value: string | undefined): EndpointPrefix[] {
  const prefixes: EndpointPrefix[] = [];
  for (const text of (value ?? "").split(",").map((s) => s.trim())) {
    if (text === "") continue;
    const url = parseHttpUrl(text);
    if (url === undefined || url.username !== "" || url.password !== "" || url.search || url.hash)
      throw new Error(
        `--allowed-endpoints: "${text}" is not an http(s) URL prefix such as https://elasticache.internal.example or http://127.0.0.1:4566`,
      );
    if (url.protocol === "http:" && !isLoopback(url.hostname))
      throw new Error(
        `--allowed-endpoints: "${text}" is plain http to a host that is not loopback; credentials would cross the network in the clear: use https`,
      );
    prefixes.push({ text, protocol: url.protocol, host: url.host, path: withSlash(url.pathname) });
  }
  return prefixes;
}

/** Why credentials may not be sent to `endpoint`, or undefined when they may. */
export function endpointRefusal(
  endpoint: string,
  allowed: readonly EndpointPrefix[],
  field = "spec.endpoint",
): EndpointRefusal | undefined {
  const url = parseHttpUrl(endpoint);
  // Malformed endpoints are reported by the AWS layer (InvalidEndpoint) before any call.
  if (url === undefined) return undefined;
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    return {
      reason: "InsecureEndpoint",
      message: `${field} ${endpoint} is plain http to a host that is not loopback: no credentials are sent in the clear; use an https endpoint`,
    };
  }
  if (isAwsEndpoint(url)) return undefined;
  const path = withSlash(url.pathname);
  const match = allowed.some(
    (p) => p.protocol === url.protocol && p.host === url.host && path.startsWith(p.path),
  );
  if (match) return undefined;
  const listed = allowed.length === 0 ? "none" : allowed.map((p) => p.text).join(", ");
  return {
    reason: "EndpointNotAllowed",
    message: `${field} ${endpoint} is not an allowed endpoint, so no credentials are sent there (allowed: AWS's own endpoints and ${listed}): remove ${field} to use AWS, or a cluster admin adds its URL prefix to the operator's --allowed-endpoints (Helm value allowedEndpoints)`,
  };
}

/** https://<service>.<region>.amazonaws.com (and the China partition's amazonaws.com.cn). */
function isAwsEndpoint(url: URL): boolean {
  return (
    url.protocol === "https:" &&
    url.port === "" &&
    (url.hostname.endsWith(".amazonaws.com") || url.hostname.endsWith(".amazonaws.com.cn"))
  );
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function parseHttpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

function withSlash(path: string): string {
  return path.endsWith("/") ? path : `${path}/`;
}
