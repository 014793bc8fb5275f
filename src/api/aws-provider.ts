// AWSProvider: where and as whom infra-operator talks to AWS.
import { z } from "zod";
import { type CelRule, celRules } from "./cel-rule.ts";
import { conditionSchema, secretKeyRef, tagsSchema } from "./shared.ts";

/** The fields of an AWSProvider's spec; a ClusterAWSProvider has the same plus a namespace selector. */
export const awsProviderFields = {
  region: z
    .string()
    .max(32)
    .describe("AWS region, e.g. us-east-1.")
    .meta(
      celRules({
        rule: "self.matches('^[a-z]{2}(-[a-z]+)+-[0-9]+$')",
        message: "region must be an AWS region such as us-east-1 or eu-west-3",
      }),
    ),
  roleARN: z
    .string()
    .max(2048)
    .optional()
    .describe(
      "IAM role to assume: with IRSA (web identity token of the pod) when present, else AssumeRole from the static keys or the default credential chain.",
    )
    .meta(
      celRules({
        rule: "self.matches('^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$')",
        message: "roleARN must be an IAM role ARN such as arn:aws:iam::123456789012:role/infra-operator-role",
      }),
    ),
  serviceAccountRef: z
    .object({
      name: z.string().min(1).max(253).describe("Name of the ServiceAccount (in this provider's namespace)."),
    })
    .optional()
    .describe(
      "IRSA per tenant: the operator requests a token of this ServiceAccount (TokenRequest, audience sts.amazonaws.com) and trades it for roleARN's credentials (AssumeRoleWithWebIdentity), so the role's trust policy names this ServiceAccount, not the operator's. Requires roleARN; not with keys.",
    ),
  externalID: z.string().min(2).max(1224).optional().describe("ExternalId passed to AssumeRole."),
  accessKeyIDRef: secretKeyRef.optional().describe("Secret key holding the AWS access key ID."),
  secretAccessKeyRef: secretKeyRef.optional().describe("Secret key holding the AWS secret access key."),
  sessionTokenRef: secretKeyRef
    .optional()
    .describe("Secret key holding an AWS session token (temporary keys)."),
  endpoint: z
    .string()
    .max(2048)
    .optional()
    .describe(
      'AWS endpoint override: a URL (the local cloud, LocalStack), or "local" for the embedded local cloud of the standalone CLI.',
    )
    .meta(
      celRules({
        rule: "self == 'local' || self.matches('^https?://[^\\\\s/]+(/.*)?$')",
        message: 'endpoint must be an http(s) URL such as http://127.0.0.1:4566, or "local"',
      }),
    ),
  defaultTags: tagsSchema
    .optional()
    .describe("Tags applied to every resource created through this provider."),
};

/** The rules between those fields (both kinds). */
export const awsProviderRules: CelRule[] = [
  {
    rule: "has(self.accessKeyIDRef) == has(self.secretAccessKeyRef)",
    message: "accessKeyIDRef and secretAccessKeyRef must be set together",
    fieldPath: ".secretAccessKeyRef",
  },
  {
    rule: "!has(self.sessionTokenRef) || has(self.accessKeyIDRef)",
    message: "sessionTokenRef requires accessKeyIDRef and secretAccessKeyRef",
    fieldPath: ".sessionTokenRef",
  },
  {
    rule: "!has(self.serviceAccountRef) || has(self.roleARN)",
    message: "serviceAccountRef needs roleARN: set the IAM role whose trust policy names this ServiceAccount",
    fieldPath: ".serviceAccountRef",
  },
  {
    rule: "!has(self.serviceAccountRef) || !has(self.accessKeyIDRef)",
    message:
      "serviceAccountRef and accessKeyIDRef/secretAccessKeyRef exclude each other: use keys or a ServiceAccount",
    fieldPath: ".serviceAccountRef",
  },
  {
    rule: "!has(self.externalID) || has(self.roleARN)",
    message: "externalID is used only with roleARN (AssumeRole): set roleARN or remove externalID",
    fieldPath: ".externalID",
  },
];

export const awsProviderSpec = z
  .object(awsProviderFields)
  .describe("How to reach AWS: region, credentials, endpoint, default tags.")
  .meta(celRules(...awsProviderRules));

export const awsProviderStatus = z.object({
  ready: z.boolean().optional().describe("True when the credentials were verified with STS."),
  accountID: z.string().optional().describe("AWS account of the verified identity."),
  callerIdentity: z.string().optional().describe("ARN returned by sts:GetCallerIdentity."),
  lastAuthenticationTime: z.string().optional(),
  conditions: z.array(conditionSchema).optional(),
  observedGeneration: z.int().min(0).optional(),
});

export type AWSProviderSpec = z.infer<typeof awsProviderSpec>;
export type AWSProviderStatus = z.infer<typeof awsProviderStatus>;
