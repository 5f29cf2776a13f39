// Which of GitHub's recent delivery attempts to ask again for, decided from
// the attempts alone (no I/O). GitHub lists every attempt of every delivery
// (a redelivery is a new attempt with the same guid). A delivery is missed
// when no attempt of it got a 2xx and the inbox does not hold it (a slow
// commit can store a delivery whose answer GitHub gave up on). It is asked
// for at most once: guids already asked for are left alone.
// Attempts refused for their body (400 not JSON or malformed headers, 413 too
// large) are not asked again: the same body would get the same answer.

export interface DeliveryAttempt {
  /** GitHub's id of this attempt (what a redelivery request names). */
  id: number;
  /** X-GitHub-Delivery, shared by every attempt of one delivery. */
  guid: string;
  deliveredAt: Date;
  /** 0 when GitHub could not connect or timed out. */
  statusCode: number;
  event: string;
}

export interface RedeliveryPlan {
  redeliver: DeliveryAttempt[];
  counts: { attempts: number; deliveries: number; delivered: number; in_inbox: number; already_requested: number; refused_for_body: number };
}

const REFUSED_FOR_BODY = new Set([400, 413]);

function succeeded(attempt: DeliveryAttempt): boolean {
  return attempt.statusCode >= 200 && attempt.statusCode < 300;
}

export function planRedeliveries(attempts: readonly DeliveryAttempt[], inInbox: ReadonlySet<string>, alreadyRequested: ReadonlySet<string>): RedeliveryPlan {
  const byGuid = new Map<string, DeliveryAttempt[]>();
  for (const attempt of attempts) byGuid.set(attempt.guid, [...(byGuid.get(attempt.guid) ?? []), attempt]);
  const counts = { attempts: attempts.length, deliveries: byGuid.size, delivered: 0, in_inbox: 0, already_requested: 0, refused_for_body: 0 };
  const redeliver: DeliveryAttempt[] = [];
  for (const [guid, tries] of byGuid) {
    if (tries.some(succeeded)) counts.delivered++;
    else if (inInbox.has(guid)) counts.in_inbox++;
    else if (alreadyRequested.has(guid)) counts.already_requested++;
    else {
      const latest = tries.reduce((newest, attempt) => (attempt.deliveredAt > newest.deliveredAt ? attempt : newest));
      if (REFUSED_FOR_BODY.has(latest.statusCode)) counts.refused_for_body++;
      else redeliver.push(latest);
    }
  }
  // Oldest first: the order GitHub first sent them in.
  redeliver.sort((a, b) => a.deliveredAt.getTime() - b.deliveredAt.getTime());
  return { redeliver, counts };
}
