// Load: LOAD_STREAMS (default 300) concurrent ConverseStream calls through ChatBedrockConverse to an
// emulator on 127.0.0.1, about a third of them aborted at a random point. Every stream either
// completes with the whole reply or rejects with an abort; none hangs (deadline), no socket is left
// in use, the emulator's connections drop to 0 once the client's pool is closed, no timer or abort
// listener is left, and RSS growth stays bounded.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { Agent } from "node:http";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { Emulator } from "bedrock-runtime-emulator";
import { emulator, model } from "../helpers.js";

const STREAMS = Number(process.env.LOAD_STREAMS ?? 300);
const ABORT_SHARE = 0.35;

let emu: Emulator;
before(async () => {
  // A few ms between events keeps hundreds of streams open at once; one word per delta.
  emu = await emulator({ streamEventDelayMs: 20, chunkSize: 1, maxLoggedRequests: STREAMS + 10 });
});
after(async () => {
  await emu.close();
});

/** Mulberry32, so a failing run can be replayed with the same LOAD_SEED. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
}

test(`${STREAMS} concurrent streams with random aborts: no hang, no leaked socket, timer or listener, bounded RSS`, {
  timeout: 120_000,
}, async () => {
  const random = prng(Number(process.env.LOAD_SEED ?? 300));
  const agent = new Agent({ keepAlive: true, maxSockets: STREAMS });
  const llm = model(emu, { maxRetries: 0, config: { requestHandler: new NodeHttpHandler({ httpAgent: agent }) } });
  const timersBefore = timers();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
  let peakConnections = 0;
  const connSampler = setInterval(() => (peakConnections = Math.max(peakConnections, emu.openConnections())), 20);

  const signals: AbortSignal[] = [];
  const outcomes = await Promise.all(
    Array.from({ length: STREAMS }, async (_, i) => {
      const prompt = `Stream ${i} please tell me about the long winding river that runs through the quiet valley at dawn`;
      const controller = new AbortController();
      signals.push(controller.signal);
      const abort = random() < ABORT_SHARE;
      // Abort after 0..8 chunks, or (when 0) on a timer while the request is in flight.
      const afterChunks = abort ? Math.floor(random() * 9) : -1;
      if (afterChunks === 0) setTimeout(() => controller.abort(), Math.floor(random() * 50));
      let chunks = 0;
      let text = "";
      try {
        for await (const c of await llm.stream(prompt, { signal: controller.signal })) {
          chunks++;
          for (const b of c.content as Array<{ text?: string }>) text += b.text ?? "";
          if (chunks === afterChunks) controller.abort();
        }
      } catch (err) {
        assert.ok(controller.signal.aborted, `stream ${i} failed without an abort: ${String(err)}`);
        assert.match(`${(err as Error).name} ${(err as Error).message}`, /abort/i);
        return "aborted" as const;
      }
      if (controller.signal.aborted) return "finished before the abort" as const;
      assert.equal(text, `You said: ${prompt}`, `stream ${i} is complete`);
      return "completed" as const;
    }),
  );
  clearInterval(sampler);
  clearInterval(connSampler);

  const count = (o: string) => outcomes.filter((x) => x === o).length;
  const inUse = () => Object.values(agent.sockets).reduce((n, list) => n + (list?.length ?? 0), 0);
  // Aborted requests destroy their sockets; finished ones go back to the pool.
  for (let i = 0; i < 200 && inUse() > 0; i++) await sleep(20);
  assert.equal(inUse(), 0, "no socket is still in use");
  const pooled = Object.values(agent.freeSockets).reduce((n, list) => n + (list?.length ?? 0), 0);
  agent.destroy();
  for (let i = 0; i < 200 && emu.openConnections() > 0; i++) await sleep(20);
  assert.equal(emu.openConnections(), 0, "the emulator's connections are all closed");
  for (let i = 0; i < 200 && timers() > timersBefore; i++) await sleep(20);
  assert.ok(timers() <= timersBefore, `timers left: ${timers()} > ${timersBefore}`);
  assert.ok(
    signals.every((s) => getEventListeners(s, "abort").length === 0),
    "no abort listener is left on any signal",
  );

  const log = emu.requests().filter((r) => r.operation === "converse-stream");
  // A stream aborted early enough never sends its request.
  assert.ok(log.length <= STREAMS && log.length >= STREAMS - count("aborted"), `${log.length} requests logged`);
  const abortedOnServer = log.filter((r) => r.aborted).length;
  assert.ok(abortedOnServer <= count("aborted"), "the emulator saw no client leave that did not abort");
  const rssGrowth = (rssPeak - rssBefore) / 2 ** 20;
  console.log(
    `load: ${STREAMS} concurrent streams (peak ${peakConnections} open connections): ${count("completed")} completed whole, ` +
      `${count("aborted")} aborted (${STREAMS - log.length} before sending, ${abortedOnServer} seen closing early by the emulator), ${count("finished before the abort")} finished first; ` +
      `${pooled} pooled sockets released, 0 leaked; RSS growth ${rssGrowth.toFixed(1)} MiB`,
  );
  assert.equal(count("completed") + count("aborted") + count("finished before the abort"), STREAMS);
  // Generous (GC timing varies) but bounded: about 0.25 MiB per stream is observed.
  const bound = 100 + 0.5 * STREAMS;
  assert.ok(rssGrowth < bound, `RSS grew by ${rssGrowth.toFixed(1)} MiB (bound ${bound} MiB)`);
});
