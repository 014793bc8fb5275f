// ElastiCacheUser: an ElastiCache RBAC user (an engine ACL user of the caches whose user group holds it).
import { z } from "zod";
import { celRules } from "../../api/cel-rule.ts";
import type { KindDefinition } from "../../api/kinds.ts";
import { immutableName, managedSpecShape, managedStatusShape } from "../../api/managed-kind.ts";
import { secretKeyRef } from "../../api/shared.ts";

/** AWS's identifier rule for user and user group IDs (kept in lower case here: AWS stores them so). */
export const AWS_ID_RULE = {
  rule: "self.matches('^[a-z][a-z0-9-]*$') && !self.endsWith('-') && !self.contains('--')",
};

export const userSpec = z
  .object({
    ...managedSpecShape("user"),
    userID: immutableName(
      "userID",
      "ElastiCacheUser",
      40,
      {
        ...AWS_ID_RULE,
        message:
          "userID must be lower-case letters, digits and hyphens, start with a letter, and have no trailing or double hyphen (AWS rule)",
      },
      {
        rule: "self != 'default'",
        message:
          'userID "default" is the user AWS creates in every account: choose another userID (userName may be "default")',
      },
    ).describe(
      'ID of the user in AWS (what ElastiCacheUserGroup.spec.userIDs names). Immutable. To replace a user group\'s default user, give a user of another ID the userName "default".',
    ),
    userName: immutableName("userName", "ElastiCacheUser", 120, {
      rule: "!self.matches('\\\\s')",
      message: "userName must not contain spaces (it is the engine login)",
    }).describe(
      'The engine login (AUTH <userName> <password>); "default" replaces the engine\'s default user. Immutable.',
    ),
    engine: z.enum(["redis", "valkey"]).describe("Engine of the user: redis or valkey."),
    accessString: z
      .string()
      .min(1)
      .max(2048)
      .describe('Access string (Redis ACL rules), e.g. "on ~app:* -@all +get +set".')
      .meta(
        celRules({
          rule: "!self.matches('(^|\\\\s)([<>#!]|(nopass|resetpass|reset)(\\\\s|$))')",
          message:
            "accessString must not set passwords (>, <, #, !, nopass, resetpass, reset): passwords come from passwordSecretRefs",
        }),
      ),
    authenticationMode: z
      .enum(["password", "no-password", "iam"])
      .default("password")
      .describe(
        "password: passwords from passwordSecretRefs; no-password: no password needed; iam: IAM auth tokens (userName must equal userID).",
      ),
    passwordSecretRefs: z
      .array(secretKeyRef)
      .min(1)
      .max(2)
      .optional()
      .describe(
        "One or two Secret keys holding the passwords (16 to 128 printable characters without spaces, '/', '\"' or '@'). Required with authenticationMode password. A changed value rotates: the new password is added next to the old one, then the old one removed after passwordRotationGraceSeconds.",
      ),
    passwordRotationGraceSeconds: z
      .int()
      .min(0)
      .max(86_400)
      .default(60)
      .describe(
        "How long a rotation keeps the previous password next to the new one, from when the pair is sent to AWS, so clients can switch (default 60, as the operator's --token-rotation-grace for auth tokens); 0 removes it as soon as AWS applied the pair.",
      ),
  })
  .describe("Desired state of the ElastiCache user.")
  .meta(
    celRules(
      {
        rule: "(has(self.authenticationMode) && self.authenticationMode != 'password') || has(self.passwordSecretRefs)",
        message:
          "passwordSecretRefs is required with authenticationMode password: give one or two {name, key} of Secrets holding the passwords (or set authenticationMode no-password or iam)",
        fieldPath: ".passwordSecretRefs",
      },
      {
        rule: "!has(self.authenticationMode) || self.authenticationMode == 'password' || !has(self.passwordSecretRefs)",
        message:
          "passwordSecretRefs is used only with authenticationMode password: remove it, or set authenticationMode password",
        fieldPath: ".passwordSecretRefs",
      },
      {
        rule: "!has(self.authenticationMode) || self.authenticationMode != 'iam' || self.userName == self.userID",
        message:
          "authenticationMode iam needs userName equal to userID (AWS rule): set userName to the userID",
        fieldPath: ".userName",
      },
    ),
  );

export const userStatus = z
  .object({
    ...managedStatusShape,
    userStatus: z.string().optional().describe("AWS's status of the user: active, modifying, deleting."),
    userName: z.string().optional(),
    engine: z.string().optional(),
    accessString: z.string().optional().describe("The access string as AWS reports it."),
    authenticationType: z.string().optional().describe("password, no-password or iam, as AWS reports it."),
    passwordCount: z.int().optional().describe("How many passwords AWS holds for the user (0 to 2)."),
    userGroupIDs: z.array(z.string()).optional().describe("The user groups holding the user, from AWS."),
    minimumEngineVersion: z.string().optional(),
    passwordFingerprints: z
      .array(z.string())
      .optional()
      .describe(
        "Keyed fingerprints (HMAC-SHA-256 under the operator's key, ADR 0010) of the passwords this object set in AWS: never the passwords, and no offline guessing.",
      ),
    appliedAccessString: z.string().optional().describe("The spec's access string last sent to AWS."),
    passwordRotationStartedAt: z
      .string()
      .optional()
      .describe(
        "When this object sent AWS the previous password next to the new one (a rotation in progress): the previous one is removed passwordRotationGraceSeconds later, and not before AWS applied the pair.",
      ),
  })
  .describe("What AWS reports about the user.");

export type UserSpec = z.infer<typeof userSpec>;

export const userDefinition: KindDefinition = {
  kind: "ElastiCacheUser",
  plural: "elasticacheusers",
  singular: "elasticacheuser",
  shortNames: ["ecuser"],
  description: "An AWS ElastiCache RBAC user managed by infra-operator.",
  spec: userSpec,
  status: userStatus,
  printerColumns: [
    { name: "UserID", type: "string", jsonPath: ".spec.userID" },
    { name: "UserName", type: "string", jsonPath: ".spec.userName" },
    { name: "Auth", type: "string", jsonPath: ".status.authenticationType" },
    { name: "Status", type: "string", jsonPath: ".status.userStatus" },
    { name: "Ready", type: "boolean", jsonPath: ".status.ready" },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  ],
};
