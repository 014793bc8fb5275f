// The connection Secret's data: everything a client needs, for every topology.
import type { ObservedStatus } from "./status.ts";

export interface ConnectionInputs {
  engine: string;
  tls: boolean;
  /** The auth token (from the referenced Secret), when one is set. */
  authToken?: string;
}

export function connectionDetails(status: ObservedStatus, inputs: ConnectionInputs): Record<string, string> {
  const main = status.configurationEndpoint ?? status.primaryEndpoint;
  if (main === undefined) return {};
  const data: Record<string, string> = {
    host: main.address,
    port: String(main.port),
    engine: inputs.engine,
    tls: String(inputs.tls),
  };
  if (status.primaryEndpoint) data.primaryEndpoint = hostPort(status.primaryEndpoint);
  if (status.readerEndpoint) {
    data.readerHost = status.readerEndpoint.address;
    data.readerPort = String(status.readerEndpoint.port);
    data.readerEndpoint = hostPort(status.readerEndpoint);
  }
  if (status.configurationEndpoint) data.configurationEndpoint = hostPort(status.configurationEndpoint);
  if (inputs.authToken) data.authToken = inputs.authToken;
  data.url = url(inputs, main);
  return data;
}

function hostPort(e: { address: string; port: number }): string {
  return `${e.address}:${e.port}`;
}

function url(inputs: ConnectionInputs, main: { address: string; port: number }): string {
  if (inputs.engine === "memcached") return `memcached://${hostPort(main)}`;
  const scheme = inputs.tls ? "rediss" : "redis";
  const auth = inputs.authToken ? `:${encodeURIComponent(inputs.authToken)}@` : "";
  return `${scheme}://${auth}${hostPort(main)}`;
}
