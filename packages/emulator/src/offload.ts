// Runs the heavy steps of large requests on one shared worker thread, so a 20 MB request does not
// stall other clients. The worker starts on the first large request and never keeps the process
// alive. If it cannot start or dies, the caller gets a rejection and runs the step in-thread.
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { fromSource, workerPath } from "./offload-location.cjs";
import type { Answer, AnswerArgs } from "./offload-jobs.js";
import type { WorkerJob } from "./offload-worker.js";
import type { AwsErrorSpec } from "./types.js";

/** Bodies at least this large are parsed and answered on the worker thread. */
export const OFFLOAD_MIN_BYTES = Number(process.env.BEDROCK_EMULATOR_OFFLOAD_MIN_BYTES) || 1024 * 1024;

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(err: Error): void {
  worker = undefined;
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

function start(): Worker {
  // From sources (tests, tsx) the worker needs tsx's loader; from dist it is plain JavaScript.
  const entry = pathToFileURL(workerPath);
  const w = fromSource
    ? new Worker(`import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true })
    : new Worker(entry);
  w.unref();
  w.on("message", (msg: { id: number; ok: boolean; result?: unknown; message?: string }) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(msg.message));
    if (pending.size === 0) w.unref();
  });
  w.on("error", (err) => failAll(err));
  w.on("exit", (code) => failAll(new Error(`the offload worker exited with code ${code}`)));
  return w;
}

function post<T>(job: WorkerJob, transfer: ArrayBuffer[] = []): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      worker ??= start();
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const id = nextId++;
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    worker.ref(); // a job in flight keeps the process alive until it is answered
    worker.postMessage({ id, job }, transfer);
  });
}

/**
 * Parses a body on the worker, which keeps the value: `ref` names it for answerRemote/takeRemote
 * (and dropRemote frees it). The body's memory moves to the worker without a copy (a fresh 20 MB
 * copy costs this thread more than the parse), so `raw` is empty afterwards unless the answer is
 * undefined: the worker is unavailable and the caller parses in-thread.
 */
export async function parseRemote(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ ok: true; ref: number } | { ok: false; error: AwsErrorSpec } | undefined> {
  const own = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength && raw.buffer instanceof ArrayBuffer;
  const bytes = own ? new Uint8Array(raw.buffer) : new Uint8Array(raw);
  try {
    return await post({ kind: "parse", raw: bytes, contentType }, [bytes.buffer as ArrayBuffer]);
  } catch {
    return undefined;
  }
}

/** Validates and answers a body the worker keeps; undefined when it is not there (any more) or the worker failed. */
export async function answerRemote(ref: number, args: AnswerArgs): Promise<Answer | undefined> {
  try {
    const r = await post<Answer | { missing: true }>({ kind: "answer", ref, args });
    return "missing" in r ? undefined : r;
  } catch {
    return undefined;
  }
}

/** The parsed value of a body the worker keeps (it forgets it); undefined when it is not there. */
export async function takeRemote(ref: number): Promise<{ json: unknown } | undefined> {
  try {
    const r = await post<{ json: unknown } | { missing: true }>({ kind: "take", ref });
    return "missing" in r ? undefined : r;
  } catch {
    return undefined;
  }
}

/** Lets the worker forget a body (the request ended before its answer). */
export function dropRemote(ref: number): void {
  if (worker) post({ kind: "drop", ref }).catch(() => undefined);
}
