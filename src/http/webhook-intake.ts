// The webhook route: verify, store, answer. GitHub's 2xx means "stored in
// MySQL"; the handlers run later from the inbox, so the answer never waits on
// GitHub API calls and a crash after the answer loses nothing. It reads the
// HTTP request and answers with HTTP statuses, so it lives with the HTTP edge
// and hands the delivery to the inbox (src/inbox/inbox-store.ts).
//
// Whatever GitHub signed is stored, as the bytes it signed: the intake reads
// only the few indexed fields, defensively (src/inbox/delivery-fields.ts),
// and leaves every judgement of the payload to the worker, which rejects
// what it cannot handle. So a delivery never gets a 5xx for what it holds,
// only while MySQL is away. The one exception is a body that is not a JSON
// object at all: GitHub never sends one, so it gets 400 and is not stored.
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import { deliveryFields } from "../inbox/delivery-fields.js";
import type { InboxStore } from "../inbox/inbox-store.js";
import { readBody } from "./body.js";
import { HttpError } from "./http-error.js";
import type { WebhookReceiver } from "./server.js";

/** GitHub caps webhook payloads at 25 MB. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export interface SignatureVerifier {
  verify(body: string, signature: string): Promise<boolean>;
}

export class WebhookIntake implements WebhookReceiver {
  constructor(
    private readonly verifier: SignatureVerifier,
    private readonly inbox: InboxStore,
    private readonly onStored: () => void,
    private readonly log: Logger,
  ) {}

  async receive(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const event = header(request, "x-github-event");
    const deliveryId = header(request, "x-github-delivery");
    const signature = header(request, "x-hub-signature-256");
    if (!event || !deliveryId) {
      throw new HttpError(400, "Missing X-GitHub-Event or X-GitHub-Delivery header; is this request from GitHub?");
    }
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(deliveryId) || !/^[a-z_]{1,64}$/.test(event)) {
      throw new HttpError(400, "Malformed X-GitHub-Event or X-GitHub-Delivery header");
    }
    if (!signature) {
      throw new HttpError(401, "Missing X-Hub-Signature-256 header; set a webhook secret on the GitHub App");
    }
    const bytes = await readBody(request, MAX_WEBHOOK_BYTES);
    const body = bytes.toString("utf8");
    let verified: boolean;
    try {
      verified = await this.verifier.verify(body, signature);
    } catch {
      verified = false;
    }
    if (!verified) {
      this.log.warn({ request_id: deliveryId, event }, "webhook signature mismatch; delivery refused");
      throw new HttpError(401, "Signature does not match the payload; verify that WEBHOOK_SECRET matches the GitHub App's webhook secret");
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch (error) {
      throw new HttpError(400, `Payload is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
      throw new HttpError(400, "Payload must be a JSON object");
    }
    const { notes, ...fields } = deliveryFields(payload as Record<string, unknown>);
    if (notes.length > 0) {
      this.log.warn({ request_id: deliveryId, event, notes }, "delivery stored with indexed fields left out; the worker judges its payload");
    }

    let stored: boolean;
    try {
      stored = await this.inbox.store({ deliveryId, event, body: bytes, fields });
    } catch (error) {
      // GitHub records the failed delivery and it can be redelivered.
      this.log.error({ err: error, request_id: deliveryId, event }, "cannot store webhook delivery; answering 503");
      throw new HttpError(503, "The webhook inbox (MySQL) is unavailable; the delivery was not stored. Redeliver it later.");
    }
    if (!stored) {
      this.log.info({ request_id: deliveryId, event }, "redelivery of a stored delivery; acknowledged, not processed again");
      return { status: 200, body: { status: "duplicate", delivery: deliveryId } };
    }
    this.onStored();
    return { status: 202, body: { status: "queued", delivery: deliveryId } };
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
