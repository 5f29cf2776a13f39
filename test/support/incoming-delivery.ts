// A delivery as the intake hands it to the inbox: the signed bytes and the
// indexed fields read from them, for suites that store deliveries directly.
import { deliveryFields } from "../../src/inbox/delivery-fields.js";
import type { IncomingDelivery } from "../../src/inbox/inbox-store.js";

export function incomingDelivery(deliveryId: string, event: string, payload: Record<string, unknown>): IncomingDelivery {
  const { notes: _notes, ...fields } = deliveryFields(payload);
  return { deliveryId, event, body: Buffer.from(JSON.stringify(payload)), fields };
}
