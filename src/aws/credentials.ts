// Where a provider's AWS credentials come from, in the order DESIGN.md fixes:
//   roleARN + static keys                 -> AssumeRole signed with the keys (ExternalId = externalID);
//   roleARN + a ServiceAccount's token    -> AssumeRoleWithWebIdentity with it (IRSA per tenant);
//   roleARN + AWS_WEB_IDENTITY_TOKEN_FILE -> AssumeRoleWithWebIdentity (IRSA), token re-read each time;
//   roleARN alone                         -> AssumeRole signed by the SDK's default chain;
//   static keys (+ session token)         -> used as given;
//   nothing                               -> the SDK's default chain.
// STS is called at the provider's endpoint when one is set (the local cloud, LocalStack).
import { readFile } from "node:fs/promises";
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { globalRedactor } from "../secrets/redact.ts";
import { type CallHook, callAws } from "./call.ts";
import { CloudError } from "./errors.ts";
import {
  type AwsCredentials,
  type CredentialSource,
  RefreshingCredentials,
} from "./refreshing-credentials.ts";
import { type AwsTimeouts, DEFAULT_AWS_TIMEOUTS, sdkRequestHandler } from "./timeouts.ts";

/** What a provider says about reaching AWS, with the Secret values already read by the caller. */
export interface ProviderAuth {
  region: string;
  /** Endpoint override (http(s) URL) for ElastiCache and STS. */
  endpoint?: string;
  roleARN?: string;
  externalID?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /**
   * Web-identity token of the provider's own ServiceAccount (operator: TokenRequest); with roleARN,
   * AssumeRoleWithWebIdentity with it instead of the Pod's AWS_WEB_IDENTITY_TOKEN_FILE.
   */
  webIdentityToken?: () => Promise<string>;
  /** RoleSessionName of assumed roles; "infra-operator" by default. */
  roleSessionName?: string;
}

export type CredentialMethod = "static" | "webIdentity" | "assumeRole" | "defaultChain";

export interface CredentialOptions {
  /** Environment to read AWS_WEB_IDENTITY_TOKEN_FILE from; process.env by default. */
  env?: Record<string, string | undefined>;
  now?: () => number;
  /** SDK attempts per call (1 = no SDK retries: the caller's backoff decides). Default 3. */
  maxAttempts?: number;
  /** Requested lifetime of assumed-role credentials. Default 3600 s. */
  durationSeconds?: number;
  onCall?: CallHook;
  /** Connect, attempt and whole-call limits of every call (STS included). */
  timeouts?: AwsTimeouts;
}

export interface ResolvedCredentials {
  method: CredentialMethod;
  /** Undefined: let the SDK's default chain find credentials. */
  source?: CredentialSource;
  /** Closes the STS client used to assume the role, if any. */
  dispose(): void;
}

function checkedEndpoint(endpoint: string): string {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new CloudError({
      kind: "Terminal",
      code: "InvalidEndpoint",
      action: "ResolveCredentials",
      message: `the AWSProvider endpoint "${endpoint}" is not an http(s) URL: set spec.endpoint to a URL such as http://127.0.0.1:4566 (only the standalone CLI resolves "local")`,
    });
  }
  return endpoint;
}

/** Settings shared by every SDK client of a provider. */
export function sdkClientConfig(
  auth: ProviderAuth,
  source: CredentialSource | undefined,
  maxAttempts: number | undefined,
  timeouts: AwsTimeouts = DEFAULT_AWS_TIMEOUTS,
) {
  return {
    region: auth.region,
    requestHandler: sdkRequestHandler(timeouts),
    ...(auth.endpoint !== undefined ? { endpoint: checkedEndpoint(auth.endpoint) } : {}),
    ...(source !== undefined ? { credentials: source } : {}),
    maxAttempts: maxAttempts ?? 3,
  };
}

function staticSource(auth: ProviderAuth): CredentialSource | undefined {
  if (auth.accessKeyId === undefined && auth.secretAccessKey === undefined) return undefined;
  if (!auth.accessKeyId || !auth.secretAccessKey) {
    throw new CloudError({
      kind: "InvalidCredentials",
      code: "IncompleteCredentials",
      action: "ResolveCredentials",
      message:
        "the access key ID and the secret access key must be given together: check accessKeyIDRef and secretAccessKeyRef of the AWSProvider and the Secret keys they name",
    });
  }
  const creds: AwsCredentials = {
    accessKeyId: auth.accessKeyId,
    secretAccessKey: auth.secretAccessKey,
    ...(auth.sessionToken ? { sessionToken: auth.sessionToken } : {}),
  };
  return () => Promise.resolve(creds);
}

function fromStsCredentials(
  c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined,
  operation: string,
): AwsCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey) {
    throw new CloudError({
      kind: "Transient",
      code: "IncompleteResponse",
      action: operation,
      message: `${operation} returned no credentials; retrying`,
    });
  }
  globalRedactor.add(c.SecretAccessKey, c.SessionToken);
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken !== undefined ? { sessionToken: c.SessionToken } : {}),
    ...(c.Expiration !== undefined ? { expiration: c.Expiration } : {}),
  };
}

async function readWebIdentityToken(file: string): Promise<string> {
  try {
    const token = (await readFile(file, "utf8")).trim();
    if (token.length === 0) throw new Error("the file is empty");
    globalRedactor.add(token);
    return token;
  } catch (e) {
    throw new CloudError({
      kind: "InvalidCredentials",
      code: "WebIdentityTokenUnreadable",
      action: "AssumeRoleWithWebIdentity",
      message: `cannot read the web identity token file ${file} (AWS_WEB_IDENTITY_TOKEN_FILE): ${(e as Error).message}; check the pod's projected service account token volume`,
    });
  }
}

/**
 * How calls for this provider get credentials. Static secrets are registered with the redactor here,
 * so no log line or error can print them from now on.
 */
export function resolveCredentials(auth: ProviderAuth, options: CredentialOptions = {}): ResolvedCredentials {
  globalRedactor.add(auth.secretAccessKey, auth.sessionToken);
  const base = staticSource(auth);
  const roleARN = auth.roleARN;
  if (roleARN === undefined)
    return base !== undefined
      ? { method: "static", source: base, dispose: () => {} }
      : { method: "defaultChain", dispose: () => {} };

  const env = options.env ?? process.env;
  const sessionName = auth.roleSessionName ?? "infra-operator";
  const durationSeconds = options.durationSeconds ?? 3600;
  // The Pod's own web-identity token is the operator's identity: never used for a provider that
  // brings its own keys (those sign AssumeRole instead).
  const tokenFile = base === undefined ? env.AWS_WEB_IDENTITY_TOKEN_FILE : undefined;
  const webIdentityToken =
    auth.webIdentityToken ?? (tokenFile ? () => readWebIdentityToken(tokenFile) : undefined);
  // AssumeRoleWithWebIdentity is not signed; AssumeRole is signed with the base credentials.
  const timeouts = options.timeouts ?? DEFAULT_AWS_TIMEOUTS;
  const sts = new STSClient(
    sdkClientConfig(auth, webIdentityToken ? undefined : base, options.maxAttempts, timeouts),
  );

  if (webIdentityToken) {
    const cache = new RefreshingCredentials(async () => {
      const token = await webIdentityToken();
      const out = await callAws(
        "AssumeRoleWithWebIdentity",
        options.onCall,
        (abortSignal) =>
          sts.send(
            new AssumeRoleWithWebIdentityCommand({
              RoleArn: roleARN,
              RoleSessionName: sessionName,
              WebIdentityToken: token,
              DurationSeconds: durationSeconds,
            }),
            { abortSignal },
          ),
        timeouts.callMs,
      );
      return fromStsCredentials(out.Credentials, "AssumeRoleWithWebIdentity");
    }, options.now);
    return { method: "webIdentity", source: () => cache.get(), dispose: () => sts.destroy() };
  }

  const cache = new RefreshingCredentials(async () => {
    const out = await callAws(
      "AssumeRole",
      options.onCall,
      (abortSignal) =>
        sts.send(
          new AssumeRoleCommand({
            RoleArn: roleARN,
            RoleSessionName: sessionName,
            DurationSeconds: durationSeconds,
            ...(auth.externalID !== undefined ? { ExternalId: auth.externalID } : {}),
          }),
          { abortSignal },
        ),
      timeouts.callMs,
    );
    return fromStsCredentials(out.Credentials, "AssumeRole");
  }, options.now);
  return { method: "assumeRole", source: () => cache.get(), dispose: () => sts.destroy() };
}
