// Fault injection: errors, latency and stream breakage on demand, deterministic by construction
// (counted with `times`, sampled with a seeded PRNG), so failure-path tests are repeatable.
import type { AwsErrorType, Operation } from "./types.js";
import { isAwsErrorType, toStreamExceptionType, type StreamExceptionType } from "./wire/errors.js";

export type FaultKind = "error" | "latency" | "stream-cut" | "stream-exception" | "corrupt-frame" | "connection-reset";

export const FAULT_KINDS: readonly FaultKind[] = [
  "error",
  "latency",
  "stream-cut",
  "stream-exception",
  "corrupt-frame",
  "connection-reset",
];

/** What callers pass to addFault / POST /_emulator/faults. */
export interface FaultSpec {
  kind: FaultKind;
  /** How many requests it fires on, then it is removed (default: unlimited). */
  times?: number;
  /** Chance 0..1 that it fires on a matching request (seeded PRNG; default 1). */
  probability?: number;
  /** Stream faults (and connection-reset on streams): events sent before the fault (default 1). */
  afterEvents?: number;
  /** latency: delay before the response in ms (default 1000). */
  delayMs?: number;
  /** Operations it applies to (default: all three). */
  operations?: Operation[];
  /** Only requests for this model id (exact match on the decoded id). */
  modelId?: string;
  /** error: an AWS error type (default ThrottlingException); stream-exception: a stream exception (default modelStreamErrorException). */
  errorType?: string;
  message?: string;
  /** error: override the table's HTTP status. */
  status?: number;
}

export interface Fault extends FaultSpec {
  id: string;
  /** Times it fired so far. */
  fired: number;
}

const STREAM_ONLY: readonly FaultKind[] = ["stream-cut", "stream-exception", "corrupt-frame"];
const OPERATIONS: readonly Operation[] = ["converse", "converse-stream", "count-tokens"];

/** Mulberry32: tiny, fast, good enough for sampling, and reproducible from a seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks a fault spec from an untrusted source; returns an error text or the normalised spec. */
export function parseFaultSpec(input: unknown): { ok: true; spec: FaultSpec } | { ok: false; message: string } {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return { ok: false, message: "A fault must be a JSON object." };
  const f = input as Record<string, unknown>;
  if (!FAULT_KINDS.includes(f.kind as FaultKind))
    return { ok: false, message: `Unknown fault kind ${JSON.stringify(f.kind)}. Use one of: ${FAULT_KINDS.join(", ")}.` };
  const kind = f.kind as FaultKind;
  const num = (name: string, min: number, max = Number.MAX_SAFE_INTEGER): string | undefined => {
    const v = f[name];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
      return `Fault field ${name} must be a number between ${min} and ${max}.`;
    return undefined;
  };
  for (const [name, min, max] of [
    ["times", 1],
    ["probability", 0, 1],
    ["afterEvents", 0],
    ["delayMs", 0],
    ["status", 100, 599],
  ] as const) {
    const problem = num(name, min, max);
    if (problem) return { ok: false, message: problem };
  }
  if (f.operations !== undefined && (!Array.isArray(f.operations) || !f.operations.every((o) => OPERATIONS.includes(o as Operation)))) {
    return { ok: false, message: `Fault field operations must be a list of: ${OPERATIONS.join(", ")}.` };
  }
  if (f.message !== undefined && typeof f.message !== "string") return { ok: false, message: "Fault field message must be a string." };
  if (f.modelId !== undefined && typeof f.modelId !== "string") return { ok: false, message: "Fault field modelId must be a string." };
  if (f.errorType !== undefined) {
    if (kind === "error" && !isAwsErrorType(f.errorType))
      return { ok: false, message: `Unknown errorType ${JSON.stringify(f.errorType)} for an error fault.` };
    if (kind === "stream-exception" && (typeof f.errorType !== "string" || !toStreamExceptionType(f.errorType))) {
      return {
        ok: false,
        message: `errorType ${JSON.stringify(f.errorType)} is not a ConverseStream exception (throttlingException, modelStreamErrorException, internalServerException, validationException, serviceUnavailableException).`,
      };
    }
  }
  const spec: FaultSpec = { kind };
  for (const key of [
    "times",
    "probability",
    "afterEvents",
    "delayMs",
    "operations",
    "modelId",
    "errorType",
    "message",
    "status",
  ] as const) {
    if (f[key] !== undefined) (spec as unknown as Record<string, unknown>)[key] = f[key];
  }
  return { ok: true, spec };
}

export function faultErrorType(fault: FaultSpec): AwsErrorType {
  return isAwsErrorType(fault.errorType) ? fault.errorType : "ThrottlingException";
}

export function faultStreamExceptionType(fault: FaultSpec): StreamExceptionType {
  return (fault.errorType && toStreamExceptionType(fault.errorType)) || "modelStreamErrorException";
}

/** The active faults, in the order they were added. */
export class FaultInjector {
  private faults: Fault[] = [];
  private random: () => number;
  private nextId = 1;

  constructor(private readonly seed = 42) {
    this.random = seededRandom(seed);
  }

  add(spec: FaultSpec): Fault {
    const parsed = parseFaultSpec(spec);
    if (!parsed.ok) throw new TypeError(parsed.message);
    const fault: Fault = { ...parsed.spec, id: `fault-${this.nextId++}`, fired: 0 };
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length !== before;
  }

  /** Clears every fault and restarts ids and the PRNG, so a reset emulator behaves like a new one. */
  clear(): void {
    this.faults = [];
    this.nextId = 1;
    this.random = seededRandom(this.seed);
  }

  /**
   * Faults firing for this request, consumed now (`times` counts down). Every matching latency
   * fault fires (their delays add up); of the other kinds only the first matching one fires, in
   * the order the faults were added. Stream kinds only match ConverseStream.
   */
  take(operation: Operation, modelId: string): Fault[] {
    const fired: Fault[] = [];
    let chosen = false;
    for (const fault of this.faults) {
      if (fault.operations && !fault.operations.includes(operation)) continue;
      if (fault.modelId !== undefined && fault.modelId !== modelId) continue;
      if (STREAM_ONLY.includes(fault.kind) && operation !== "converse-stream") continue;
      const isLatency = fault.kind === "latency";
      if (!isLatency && chosen) continue;
      if (fault.probability !== undefined && this.random() >= fault.probability) continue;
      fault.fired++;
      fired.push({ ...fault });
      if (!isLatency) chosen = true;
    }
    this.faults = this.faults.filter((f) => f.times === undefined || f.fired < f.times);
    return fired;
  }
}
