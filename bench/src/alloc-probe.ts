// Bytes allocated per invoke, by package and by function (V8 sampling heap profiler with collected
// objects included): node --conditions=source --import tsx bench/src/alloc-probe.ts <client> [rows]
import { Session } from "node:inspector/promises";
import { createClient, type ClientId } from "./clients.js";
import { Answers } from "./transports.js";
const id = (process.argv[2] ?? "ours") as ClientId;
const answers = new Answers();
const client = createClient(id, { kind: "memory", url: "http://bedrock.in-memory.invalid", answers });
for (let i = 0; i < 500; i++) await client.invoke();
const s = new Session();
s.connect();
await s.post("HeapProfiler.startSampling", {
  samplingInterval: 256,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
} as never);
for (let i = 0; i < 2000; i++) await client.invoke();
const { profile } = (await s.post("HeapProfiler.stopSampling")) as { profile: { head: Node } };
interface Node {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: Node[];
}
const self = new Map<string, number>();
let total = 0;
const walk = (n: Node) => {
  const u = n.callFrame.url.replace(/.*node_modules\//, "nm/").replace(/.*\/work\/main\//, "");
  const k = `${n.callFrame.functionName || "(anon)"} ${u}:${n.callFrame.lineNumber}`;
  self.set(k, (self.get(k) ?? 0) + n.selfSize);
  total += n.selfSize;
  n.children.forEach(walk);
};
walk(profile.head);
const byPkg = new Map<string, number>();
for (const [k, v] of self) {
  const m = k.match(/nm\/(@[^/]+\/[^/]+|[^/]+)/);
  const p = m ? m[1] : k.includes("packages/chat") ? "packages/chat" : k.includes("bench/") ? "bench" : "node/other";
  byPkg.set(p, (byPkg.get(p) ?? 0) + v);
}
console.log(id, "bytes per call", Math.round(total / 2000));
for (const [k, v] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log("  ", k, Math.round(v / 2000));
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 15)))
  console.log("    ", Math.round(v / 2000), k);
client.close();
