// npm run bench [-- --quick] [--write] [--rounds N] [--cases 1,2,...]
// Runs every client through the same work on two transports (loopback fixed endpoint, in memory),
// plus cold start and emulator throughput, and prints markdown tables (ratios to the raw SDK and
// ours against each peer). The full run writes bench/RESULTS.md; --quick prints only (unless --write).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { CLIENT_LABELS, clientIds, createClient, type Client, type ClientId, type Transport } from "./clients.js";
import {
  agentTurnFrames,
  buildHistory,
  HISTORY_TOOL_NAME,
  historyToolSchema,
  SHORT_BODY,
  SHORT_REPLY,
  STRUCTURED_VALUE,
  streamFrames,
  structuredBody,
  type History,
} from "./fixtures.js";
import { Answers, startFixedEndpoint, type FixedEndpoint } from "./transports.js";
import { inflightHeapMb } from "./inflight-heap.js";
import { collectGarbage, fmt, median, ratio, spread } from "./stats.js";
import { runRecordReplayBench, type RecordReplayConfig, type RecordReplayResult } from "./record-replay-backend.js";
import { runEmulatorLoad, type EmulatorLoadConfig, type EmulatorLoadResult, type StreamRounds } from "./emulator-load.js";

export type CaseId = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

export interface BenchConfig {
  quick: boolean;
  rounds: number;
  /** Case 1: sequential invokes per round. */
  invokes: number;
  /** Case 2: streams per round, per stream length. */
  streams: Record<number, number>;
  /** Case 3: calls per round, per history length. */
  history: Record<number, number>;
  /** Case 3: conversion-only repetitions per round (500 messages). */
  conversions: number;
  /** Case 4: structured calls per round. */
  structured: number;
  /** Case 5: concurrent invokes, and how many rounds of them. */
  concurrency: number;
  concurrentRounds: number;
  /** Case 6: fresh processes per package. */
  coldRuns: number;
  /** Case 7. */
  emulator: EmulatorLoadConfig;
  /** Case 8 (in memory): observed invokes, observed streams per length, LangGraph agent turns, per round. */
  observed: { invokes: number; streams: Record<number, number>; agentTurns: number };
  /** Case 9: record/replay proxy and local-model backend (issue 15). */
  recordReplay: RecordReplayConfig;
  /** Warm-up calls per client before each case. */
  warmup: number;
  cases: CaseId[];
  clients?: ClientId[];
  transports: Transport["kind"][];
  log: (line: string) => void;
}

export function quickConfig(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): BenchConfig {
  return {
    quick: true,
    rounds: 3,
    invokes: 60,
    streams: { 50: 3, 500: 1 },
    history: { 100: 2, 500: 1, 2000: 1 },
    conversions: 10,
    structured: 10,
    concurrency: 200,
    concurrentRounds: 2,
    coldRuns: 1,
    emulator: { durationMs: 1000, maxRequests: 20_000, concurrency: 32, streams: 300, streamEventDelayMs: 10, rounds: 1, largeBodyMb: 20 },
    observed: { invokes: 60, streams: { 50: 3, 500: 1 }, agentTurns: 5 },
    recordReplay: { proxyCalls: 100, replayRequests: 500, concurrency: 16, translateEvents: 1000, rounds: 1 },
    warmup: 5,
    cases: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    transports: ["tcp", "memory"],
    log,
  };
}

export function fullConfig(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): BenchConfig {
  return {
    quick: false,
    rounds: 5,
    invokes: 2000,
    streams: { 50: 40, 500: 8 },
    history: { 100: 20, 500: 8, 2000: 3 },
    conversions: 50,
    structured: 100,
    concurrency: 200,
    concurrentRounds: 5,
    coldRuns: 3,
    emulator: { durationMs: 3000, maxRequests: 60_000, concurrency: 32, streams: 300, streamEventDelayMs: 10, rounds: 2, largeBodyMb: 20 },
    observed: { invokes: 1000, streams: { 50: 40, 500: 8 }, agentTurns: 40 },
    recordReplay: { proxyCalls: 400, replayRequests: 3000, concurrency: 32, translateEvents: 5000, rounds: 3 },
    warmup: 100,
    cases: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    transports: ["tcp", "memory"],
    log,
  };
}

/** One measured quantity for one client: a value per round. */
interface Metric {
  values: number[];
  /** Process CPU time (user + system) per request or per round: robust when other processes share the cores. */
  cpu: number[];
  ttft: number[];
  heapMb: number[];
  rssMb: number[];
  /** Heap held by the calls while all are in flight, after a full GC (in memory only). */
  liveHeapMb: number[];
  connections: number;
  requests: number;
}
const newMetric = (): Metric => ({ values: [], cpu: [], ttft: [], heapMb: [], rssMb: [], liveHeapMb: [], connections: 0, requests: 0 });

interface CaseResult {
  key: string;
  title: string;
  transport: Transport["kind"] | "process";
  unit: string;
  clients: Map<ClientId, Metric>;
  note?: string;
}

interface ColdResult {
  target: string;
  importMs: number[];
  firstCallMs: number[];
}

export interface BenchResults {
  config: BenchConfig;
  cases: CaseResult[];
  conversion: { label: string; values: number[] }[];
  cold: ColdResult[];
  emulator?: EmulatorLoadResult;
  recordReplay?: RecordReplayResult;
  errors: string[];
  startedAt: Date;
  loadStart: number[];
  elapsedMs: number;
}

// --- measuring ------------------------------------------------------------------------------------

function rotate<T>(list: T[], by: number): T[] {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

async function repeat(n: number, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i++) await fn();
}

interface Ctx {
  cfg: BenchConfig;
  transport: Transport;
  endpoint?: FixedEndpoint;
  clients: Client[];
  results: BenchResults;
}

/**
 * Runs `work` for every client, `rounds` times, rotating the order each round, with a GC before
 * each client's turn. `work` returns the number of requests it made; the recorded value is ms per
 * request unless `perRound` is set.
 */
async function measure(
  ctx: Ctx,
  key: string,
  title: string,
  unit: string,
  prepare: (c: Client) => void,
  work: (c: Client, m: Metric) => Promise<number>,
  opts: {
    warm?: (c: Client) => Promise<unknown>;
    perRound?: boolean;
    warmup?: number;
    rounds?: number;
    /** Runs after each timed round, outside the timing. */
    untimed?: (c: Client, m: Metric) => Promise<void>;
  } = {},
): Promise<void> {
  const { transport, endpoint } = ctx;
  const cfg = { ...ctx.cfg, warmup: opts.warmup ?? ctx.cfg.warmup, rounds: opts.rounds ?? ctx.cfg.rounds };
  const result: CaseResult = { key, title, transport: transport.kind, unit, clients: new Map() };
  for (const c of ctx.clients) result.clients.set(c.id, newMetric());
  ctx.results.cases.push(result);
  const connectionsBefore = new Map<ClientId, number>();
  for (const c of ctx.clients) {
    prepare(c);
    const before = endpoint?.connections ?? 0;
    try {
      if (opts.warm) await repeat(cfg.warmup, () => opts.warm!(c));
    } catch (e) {
      ctx.results.errors.push(`${key} ${c.id} warm-up: ${(e as Error).message}`);
    }
    connectionsBefore.set(c.id, (endpoint?.connections ?? 0) - before);
  }
  const failed = new Set<ClientId>();
  for (let round = 0; round < cfg.rounds; round++) {
    for (const c of rotate(ctx.clients, round)) {
      if (failed.has(c.id)) continue;
      const m = result.clients.get(c.id)!;
      prepare(c);
      collectGarbage();
      const conns = endpoint?.connections ?? 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      try {
        const n = await work(c, m);
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        const cpuMs = (cpu.user + cpu.system) / 1000;
        m.values.push(opts.perRound ? ms : ms / Math.max(1, n));
        m.cpu.push(opts.perRound ? cpuMs : cpuMs / Math.max(1, n));
        m.requests += n;
        if (opts.untimed) await opts.untimed(c, m);
      } catch (e) {
        failed.add(c.id);
        ctx.results.errors.push(`${key} ${c.id}: ${(e as Error).stack ?? e}`);
      }
      m.connections += (endpoint?.connections ?? 0) - conns;
    }
  }
  // Connections during warm-up count too (a keep-alive client opens its sockets there).
  for (const [id, n] of connectionsBefore) {
    const m = result.clients.get(id)!;
    m.connections += n;
    m.requests += cfg.warmup;
  }
  cfg.log(
    `  [${(performance.now() / 1000).toFixed(1)} s] ${transport.kind} · ${title}: ${[...result.clients].map(([id, m]) => `${id} ${fmt(median(m.values))}`).join(", ")}`,
  );
}

async function runTransport(
  cfg: BenchConfig,
  kind: Transport["kind"],
  results: BenchResults,
  histories: Map<number, History>,
): Promise<void> {
  const answers = new Answers();
  const endpoint = kind === "tcp" ? await startFixedEndpoint(answers) : undefined;
  const transport: Transport = { kind, url: endpoint?.url ?? "http://bedrock.in-memory.invalid", answers };
  const ids = clientIds(kind).filter((id) => !cfg.clients || cfg.clients.includes(id));
  const clients = ids.map((id) => createClient(id, transport));
  const ctx: Ctx = { cfg, transport, endpoint, clients, results };
  const short = () => {
    answers.converse = SHORT_BODY;
  };
  try {
    // A correctness pass first: a bench that measures failures measures nothing.
    for (const c of clients) {
      short();
      const text = await c.invoke();
      if (text !== SHORT_REPLY) throw new Error(`${kind} ${c.id}: invoke returned ${JSON.stringify(text)}`);
    }

    if (cfg.cases.includes(1)) {
      await measure(
        ctx,
        `${kind}:invoke`,
        `(1) ${cfg.invokes} sequential invokes`,
        "ms / invoke",
        short,
        async (c) => {
          await repeat(cfg.invokes, () => c.invoke());
          return cfg.invokes;
        },
        { warm: (c) => c.invoke() },
      );
    }

    if (cfg.cases.includes(2)) {
      for (const [deltasText, perRound] of Object.entries(cfg.streams)) {
        const deltas = Number(deltasText);
        const frames = streamFrames(deltas);
        await measure(
          ctx,
          `${kind}:stream${deltas}`,
          `(2) stream of ${deltas} deltas`,
          "ms / stream",
          () => answers.setStream(frames),
          async (c, m) => {
            const ttfts: number[] = [];
            for (let i = 0; i < perRound; i++) {
              const r = await c.stream();
              if (r.chars !== 5 + 5 * (deltas - 1)) throw new Error(`stream returned ${r.chars} characters`);
              ttfts.push(r.ttftMs);
            }
            m.ttft.push(median(ttfts));
            return perRound;
          },
          { warm: (c) => c.stream() },
        );
      }
    }

    if (cfg.cases.includes(3)) {
      for (const [sizeText, perRound] of Object.entries(cfg.history)) {
        const size = Number(sizeText);
        const h = histories.get(size)!;
        await measure(
          ctx,
          `${kind}:history${size}`,
          `(3) history of ${size} messages`,
          "ms / call",
          short,
          async (c) => {
            await repeat(perRound, () => c.history(h));
            return perRound;
          },
          { warm: (c) => c.history(h), warmup: Math.max(1, Math.round((cfg.warmup * 100) / size)) },
        );
      }
    }

    if (cfg.cases.includes(4)) {
      await measure(
        ctx,
        `${kind}:structured`,
        "(4) structured output, 20 fields",
        "ms / call",
        (c) => {
          answers.converse = structuredBody(c.structuredToolName);
        },
        async (c) => {
          for (let i = 0; i < cfg.structured; i++) {
            const out = await c.structured();
            if (out.field20 === undefined || out.field01 !== STRUCTURED_VALUE.field01)
              throw new Error(`structured returned ${JSON.stringify(out).slice(0, 200)}`);
          }
          return cfg.structured;
        },
        { warm: (c) => c.structured() },
      );
    }

    if (cfg.cases.includes(8) && kind === "memory") {
      // Observed: one callback handler attached (what LangSmith tracing, LangGraph or any handler
      // makes of every call). The raw SDK row is the same unobserved work: the floor.
      const o = cfg.observed;
      await measure(
        ctx,
        `${kind}:observed-invoke`,
        `(8) ${o.invokes} sequential invokes, one callback handler attached`,
        "ms / invoke",
        short,
        async (c) => {
          await repeat(o.invokes, () => c.observedInvoke());
          return o.invokes;
        },
        { warm: (c) => c.observedInvoke() },
      );
      for (const [deltasText, perRound] of Object.entries(o.streams)) {
        const deltas = Number(deltasText);
        const frames = streamFrames(deltas);
        await measure(
          ctx,
          `${kind}:observed-stream${deltas}`,
          `(8) stream of ${deltas} deltas, one callback handler attached`,
          "ms / stream",
          () => answers.setStream(frames),
          async (c, m) => {
            const ttfts: number[] = [];
            for (let i = 0; i < perRound; i++) {
              const r = await c.observedStream();
              if (r.chars !== 5 + 5 * (deltas - 1)) throw new Error(`stream returned ${r.chars} characters`);
              ttfts.push(r.ttftMs);
            }
            m.ttft.push(median(ttfts));
            return perRound;
          },
          { warm: (c) => c.observedStream() },
        );
      }
      const agentClients = ctx.clients.filter((c) => c.agentTurn);
      const turn = agentTurnFrames();
      await measure(
        { ...ctx, clients: agentClients },
        `${kind}:agent`,
        '(8) LangGraph agent turn (createReactAgent, streamMode "messages": tool call + 20-delta answer)',
        "ms / turn",
        () => answers.setStreamScript(turn),
        async (c) => {
          for (let i = 0; i < o.agentTurns; i++) {
            const r = await c.agentTurn!();
            if (r.chars !== "Let me check.".length + 5 + 5 * 19 || r.toolCallChunks < 1)
              throw new Error(`agent turn streamed ${JSON.stringify(r)}`);
          }
          return o.agentTurns;
        },
        { warm: (c) => c.agentTurn!(), warmup: Math.max(1, Math.round(cfg.warmup / 5)) },
      );
    }

    if (cfg.cases.includes(5)) {
      await measure(
        ctx,
        `${kind}:concurrent`,
        `(5) ${cfg.concurrency} concurrent invokes (wall time)`,
        "ms / batch",
        short,
        async (c, m) => {
          const base = process.memoryUsage();
          let peakHeap = base.heapUsed;
          let peakRss = base.rss;
          const sample = () => {
            const u = process.memoryUsage();
            if (u.heapUsed > peakHeap) peakHeap = u.heapUsed;
            if (u.rss > peakRss) peakRss = u.rss;
          };
          const timer = setInterval(sample, 1);
          try {
            const calls = Array.from({ length: cfg.concurrency }, () =>
              c.invoke().then((t) => {
                sample();
                return t;
              }),
            );
            sample();
            await Promise.all(calls);
          } finally {
            clearInterval(timer);
          }
          m.heapMb.push((peakHeap - base.heapUsed) / 2 ** 20);
          m.rssMb.push((peakRss - base.rss) / 2 ** 20);
          return cfg.concurrency;
        },
        {
          warm: (c) => c.invoke(),
          perRound: true,
          rounds: cfg.concurrentRounds,
          untimed:
            kind === "memory"
              ? async (c, m) => {
                  m.liveHeapMb.push(await inflightHeapMb(c, transport.answers, cfg.concurrency));
                }
              : undefined,
        },
      );
    }
  } finally {
    for (const c of clients) c.close();
    await endpoint?.close();
  }
}

/** Case 3, conversion only: LangChain messages → Converse, ours and (where reachable) @langchain/aws. */
async function runConversion(cfg: BenchConfig, results: BenchResults, h: History): Promise<void> {
  const { convertMessagesToConverse } = await import("../../packages/chat/src/convert/messages.js");
  const { ChatBedrockConverse } = await import("langchain-bedrock-converse");
  const model = new ChatBedrockConverse({
    model: "anthropic.claude-3-5-haiku-20241022-v1:0",
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
  });
  const bound = { tools: [{ name: HISTORY_TOOL_NAME, description: "Current weather for a city", schema: historyToolSchema }] };
  const candidates: { label: string; fn: () => unknown }[] = [
    { label: "raw SDK (prebuilt request: no conversion)", fn: () => h.converse },
    { label: "ours: convertMessagesToConverse", fn: () => convertMessagesToConverse(h.langchain, { hasToolConfig: true }) },
    { label: "ours: buildRequest (conversion + tools + request)", fn: () => model.buildRequest(h.langchain, bound as never, false) },
  ];
  try {
    // Not a public export of @langchain/aws: reached by file path, so measured only while it is there.
    const lcPath = fileURLToPath(new URL("../../node_modules/@langchain/aws/dist/utils/message_inputs.js", import.meta.url));
    const mod = (await import(lcPath)) as { convertToConverseMessages?: (m: unknown) => unknown };
    if (mod.convertToConverseMessages)
      candidates.push({ label: "@langchain/aws: convertToConverseMessages", fn: () => mod.convertToConverseMessages!(h.langchain) });
  } catch {
    /* not measurable */
  }
  for (const c of candidates) {
    const entry = { label: c.label, values: [] as number[] };
    try {
      for (let i = 0; i < Math.min(cfg.warmup, 20); i++) c.fn();
      for (let r = 0; r < cfg.rounds; r++) {
        collectGarbage();
        const t0 = performance.now();
        for (let i = 0; i < cfg.conversions; i++) c.fn();
        entry.values.push((performance.now() - t0) / cfg.conversions);
      }
    } catch (e) {
      results.errors.push(`conversion ${c.label}: ${(e as Error).message}`);
    }
    results.conversion.push(entry);
  }
  cfg.log(
    `  [${(performance.now() / 1000).toFixed(1)} s] conversion (500 messages): ${results.conversion.map((c) => `${c.label.split(":")[0]} ${fmt(median(c.values))} ms`).join(", ")}`,
  );
}

/** Case 6: fresh `node` processes importing the built packages, then one call to a fixed endpoint. */
async function runCold(cfg: BenchConfig, results: BenchResults): Promise<void> {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const dist = `${root}packages/chat/dist/index.js`;
  if (!existsSync(dist)) {
    results.errors.push("cold start: packages/chat/dist is missing; run `npx tsc -b packages/emulator packages/chat` first");
    return;
  }
  if (newestMtime(`${root}packages/chat/src`) > statSync(dist).mtimeMs) {
    results.errors.push("cold start: packages/chat/dist is older than its sources; the import measured is the last build's");
  }
  const answers = new Answers();
  const endpoint = await startFixedEndpoint(answers);
  const script = fileURLToPath(new URL("./cold-child.mjs", import.meta.url));
  const targets = ["sdk", "ours", "langchain-aws", "ai-sdk"];
  const byTarget = new Map(targets.map((t) => [t, { target: t, importMs: [] as number[], firstCallMs: [] as number[] }]));
  try {
    for (let r = 0; r < cfg.coldRuns; r++) {
      for (const t of rotate(targets, r)) {
        const out = await new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, [script, t, endpoint.url], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
          let stdout = "";
          let stderr = "";
          child.stdout.on("data", (d) => (stdout += d));
          child.stderr.on("data", (d) => (stderr += d));
          child.on("exit", (code) =>
            code === 0 ? resolve(stdout) : reject(new Error(`cold ${t} exited ${code}: ${stderr.slice(0, 500)}`)),
          );
        });
        const parsed = JSON.parse(out.trim().split("\n").pop()!) as { importMs: number; firstCallMs: number };
        byTarget.get(t)!.importMs.push(parsed.importMs);
        byTarget.get(t)!.firstCallMs.push(parsed.firstCallMs);
      }
    }
  } catch (e) {
    results.errors.push((e as Error).message);
  } finally {
    await endpoint.close();
  }
  results.cold = [...byTarget.values()];
  cfg.log(
    `  [${(performance.now() / 1000).toFixed(1)} s] cold start import: ${results.cold.map((c) => `${c.target} ${fmt(median(c.importMs))} ms`).join(", ")}`,
  );
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const full = `${dir}/${name}`;
    const s = statSync(full);
    if (s.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) newest = Math.max(newest, s.mtimeMs);
  }
  return newest;
}

export async function runBench(cfg: BenchConfig): Promise<{ results: BenchResults; markdown: string }> {
  const startedAt = new Date();
  const t0 = performance.now();
  const results: BenchResults = {
    config: cfg,
    cases: [],
    conversion: [],
    cold: [],
    errors: [],
    startedAt,
    loadStart: loadavg(),
    elapsedMs: 0,
  };
  const histories = new Map<number, History>();
  for (const n of [...Object.keys(cfg.history).map(Number), 500]) if (!histories.has(n)) histories.set(n, buildHistory(n));

  for (const kind of cfg.transports) {
    cfg.log(`transport: ${kind}`);
    await runTransport(cfg, kind, results, histories);
  }
  if (cfg.cases.includes(3)) await runConversion(cfg, results, histories.get(500)!);
  if (cfg.cases.includes(6)) await runCold(cfg, results);
  if (cfg.cases.includes(7)) {
    try {
      results.emulator = await runEmulatorLoad(cfg.emulator);
      const e = results.emulator;
      cfg.log(
        `  [${(performance.now() / 1000).toFixed(1)} s] emulator: ${fmt(median(e.requestsPerSecond))} req/s; ${e.streams} streams first event p99 ` +
          `${fmt(median(e.held.firstEventP99))} ms held on warm sockets, ${fmt(median(e.burst.firstEventP99))} ms opened cold`,
      );
    } catch (e) {
      results.errors.push(`emulator: ${(e as Error).message}`);
    }
  }
  if (cfg.cases.includes(9)) {
    try {
      results.recordReplay = await runRecordReplayBench(cfg.recordReplay);
    } catch (e) {
      results.errors.push(`record/replay: ${(e as Error).message}`);
    }
  }
  results.elapsedMs = performance.now() - t0;
  return { results, markdown: renderMarkdown(results) };
}

// --- report ---------------------------------------------------------------------------------------

const PEERS: ClientId[] = ["langchain-aws", "ai-sdk"];

function machine(r: BenchResults): string {
  const c = cpus();
  return (
    `Node ${process.version} · ${c[0]?.model ?? "unknown CPU"} · ${c.length} cores · ${(totalmem() / 2 ** 30).toFixed(1)} GiB · ${process.platform}/${process.arch} · ` +
    `load average ${r.loadStart.map((l) => l.toFixed(1)).join(" / ")} at start, ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" / ")} at end (1/5/15 min; above ${c.length} means other processes competed for the cores)`
  );
}

function caseTable(c: CaseResult): string[] {
  const raw = c.clients.get("sdk-default");
  const keep = c.clients.get("sdk-keepalive");
  const hasTtft = [...c.clients.values()].some((m) => m.ttft.length > 0);
  const hasHeap = [...c.clients.values()].some((m) => m.heapMb.length > 0);
  const hasLive = [...c.clients.values()].some((m) => m.liveHeapMb.length > 0);
  const tcp = c.transport === "tcp";
  const head = ["client", `median ${c.unit}`, "spread", tcp ? "× raw SDK (default)" : "× raw SDK"];
  if (tcp) head.push("× raw SDK (keep-alive)");
  else head.push(`CPU ${c.unit}`, "spread", "CPU × raw SDK");
  if (hasTtft) head.push("first token ms", "spread", "× raw SDK");
  if (hasHeap) head.push("peak heap MB", "spread", "× raw SDK", "peak RSS Δ MB");
  if (hasLive) head.push("live heap MB, all in flight", "spread", "× raw SDK");
  if (tcp) head.push("connections / 1,000 requests");
  const lines = [
    `#### ${c.title} — ${tcp ? "loopback endpoint" : "in-memory handler"}`,
    "",
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
  ];
  for (const [id, m] of c.clients) {
    const label = tcp || id !== "sdk-default" ? CLIENT_LABELS[id] : "raw SDK";
    const row = [label, fmt(median(m.values)), spread(m.values), ratio(median(m.values), median(raw?.values ?? []))];
    if (tcp) row.push(ratio(median(m.values), median(keep?.values ?? [])));
    else row.push(fmt(median(m.cpu)), spread(m.cpu), ratio(median(m.cpu), median(raw?.cpu ?? [])));
    if (hasTtft) row.push(fmt(median(m.ttft)), spread(m.ttft), ratio(median(m.ttft), median(raw?.ttft ?? [])));
    if (hasHeap)
      row.push(fmt(median(m.heapMb)), spread(m.heapMb), ratio(median(m.heapMb), median(raw?.heapMb ?? [])), fmt(median(m.rssMb)));
    if (hasLive) row.push(fmt(median(m.liveHeapMb)), spread(m.liveHeapMb), ratio(median(m.liveHeapMb), median(raw?.liveHeapMb ?? [])));
    if (tcp) row.push(m.requests ? fmt((m.connections / m.requests) * 1000) : "n/a");
    lines.push(`| ${row.join(" | ")} |`);
  }
  lines.push("");
  return lines;
}

interface Target {
  name: string;
  value: number;
  /** Wall-clock ratio, shown next to a CPU-time ratio. */
  wall?: number;
  limit: number;
  display: string;
  /** Shown for context only, not a target. */
  info?: boolean;
}

function targets(r: BenchResults): Target[] {
  const out: Target[] = [];
  const find = (key: string) => r.cases.find((c) => c.key === key);
  const rel = (key: string, pick: (m: Metric) => number[] = (m) => m.values, base: ClientId = "sdk-default") => {
    const c = find(key);
    if (!c) return NaN;
    return median(pick(c.clients.get("ours") ?? newMetric())) / median(pick(c.clients.get(base) ?? newMetric()));
  };
  const inv = find("tcp:invoke");
  if (inv) {
    const m = inv.clients.get("ours");
    if (m)
      out.push({
        name: "connections per 1,000 sequential invokes (ours)",
        value: (m.connections / m.requests) * 1000,
        limit: 2,
        display: "count",
      });
    out.push({ name: "end-to-end invoke, ours ÷ default raw SDK", value: rel("tcp:invoke"), limit: 0.6, display: "ratio" });
  }
  const cpu = (m: Metric) => m.cpu;
  if (find("memory:invoke"))
    out.push({
      name: "in-memory invoke, ours ÷ raw SDK",
      value: rel("memory:invoke", cpu),
      wall: rel("memory:invoke"),
      limit: 1.05,
      display: "ratio",
    });
  for (const n of Object.keys(r.config.streams)) {
    if (find(`memory:stream${n}`))
      out.push({
        name: `in-memory stream of ${n} deltas, ours ÷ raw SDK`,
        value: rel(`memory:stream${n}`, cpu),
        wall: rel(`memory:stream${n}`),
        limit: 1.1,
        display: "ratio",
      });
  }
  if (find("memory:observed-invoke"))
    out.push({
      name: "in-memory invoke, one callback handler, ours ÷ raw SDK",
      value: rel("memory:observed-invoke", cpu),
      wall: rel("memory:observed-invoke"),
      limit: 1.3,
      display: "ratio",
    });
  for (const n of Object.keys(r.config.observed.streams)) {
    const key = `memory:observed-stream${n}`;
    if (!find(key)) continue;
    out.push({
      name: `in-memory stream of ${n} deltas, one callback handler, ours ÷ raw SDK`,
      value: rel(key, cpu),
      wall: rel(key),
      limit: 2.0,
      display: "ratio",
    });
    if (n === "500")
      out.push({
        name: "in-memory stream of 500 deltas, one callback handler, ours ÷ @langchain/aws",
        value: rel(key, cpu, "langchain-aws"),
        wall: rel(key, (m) => m.values, "langchain-aws"),
        limit: 0.5,
        display: "ratio",
      });
  }
  if (find("memory:agent"))
    out.push({
      name: "in-memory LangGraph agent turn (messages mode), ours ÷ raw SDK (same two streams)",
      value: rel("memory:agent", cpu),
      wall: rel("memory:agent"),
      limit: Infinity,
      display: "ratio",
      info: true,
    });
  if (find("memory:history500"))
    out.push({
      name: "in-memory 500-message history, ours ÷ raw SDK (prebuilt request)",
      value: rel("memory:history500", cpu),
      wall: rel("memory:history500"),
      limit: 1.1,
      display: "ratio",
    });
  const h100 = find("memory:history100");
  const h2000 = find("memory:history2000");
  if (h100 && h2000) {
    const per = (c: CaseResult, n: number) => median(c.clients.get("ours")?.cpu ?? []) / n;
    out.push({
      name: "growth: ours per-message cost at 2,000 ÷ at 100 (linear ≈ ≤ 1)",
      value: per(h2000, 2000) / per(h100, 100),
      limit: 1.5,
      display: "ratio",
    });
  }
  const sdkCold = r.cold.find((c) => c.target === "sdk");
  const ourCold = r.cold.find((c) => c.target === "ours");
  if (sdkCold && ourCold?.importMs.length)
    out.push({
      name: "import time, ours ÷ raw SDK",
      value: median(ourCold.importMs) / median(sdkCold.importMs),
      limit: 1.5,
      display: "ratio",
    });
  if (find("memory:concurrent")) {
    out.push({
      name: "heap held by 200 concurrent invokes all in flight (in memory, after a full GC), ours ÷ raw SDK",
      value: rel("memory:concurrent", (m) => m.liveHeapMb),
      limit: 1.1,
      display: "ratio",
    });
    // Sampled heapUsed counts garbage not yet scavenged: an allocation figure, shown for completeness.
    out.push({
      name: "peak heapUsed sampled during 200 concurrent invokes (in memory, garbage included), ours ÷ raw SDK",
      value: rel("memory:concurrent", (m) => m.heapMb),
      limit: 1.1,
      display: "ratio",
      info: true,
    });
  }
  if (find("tcp:concurrent"))
    out.push({
      name: "peak heap at 200 concurrent (loopback), ours ÷ raw SDK (default)",
      value: rel("tcp:concurrent", (m) => m.heapMb),
      limit: 1.1,
      display: "ratio",
    });
  if (r.emulator) {
    const e = r.emulator;
    out.push({ name: "emulator non-stream requests/s (≥)", value: median(e.requestsPerSecond), limit: -3000, display: "count" });
    out.push({
      name: `emulator: ${e.streams} concurrent streams held (warm keep-alive sockets), p99 first event ms (<)`,
      value: median(e.held.firstEventP99),
      limit: 50,
      display: "count",
    });
    out.push({
      name: `emulator: ${e.streams} streams opened cold all at once (a new connection each), p99 first event ms`,
      value: median(e.burst.firstEventP99),
      limit: 50,
      display: "count",
      info: true,
    });
    if (e.largeBody.worstSmallMs.length) {
      out.push({
        name: `emulator: worst delay of small requests during one ${e.largeBody.mb} MB Converse, ms (issue 16)`,
        value: median(e.largeBody.worstSmallMs),
        limit: 250,
        display: "count",
      });
    }
  }
  if (r.recordReplay) {
    const x = r.recordReplay;
    out.push({
      name: "record proxy overhead per Converse on loopback, median ms over the upstream's own (≤) (issue 15)",
      value: median(x.overheadMs),
      limit: 1,
      display: "count",
    });
    out.push({
      name: "replay requests/s ÷ default model requests/s (≥) (issue 15)",
      value: median(x.replayRps) / median(x.defaultRps),
      limit: -1,
      display: "ratio",
    });
    out.push({
      name: "backend translation CPU per streamed event, µs (≤) (issue 15)",
      value: median(x.translateUsPerEvent),
      limit: 20,
      display: "count",
    });
  }
  return out;
}

export function renderMarkdown(r: BenchResults): string {
  const L: string[] = [];
  const cfg = r.config;
  L.push(`# Benchmark results${cfg.quick ? " (quick)" : ""}`, "");
  L.push(`${machine(r)}`, "");
  L.push(
    `Run ${r.startedAt.toISOString()}, ${(r.elapsedMs / 1000).toFixed(0)} s, ${cfg.rounds} rounds per figure (median; spread is ${cfg.rounds >= 5 ? "p25–p75" : "min–max"} over rounds), ` +
      `client order rotated each round, a full GC before each client's turn. Model id ${"`anthropic.claude-3-5-haiku-20241022-v1:0`"}, fake credentials.`,
    "",
  );
  L.push(
    "Transports: **loopback endpoint** = a fixed-response Bedrock endpoint on 127.0.0.1 in the same process (HTTP/1.1 and h2c on one port, precomputed bodies and event-stream frames, connections counted); " +
      "**in-memory handler** = a smithy `HttpHandler` (SDK-based clients) or `fetch` (AI SDK) answering from memory, one chunk per stream event: pure client CPU. " +
      "In memory there is one raw SDK row (the handler replaces the transport). Every client does the same work and its output is checked.",
    "",
  );

  const t = targets(r);
  if (t.length) {
    L.push(
      "## Targets (issues 7 and 12)",
      "",
      "In-memory figures are ratios of process CPU time (user + system), the pure client cost; the wall-clock ratio is in parentheses.",
      "",
      "| target | measured | limit | met |",
      "|---|---|---|---|",
    );
    for (const x of t) {
      const ge = x.limit < 0;
      const limit = Math.abs(x.limit);
      const met = Number.isFinite(x.value) ? (ge ? x.value >= limit : x.value <= limit) : false;
      const wall = x.wall !== undefined ? ` (wall ${x.wall.toFixed(2)}×)` : "";
      L.push(
        `| ${x.name} | ${x.display === "ratio" ? `${x.value.toFixed(2)}×` : fmt(x.value)}${wall} | ${ge ? "≥ " : "≤ "}${x.display === "ratio" ? `${limit}×` : limit} | ${!Number.isFinite(x.value) ? "n/a" : x.info ? `informational (${met ? "within" : "above"})` : met ? "yes" : "**no**"} |`,
      );
    }
    L.push("");
  }

  // Ours against each peer.
  const oursRows = r.cases.filter((c) => c.clients.has("ours"));
  if (oursRows.length) {
    L.push("## Ours against each client (ratio of medians; < 1 means ours is faster)", "");
    L.push(
      "| case | transport | ÷ raw SDK (default) | ÷ raw SDK (keep-alive) | ÷ @langchain/aws | ÷ @ai-sdk/amazon-bedrock |",
      "|---|---|---|---|---|---|",
    );
    for (const c of oursRows) {
      const o = median(c.clients.get("ours")!.values);
      const by = (id: ClientId) => (c.clients.has(id) ? ratio(o, median(c.clients.get(id)!.values)) : "–");
      L.push(
        `| ${c.title} | ${c.transport === "tcp" ? "loopback" : "in memory"} | ${by("sdk-default")} | ${by("sdk-keepalive")} | ${PEERS.map(by).join(" | ")} |`,
      );
    }
    L.push("");
  }

  for (const kind of ["tcp", "memory"] as const) {
    const cs = r.cases.filter((c) => c.transport === kind);
    if (!cs.length) continue;
    L.push(`## ${kind === "tcp" ? "End to end: loopback endpoint" : "Client CPU: in-memory handler"}`, "");
    for (const c of cs) L.push(...caseTable(c));
  }

  if (r.conversion.length) {
    const base = r.conversion.find((c) => c.label.startsWith("ours: convert"));
    L.push("## Conversion only: 500-message history with tool calls and results", "");
    L.push("| conversion | median ms | spread | µs / message | × ours convertMessagesToConverse |", "|---|---|---|---|---|");
    for (const c of r.conversion) {
      L.push(
        `| ${c.label} | ${fmt(median(c.values))} | ${spread(c.values)} | ${fmt((median(c.values) * 1000) / 500)} | ${base ? ratio(median(c.values), median(base.values)) : "n/a"} |`,
      );
    }
    L.push("");
  }

  const growth = ["memory", "tcp"].flatMap((k) =>
    Object.keys(cfg.history)
      .map((n) => r.cases.find((c) => c.key === `${k}:history${n}`))
      .filter((c): c is CaseResult => Boolean(c)),
  );
  if (growth.length) {
    L.push("## Growth with history length (µs per message per call, median)", "");
    const ids = [...new Set(growth.flatMap((c) => [...c.clients.keys()]))];
    L.push(`| transport | messages | ${ids.map((id) => CLIENT_LABELS[id]).join(" | ")} |`, `|---|---|${ids.map(() => "---").join("|")}|`);
    for (const c of growth) {
      const n = Number(c.key.replace(/.*history/, ""));
      L.push(
        `| ${c.transport === "tcp" ? "loopback" : "in memory"} | ${n} | ${ids.map((id) => (c.clients.has(id) ? fmt((median(c.clients.get(id)!.values) * 1000) / n) : "–")).join(" | ")} |`,
      );
    }
    L.push("");
  }

  if (r.cold.length) {
    const sdk = r.cold.find((c) => c.target === "sdk");
    L.push("## (6) Cold start: fresh `node` process, built packages (no tsx)", "");
    L.push(
      "| package | import ms | spread | × raw SDK | first call ms (construct + invoke) | spread | × raw SDK |",
      "|---|---|---|---|---|---|---|",
    );
    const names: Record<string, string> = {
      sdk: "raw SDK (@aws-sdk/client-bedrock-runtime)",
      ours: "langchain-bedrock-converse (dist)",
      "langchain-aws": "@langchain/aws",
      "ai-sdk": "ai + @ai-sdk/amazon-bedrock",
    };
    for (const c of r.cold) {
      L.push(
        `| ${names[c.target] ?? c.target} | ${fmt(median(c.importMs))} | ${spread(c.importMs)} | ${ratio(median(c.importMs), median(sdk?.importMs ?? []))} | ${fmt(median(c.firstCallMs))} | ${spread(c.firstCallMs)} | ${ratio(median(c.firstCallMs), median(sdk?.firstCallMs ?? []))} |`,
      );
    }
    L.push("");
  }

  if (r.emulator) {
    const e = r.emulator;
    L.push("## (7) Emulator throughput (bedrock-runtime-emulator in its own process, loopback, bounded load)", "");
    L.push("| measure | median | spread |", "|---|---|---|");
    L.push(
      `| non-stream Converse requests/s (${cfg.emulator.concurrency} in flight, ≤ ${cfg.emulator.durationMs} ms, ≤ ${cfg.emulator.maxRequests} requests) | ${fmt(median(e.requestsPerSecond))} | ${spread(e.requestsPerSecond)} |`,
    );
    L.push(`| non-stream latency p50 ms | ${fmt(median(e.p50Ms))} | ${spread(e.p50Ms)} |`);
    L.push(`| non-stream latency p99 ms | ${fmt(median(e.p99Ms))} | ${spread(e.p99Ms)} |`);
    const lowest = (v: number[]) => (v.length ? Math.min(...v) : NaN);
    const streamRows = (s: StreamRounds, title: string) => {
      L.push(`| ${title}: first event p50 ms | ${fmt(median(s.firstEventP50))} | ${spread(s.firstEventP50)} |`);
      L.push(`| first event p99 ms | ${fmt(median(s.firstEventP99))} | ${spread(s.firstEventP99)} |`);
      L.push(`| gap between events on a stream, p99 ms | ${fmt(median(s.gapP99))} | ${spread(s.gapP99)} |`);
      L.push(`| whole stream p50 ms | ${fmt(median(s.totalP50))} | ${spread(s.totalP50)} |`);
      L.push(`| whole stream p99 ms | ${fmt(median(s.totalP99))} | ${spread(s.totalP99)} |`);
      L.push(`| streams open at the same time (peak; lowest round) | ${fmt(lowest(s.peakOpen))} | |`);
    };
    const gap = cfg.emulator.streamEventDelayMs;
    streamRows(
      e.held,
      `${e.streams} ConverseStreams opened together and held (${gap} ms between events), on ${fmt(lowest(e.held.warmSockets))} warm keep-alive sockets (target)`,
    );
    streamRows(e.burst, `informational: the same ${e.streams} opened cold all at once, a new TCP connection each`);
    if (e.largeBody.worstSmallMs.length) {
      const b = e.largeBody;
      L.push(`| one ${b.mb} MB Converse, answered in ms | ${fmt(median(b.largeMs))} | ${spread(b.largeMs)} |`);
      L.push(`| small Converse requests sent one at a time meanwhile (lowest round) | ${fmt(lowest(b.smallCount))} | |`);
      L.push(
        `| worst delay of one of those small requests, ms (target ≤ 250) | ${fmt(median(b.worstSmallMs))} | ${spread(b.worstSmallMs)} |`,
      );
    }
    L.push(
      `| errors (non-stream / held streams / cold burst / large body) | ${e.errors} / ${e.held.errors} / ${e.burst.errors} / ${e.largeBody.errors} | |`,
    );
    L.push("");
  }

  if (r.recordReplay) {
    const x = r.recordReplay;
    const rr = cfg.recordReplay;
    L.push("## (8) Record/replay and the local-model backend (in process, loopback)", "");
    L.push("| measure | median | spread |", "|---|---|---|");
    L.push(
      `| Converse straight to the upstream emulator, ms (${rr.proxyCalls} sequential calls) | ${fmt(median(x.directMs))} | ${spread(x.directMs)} |`,
    );
    L.push(`| the same through a recording emulator (re-signed, recorded), ms | ${fmt(median(x.proxiedMs))} | ${spread(x.proxiedMs)} |`);
    L.push(`| proxy overhead per call, ms | ${fmt(median(x.overheadMs))} | ${spread(x.overheadMs)} |`);
    L.push(`| extra process CPU per call through the recorder, µs | ${fmt(median(x.overheadCpuUs))} | ${spread(x.overheadCpuUs)} |`);
    L.push(
      `| default model requests/s (${rr.replayRequests} requests, ${rr.concurrency} in flight, same process) | ${fmt(median(x.defaultRps))} | ${spread(x.defaultRps)} |`,
    );
    L.push(`| replay requests/s (50 recorded interactions) | ${fmt(median(x.replayRps))} | ${spread(x.replayRps)} |`);
    L.push(
      `| backend: CPU per streamed event, SSE text -> event-stream frame, µs (${rr.translateEvents} events) | ${fmt(median(x.translateUsPerEvent))} | ${spread(x.translateUsPerEvent)} |`,
    );
    L.push("");
  }

  if (r.errors.length) {
    L.push("## Errors and caveats", "");
    for (const e of r.errors) L.push(`- ${e.split("\n").slice(0, 4).join(" ⏎ ")}`);
    L.push("");
  }
  return L.join("\n");
}

// --- CLI ------------------------------------------------------------------------------------------

function parseArgs(argv: string[]): { cfg: BenchConfig; write: boolean } {
  const quick = argv.includes("--quick");
  const cfg = quick ? quickConfig() : fullConfig();
  let write = !quick;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i]);
    if (a === "--write") write = true;
    else if (a === "--no-write") write = false;
    else if (a.startsWith("--rounds")) cfg.rounds = Number(value());
    else if (a.startsWith("--cases")) cfg.cases = value().split(",").map(Number) as CaseId[];
    else if (a.startsWith("--clients")) cfg.clients = value().split(",") as ClientId[];
    else if (a.startsWith("--transports")) cfg.transports = value().split(",") as Transport["kind"][];
    else if (a.startsWith("--invokes")) cfg.invokes = Number(value());
    else if (a.startsWith("--observed-invokes")) cfg.observed.invokes = Number(value());
  }
  return { cfg, write };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const { cfg, write } = parseArgs(process.argv.slice(2));
  const { results, markdown } = await runBench(cfg);
  process.stdout.write(`${markdown}\n`);
  if (write) {
    const path = fileURLToPath(new URL("../RESULTS.md", import.meta.url));
    // Hand-written profiling findings (bench/NOTES.md) follow the generated tables.
    const notesPath = fileURLToPath(new URL("../NOTES.md", import.meta.url));
    const notes = existsSync(notesPath) ? `\n${readFileSync(notesPath, "utf8")}` : "";
    writeFileSync(path, `${markdown}\n${notes}`);
    process.stderr.write(`wrote ${path}\n`);
  }
  // Keep-alive sockets and SDK handlers must not keep the process alive.
  process.exit(results.errors.some((e) => !e.startsWith("cold start: packages/chat/dist is older")) ? 1 : 0);
}
