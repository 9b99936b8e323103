// Case 7: bedrock-runtime-emulator throughput under a bounded loopback load. The emulator runs in
// a child process (its own core); the load comes from plain keep-alive HTTP/1.1 requests with a
// precomputed body, bounded by both a request count and a duration. 127.0.0.1 only.
import { spawn, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { MODEL_ID } from "./fixtures.js";
import { quantile } from "./stats.js";

export interface EmulatorLoadConfig {
  /** Non-stream phase: at most this long (ms) and this many requests. */
  durationMs: number;
  maxRequests: number;
  /** Requests in flight during the non-stream phase. */
  concurrency: number;
  /** Streams opened at once and held (the emulator pauses between events). */
  streams: number;
  /** Pause between stream events in the emulator (ms), so streams stay open together. */
  streamEventDelayMs: number;
  rounds: number;
  /** Size in MB of the large Converse body sent while small requests run (issue 16); 0 skips it. */
  largeBodyMb?: number;
}

export interface EmulatorLoadResult {
  requestsPerSecond: number[];
  p50Ms: number[];
  p99Ms: number[];
  errors: number;
  streams: number;
  /** The target figure: all streams opened together, each on an already open keep-alive socket. */
  held: StreamRounds;
  /** Informational: the same, on a fresh agent, so each stream also opens its TCP connection at that instant. */
  burst: StreamRounds;
  /** Small requests sent one after another while one large body is answered; one value per round. */
  largeBody: { mb: number; worstSmallMs: number[]; smallCount: number[]; largeMs: number[]; errors: number };
}

/** Streams opened together and held open; one value per round. */
export interface StreamRounds {
  firstEventP50: number[];
  firstEventP99: number[];
  totalP50: number[];
  totalP99: number[];
  /** p99 of the time between consecutive chunks of one stream. */
  gapP99: number[];
  /** Most streams open at one time (first event received, end not yet). */
  peakOpen: number[];
  /** Idle keep-alive sockets in the agent when the streams started. */
  warmSockets: number[];
  errors: number;
}

const newStreamRounds = (): StreamRounds => ({
  firstEventP50: [],
  firstEventP99: [],
  totalP50: [],
  totalP99: [],
  gapP99: [],
  peakOpen: [],
  warmSockets: [],
  errors: 0,
});

const BODY = Buffer.from(
  JSON.stringify({ messages: [{ role: "user", content: [{ text: "Say hello in five words." }] }], inferenceConfig: { maxTokens: 64 } }),
);
const PATH = `/model/${encodeURIComponent(MODEL_ID)}`;

async function startChild(eventDelayMs: number): Promise<{ child: ChildProcess; url: string }> {
  const script = fileURLToPath(new URL("./emulator-child.ts", import.meta.url));
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", script, String(eventDelayMs)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error("the emulator did not start within 30 s")), 30_000);
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf("\n");
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(buf.slice(0, nl).trim());
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with ${code}`));
    });
  });
  return { child, url };
}

/** One POST; `onData` gets the time of every response chunk. Resolves with the status at the end. */
function post(agent: Agent, url: URL, path: string, onData?: (now: number) => void, body: Buffer = BODY): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path,
        agent,
        headers: { "content-type": "application/json", "content-length": body.length },
      },
      (res) => {
        res.on("data", () => onData?.(performance.now()));
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const idleSockets = (agent: Agent): number => Object.values(agent.freeSockets).reduce((n, list) => n + (list?.length ?? 0), 0);

/** Opens `n` ConverseStreams in the same instant, waits for all of them, and adds one round to `into`. */
async function streamRound(agent: Agent, url: URL, n: number, into: StreamRounds): Promise<void> {
  into.warmSockets.push(idleSockets(agent));
  const first: number[] = [];
  const total: number[] = [];
  const gaps: number[] = [];
  let open = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      const t0 = performance.now();
      let last = -1;
      try {
        const status = await post(agent, url, `${PATH}/converse-stream`, (now) => {
          if (last < 0) {
            first.push(now - t0);
            peak = Math.max(peak, ++open);
          } else gaps.push(now - last);
          last = now;
        });
        if (status !== 200) into.errors++;
      } catch {
        into.errors++;
      }
      if (last >= 0) open--;
      total.push(performance.now() - t0);
    }),
  );
  into.firstEventP50.push(quantile(first, 0.5));
  into.firstEventP99.push(quantile(first, 0.99));
  into.totalP50.push(quantile(total, 0.5));
  into.totalP99.push(quantile(total, 0.99));
  into.gapP99.push(quantile(gaps, 0.99));
  into.peakOpen.push(peak);
}

/** A Converse body of about `mb` MB: one long user text of ordinary words. */
function largeBody(mb: number): Buffer {
  const words = ["alpha ", "beta, ", "Gamma ", "delta ", "42 ", "epsilon. "];
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < mb * 1_000_000; i++) {
    parts.push(words[i % words.length]);
    n += words[i % words.length].length;
  }
  return Buffer.from(JSON.stringify({ messages: [{ role: "user", content: [{ text: parts.join("") }] }] }));
}

/**
 * Sends one large Converse body and, until its answer is complete, small requests one at a time on
 * another connection; records the slowest small request. Not asserted anywhere: a figure.
 */
async function largeBodyRound(url: URL, body: Buffer, into: EmulatorLoadResult["largeBody"]): Promise<void> {
  const bigAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const smallAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await post(smallAgent, url, `${PATH}/converse`);
    let done = false;
    const t0 = performance.now();
    const big = post(bigAgent, url, `${PATH}/converse`, undefined, body).finally(() => (done = true));
    const small: number[] = [];
    while (!done) {
      const t = performance.now();
      try {
        if ((await post(smallAgent, url, `${PATH}/converse`)) !== 200) into.errors++;
      } catch {
        into.errors++;
      }
      small.push(performance.now() - t);
    }
    if ((await big) !== 200) into.errors++;
    into.largeMs.push(performance.now() - t0);
    into.worstSmallMs.push(small.length ? Math.max(...small) : NaN);
    into.smallCount.push(small.length);
  } finally {
    bigAgent.destroy();
    smallAgent.destroy();
  }
}

export async function runEmulatorLoad(cfg: EmulatorLoadConfig): Promise<EmulatorLoadResult> {
  const { child, url: base } = await startChild(cfg.streamEventDelayMs);
  const url = new URL(base);
  const result: EmulatorLoadResult = {
    requestsPerSecond: [],
    p50Ms: [],
    p99Ms: [],
    errors: 0,
    streams: cfg.streams,
    held: newStreamRounds(),
    burst: newStreamRounds(),
    largeBody: { mb: cfg.largeBodyMb ?? 0, worstSmallMs: [], smallCount: [], largeMs: [], errors: 0 },
  };
  const large = cfg.largeBodyMb ? largeBody(cfg.largeBodyMb) : undefined;
  // Keeps every socket it opened (Node drops idle ones above maxFreeSockets, 256 by default).
  const sockets = Math.max(cfg.concurrency, cfg.streams);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  const all = (n: number, path: string) => Promise.all(Array.from({ length: n }, () => post(agent, url, `${PATH}/${path}`)));
  try {
    // Warm up both paths (JIT) and open a keep-alive socket per stream.
    for (let i = 0; i < 50; i++) await post(agent, url, `${PATH}/converse`);
    await all(cfg.streams, "converse-stream");

    for (let round = 0; round < cfg.rounds; round++) {
      // Non-stream requests/s.
      const latencies: number[] = [];
      let sent = 0;
      const start = performance.now();
      const deadline = start + cfg.durationMs;
      const worker = async () => {
        while (sent < cfg.maxRequests && performance.now() < deadline) {
          sent++;
          const t0 = performance.now();
          try {
            const status = await post(agent, url, `${PATH}/converse`);
            if (status !== 200) result.errors++;
          } catch {
            result.errors++;
          }
          latencies.push(performance.now() - t0);
        }
      };
      await Promise.all(Array.from({ length: cfg.concurrency }, worker));
      const elapsed = (performance.now() - start) / 1000;
      result.requestsPerSecond.push(latencies.length / elapsed);
      result.p50Ms.push(quantile(latencies, 0.5));
      result.p99Ms.push(quantile(latencies, 0.99));

      // Streams held: a socket per stream is open (as a client that reuses connections has them),
      // so the figure is the emulator's, not TCP connection setup.
      await all(cfg.streams, "converse");
      await streamRound(agent, url, cfg.streams, result.held);

      // Cold burst (informational): a fresh agent, so every stream also opens its connection.
      const cold = new Agent({ keepAlive: true, maxSockets: cfg.streams });
      try {
        await streamRound(cold, url, cfg.streams, result.burst);
      } finally {
        cold.destroy();
      }

      if (large) await largeBodyRound(url, large, result.largeBody);
    }
  } finally {
    agent.destroy();
    child.stdin!.end();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve();
      }, 5000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return result;
}
