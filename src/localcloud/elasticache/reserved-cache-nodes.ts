// Reserved cache nodes: DescribeReservedCacheNodesOfferings (one offering per node type, term,
// product and payment option, priced from the node type catalog), PurchaseReservedCacheNodesOffering
// (payment-pending, then active; retired once the term is over) and DescribeReservedCacheNodes.
import { createHash, randomBytes } from "node:crypto";
import type { Handler, RequestContext } from "../context.ts";
import { invalidParameter } from "../protocol/errors.ts";
import type { ReservedCacheNodeRecord, Tag } from "../state/records.ts";
import { elasticacheArn } from "./arn.ts";
import type { Cloud } from "./cloud.ts";
import { fault } from "./faults.ts";
import { nodeTypes, productPriceFactor, reservedOfferingTerms } from "./node-types.ts";
import { paginate } from "./pagination.ts";
import { checkTagLimit } from "./shared-rules.ts";
import { validIdentifier } from "./validation.ts";

const secondsPerYear = 31_536_000;
/** AWS's default quota of reserved cache nodes per account and region. */
const maxReservedNodes = 300;
const products = Object.keys(productPriceFactor);

interface Offering {
  id: string;
  cacheNodeType: string;
  duration: number;
  fixedPrice: number;
  recurringHourly: number;
  productDescription: string;
  offeringType: string;
}

/** A stable offering id (UUID-shaped, as AWS's are) for one node type, term, product and payment option. */
function offeringId(parts: string[]): string {
  const h = createHash("sha256").update(parts.join("|")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const cents = (n: number) => Math.round(n * 100) / 100;
const tenthOfCents = (n: number) => Math.round(n * 10_000) / 10_000;

function allOfferings(): Offering[] {
  return nodeTypes.flatMap((t) =>
    products.flatMap((product) =>
      reservedOfferingTerms.map((term) => {
        const hourly = t.onDemandUsdPerHour * (productPriceFactor[product] ?? 1) * term.effectiveHourlyFactor;
        const hours = term.years * 8760;
        return {
          id: offeringId([t.cacheNodeType, String(term.years), product, term.offeringType]),
          cacheNodeType: t.cacheNodeType,
          duration: term.years * secondsPerYear,
          fixedPrice: cents(hourly * hours * term.upfrontShare),
          recurringHourly: tenthOfCents(hourly * (1 - term.upfrontShare)),
          productDescription: product,
          offeringType: term.offeringType,
        };
      }),
    ),
  );
}

function recurringCharges(hourly: number): Record<string, unknown>[] {
  return hourly > 0 ? [{ RecurringChargeAmount: hourly, RecurringChargeFrequency: "Hourly" }] : [];
}

/** Duration filter: 1 or 3 (years), or 31536000 / 94608000 (seconds). */
function durationFilter(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const seconds = {
    "1": secondsPerYear,
    "3": 3 * secondsPerYear,
    "31536000": secondsPerYear,
    "94608000": 3 * secondsPerYear,
  }[String(value)];
  if (seconds === undefined) throw invalidParameter("Duration must be one of 1, 3, 31536000, 94608000.");
  return seconds;
}

/** The filters the two Describe calls share, applied to offerings or purchased nodes alike. */
function matches(
  ctx: RequestContext,
  item: {
    offeringId: string;
    cacheNodeType: string;
    duration: number;
    productDescription: string;
    offeringType: string;
  },
): boolean {
  const i = ctx.input;
  const duration = durationFilter(i.Duration);
  return (
    (i.ReservedCacheNodesOfferingId === undefined || item.offeringId === i.ReservedCacheNodesOfferingId) &&
    (i.CacheNodeType === undefined || item.cacheNodeType === i.CacheNodeType) &&
    (duration === undefined || item.duration === duration) &&
    (i.ProductDescription === undefined || item.productDescription === i.ProductDescription) &&
    (i.OfferingType === undefined || item.offeringType === i.OfferingType)
  );
}

function renderOffering(o: Offering): Record<string, unknown> {
  return {
    ReservedCacheNodesOfferingId: o.id,
    CacheNodeType: o.cacheNodeType,
    Duration: o.duration,
    FixedPrice: o.fixedPrice,
    UsagePrice: 0,
    ProductDescription: o.productDescription,
    OfferingType: o.offeringType,
    RecurringCharges: recurringCharges(o.recurringHourly),
  };
}

function describeOfferings(ctx: RequestContext): Record<string, unknown> {
  const found = allOfferings().filter((o) => matches(ctx, { ...o, offeringId: o.id }));
  if (ctx.input.ReservedCacheNodesOfferingId !== undefined && found.length === 0) {
    throw fault(
      "ReservedCacheNodesOfferingNotFoundFault",
      `Reserved cache node offering ${String(ctx.input.ReservedCacheNodesOfferingId)} not found.`,
    );
  }
  const page = paginate(found, ctx.input);
  return {
    ReservedCacheNodesOfferings: page.items.map(renderOffering),
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

/** The state AWS shows: retired once the term has passed. */
function stateOf(r: ReservedCacheNodeRecord, now: Date): string {
  return Date.parse(r.startTime) + r.duration * 1000 <= now.getTime() ? "retired" : r.state;
}

function renderReserved(r: ReservedCacheNodeRecord, now: Date): Record<string, unknown> {
  return {
    ReservedCacheNodeId: r.id,
    ReservedCacheNodesOfferingId: r.offeringId,
    CacheNodeType: r.cacheNodeType,
    StartTime: r.startTime,
    Duration: r.duration,
    FixedPrice: r.fixedPrice,
    UsagePrice: 0,
    CacheNodeCount: r.count,
    ProductDescription: r.productDescription,
    OfferingType: r.offeringType,
    State: stateOf(r, now),
    RecurringCharges: recurringCharges(r.recurringHourly),
    ReservationARN: r.arn,
  };
}

function purchase(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const i = ctx.input;
  const offering = allOfferings().find((o) => o.id === i.ReservedCacheNodesOfferingId);
  if (offering === undefined) {
    throw fault(
      "ReservedCacheNodesOfferingNotFoundFault",
      `Reserved cache node offering ${String(i.ReservedCacheNodesOfferingId)} not found.`,
    );
  }
  const count = (i.CacheNodeCount as number | undefined) ?? 1;
  if (count < 1) throw invalidParameter("CacheNodeCount must be at least 1.");
  const reserved = Object.values(cloud.state.reservedCacheNodes).reduce((n, r) => n + r.count, 0);
  if (reserved + count > maxReservedNodes) {
    throw fault(
      "ReservedCacheNodeQuotaExceededFault",
      `At most ${maxReservedNodes} reserved cache nodes are allowed (${reserved} reserved).`,
    );
  }
  const id =
    i.ReservedCacheNodeId === undefined
      ? `ri-${ctx.now.toISOString().slice(0, 10)}-${randomBytes(4).toString("hex")}`
      : validIdentifier(i.ReservedCacheNodeId, "ReservedCacheNodeId", 255);
  if (cloud.state.reservedCacheNodes[id])
    throw fault("ReservedCacheNodeAlreadyExistsFault", `Reserved cache node ${id} already exists.`);
  const tags = (i.Tags as Tag[] | undefined) ?? [];
  checkTagLimit(tags);
  const record: ReservedCacheNodeRecord = {
    id,
    arn: elasticacheArn(ctx.region, ctx.principal?.accountId ?? "000000000000", "reserved-instance", id),
    offeringId: offering.id,
    cacheNodeType: offering.cacheNodeType,
    startTime: ctx.now.toISOString(),
    duration: offering.duration,
    fixedPrice: offering.fixedPrice,
    recurringHourly: offering.recurringHourly,
    count,
    productDescription: offering.productDescription,
    offeringType: offering.offeringType,
    state: "payment-pending",
  };
  cloud.state.reservedCacheNodes[id] = record;
  if (tags.length > 0) cloud.state.tags[record.arn] = tags;
  cloud.save();
  cloud.background(
    `settling the payment of reserved cache node ${id}`,
    async () => {
      await cloud.pace();
      record.state = "active";
    },
    () => {
      record.state = "payment-failed";
    },
  );
  return { ReservedCacheNode: renderReserved(record, ctx.now) };
}

function describeReserved(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const wanted = ctx.input.ReservedCacheNodeId;
  const found = Object.values(cloud.state.reservedCacheNodes)
    .filter((r) => wanted === undefined || r.id === wanted)
    .filter((r) => matches(ctx, r))
    .sort((a, b) => a.startTime.localeCompare(b.startTime));
  if (wanted !== undefined && found.length === 0)
    throw fault("ReservedCacheNodeNotFoundFault", `Reserved cache node ${String(wanted)} not found.`);
  const page = paginate(found, ctx.input);
  return {
    ReservedCacheNodes: page.items.map((r) => renderReserved(r, ctx.now)),
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

export function reservedCacheNodeHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    DescribeReservedCacheNodesOfferings: async (ctx) => describeOfferings(ctx),
    PurchaseReservedCacheNodesOffering: async (ctx) => purchase(cloud, ctx),
    DescribeReservedCacheNodes: async (ctx) => describeReserved(cloud, ctx),
  };
}
