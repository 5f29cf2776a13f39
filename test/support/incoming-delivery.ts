// A delivery as the intake hands it to the inbox: the signed bytes and the
// indexed fields read from them, for suites that store deliveries directly.
import { deliveryFields } from "../../src/inbox/delivery-fields.js";
import type { IncomingDelivery } from "../../src/inbox/inbox-store.js";

export function incomingDelivery(deliveryId: string, event: string, payload: Record<string, unknown>): IncomingDelivery {
  const { notes: _notes, ...fields } = deliveryFields(payload);
  return { deliveryId, event, body: Buffer.from(JSON.stringify(payload)), fields };
}

/** A `ping` as stored by the intake; `body` replaces the signed bytes (a body that is not JSON, a sized one). */
export function pingDelivery(deliveryId: string, body: string = JSON.stringify({ zen: deliveryId, hook_id: 1 })): IncomingDelivery {
  return { deliveryId, event: "ping", body: Buffer.from(body), fields: { action: null, installationId: null, repository: null } };
}
