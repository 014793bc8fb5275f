// STS: GetCallerIdentity, AssumeRole (trust policy, sts:ExternalId) and AssumeRoleWithWebIdentity
// (OIDC token verified against the configured issuer, trust policy conditions on <issuer>:sub/aud).
// Issued credentials are persisted, so they keep working after a restart until they expire.
import type { LocalCloudConfig, RoleConfig } from "../config.ts";
import type { Handler, RequestContext } from "../context.ts";
import { evaluate } from "../iam/policy.ts";
import { type Principal, type Principals, stableId } from "../iam/principals.ts";
import { AwsError } from "../protocol/errors.ts";
import type { TemporaryCredential } from "../state/records.ts";
import { verifyWebIdentityToken } from "./jwt.ts";
import { issueCredential } from "./temporary-credentials.ts";

export interface CredentialStore {
  credentials(): Record<string, TemporaryCredential>;
  /** Records the credential and persists the state. */
  addCredential(credential: TemporaryCredential): void;
}

const sessionNamePattern = /^[\w+=,.@-]{2,64}$/;

function parseRoleArn(arn: string): { accountId: string; name: string } {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn);
  if (m === null)
    throw new AwsError(
      "ValidationError",
      `RoleArn ${arn} is not a role ARN (arn:aws:iam::<account>:role/<name>)`,
    );
  return { accountId: m[1] as string, name: m[2] as string };
}

function issuerHostPath(url: string): string {
  return url.replace(/^https:\/\//, "").replace(/\/$/, "");
}

export class StsService {
  readonly #config: LocalCloudConfig;
  readonly #principals: Principals;
  readonly #store: CredentialStore;
  readonly handlers: Record<string, Handler>;

  constructor(config: LocalCloudConfig, principals: Principals, store: CredentialStore) {
    this.#config = config;
    this.#principals = principals;
    this.#store = store;
    this.handlers = {
      GetCallerIdentity: async (ctx) => this.#getCallerIdentity(ctx),
      AssumeRole: async (ctx) => this.#assumeRole(ctx),
      AssumeRoleWithWebIdentity: async (ctx) => this.#assumeRoleWithWebIdentity(ctx),
    };
  }

  #getCallerIdentity(ctx: RequestContext): Record<string, unknown> {
    const p = ctx.principal as Principal;
    return { UserId: p.userId, Account: p.accountId, Arn: p.arn };
  }

  #findRole(arn: string, deniedMessage: string): { accountId: string; role: RoleConfig } {
    const { accountId, name } = parseRoleArn(arn);
    const role = this.#principals.account(accountId)?.roles.find((r) => r.name === name);
    // AWS does not reveal whether the role exists: a missing role is an AccessDenied too.
    if (role === undefined)
      throw new AwsError("AccessDenied", `${deniedMessage} (no role ${name} in account ${accountId})`);
    return { accountId, role };
  }

  #duration(ctx: RequestContext, role: RoleConfig): number {
    const requested = ctx.input.DurationSeconds as number | undefined;
    if (requested === undefined) return Math.min(3600, role.maxSessionDurationSeconds);
    if (requested < 900 || requested > role.maxSessionDurationSeconds) {
      throw new AwsError(
        "ValidationError",
        `The requested DurationSeconds ${requested} must be between 900 and the role's maximum session duration ${role.maxSessionDurationSeconds}`,
      );
    }
    return requested;
  }

  #sessionName(ctx: RequestContext): string {
    const name = String(ctx.input.RoleSessionName ?? "");
    if (!sessionNamePattern.test(name)) {
      throw new AwsError(
        "ValidationError",
        `RoleSessionName '${name}' must be 2-64 characters of [\\w+=,.@-]`,
      );
    }
    return name;
  }

  #issue(ctx: RequestContext, accountId: string, role: RoleConfig, sessionName: string, source: string) {
    const roleId = stableId("AROA", `${accountId}/${role.name}`);
    const credential = issueCredential(
      { accountId, roleName: role.name, roleId, sessionName, sourceIdentity: source },
      ctx.now,
      this.#duration(ctx, role),
    );
    this.#store.addCredential(credential);
    return {
      Credentials: {
        AccessKeyId: credential.accessKeyId,
        SecretAccessKey: credential.secretAccessKey,
        SessionToken: credential.sessionToken,
        Expiration: credential.expiration,
      },
      AssumedRoleUser: {
        AssumedRoleId: `${roleId}:${sessionName}`,
        Arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
      },
      PackedPolicySize: 0,
    };
  }

  #assumeRole(ctx: RequestContext): Record<string, unknown> {
    const caller = ctx.principal as Principal;
    const arn = String(ctx.input.RoleArn);
    const denied = `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`;
    const sessionName = this.#sessionName(ctx);
    const { accountId, role } = this.#findRole(arn, denied);
    const context: Record<string, string> = {
      "aws:PrincipalArn": caller.arn,
      "aws:PrincipalAccount": caller.accountId,
    };
    if (ctx.input.ExternalId !== undefined) context["sts:ExternalId"] = String(ctx.input.ExternalId);
    const trusted = evaluate([role.trustPolicy], {
      action: "sts:AssumeRole",
      resource: arn,
      principals: { AWS: [caller.arn, `arn:aws:iam::${caller.accountId}:root`, caller.accountId] },
      context,
    });
    // The caller's own policies must allow the call as well (as within one AWS account).
    const permitted = evaluate(caller.policies, { action: "sts:AssumeRole", resource: arn, context });
    if (trusted !== "Allow" || permitted !== "Allow") throw new AwsError("AccessDenied", denied);
    return this.#issue(ctx, accountId, role, sessionName, caller.arn);
  }

  #assumeRoleWithWebIdentity(ctx: RequestContext): Record<string, unknown> {
    const arn = String(ctx.input.RoleArn);
    const sessionName = this.#sessionName(ctx);
    const token = verifyWebIdentityToken(
      String(ctx.input.WebIdentityToken ?? ""),
      this.#config.oidcIssuers,
      ctx.now,
    );
    const denied = "Not authorized to perform sts:AssumeRoleWithWebIdentity";
    const { accountId, role } = this.#findRole(arn, denied);
    const hostPath = issuerHostPath(token.issuer.url);
    const aud = Array.isArray(token.claims.aud) ? token.claims.aud.map(String) : [String(token.claims.aud)];
    const trusted = evaluate([role.trustPolicy], {
      action: "sts:AssumeRoleWithWebIdentity",
      resource: arn,
      principals: { Federated: [`arn:aws:iam::${accountId}:oidc-provider/${hostPath}`, hostPath] },
      context: { [`${hostPath}:sub`]: token.claims.sub, [`${hostPath}:aud`]: aud, [`${hostPath}:oaud`]: aud },
    });
    if (trusted !== "Allow") throw new AwsError("AccessDenied", `${denied} (subject ${token.claims.sub})`);
    return {
      ...this.#issue(ctx, accountId, role, sessionName, `${hostPath}:${token.claims.sub}`),
      SubjectFromWebIdentityToken: token.claims.sub,
      Audience: aud[0],
      Provider: `arn:aws:iam::${accountId}:oidc-provider/${hostPath}`,
    };
  }
}
