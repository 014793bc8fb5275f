// On-demand hourly prices of ElastiCache nodes, in US dollars, per region: what cost estimates
// (plan, describe, status.estimatedCost) multiply by the node count. Node-based caches are billed
// per node-hour whatever the engine (Redis, Valkey, Memcached) or its role (primary, replica), so
// one price per node type. A month is 730 hours, as AWS's calculator and the documentation count.
//
// Keep each figure's source beside it. Prices change: update a region's figures and its date
// together, from the AWS ElastiCache pricing page or the AWS Pricing Calculator.

export interface RegionPrices {
  /** When the figures were taken from their source (YYYY-MM-DD). */
  date: string;
  source: string;
  /** Node type → USD per node-hour. */
  hourly: Record<string, number>;
  /** Why each figure is what it is, when it is not the source's own number. */
  derived?: Record<string, string>;
}

export const HOURS_PER_MONTH = 730;

export const PRICE_TABLE: Record<string, RegionPrices> = {
  "us-east-1": {
    date: "2026-12-02",
    source:
      'the product documentation, troubleshooting "High ElastiCache costs" (cache.t3.micro ~$0.017/hour, cache.r6g.xlarge ~$0.560/hour); sizes of the same family scale with the node size, as AWS prices them',
    hourly: {
      "cache.t3.micro": 0.017,
      "cache.t3.small": 0.034,
      "cache.t3.medium": 0.068,
      "cache.r6g.large": 0.28,
      "cache.r6g.xlarge": 0.56,
      "cache.r6g.2xlarge": 1.12,
      "cache.r6g.4xlarge": 2.24,
    },
    derived: {
      "cache.t3.small": "2 × cache.t3.micro",
      "cache.t3.medium": "4 × cache.t3.micro",
      "cache.r6g.large": "cache.r6g.xlarge / 2",
      "cache.r6g.2xlarge": "2 × cache.r6g.xlarge",
      "cache.r6g.4xlarge": "4 × cache.r6g.xlarge",
    },
  },
};
