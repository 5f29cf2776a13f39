// Runs the features of one delivery side by side (DORA capture and the checks
// on a push, say) the way Probot runs separate handlers: each one runs to its
// end whatever the other does, and a failure is rethrown afterwards so the
// inbox retries the delivery. Every feature is idempotent, so a retry that
// repeats the one that succeeded changes nothing.
export async function settleAll(tasks: ReadonlyArray<Promise<unknown>>): Promise<void> {
  const failures = (await Promise.allSettled(tasks)).flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as unknown] : []));
  if (failures.length === 1) throw failures[0];
  // The inbox worker reads nested AggregateErrors (messages, rate-limit delays).
  if (failures.length > 1) throw new AggregateError(failures, failures.map(String).join("\n"));
}
