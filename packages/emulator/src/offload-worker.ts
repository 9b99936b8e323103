// Worker-thread entry: parses large bodies and keeps them (by id) until the server asks for the
// answer, takes the parsed value back, or drops it (the server drops every one when its response
// closes, so at most one value per large request in flight is kept).
import { parentPort } from "node:worker_threads";
import { runAnswer, runParse, type AnswerArgs } from "./offload-jobs.js";

export type WorkerJob =
  | { kind: "parse"; raw: Uint8Array; contentType: string | undefined }
  | { kind: "answer"; ref: number; args: AnswerArgs }
  | { kind: "take"; ref: number }
  | { kind: "drop"; ref: number };

const kept = new Map<number, unknown>();

function handle(id: number, job: WorkerJob): { result: unknown; transfer: ArrayBuffer[] } {
  switch (job.kind) {
    case "parse": {
      const r = runParse(job.raw, job.contentType);
      if (!r.ok) return { result: r, transfer: [] };
      kept.set(id, r.json);
      return { result: { ok: true, ref: id }, transfer: [] };
    }
    case "answer": {
      if (!kept.has(job.ref)) return { result: { missing: true }, transfer: [] };
      const json = kept.get(job.ref);
      kept.delete(job.ref);
      const answer = runAnswer(json, job.args);
      if (!("bytes" in answer)) return { result: answer, transfer: [] };
      // A Buffer may share a pooled ArrayBuffer: copy into one of its own, then hand it over without a copy.
      const own = new Uint8Array(answer.bytes);
      return { result: { bytes: own }, transfer: [own.buffer] };
    }
    case "take": {
      const found = kept.has(job.ref);
      const json = kept.get(job.ref);
      kept.delete(job.ref);
      return { result: found ? { json } : { missing: true }, transfer: [] };
    }
    case "drop":
      kept.delete(job.ref);
      return { result: undefined, transfer: [] };
  }
}

parentPort?.on("message", ({ id, job }: { id: number; job: WorkerJob }) => {
  try {
    const { result, transfer } = handle(id, job);
    parentPort!.postMessage({ id, ok: true, result }, transfer);
  } catch (err) {
    parentPort!.postMessage({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
