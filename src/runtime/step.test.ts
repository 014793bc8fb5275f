// The runtime's step with a scripted ElastiCache (no network): ownership and adoption, tag sync,
// one action per step, deletion policies, failures as conditions.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CloudError } from "../aws/errors.ts";
import { OWNER_TAG, RETAINED_TAG, UID_TAG } from "../planner/ownership.ts";
import { ElastiCacheApi } from "./elasticache-api.ts";
import type { ManagedKind, ManagedObserved, ManagedSpec } from "./kind.ts";
import { managedStep, type StepInput } from "./step.ts";

interface Spec extends ManagedSpec {
  name: string;
  size: number;
}
interface Observed extends ManagedObserved {
  size: number;
}
type Action = { type: "create" } | { type: "resize" } | { type: "delete" };

/** A scripted AWS: what observe returns, and every command sent. */
function world(observed: Observed | undefined) {
  const sent: string[] = [];
  const api = new ElastiCacheApi({
    elasticache: {
      send: async (command: unknown) => {
        sent.push((command as object).constructor.name.replace(/Command$/, ""));
        return {};
      },
    },
  });
  const acted: Action[] = [];
  const kind: ManagedKind<Spec, Observed, Action> = {
    definition: {
      kind: "Thing",
      plural: "things",
      singular: "thing",
      shortNames: [],
      description: "",
      spec: undefined as never,
      status: undefined as never,
      printerColumns: [],
    },
    parseSpec: (s) => s as Spec,
    awsName: (s) => s.name,
    describe: (s) => `thing ${s.name}`,
    observe: async () => observed,
    plan: ({ spec, observed: o }) =>
      o === undefined
        ? { type: "act", action: { type: "create" }, reason: "Creating", message: "creating" }
        : o.size !== spec.size
          ? { type: "act", action: { type: "resize" }, reason: "Modifying", message: "resizing" }
          : { type: "ready", message: "thing is there" },
    deleteAction: () => ({ type: "delete" }),
    act: async (_api, action) => {
      acted.push(action);
    },
    status: (o) => (o ? { size: o.size } : {}),
  };
  return { api, kind, sent, acted };
}

const owner = { namespace: "ns", name: "t", uid: "uid-1" };
const ours = { [OWNER_TAG]: "ns/t", [UID_TAG]: "uid-1" };

function input(w: ReturnType<typeof world>, extra: Partial<StepInput> = {}): StepInput {
  return {
    kind: w.kind,
    spec: { providerRef: { name: "p" }, name: "t", size: 2 } as Spec,
    status: {},
    generation: 3,
    owner,
    deleting: false,
    adopt: false,
    defaultTags: {},
    secrets: [],
    resolved: [],
    api: w.api,
    now: Date.parse("2026-12-03T00:00:00Z"),
    ...extra,
  };
}

test("nothing in AWS: the kind's create, one action, Ready False Creating and a requeue", async () => {
  const w = world(undefined);
  const r = await managedStep(input(w));
  assert.deepEqual(w.acted, [{ type: "create" }]);
  assert.equal(r.status.ready, false);
  assert.equal(r.status.conditions?.find((c) => c.type === "Ready")?.reason, "Creating");
  assert.deepEqual(r.status.appliedTagKeys, [OWNER_TAG, UID_TAG].sort());
  assert.equal(r.requeueAfterMs, 2_000);
  assert.deepEqual(
    r.events.map((e) => e.reason),
    ["Creating"],
  );
});

test("as the spec asks: Ready and Synced True, one Ready Event only on the transition", async () => {
  const w = world({ arn: "arn:t", tags: ours, size: 2 });
  const r = await managedStep(input(w));
  assert.equal(r.status.ready, true);
  assert.equal(r.status.size, 2);
  assert.equal(r.status.observedGeneration, 3);
  assert.deepEqual(
    r.events.map((e) => e.reason),
    ["Ready"],
  );
  const again = await managedStep(input(w, { status: r.status }));
  assert.deepEqual(again.events, []);
  assert.deepEqual(again.status, r.status);
  assert.deepEqual(w.sent, []);
});

test("someone else's resource of that name: NotOwned, nothing changed; adopt takes it over", async () => {
  const w = world({ arn: "arn:t", tags: { team: "x" }, size: 1 });
  const r = await managedStep(input(w));
  assert.equal(r.status.conditions?.find((c) => c.type === "Synced")?.reason, "NotOwned");
  assert.deepEqual([w.sent, w.acted], [[], []]);
  const adopted = await managedStep(input(w, { adopt: true }));
  assert.deepEqual(w.sent, ["AddTagsToResource"], "first the ownership tags");
  assert.equal(adopted.status.conditions?.find((c) => c.type === "Ready")?.reason, "Tagging");
});

test("tags follow the spec: added, then a removed key removed, one call per step", async () => {
  const w = world({ arn: "arn:t", tags: { ...ours, old: "1" }, size: 2 });
  const r = await managedStep(input(w, { status: { appliedTagKeys: ["old", OWNER_TAG, UID_TAG] } }));
  assert.deepEqual(w.sent, ["RemoveTagsFromResource"]);
  assert.equal(r.events[0]?.reason, "Tagging");
});

test("a drifted setting is corrected by the kind's action", async () => {
  const w = world({ arn: "arn:t", tags: ours, size: 5 });
  await managedStep(input(w));
  assert.deepEqual(w.acted, [{ type: "resize" }]);
});

test("deletion policies: Delete acts, Retain marks, Orphan untags, foreign is left alone", async () => {
  const del = world({ arn: "arn:t", tags: ours, size: 2 });
  const d = await managedStep(input(del, { deleting: true }));
  assert.deepEqual(del.acted, [{ type: "delete" }]);
  assert.equal(d.release, false);
  const gone = await managedStep(input(world(undefined), { deleting: true }));
  assert.equal(gone.release, true);
  // AWS still making it (a snapshot being taken): wait, no delete call.
  const busy = world({ arn: "arn:t", tags: ours, size: 2, busy: true });
  const b = await managedStep(input(busy, { deleting: true }));
  assert.deepEqual([busy.acted, b.release, b.status.ready], [[], false, false]);
  assert.ok(b.requeueAfterMs !== undefined && b.events.length === 0);
  assert.match(b.status.conditions?.find((c) => c.type === "Ready")?.message ?? "", /once AWS is done/);

  const retain = world({ arn: "arn:t", tags: ours, size: 2 });
  const spec = { providerRef: { name: "p" }, name: "t", size: 2 };
  const r = await managedStep(
    input(retain, { deleting: true, spec: { ...spec, deletionPolicy: "Retain" } as Spec }),
  );
  assert.deepEqual([retain.sent, r.release], [["AddTagsToResource"], true]);

  const orphan = world({ arn: "arn:t", tags: ours, size: 2 });
  const o = await managedStep(
    input(orphan, { deleting: true, spec: { ...spec, deletionPolicy: "Orphan" } as Spec }),
  );
  assert.deepEqual([orphan.sent, o.release], [["RemoveTagsFromResource"], true]);

  const foreign = world({
    arn: "arn:t",
    tags: { [OWNER_TAG]: "ns/t", [UID_TAG]: "other", [RETAINED_TAG]: "x" },
    size: 2,
  });
  const f = await managedStep(input(foreign, { deleting: true }));
  assert.deepEqual([foreign.sent, foreign.acted, f.release], [[], [], true]);
});

test("an AWS failure becomes the Synced condition and an Event; throttling backs off", async () => {
  const w = world(undefined);
  w.kind.act = async () => {
    throw new CloudError({
      kind: "Throttled",
      code: "Throttling",
      action: "CreateThing",
      message: "slow down",
    });
  };
  const r = await managedStep(input(w));
  assert.equal(r.backoff, true);
  assert.equal(r.status.conditions?.find((c) => c.type === "Synced")?.reason, "Throttled");
  assert.equal(r.events[0]?.type, "Warning");
  assert.equal(r.status.observedGeneration, undefined);
});

test("a kind's connection Secret keys come with a ready step only", async () => {
  const w = world({ arn: "arn:thing", tags: ours, size: 2 });
  w.kind.connectionSecret = {
    name: (_s, objectName) => `${objectName}-connection`,
    data: (o) => ({ host: "thing.local", port: String(o.size) }),
  };
  const ready = await managedStep(input(w, { status: { appliedTagKeys: Object.keys(ours) } }));
  assert.equal(ready.status.ready, true);
  assert.deepEqual(ready.connection, { host: "thing.local", port: "2" });
  const resizing = await managedStep(
    input(w, { spec: { providerRef: { name: "p" }, name: "t", size: 5 } as Spec }),
  );
  assert.equal(resizing.status.ready, false);
  assert.equal(resizing.connection, undefined);
});
