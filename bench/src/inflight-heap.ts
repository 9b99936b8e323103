// Live heap of calls in flight: the in-memory answers are held until every request has arrived,
// then a full GC, then the heap is read. Peak heapUsed sampled during a batch counts garbage the
// young generation has not collected yet, so it mostly shows how much a client allocates before a
// scavenge; this is the memory the calls themselves hold while they wait for Bedrock.
import type { Client } from "./clients.js";
import { collectGarbage } from "./stats.js";
import type { Answers } from "./transports.js";

export async function inflightHeapMb(client: Client, answers: Answers, n: number): Promise<number> {
  collectGarbage();
  const base = process.memoryUsage().heapUsed;
  answers.hold();
  const calls = Array.from({ length: n }, () => client.invoke());
  try {
    const deadline = performance.now() + 30_000;
    while (answers.arrived < n) {
      if (performance.now() > deadline) throw new Error(`only ${answers.arrived} of ${n} requests reached the in-memory handler`);
      await new Promise((r) => setImmediate(r));
    }
    collectGarbage();
    return (process.memoryUsage().heapUsed - base) / 2 ** 20;
  } finally {
    answers.release();
    await Promise.all(calls);
  }
}
