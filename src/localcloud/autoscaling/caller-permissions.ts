// What Application Auto Scaling checks of its caller beyond the action itself, as AWS does:
// target tracking creates and deletes CloudWatch alarms in the caller's name (cloudwatch:
// PutMetricAlarm, DescribeAlarms, DeleteAlarms), and the first registration in an account creates
// the service-linked role (iam:CreateServiceLinkedRole for elasticache.application-autoscaling).
import type { RequestContext } from "../context.ts";
import { accessDeniedMessage, evaluate } from "../iam/policy.ts";
import { AwsError } from "../protocol/errors.ts";

export function requireAlso(
  ctx: RequestContext,
  action: string,
  resource: string,
  context: Record<string, string> = {},
): void {
  const principal = ctx.principal;
  if (principal === undefined) return;
  const decision = evaluate(principal.policies, {
    action,
    resource,
    context: { "aws:PrincipalArn": principal.arn, "aws:PrincipalAccount": principal.accountId, ...context },
  });
  if (decision !== "Allow")
    throw new AwsError(
      "AccessDeniedException",
      accessDeniedMessage(principal.arn, action, resource, decision),
      403,
    );
}

export function requireAlarmPermissions(ctx: RequestContext, actions: string[]): void {
  for (const action of actions) requireAlso(ctx, action, "*");
}

export function requireServiceLinkedRole(ctx: RequestContext, roleArn: string): void {
  requireAlso(ctx, "iam:CreateServiceLinkedRole", roleArn, {
    "iam:AWSServiceName": "elasticache.application-autoscaling.amazonaws.com",
  });
}
