// Which missed deliveries are asked for again, on hand-made attempt lists.
import { describe, expect, it } from "vitest";
import { planRedeliveries } from "../../src/github/webhook-repair-plan.js";
import type { DeliveryAttempt } from "../../src/github/webhook-repair-plan.js";

function attempt(id: number, guid: string, minute: number, statusCode: number): DeliveryAttempt {
  return { id, guid, deliveredAt: new Date(Date.UTC(2026, 10, 29, 5, minute)), statusCode, event: "push" };
}

describe("planRedeliveries", () => {
  it("asks once, for the latest attempt, for each delivery with no 2xx that the inbox does not hold, oldest first", () => {
    const attempts = [
      attempt(9, "g-retried-ok", 9, 202), // a later attempt got through
      attempt(8, "g-down-later", 8, 0), // GitHub could not connect
      attempt(7, "g-down", 7, 503),
      attempt(6, "g-retried-ok", 6, 502),
      attempt(5, "g-down-later", 5, 502), // an earlier attempt of the same delivery
      attempt(4, "g-stored", 4, 0), // stored, but GitHub timed out waiting for the answer
      attempt(3, "g-asked", 3, 500), // asked for by an earlier run
      attempt(2, "g-too-big", 2, 413),
      attempt(1, "g-dupe", 1, 200),
    ];
    const plan = planRedeliveries(attempts, new Set(["g-stored", "g-dupe"]), new Set(["g-asked"]));
    expect(plan.redeliver.map((chosen) => [chosen.id, chosen.guid])).toEqual([
      [7, "g-down"],
      [8, "g-down-later"],
    ]);
    expect(plan.counts).toEqual({ attempts: 9, deliveries: 7, delivered: 2, in_inbox: 1, already_requested: 1, refused_for_body: 1 });
  });

  it("asks for nothing when every delivery got through", () => {
    expect(planRedeliveries([attempt(1, "a", 1, 202), attempt(2, "b", 2, 200)], new Set(), new Set()).redeliver).toEqual([]);
    expect(planRedeliveries([], new Set(), new Set()).counts.deliveries).toBe(0);
  });
});
