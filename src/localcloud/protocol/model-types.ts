// Types of the compact service model (`model.generated.json`, written by generate-model.ts).

export interface StructureShape {
  type: "structure";
  /** Member name -> target shape; `name` is the serialized name when it differs (locationName). */
  members: Record<string, { shape: string; name?: string }>;
  required?: string[];
}
export interface ListShape {
  type: "list";
  member: string;
  /** Serialized name of each element (`SecurityGroupId`); "member" when absent. */
  memberName?: string;
  flattened?: boolean;
}
export interface MapShape {
  type: "map";
  key: string;
  value: string;
  /** Serialized names of an entry's key and value ("key" / "value" when absent). */
  keyName?: string;
  valueName?: string;
  flattened?: boolean;
}
export interface ScalarShape {
  type: "string" | "integer" | "double" | "boolean" | "timestamp";
  enum?: string[];
}
export type Shape = StructureShape | ListShape | MapShape | ScalarShape;

export interface OperationModel {
  input?: string;
  output?: string;
  resultWrapper?: string;
  errors: string[];
}

export interface ErrorModel {
  code: string;
  status: number;
  sender: boolean;
}

export interface CompactService {
  version: string;
  /** Query-protocol services (ElastiCache, STS): the namespace of their XML answers. */
  xmlNamespace?: string;
  /** JSON-protocol services (Application Auto Scaling): the X-Amz-Target prefix of their operations. */
  targetPrefix?: string;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
  /** Exception shape name -> wire code and HTTP status. */
  errors: Record<string, ErrorModel>;
}

export interface CompactModel {
  /** The botocore release the model was extracted from. */
  source: string;
  elasticache: CompactService;
  sts: CompactService;
  "application-autoscaling": CompactService;
  /** CloudWatch (signing name monitoring): Query protocol, and JSON 1.0 with its target prefix. */
  monitoring: CompactService;
  /** The Resource Groups Tagging API (signing name tagging): JSON 1.1. */
  tagging: CompactService;
}
