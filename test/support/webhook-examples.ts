// GitHub's published webhook payloads (@octokit/webhooks-examples), so tests
// send the shapes GitHub sends rather than hand-written ones.
import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import type { WebhookEventMap, WebhookEventName } from "@octokit/webhooks-types";

const require = createRequire(import.meta.url);
const definitions = require("@octokit/webhooks-examples/api.github.com/index.json") as WebhookDefinition[];

/** A deep copy of the first published example of `event` (with `action` when given). */
export function exampleFor<E extends WebhookEventName>(event: E, action?: string): WebhookEventMap[E] {
  const definition = definitions.find((candidate) => candidate.name === event);
  if (!definition) throw new Error(`no published example for ${event}`);
  const example = definition.examples.find((candidate) => !action || (candidate as { action?: string }).action === action);
  if (!example) throw new Error(`no published example for ${event}.${action}`);
  return structuredClone(example) as WebhookEventMap[E];
}
