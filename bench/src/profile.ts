// Runs one piece of work for one client on the in-memory transport in a loop, for profiling:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --conditions=source --import tsx bench/src/profile.ts <work> <client> [n]
// work: invoke | stream50 | stream500 | history500 | structured, observed (one callback handler):
// oinvoke | ostream50 | ostream500, or agent (a LangGraph turn); client: sdk-default | ours | langchain-aws | ai-sdk.
// Then: node bench/src/profile-summary.mjs /tmp/prof/<file>.cpuprofile
import { createClient, type ClientId } from "./clients.js";
import { agentTurnFrames, buildHistory, streamFrames, structuredBody } from "./fixtures.js";
import { Answers } from "./transports.js";

const [work = "invoke", id = "ours", count = "500"] = process.argv.slice(2);
const answers = new Answers();
const client = createClient(id as ClientId, { kind: "memory", url: "http://bedrock.in-memory.invalid", answers });
const history = buildHistory(500);
if (/^o?stream/.test(work)) answers.setStream(streamFrames(Number(work.replace(/^o?stream/, ""))));
if (work === "agent") answers.setStreamScript(agentTurnFrames());
if (work === "structured") answers.converse = structuredBody(client.structuredToolName);
const works: Record<string, () => Promise<unknown>> = {
  invoke: () => client.invoke(),
  oinvoke: () => client.observedInvoke(),
  history500: () => client.history(history),
  structured: () => client.structured(),
  agent: () => client.agentTurn!(),
};
const once = works[work] ?? (work.startsWith("ostream") ? () => client.observedStream() : () => client.stream());
for (let i = 0; i < 50; i++) await once();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let i = 0; i < Number(count); i++) await once();
const cpu = process.cpuUsage(cpu0);
const per = (ms: number) => (ms / Number(count)).toFixed(3);
console.log(`${work} ${id}: ${per(performance.now() - t0)} ms per call, ${per((cpu.user + cpu.system) / 1000)} ms CPU per call`);
client.close();
