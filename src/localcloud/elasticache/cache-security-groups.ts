// Cache security groups exist only for EC2-Classic, which AWS retired; every account is VPC-only,
// and there AWS refuses the cache security group operations with InvalidParameterValue, pointing to
// VPC security groups (SecurityGroupIds) and cache subnet groups instead. The local cloud answers the
// same way.
import type { Handler } from "../context.ts";
import { invalidParameter } from "../protocol/errors.ts";

function vpcOnly(): never {
  throw invalidParameter(
    "Use of cache security groups is not permitted in this API version for your account. Cache security groups are for EC2-Classic only; use VPC security groups (SecurityGroupIds) and a cache subnet group.",
  );
}

export function cacheSecurityGroupHandlers(): Record<string, Handler> {
  return {
    DescribeCacheSecurityGroups: async () => vpcOnly(),
    CreateCacheSecurityGroup: async () => vpcOnly(),
    DeleteCacheSecurityGroup: async () => vpcOnly(),
    AuthorizeCacheSecurityGroupIngress: async () => vpcOnly(),
    RevokeCacheSecurityGroupIngress: async () => vpcOnly(),
  };
}
