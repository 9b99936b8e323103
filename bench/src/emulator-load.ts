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
}

export interface EmulatorLoadResult {
  requestsPerSecond: number[];
  p50Ms: number[];
  p99Ms: number[];
  errors: number;
  streams: number;
  /** Per round: time to the first event, and whole stream duration. */
  streamFirstEventP50: number[];
  streamFirstEventP99: number[];
  streamTotalP50: number[];
  streamTotalP99: number[];
  streamErrors: number;
  peakOpenStreams: number;
}

const BODY = Buffer.from(JSON.stringify({ messages: [{ role: "user", content: [{ text: "Say hello in five words." }] }], inferenceConfig: { maxTokens: 64 } }));
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

function post(agent: Agent, url: URL, path: string, onFirstByte?: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: "POST", path, agent, headers: { "content-type": "application/json", "content-length": BODY.length } },
      (res) => {
        let first = true;
        res.on("data", () => {
          if (first) {
            first = false;
            onFirstByte?.();
          }
        });
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(BODY);
  });
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
    streamFirstEventP50: [],
    streamFirstEventP99: [],
    streamTotalP50: [],
    streamTotalP99: [],
    streamErrors: 0,
    peakOpenStreams: 0,
  };
  const agent = new Agent({ keepAlive: true, maxSockets: Math.max(cfg.concurrency, cfg.streams) });
  try {
    // Warm up both paths (JIT, sockets).
    for (let i = 0; i < 50; i++) await post(agent, url, `${PATH}/converse`);
    await Promise.all(Array.from({ length: Math.min(cfg.streams, 50) }, () => post(agent, url, `${PATH}/converse-stream`)));

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

      // Streams opened together and held open.
      const first: number[] = [];
      const total: number[] = [];
      let open = 0;
      await Promise.all(
        Array.from({ length: cfg.streams }, async () => {
          const t0 = performance.now();
          open++;
          result.peakOpenStreams = Math.max(result.peakOpenStreams, open);
          try {
            const status = await post(agent, url, `${PATH}/converse-stream`, () => first.push(performance.now() - t0));
            if (status !== 200) result.streamErrors++;
          } catch {
            result.streamErrors++;
          }
          open--;
          total.push(performance.now() - t0);
        }),
      );
      result.streamFirstEventP50.push(quantile(first, 0.5));
      result.streamFirstEventP99.push(quantile(first, 0.99));
      result.streamTotalP50.push(quantile(total, 0.5));
      result.streamTotalP99.push(quantile(total, 0.99));
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
