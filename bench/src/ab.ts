// Quick interleaved CPU comparison on the in-memory transport, for noisy machines: short batches of
// each work item, client after client, many rounds; prints the median CPU ms per call and the ratio
// to the raw SDK. node --conditions=source --import tsx bench/src/ab.ts [rounds] [works,...]
import { loadavg } from "node:os";
import { createClient, type Client, type ClientId } from "./clients.js";
import { agentTurnFrames, streamFrames } from "./fixtures.js";
import { collectGarbage, median } from "./stats.js";
import { Answers } from "./transports.js";

const [roundsText = "15", worksText = "invoke,stream50,stream500,oinvoke,ostream50,ostream500,agent"] = process.argv.slice(2);
const ids: ClientId[] = ["sdk-default", "ours", "langchain-aws"];
const answers = new Answers();
const clients = new Map<ClientId, Client>(
  ids.map((id) => [id, createClient(id, { kind: "memory", url: "http://bedrock.in-memory.invalid", answers })]),
);
const works: Record<string, { n: number; prepare: () => void; run: (c: Client) => Promise<unknown> }> = {
  invoke: { n: 40, prepare: () => {}, run: (c) => c.invoke() },
  oinvoke: { n: 40, prepare: () => {}, run: (c) => c.observedInvoke() },
  stream50: { n: 10, prepare: () => answers.setStream(streamFrames(50)), run: (c) => c.stream() },
  ostream50: { n: 10, prepare: () => answers.setStream(streamFrames(50)), run: (c) => c.observedStream() },
  stream500: { n: 2, prepare: () => answers.setStream(streamFrames(500)), run: (c) => c.stream() },
  ostream500: { n: 2, prepare: () => answers.setStream(streamFrames(500)), run: (c) => c.observedStream() },
  agent: { n: 3, prepare: () => answers.setStreamScript(agentTurnFrames()), run: (c) => c.agentTurn!() },
};
const load0 = loadavg()[0];
for (const name of worksText.split(",")) {
  const w = works[name]!;
  const cpu = new Map<ClientId, number[]>(ids.map((id) => [id, []]));
  w.prepare();
  for (const c of clients.values()) for (let i = 0; i < 10; i++) await w.run(c);
  for (let r = 0; r < Number(roundsText); r++) {
    for (const id of r % 2 ? [...ids].reverse() : ids) {
      w.prepare();
      collectGarbage();
      const c0 = process.cpuUsage();
      for (let i = 0; i < w.n; i++) await w.run(clients.get(id)!);
      const c1 = process.cpuUsage(c0);
      cpu.get(id)!.push((c1.user + c1.system) / 1000 / w.n);
    }
  }
  const base = median(cpu.get("sdk-default")!);
  console.log(
    `${name.padEnd(11)} ${ids.map((id) => `${id} ${median(cpu.get(id)!).toFixed(3)} ms (${(median(cpu.get(id)!) / base).toFixed(2)}x)`).join("  ")}`,
  );
}
console.log(`load average ${load0.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`);
for (const c of clients.values()) c.close();
process.exit(0);
