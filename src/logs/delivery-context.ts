// Fields that every log line written while one delivery or one API request
// is processed must carry (request_id = X-GitHub-Delivery or the API call's
// X-Request-Id, installation, repository, actor), whichever logger writes the
// line: Probot's context.log, a store or an API client. AsyncLocalStorage
// follows the work through every await.
import { AsyncLocalStorage } from "node:async_hooks";

export interface DeliveryLogFields {
  request_id: string;
  event?: string;
  installation?: number;
  repository?: string;
  /** Who asked: the API token's actor (set once the request is authenticated). */
  actor?: string;
  /** Which attempt at a delivery this is (1: the first claim; more after a retry or a re-claim). */
  attempt?: number;
}

const storage = new AsyncLocalStorage<DeliveryLogFields>();

export function withDeliveryContext<T>(fields: DeliveryLogFields, work: () => Promise<T>): Promise<T> {
  return storage.run(fields, work);
}

export function currentDeliveryFields(): DeliveryLogFields | undefined {
  return storage.getStore();
}
