// Case 9 (issue 15): what record/replay and the local-model backend cost, on loopback, in process.
// - proxy overhead: median of sequential Converse calls through a recording emulator minus the
//   median straight to its upstream (another emulator), interleaved so both see the same noise;
// - replay throughput: requests/s of a replaying emulator against the default model's, same load;
// - backend translation: CPU per streamed event from SSE text to an event-stream frame (SSE parse,
//   JSON.parse, Chat chunk -> Bedrock event, frame encoding), no network.
// Figures only: nothing here is asserted.
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "bedrock-runtime-emulator";
import { SseParser } from "../../packages/emulator/src/backend/sse.js";
import { ChatStreamTranslator } from "../../packages/emulator/src/backend/translate-response.js";
import { eventFrameToWrite, randomPadding } from "../../packages/emulator/src/wire/eventstream.js";
import { MODEL_ID } from "./fixtures.js";
import { median } from "./stats.js";

export interface RecordReplayConfig {
  /** Sequential calls per side (direct, through the recorder) per round. */
  proxyCalls: number;
  /** Requests per throughput measurement, and how many in flight. */
  replayRequests: number;
  concurrency: number;
  /** Streamed chat chunks translated per round. */
  translateEvents: number;
  rounds: number;
}

export interface RecordReplayResult {
  /** Median per round, ms. */
  directMs: number[];
  proxiedMs: number[];
  overheadMs: number[];
  /** Extra process CPU per call through the recorder (client, recorder and upstream share the process), µs. */
  overheadCpuUs: number[];
  defaultRps: number[];
  replayRps: number[];
  /** µs of CPU per streamed event. */
  translateUsPerEvent: number[];
}

const body = (i: number) =>
  Buffer.from(
    JSON.stringify({ messages: [{ role: "user", content: [{ text: `Say hello number ${i}` }] }], inferenceConfig: { maxTokens: 64 } }),
  );
const PATH = `/model/${encodeURIComponent(MODEL_ID)}/converse`;

function post(agent: Agent, base: string, payload: Buffer, headers: Record<string, string> = {}): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: PATH,
        agent,
        headers: { "content-type": "application/json", "content-length": payload.length, ...headers },
      },
      (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve(performance.now()) : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

// A signed-looking client header, so the recorder takes the region from the scope like a real client.
const CLIENT_AUTH = {
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
  "x-amz-date": "20250101T000000Z",
};

async function throughput(base: string, bodies: Buffer[], total: number, concurrency: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        await post(agent, base, bodies[i % bodies.length]);
      }
    }),
  );
  const rps = total / ((performance.now() - t0) / 1000);
  agent.destroy();
  return rps;
}

function translateRound(events: number): number {
  // One SSE text of `events` chunks: text deltas, then a tool call whose arguments come in pieces.
  const chunk = (delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  let sse = chunk({ role: "assistant", content: "" });
  const half = Math.floor(events / 2);
  for (let i = 0; i < half; i++) sse += chunk({ content: `word${i} ` });
  sse += chunk({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "Tool", arguments: "" } }] });
  for (let i = 0; i < events - half; i++) sse += chunk({ tool_calls: [{ index: 0, function: { arguments: i === 0 ? '{"k":"' : "ab" } }] });
  sse += chunk({ tool_calls: [{ index: 0, function: { arguments: '"}' } }] }, "tool_calls");
  sse += `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: events } })}\n\ndata: [DONE]\n\n`;
  const slices: string[] = [];
  for (let i = 0; i < sse.length; i += 1024) slices.push(sse.slice(i, i + 1024));

  const cpu0 = process.cpuUsage();
  const parser = new SseParser();
  const translator = new ChatStreamTranslator();
  let frames = 0;
  let bytes = 0;
  for (const slice of slices) {
    for (const data of parser.push(slice)) {
      if (data === "[DONE]") break;
      for (const event of translator.push(JSON.parse(data))) {
        bytes += eventFrameToWrite(event.type, { ...event.payload, p: randomPadding() }).length;
        frames++;
      }
    }
  }
  for (const event of translator.end(1, () => ({ input: 0, output: 0 }))) bytes += eventFrameToWrite(event.type, event.payload).length;
  const cpu = process.cpuUsage(cpu0);
  if (bytes === 0) throw new Error("no frames");
  return (cpu.user + cpu.system) / frames;
}

export async function runRecordReplayBench(cfg: RecordReplayConfig): Promise<RecordReplayResult> {
  const out: RecordReplayResult = {
    directMs: [],
    proxiedMs: [],
    overheadMs: [],
    overheadCpuUs: [],
    defaultRps: [],
    replayRps: [],
    translateUsPerEvent: [],
  };
  const dir = mkdtempSync(join(tmpdir(), "bench-cassette-"));
  const upstream = await startEmulator({ padding: false });
  const credentials = { accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" };
  try {
    const bodies = Array.from({ length: 50 }, (_, i) => body(i));
    // Record the bodies the replay measurement will ask for.
    const cassette = join(dir, "replay.json");
    const recorder0 = await startEmulator({ record: cassette, upstream: upstream.url, upstreamCredentials: credentials });
    const warm = new Agent({ keepAlive: true, maxSockets: 1 });
    for (const b of bodies) await post(warm, recorder0.url, b, CLIENT_AUTH);
    warm.destroy();
    await recorder0.close();
    const replayer = await startEmulator({ replay: cassette });
    const plain = await startEmulator({ padding: false });

    // Round -1 warms every path (JIT) and is not reported.
    for (let round = -1; round < cfg.rounds; round++) {
      const keep = round >= 0;
      const recorder = await startEmulator({
        record: join(dir, `proxy-${round}.json`),
        upstream: upstream.url,
        upstreamCredentials: credentials,
      });
      const direct = new Agent({ keepAlive: true, maxSockets: 1 });
      const proxied = new Agent({ keepAlive: true, maxSockets: 1 });
      // Short alternating batches: both sides see the same background load; wall and CPU per call.
      const d: number[] = [];
      const p: number[] = [];
      let cpuDirect = 0;
      let cpuProxied = 0;
      const batch = async (agent: Agent, base: string, from: number, into: number[] | undefined) => {
        const c0 = process.cpuUsage();
        for (let i = from; i < from + 10; i++) {
          const t = performance.now();
          const end = await post(agent, base, bodies[i % bodies.length], CLIENT_AUTH);
          into?.push(end - t);
        }
        const c = process.cpuUsage(c0);
        return c.user + c.system;
      };
      await batch(direct, upstream.url, 0, undefined);
      await batch(proxied, recorder.url, 0, undefined);
      for (let i = 0; i < cfg.proxyCalls; i += 10) {
        cpuDirect += await batch(direct, upstream.url, i, d);
        cpuProxied += await batch(proxied, recorder.url, i, p);
      }
      direct.destroy();
      proxied.destroy();
      await recorder.close();
      if (keep) {
        out.directMs.push(median(d));
        out.proxiedMs.push(median(p));
        out.overheadMs.push(median(p) - median(d));
        out.overheadCpuUs.push((cpuProxied - cpuDirect) / d.length);
      }

      // Alternate which goes first so neither always runs on a warmer process.
      const pair = round % 2 === 0 ? [plain, replayer] : [replayer, plain];
      for (const emu of pair) {
        const rps = await throughput(emu.url, bodies, cfg.replayRequests, cfg.concurrency);
        if (keep) (emu === plain ? out.defaultRps : out.replayRps).push(rps);
      }
      const perEvent = translateRound(cfg.translateEvents);
      if (keep) out.translateUsPerEvent.push(perEvent);
    }
    await replayer.close();
    await plain.close();
  } finally {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
