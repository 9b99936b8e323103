// Record and replay: the emulator as a proxy in front of Bedrock (or any compatible URL) that
// writes every interaction to a cassette, and a replayer that answers from the cassette with no
// network. Only runtime operations and GetInferenceProfile come here; admin and unknown paths
// stay with the emulator.
import { existsSync } from "node:fs";
import { addNote, type LoggedRequest } from "../request-log.js";
import type { Route } from "../router.js";
import type { AnyRequest, AnyResponse } from "../transport.js";
import type { JsonValue } from "../types.js";
import { awsError } from "../wire/errors.js";
import { EVENTSTREAM_CONTENT_TYPE } from "../wire/eventstream.js";
import {
  emptyCassette,
  loadCassette,
  saveCassette,
  type Cassette,
  type CassetteOperation,
  type Interaction,
  type RecordedEvent,
  type RecordedRequest,
  type RecordedResponse,
} from "./format.js";
import { describeFrame, FrameSplitter } from "./frames.js";
import { DEFAULT_MATCH_IGNORE, differences, distance, keyText, normaliseKey, type RequestKey } from "./match.js";
import { drained, gone, pause, sendError, writeChunk } from "../respond.js";
import { findAccountId, restoreAccountId, scrubAccountIds, scrubJson } from "./scrub.js";
import { Upstream, UpstreamCredentialsError, type UpstreamOptions } from "./upstream.js";

export interface CassetteOptions extends UpstreamOptions {
  /** Record every request to this cassette (a new file; an existing one is replaced). */
  record?: string;
  /** Answer from this cassette with no network. */
  replay?: string;
  /** With `record` or `replay`: answer hits from the cassette, forward and record misses. */
  recordMissing?: boolean;
  /** Replay: keep the recorded pauses (time to the head, then between stream frames). */
  replayTiming?: boolean;
  /** Body fields left out of matching (dot paths, `*` for any key/index). Default ["requestMetadata"]. */
  matchIgnore?: string[];
}

type RoutedTarget = Extract<Route, { kind: "runtime" | "inference-profile" }>;

export interface CassetteHandler {
  readonly mode: "record" | "replay" | "record-missing";
  readonly path: string;
  serve(req: AnyRequest, res: AnyResponse, target: RoutedTarget, body: Buffer, requestId: string, entry: LoggedRequest): Promise<void>;
  /** Interactions in the cassette right now. */
  interactions(): Interaction[];
  close(): void;
}

/** How long recorded interactions may wait before the cassette file is rewritten. */
const SAVE_DELAY_MS = 100;

// Response headers a client reads; everything else (date, connection, cookies) is left out.
const KEPT_HEADERS = /^(content-type|x-amzn-requestid|x-amzn-errortype|x-amzn-query-error|x-amzn-bedrock-[a-z0-9-]+)$/;
// Connection-level headers never cross the proxy (and are illegal on HTTP/2).
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
  "te",
  "trailer",
  "http2-settings",
]);

/** undefined when neither record nor replay is asked for. Throws TypeError on contradictory options. */
export function createCassetteHandler(options: CassetteOptions): CassetteHandler | undefined {
  if (options.record && options.replay)
    throw new TypeError("record and replay are exclusive: give one cassette path (add recordMissing to replay hits and record misses)");
  const path = options.record ?? options.replay;
  if (!path) {
    if (options.recordMissing || options.replayTiming)
      throw new TypeError("recordMissing and replayTiming need a cassette: set record or replay");
    return undefined;
  }
  const mode = options.recordMissing ? "record-missing" : options.record ? "record" : "replay";
  const ignore = options.matchIgnore ?? DEFAULT_MATCH_IGNORE;
  const upstream = mode === "replay" ? undefined : new Upstream(options);
  let cassette: Cassette;
  if (mode === "replay") cassette = loadCassette(path);
  else if (mode === "record-missing" && existsSync(path)) cassette = loadCassette(path);
  else cassette = emptyCassette(upstream!.label);
  if (mode === "record") saveCassette(path, cassette);

  // Saves are coalesced (a long recording would otherwise rewrite the whole file per request);
  // close() writes whatever is pending, and the CLI closes on SIGINT/SIGTERM.
  // The pause grows with the time a save takes, so a big cassette costs at most ~5% of the time.
  let saveTimer: NodeJS.Timeout | undefined;
  let saveDelay = SAVE_DELAY_MS;
  const flush = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    const started = performance.now();
    saveCassette(path, cassette);
    saveDelay = Math.max(SAVE_DELAY_MS, 20 * (performance.now() - started));
  };
  const scheduleSave = () => {
    saveTimer ??= setTimeout(flush, saveDelay);
  };

  const keys: string[] = [];
  const normalised: RequestKey[] = [];
  const used = new Set<number>();
  const index = (i: number) => {
    normalised[i] = normaliseKey(keyOf(cassette.interactions[i].request), ignore);
    keys[i] = keyText(normalised[i]);
  };
  for (let i = 0; i < cassette.interactions.length; i++) index(i);

  /** First unused interaction with this key; once all were used, the last of them again. */
  function lookup(key: RequestKey): number | undefined {
    const text = keyText(key);
    let last: number | undefined;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== text) continue;
      if (!used.has(i)) return i;
      last = i;
    }
    return last;
  }

  function missMessage(key: RequestKey): string {
    const what = `${key.operation} ${key.modelId}`;
    if (cassette.interactions.length === 0)
      return `No recorded interaction matches ${what}: cassette ${path} is empty. Record it with --record.`;
    let nearest = 0;
    let best = Infinity;
    normalised.forEach((candidate, i) => {
      const d = distance(candidate, key);
      if (d < best) [best, nearest] = [d, i];
    });
    const diff = differences(normalised[nearest], key, 1)[0];
    const n = normalised[nearest];
    const first = diff ? ` First difference at ${diff.path}: recorded ${diff.recorded}, got ${diff.got}.` : "";
    return `No recorded interaction in cassette ${path} matches ${what}. Nearest is #${nearest} (${n.operation} ${n.modelId}).${first} Re-record, or add the field to matchIgnore.`;
  }

  return {
    mode,
    path,
    interactions: () => cassette.interactions,
    close: () => {
      if (saveTimer) flush();
      upstream?.close();
    },
    async serve(req, res, target, body, requestId, entry) {
      const recorded = recordedRequest(req, target, body);
      // The request log shows what the emulator would have logged for its own answer.
      entry.operation = recorded.operation;
      entry.modelId = target.kind === "runtime" ? target.modelId : target.identifier;
      if (recorded.body !== undefined || recorded.bodyText !== undefined) entry.body = recorded.body ?? recorded.bodyText;
      const key = normaliseKey(keyOf(recorded), ignore);
      const hit = mode === "record" ? undefined : lookup(key);
      if (hit !== undefined) {
        used.add(hit);
        addNote(entry, `replayed interaction #${hit} of ${path}`);
        const account = findAccountId(decodeSafe(req.url ?? "")) ?? findAccountId(body.toString("utf8"));
        return replay(res, cassette.interactions[hit].response, entry, account, options.replayTiming ?? false);
      }
      if (!upstream) {
        entry.status = 400;
        entry.errorType = "ValidationException";
        return sendError(res, requestId, awsError("ValidationException", missMessage(key)));
      }
      const recordedAt = new Date().toISOString();
      let response: RecordedResponse;
      try {
        response = await proxy(upstream, req, res, target, body, entry);
      } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        const message =
          err instanceof UpstreamCredentialsError
            ? `${err.message} Nothing was recorded.`
            : `The upstream ${upstream.label} could not be reached (${reason}); nothing was recorded.`;
        entry.status = 503;
        entry.errorType = "ServiceUnavailableException";
        return sendError(res, requestId, awsError("ServiceUnavailableException", message));
      }
      // Appended when complete: a saved cassette never holds half an interaction.
      const at = cassette.interactions.push({ request: recorded, response, recordedAt }) - 1;
      index(at);
      if (mode === "record-missing") used.add(at);
      addNote(entry, `recorded interaction #${at} to ${path}`);
      scheduleSave();
    },
  };
}

function keyOf(request: RecordedRequest): RequestKey {
  return { operation: request.operation, modelId: request.modelId, body: request.body ?? request.bodyText };
}

function recordedRequest(req: AnyRequest, target: RoutedTarget, body: Buffer): RecordedRequest {
  const operation: CassetteOperation = target.kind === "runtime" ? target.operation : "get-inference-profile";
  const modelId = target.kind === "runtime" ? target.modelId : target.identifier;
  const out: RecordedRequest = {
    method: req.method ?? "POST",
    path: scrubAccountIds(decodeSafe(req.url ?? "/")),
    operation,
    modelId: scrubAccountIds(modelId),
  };
  if (body.length > 0) {
    const text = body.toString("utf8");
    try {
      out.body = scrubJson(JSON.parse(text) as JsonValue);
    } catch {
      out.bodyText = scrubAccountIds(text);
    }
  }
  return out;
}

function decodeSafe(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function markStatus(entry: LoggedRequest, status: number, headers: Record<string, unknown>): void {
  entry.status = status;
  const type = headers["x-amzn-errortype"];
  if (typeof type === "string") entry.errorType = type.split(":")[0];
}

/** Forwards, streams the answer back as it arrives, and returns what to record. */
async function proxy(
  upstream: Upstream,
  req: AnyRequest,
  res: AnyResponse,
  target: RoutedTarget,
  body: Buffer,
  entry: LoggedRequest,
): Promise<RecordedResponse> {
  const sent = Date.now();
  const upstreamRes = await upstream.send({
    method: req.method ?? "POST",
    path: req.url ?? "/",
    headers: req.headers,
    body,
    controlPlane: target.kind === "inference-profile",
  });
  const headersAtMs = Date.now() - sent;
  const status = upstreamRes.statusCode ?? 502;
  const clientHeaders: Record<string, string | string[]> = {};
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(upstreamRes.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    clientHeaders[name] = value;
    if (KEPT_HEADERS.test(name) && typeof value === "string") kept[name] = value;
  }
  markStatus(entry, status, kept);
  if (!gone(res)) res.writeHead(status, clientHeaders);

  const isStream = (kept["content-type"] ?? "").startsWith(EVENTSTREAM_CONTENT_TYPE);
  const splitter = isStream ? new FrameSplitter() : undefined;
  const events: RecordedEvent[] = [];
  const chunks: Buffer[] = [];
  const headAt = Date.now();
  let aborted = false;
  if (isStream) entry.streamEvents = [];

  await new Promise<void>((resolve) => {
    upstreamRes.on("data", (chunk: Buffer) => {
      if (splitter) {
        for (const frame of splitter.push(chunk)) {
          const view = describeFrame(frame);
          events.push({ ...view, frame: frame.toString("base64"), atMs: Date.now() - headAt });
          entry.streamEvents!.push(view.type);
          if (view.messageType === "exception") entry.errorType = view.type;
        }
      } else chunks.push(chunk);
      // The client gets each chunk as it arrives; a slow client slows the upstream down. A client
      // that left does not stop the recording: the cassette still gets the whole answer.
      if (!gone(res) && !(res as { write(c: Uint8Array): boolean }).write(chunk)) {
        upstreamRes.pause();
        drained(res).then(() => upstreamRes.resume());
      }
    });
    upstreamRes.on("end", resolve);
    upstreamRes.on("aborted", () => (aborted = true));
    upstreamRes.on("error", () => {
      aborted = true;
      resolve();
    });
    upstreamRes.on("close", () => {
      if (!upstreamRes.complete) aborted = true;
      resolve();
    });
  });

  if (aborted) res.destroy();
  else if (!gone(res)) res.end();

  const recorded: RecordedResponse = { status, headers: kept, headersAtMs };
  if (splitter) {
    recorded.events = events;
    const rest = splitter.rest();
    if (rest.length) recorded.trailingBytes = rest.toString("base64");
  } else {
    setBody(recorded, Buffer.concat(chunks));
  }
  if (aborted) recorded.aborted = true;
  return recorded;
}

function setBody(recorded: RecordedResponse, bytes: Buffer): void {
  if (bytes.length === 0) return;
  const text = bytes.toString("utf8");
  try {
    const json = JSON.parse(text) as JsonValue;
    // Stored as JSON only when that gives back the exact bytes; else as text.
    if (JSON.stringify(json) === text) {
      recorded.body = scrubJson(json);
      return;
    }
  } catch {
    // not JSON: kept as text below
  }
  recorded.bodyText = scrubAccountIds(text);
}

/** Serves a recorded response: the same status, headers and bytes. */
async function replay(
  res: AnyResponse,
  recorded: RecordedResponse,
  entry: LoggedRequest,
  account: string | undefined,
  timing: boolean,
): Promise<void> {
  if (timing) await pause(recorded.headersAtMs, res);
  if (gone(res)) return;
  const headers: Record<string, string> = { ...recorded.headers, date: new Date().toUTCString() };
  markStatus(entry, recorded.status, headers);
  if (recorded.events) {
    entry.streamEvents = [];
    res.writeHead(recorded.status, headers);
    (res as { flushHeaders?: () => void }).flushHeaders?.();
    const start = Date.now();
    for (const event of recorded.events) {
      if (timing) await pause(event.atMs - (Date.now() - start), res);
      if (!(await writeChunk(res, Buffer.from(event.frame, "base64")))) return;
      entry.streamEvents.push(event.type);
      if (event.messageType === "exception") entry.errorType = event.type;
    }
    if (recorded.trailingBytes && !(await writeChunk(res, Buffer.from(recorded.trailingBytes, "base64")))) return;
    if (recorded.aborted) res.destroy();
    else res.end();
    return;
  }
  const text = recorded.body !== undefined ? JSON.stringify(recorded.body) : (recorded.bodyText ?? "");
  const bytes = Buffer.from(restoreAccountId(text, account), "utf8");
  headers["content-length"] = String(bytes.length);
  res.writeHead(recorded.status, headers);
  if (recorded.aborted) {
    (res as { write(c: Uint8Array): boolean }).write(bytes);
    res.destroy();
  } else res.end(bytes);
}
