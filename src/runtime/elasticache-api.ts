// The ElastiCache calls of one provider for the kinds of the runtime: each call bounded in time,
// reported to the provider's call hook and classified (CloudError), like the cache gateway's.
import {
  AddTagsToResourceCommand,
  ListTagsForResourceCommand,
  RemoveTagsFromResourceCommand,
} from "@aws-sdk/client-elasticache";
import { callAws } from "../aws/call.ts";
import type { AwsClients } from "../aws/clients.ts";
import { isKind } from "../aws/errors.ts";

/** The part of the SDK client used (unit tests pass a scripted stand-in). */
export interface CommandSender {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

export class ElastiCacheApi {
  readonly #client: CommandSender;
  readonly #clients: Pick<AwsClients, "onCall" | "timeouts"> | undefined;

  constructor(clients: AwsClients | { elasticache: CommandSender; onCall?: AwsClients["onCall"] }) {
    this.#client = clients.elasticache as CommandSender;
    this.#clients = clients as Pick<AwsClients, "onCall" | "timeouts">;
  }

  /** One call; its operation name is the command's class name without "Command". */
  send<T>(command: object): Promise<T> {
    const operation = command.constructor.name.replace(/Command$/, "");
    return callAws(
      operation,
      this.#clients?.onCall,
      (abortSignal) => this.#client.send(command, { abortSignal }) as Promise<T>,
      this.#clients?.timeouts?.callMs,
    );
  }

  /** A read whose NotFound means "there is none": undefined instead of an error. */
  async find<T>(command: object): Promise<T | undefined> {
    try {
      return await this.send<T>(command);
    } catch (err) {
      if (isKind(err, "NotFound")) return undefined;
      throw err;
    }
  }

  async tags(arn: string): Promise<Record<string, string>> {
    const out = await this.send<{ TagList?: { Key?: string; Value?: string }[] }>(
      new ListTagsForResourceCommand({ ResourceName: arn }),
    );
    return Object.fromEntries((out.TagList ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  }

  addTags(arn: string, tags: Record<string, string>): Promise<unknown> {
    return this.send(
      new AddTagsToResourceCommand({
        ResourceName: arn,
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  }

  removeTags(arn: string, keys: string[]): Promise<unknown> {
    return this.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: keys }));
  }
}

/** AWS's tag list as a map. */
export function tagMap(list: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}

/** A tag map as AWS's tag list. */
export function tagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
