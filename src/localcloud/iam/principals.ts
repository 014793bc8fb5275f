// Who is calling: resolves an access key id to its secret (for SigV4) and to the principal the
// request acts as (ARN, account, policies). Static keys come from the config; temporary ones from
// the credentials STS issued (persisted state), with their role's policies looked up at call time
// so a config change applies to sessions already issued.
import { createHash } from "node:crypto";
import type { AccountConfig, LocalCloudConfig } from "../config.ts";
import type { KeyRecord } from "../sigv4/verify.ts";
import type { TemporaryCredential } from "../state/records.ts";
import type { PolicyDocument } from "./policy.ts";

export interface Principal {
  accountId: string;
  arn: string;
  userId: string;
  accessKeyId: string;
  policies: PolicyDocument[];
}

export interface ResolvedKey {
  key: KeyRecord;
  principal: Principal;
}

/** Stable pseudo-ids shaped like AWS's (AIDA... for users, AROA... for roles). */
export function stableId(prefix: string, seed: string): string {
  const digest = createHash("sha256")
    .update(seed)
    .digest("base64")
    .replace(/[^A-Za-z0-9]/g, "");
  return `${prefix}${digest.toUpperCase().slice(0, 17)}`;
}

export function userArn(accountId: string, name: string): string {
  return name === "root" ? `arn:aws:iam::${accountId}:root` : `arn:aws:iam::${accountId}:user/${name}`;
}

export function roleArn(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:role/${name}`;
}

export class Principals {
  readonly #config: LocalCloudConfig;
  readonly #credentials: () => Record<string, TemporaryCredential>;

  constructor(config: LocalCloudConfig, credentials: () => Record<string, TemporaryCredential>) {
    this.#config = config;
    this.#credentials = credentials;
  }

  account(id: string): AccountConfig | undefined {
    return this.#config.accounts.find((a) => a.id === id);
  }

  resolve(accessKeyId: string): ResolvedKey | undefined {
    for (const account of this.#config.accounts) {
      for (const user of account.users) {
        const k = user.accessKeys.find((x) => x.id === accessKeyId);
        if (k === undefined) continue;
        return {
          key: { secretAccessKey: k.secret },
          principal: {
            accountId: account.id,
            arn: userArn(account.id, user.name),
            userId: user.name === "root" ? account.id : stableId("AIDA", `${account.id}/${user.name}`),
            accessKeyId,
            policies: user.policies,
          },
        };
      }
    }
    const temp = this.#credentials()[accessKeyId];
    if (temp === undefined) return undefined;
    const role = this.account(temp.accountId)?.roles.find((r) => r.name === temp.roleName);
    return {
      key: {
        secretAccessKey: temp.secretAccessKey,
        sessionToken: temp.sessionToken,
        expiration: new Date(temp.expiration),
      },
      principal: {
        accountId: temp.accountId,
        arn: `arn:aws:sts::${temp.accountId}:assumed-role/${temp.roleName}/${temp.sessionName}`,
        userId: `${temp.roleId}:${temp.sessionName}`,
        accessKeyId,
        // A role removed from the config keeps its sessions valid but allowed nothing.
        policies: role?.policies ?? [],
      },
    };
  }
}
