// The cassette file: readable JSON with a version, one interaction per request, in the order the
// requests arrived. Nothing that authenticates a request is ever stored: no request headers at all,
// and only the response headers a client reads (content type, request id, error type).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { JsonValue } from "../types.js";

export const CASSETTE_VERSION = 1;

export type CassetteOperation = "converse" | "converse-stream" | "count-tokens" | "get-inference-profile";

export interface RecordedRequest {
  method: string;
  /** The request path with ARN account ids replaced by the placeholder. */
  path: string;
  operation: CassetteOperation;
  /** Model id (or inference profile identifier), decoded, account id replaced. */
  modelId: string;
  /** The JSON body; `bodyText` instead when it was not JSON. */
  body?: JsonValue;
  bodyText?: string;
}

export interface RecordedEvent {
  /** `:event-type` or `:exception-type` ("corrupt" when the frame did not decode). */
  type: string;
  /** `:message-type`: event or exception. */
  messageType?: string;
  payload?: JsonValue;
  /** The exact frame, base64: replay writes these bytes. */
  frame: string;
  /** Milliseconds after the response head arrived. */
  atMs: number;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  /** A JSON body whose re-serialisation gives back the exact bytes. */
  body?: JsonValue;
  /** Any other body, as text (UTF-8). */
  bodyText?: string;
  /** An event stream: its frames in order. */
  events?: RecordedEvent[];
  /** Bytes after the last whole frame (a cut stream), base64. */
  trailingBytes?: string;
  /** The upstream closed the connection before the response was complete. */
  aborted?: boolean;
  /** Milliseconds from sending the request to the response head. */
  headersAtMs: number;
}

export interface Interaction {
  request: RecordedRequest;
  response: RecordedResponse;
  /** When it was recorded (ISO). */
  recordedAt: string;
}

export interface Cassette {
  version: typeof CASSETTE_VERSION;
  /** What recorded it and against which upstream (no credentials). */
  recordedWith: string;
  interactions: Interaction[];
}

class CassetteError extends Error {
  override name = "CassetteError";
}

export function emptyCassette(upstream: string): Cassette {
  return { version: CASSETTE_VERSION, recordedWith: `bedrock-runtime-emulator, upstream ${upstream}`, interactions: [] };
}

/** Reads and checks a cassette; the error says which file and what is wrong with it. */
export function loadCassette(path: string): Cassette {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CassetteError(
      code === "ENOENT"
        ? `cassette ${path} does not exist; record it first (--record ${path} or mode "record")`
        : `cannot read cassette ${path}: ${(err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CassetteError(`cassette ${path} is not valid JSON: ${(err as Error).message}`);
  }
  const problem = cassetteProblem(json);
  if (problem) throw new CassetteError(`cassette ${path}: ${problem}`);
  return json as Cassette;
}

function cassetteProblem(json: unknown): string | undefined {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return "expected a JSON object";
  const c = json as Partial<Cassette>;
  if (c.version !== CASSETTE_VERSION)
    return `unsupported version ${JSON.stringify(c.version)} (this emulator reads version ${CASSETTE_VERSION})`;
  if (!Array.isArray(c.interactions)) return "interactions must be an array";
  for (const [i, item] of c.interactions.entries()) {
    const req = item?.request;
    const res = item?.response;
    if (!req || typeof req.operation !== "string" || typeof req.modelId !== "string")
      return `interactions[${i}].request needs operation and modelId`;
    if (!res || typeof res.status !== "number" || typeof res.headers !== "object")
      return `interactions[${i}].response needs status and headers`;
    if (res.events && !res.events.every((e) => typeof e?.frame === "string"))
      return `interactions[${i}].response.events[].frame must be base64 strings`;
  }
  return undefined;
}

/** Writes atomically (temp file + rename), so an interrupted run never leaves half a cassette. */
export function saveCassette(path: string, cassette: Cassette): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(cassette, null, 2)}\n`);
  renameSync(tmp, path);
}
