// A closed-loop load: `inFlight` clients, each sending its next request as
// soon as the last one is answered, until `total` are sent. Returns each
// request's latency (ms) and the wall time (s).
export async function closedLoop(total: number, inFlight: number, send: (index: number) => Promise<void>): Promise<{ samples: number[]; seconds: number }> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        const index = next;
        next += 1;
        const begin = performance.now();
        await send(index);
        samples.push(performance.now() - begin);
      }
    }),
  );
  return { samples, seconds: (performance.now() - started) / 1000 };
}
