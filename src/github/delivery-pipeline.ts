// What the inbox worker does with the deliveries it claims
// (src/inbox/worker.ts), in two steps:
//   1. prepare, for the whole claimed batch at once: a push that changes
//      .github/iact.yml drops the cached settings (once, before capture or
//      the checks read them), then DORA capture of every push, pull_request,
//      deployment and deployment_status delivery (dora-batch-capture.ts);
//   2. handle, one delivery at a time and only where Probot's handlers have
//      work left (needsHandlers): the checks, issues, releases, workflow
//      runs, installations.
// Capture used to run inside the handlers, one delivery at a time: a few
// statements and a Probot dispatch per delivery. Batched, a claimed batch of
// a hundred deliveries costs a handful of statements, and a deployment
// status that only feeds DORA never reaches Probot at all.
import type { PushEvent } from "@octokit/webhooks-types";
import type { Probot } from "probot";
import type { Settled } from "../lib/group-commit.js";
import type { DoraBatchCapture } from "./dora-batch-capture.js";
import { isBatchCaptured } from "./dora-batch-capture.js";
import { touchesRepoConfig } from "./events/push-events.js";
import { pullRequestIsChecked } from "./handlers/pull-request.js";
import { pushIsChecked } from "./handlers/push.js";
import type { RepoConfigCache } from "./repo-config-cache.js";

export interface PipelineDelivery {
  deliveryId: string;
  event: string;
  payload: Record<string, unknown>;
}

export interface PipelineServices {
  probot: Pick<Probot, "receive">;
  repoConfig: Pick<RepoConfigCache, "invalidate">;
  /** Absent: no DORA capture (the handlers still run). */
  capture?: Pick<DoraBatchCapture, "capture">;
  /** Whether the checks feature runs (pushes and PR openings then need their handlers). */
  checks: boolean;
  /** Other apps loaded beside iact-bot's (tests): every delivery then goes to the handlers. */
  otherApps?: boolean;
}

export class DeliveryPipeline {
  constructor(private readonly services: PipelineServices) {}

  /** Step 1 for a batch: one outcome per delivery, in order. */
  async prepare(deliveries: readonly PipelineDelivery[]): Promise<Array<Settled<void>>> {
    for (const { event, payload } of deliveries) {
      if (event !== "push") continue;
      const push = payload as unknown as PushEvent;
      if (touchesRepoConfig(push)) this.services.repoConfig.invalidate(push.repository.owner.login, push.repository.name);
    }
    const outcomes: Array<Settled<void>> = deliveries.map(() => ({ ok: true, value: undefined }));
    const { capture } = this.services;
    if (!capture) return outcomes;
    const captured = deliveries.flatMap((delivery, index) => (isBatchCaptured(delivery.event, delivery.payload) ? [{ delivery, index }] : []));
    if (captured.length === 0) return outcomes;
    const results = await capture.capture(captured.map(({ delivery }) => delivery));
    captured.forEach(({ index }, position) => (outcomes[index] = results[position]!));
    return outcomes;
  }

  /** False when step 1 did all there is to do for the delivery. */
  needsHandlers({ event, payload }: PipelineDelivery): boolean {
    if (this.services.otherApps) return true;
    switch (event) {
      case "deployment":
      case "deployment_status":
        return false;
      case "push":
        return this.services.checks && pushIsChecked(payload as unknown as PushEvent);
      case "pull_request":
        return this.services.checks && pullRequestIsChecked(payload);
      default:
        return true;
    }
  }

  /** Step 2: Probot's handlers for one delivery. */
  handle({ deliveryId, event, payload }: PipelineDelivery): Promise<void> {
    // The stored event name came from a verified GitHub header.
    return this.services.probot.receive({ id: deliveryId, name: event as never, payload: payload as never });
  }
}
