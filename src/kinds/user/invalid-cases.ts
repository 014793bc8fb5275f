// ElastiCacheUser manifests the API server must refuse, with the field and message (rows of
// src/api/invalid-cases.ts).
import { type InvalidRow, manifestOf } from "../../api/invalid-row.ts";

type Spec = Record<string, unknown>;

const user = (name: string, spec: Record<string, unknown>) => manifestOf("ElastiCacheUser", name, spec);

const valid: Spec = {
  providerRef: { name: "localstack" },
  userID: "app",
  userName: "app",
  engine: "redis",
  accessString: "on ~app:* +get +set",
  passwordSecretRefs: [{ name: "app-password", key: "password" }],
};

const { passwordSecretRefs: _refs, ...noPasswords } = valid;

export const userInvalidRows: InvalidRow[] = [
  [
    "user password mode without passwordSecretRefs",
    user("u1", noPasswords),
    "spec.passwordSecretRefs",
    "passwordSecretRefs is required with authenticationMode password",
  ],
  [
    "user no-password mode with passwordSecretRefs",
    user("u2", { ...valid, authenticationMode: "no-password" }),
    "spec.passwordSecretRefs",
    "passwordSecretRefs is used only with authenticationMode password",
  ],
  [
    "user with three passwords",
    user("u3", {
      ...valid,
      passwordSecretRefs: [
        { name: "a", key: "p" },
        { name: "b", key: "p" },
        { name: "c", key: "p" },
      ],
    }),
    "spec.passwordSecretRefs",
    "must have at most 2 items",
  ],
  [
    "user iam mode with userName other than userID",
    user("u4", { ...noPasswords, authenticationMode: "iam", userName: "other" }),
    "spec.userName",
    "authenticationMode iam needs userName equal to userID",
  ],
  [
    "userID upper case",
    user("u5", { ...valid, userID: "App" }),
    "spec.userID",
    "userID must be lower-case letters, digits and hyphens",
  ],
  [
    "userID default",
    user("u6", { ...valid, userID: "default" }),
    "spec.userID",
    'userID "default" is the user AWS creates in every account',
  ],
  [
    "userName with a space",
    user("u7", { ...valid, userName: "app user" }),
    "spec.userName",
    "userName must not contain spaces",
  ],
  [
    "user accessString setting a password",
    user("u8", { ...valid, accessString: "on >secret ~* +@all" }),
    "spec.accessString",
    "accessString must not set passwords",
  ],
  [
    "user engine memcached",
    user("u9", { ...valid, engine: "memcached" }),
    "spec.engine",
    'Unsupported value: "memcached"',
  ],
];
