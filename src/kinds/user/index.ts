// ElastiCacheUser on the runtime: describe, create, modify (access string, passwords, mode, engine),
// delete. Passwords come from Secrets (secretInputs) and go only to AWS; status keeps keyed
// fingerprints of them (plan.ts).
import {
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUsersCommand,
  ModifyUserCommand,
  type User,
} from "@aws-sdk/client-elasticache";
import { tagList } from "../../runtime/elasticache-api.ts";
import type { ManagedKind } from "../../runtime/kind.ts";
import { parseSpecWith } from "../../runtime/parse-spec.ts";
import {
  type Authentication,
  type ObservedUser,
  passwordValues,
  planUser,
  sentFingerprints,
  type UserAction,
} from "./plan.ts";
import { type UserSpec, userDefinition, userSpec } from "./schema.ts";

/** AWS's AuthenticationMode for an authentication, with the password values. */
function authenticationMode(auth: Authentication, values: () => string[]) {
  if (auth.type === "password") return { Type: "password" as const, Passwords: values() };
  if (auth.type === "no-password") return { Type: "no-password-required" as const };
  return { Type: "iam" as const };
}

export const userKind: ManagedKind<UserSpec, ObservedUser, UserAction> = {
  definition: userDefinition,
  parseSpec: parseSpecWith(userSpec, "ElastiCacheUser"),
  awsName: (spec) => spec.userID,
  describe: (spec) => `user ${spec.userID}`,
  secretInputs: (spec) =>
    spec.authenticationMode === "password"
      ? (spec.passwordSecretRefs ?? []).map((ref, i) => ({ ...ref, field: `spec.passwordSecretRefs[${i}]` }))
      : [],

  async observe(api, spec) {
    const out = await api.find<{ Users?: User[] }>(new DescribeUsersCommand({ UserId: spec.userID }));
    const user = out?.Users?.find((u) => u.UserId === spec.userID);
    if (user?.ARN === undefined) return undefined;
    const status = (user.Status ?? "").toLowerCase();
    return {
      arn: user.ARN,
      tags: await api.tags(user.ARN),
      busy: status === "creating" || status === "modifying",
      deleting: status === "deleting",
      userName: user.UserName ?? "",
      engine: (user.Engine ?? "").toLowerCase(),
      status,
      accessString: user.AccessString ?? "",
      authenticationType: user.Authentication?.Type ?? "",
      passwordCount: user.Authentication?.PasswordCount ?? 0,
      userGroupIDs: [...(user.UserGroupIds ?? [])].sort(),
      minimumEngineVersion: user.MinimumEngineVersion,
    };
  },

  plan: planUser,

  deleteAction: () => ({ type: "delete" }),

  async act(api, action, input) {
    const { spec } = input;
    const values = (auth: Authentication) => () =>
      auth.type === "password" ? passwordValues(auth, input) : [];
    if (action.type === "create")
      await api.send(
        new CreateUserCommand({
          UserId: spec.userID,
          UserName: spec.userName,
          Engine: spec.engine,
          AccessString: spec.accessString,
          AuthenticationMode: authenticationMode(action.authentication, values(action.authentication)),
          Tags: tagList(input.tags),
        }),
      );
    else if (action.type === "modify")
      await api.send(
        new ModifyUserCommand({
          UserId: spec.userID,
          AccessString: action.accessString,
          Engine: action.engine,
          AuthenticationMode:
            action.authentication === undefined
              ? undefined
              : authenticationMode(action.authentication, values(action.authentication)),
        }),
      );
    else await api.send(new DeleteUserCommand({ UserId: spec.userID }));
  },

  status(observed) {
    if (observed === undefined) return {};
    return {
      userStatus: observed.status,
      userName: observed.userName,
      engine: observed.engine,
      accessString: observed.accessString,
      authenticationType: observed.authenticationType,
      passwordCount: observed.passwordCount,
      userGroupIDs: observed.userGroupIDs,
      minimumEngineVersion: observed.minimumEngineVersion,
    };
  },

  remember(action, input) {
    if (action.type === "delete") return {};
    const auth = action.type === "create" ? action.authentication : action.authentication;
    const memory: Record<string, unknown> = {};
    const fingerprints = sentFingerprints(auth, input);
    if (fingerprints !== undefined) memory.passwordFingerprints = fingerprints;
    // A previous password sent next to the new one starts the rotation's grace; any other
    // authentication ends it (undefined drops the field from status).
    if (auth !== undefined)
      memory.passwordRotationStartedAt =
        auth.type === "password" && auth.passwords.some((p) => p.from === "previous")
          ? new Date(input.now ?? Date.now()).toISOString()
          : undefined;
    if (action.type === "create" || action.accessString !== undefined)
      memory.appliedAccessString = input.spec.accessString;
    return memory;
  },
};
