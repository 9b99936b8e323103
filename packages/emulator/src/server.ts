// startEmulator(): wires transport, routing, body intake, auth, faults, validation, script/model and
// the wire encoders into one request handler, and returns the programmatic control surface.
//
// Order of checks for a runtime request (documented in the README):
//   route -> body intake (size, content type, UTF-8, JSON) -> auth (strict mode only) -> faults
//   (latency, error, connection-reset) -> validation -> scripted reply or default model -> response
//   (stream faults fire while the stream is written).
import { randomUUID } from "node:crypto";
import { type AdminTarget, handleAdmin } from "./admin.js";
import { allowedAdminHosts, checkAdminAccess } from "./admin-access.js";
import { checkAuth } from "./auth.js";
import { createBackend, type BackendEmulatorOptions } from "./backend/index.js";
import { createCassetteHandler, type CassetteOptions } from "./cassette/index.js";
import { bodyTooLarge, DEFAULT_MAX_BODY_BYTES, parseJsonBody, readBody } from "./body.js";
import {
  DEFAULT_INFERENCE_PROFILES,
  InferenceProfileStore,
  type InferenceProfile,
  type InferenceProfileConfig,
} from "./control-plane.js";
import {
  FaultInjector,
  faultErrorType,
  faultStreamExceptionType,
  type Fault,
  type FaultSpec,
} from "./faults.js";
import {
  CacheStore,
  countTokens,
  generateResponse,
  getGuardrailPolicy,
  resetGuardrailPolicy,
  setGuardrailPolicy,
  type GuardrailPolicy,
} from "./model/index.js";
import { redactHeaders, redactPath, RequestLog, type LoggedRequest } from "./request-log.js";
import { route } from "./router.js";
import { parseScript, ScriptQueue, scriptErrorType, scriptReplyToResponse, type ScriptReply } from "./script.js";
import { answerRemote, dropRemote, OFFLOAD_MIN_BYTES, parseRemote, takeRemote } from "./offload.js";
import { finishResponse } from "./offload-jobs.js";
import { createTransport, type AnyRequest, type AnyResponse, type TransportLimits } from "./transport.js";
import type { AwsErrorSpec, ConverseRequest, ConverseResponse, CountTokensRequest, JsonObject, Operation } from "./types.js";
import { validateRequestDetailed } from "./validate/index.js";
import { withFamilyFields } from "./model/family-fields.js";
import {
  awsError,
  defaultStreamExceptionMessage,
  encodeErrorResponse,
  toStreamExceptionType,
  type StreamExceptionType,
} from "./wire/errors.js";
import {
  corruptFrame,
  encodeEventFrame,
  encodeExceptionFrame,
  EVENTSTREAM_CONTENT_TYPE,
  eventFrameToWrite,
  randomPadding,
} from "./wire/eventstream.js";
import { DEFAULT_CHUNK_SIZE, responseToStreamEvents, type StreamEvent } from "./wire/stream-events.js";

/** Record/replay options (record, replay, upstream, ...) are in CassetteOptions; `backend` in BackendEmulatorOptions. */
export interface EmulatorOptions extends TransportLimits, CassetteOptions, BackendEmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Scripted replies queued at start. */
  script?: ScriptReply[];
  /** Faults active from the start. */
  faults?: FaultSpec[];
  /** Strict auth: reject missing or malformed credentials with the real service's errors. */
  requireAuth?: boolean;
  /** true: one line per request on stdout ("POST /model/x/converse 200 12ms"); or a line sink. */
  log?: boolean | ((line: string) => void);
  /** Add Bedrock's random "p" padding member to stream events (default true). */
  padding?: boolean;
  /** Words per streamed text/reasoning delta (default 3). */
  chunkSize?: number;
  /** Pause between stream events in ms (default 0), e.g. to let a test disconnect mid-stream. */
  streamEventDelayMs?: number;
  /** Application inference profiles for GetInferenceProfile, added to the built-in one. */
  inferenceProfiles?: Record<string, InferenceProfileConfig>;
  /** Seed of the PRNG that samples fault probabilities (default 42). */
  seed?: number;
  /** Request body limit in bytes (default 50 MiB); larger bodies get a 413. */
  maxBodyBytes?: number;
  /** Request log capacity; older entries are dropped (default 1000). */
  maxLoggedRequests?: number;
  /** Request log size in bytes over all entries (default 64 MiB); older entries are dropped. */
  maxLoggedBytes?: number;
  /** A logged body over this size keeps only a preview marked "[truncated: ...]" (default 1 MiB). */
  maxLoggedBodyBytes?: number;
  /**
   * Admin API token. Unset (default): the admin API answers loopback clients only (and nobody with
   * `requireAuth`). Set: every admin request, from any address, must send it in `x-emulator-admin-token`.
   */
  adminToken?: string;
  /** Only the catalog's model ids are valid; default: every id of a known provider (README "Model ids"). */
  strictModels?: boolean;
  /** Refuse reasoning signatures the emulator did not issue; default: accept well-formed foreign ones. */
  strictSignatures?: boolean;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:54321 */
  url: string;
  port: number;
  host: string;
  /** Stops the server and destroys open connections and h2 sessions. */
  close(): Promise<void>;
  /** TCP connections open right now (to check that clients release their sockets). */
  openConnections(): number;
  /** Replaces the scripted replies. */
  setScript(replies: ScriptReply[]): void;
  /** Appends scripted replies. */
  pushScript(...replies: ScriptReply[]): void;
  /** Replies still queued. */
  script(): ScriptReply[];
  addFault(spec: FaultSpec): Fault;
  removeFault(id: string): boolean;
  clearFaults(): void;
  faults(): Fault[];
  /** The request log (redacted). */
  requests(): LoggedRequest[];
  addInferenceProfile(arnOrId: string, config: InferenceProfileConfig): InferenceProfile;
  /**
   * The default model's guardrail policy (blocked words, denied topics, content filters). It is
   * module state, shared by every emulator in the process.
   */
  guardrailPolicy(): GuardrailPolicy;
  setGuardrailPolicy(update: Partial<GuardrailPolicy>): void;
  /** Clears script, faults, log and prompt cache; restores the start-up profiles and the default guardrail policy. */
  reset(): void;
}

type Headers = Record<string, string>;

const sleep = (ms: number, res: AnyResponse) =>
  new Promise<void>((resolve) => {
    if (ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    res.once("close", done); // the client left: stop waiting
    function done() {
      clearTimeout(timer);
      res.off("close", done);
      resolve();
    }
  });

// The Date header has a resolution of one second: format it once per second, not per response.
let dateSecond = NaN;
let dateText = "";
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

function baseHeaders(requestId: string, contentType: string): Headers {
  return { "x-amzn-requestid": requestId, date: httpDate(), "content-type": contentType };
}

function gone(res: AnyResponse): boolean {
  return res.destroyed || res.writableEnded || (res.socket?.destroyed ?? false);
}

/** Writes one chunk; resolves false if the client went away before it drained. */
function write(res: AnyResponse, chunk: Uint8Array): Promise<boolean> {
  if (gone(res)) return Promise.resolve(false);
  // ServerResponse and Http2ServerResponse have the same write(), but TS cannot unify the overloads.
  if ((res as { write(c: Uint8Array): boolean }).write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onDrain = () => finish(true);
    const onClose = () => finish(false);
    res.once("drain", onDrain);
    res.once("close", onClose);
    function finish(ok: boolean) {
      res.off("drain", onDrain);
      res.off("close", onClose);
      resolve(ok);
    }
  });
}

/** Sends `body` as JSON; a Uint8Array is sent as already-serialised JSON. */
function sendJson(res: AnyResponse, requestId: string, status: number, body: unknown, entry?: LoggedRequest): void {
  if (gone(res) || res.headersSent) return;
  const bytes = body instanceof Uint8Array ? body : Buffer.from(JSON.stringify(body), "utf8");
  if (entry) entry.status = status;
  const headers = baseHeaders(requestId, "application/json");
  headers["content-length"] = String(bytes.length);
  res.writeHead(status, headers);
  res.end(bytes);
}

function sendError(res: AnyResponse, requestId: string, spec: AwsErrorSpec, entry?: LoggedRequest): void {
  if (gone(res) || res.headersSent) return;
  const { status, headers, body } = encodeErrorResponse(spec);
  if (entry) {
    entry.status = status;
    entry.errorType = spec.type;
  }
  res.writeHead(status, Object.assign({ "x-amzn-requestid": requestId, date: httpDate() }, headers));
  res.end(body);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  const padding = options.padding ?? true;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const logLine =
    options.log === true ? (line: string) => console.log(line) : typeof options.log === "function" ? options.log : undefined;

  const script = new ScriptQueue();
  const faults = new FaultInjector(options.seed ?? 42);
  const log = new RequestLog(options.maxLoggedRequests ?? 1000, { maxBytes: options.maxLoggedBytes, maxBodyBytes: options.maxLoggedBodyBytes });
  if (options.adminToken !== undefined && (typeof options.adminToken !== "string" || options.adminToken.length < 8)) {
    throw new TypeError("adminToken must be a string of at least 8 characters.");
  }
  const adminAccess = { token: options.adminToken, requireAuth: options.requireAuth ?? false, boundHost: host };
  const adminHosts = allowedAdminHosts(host);
  const profiles = new InferenceProfileStore({ ...DEFAULT_INFERENCE_PROFILES, ...(options.inferenceProfiles ?? {}) });
  // Each emulator has its own prompt cache, so parallel test servers never see each other's prefixes.
  const cache = new CacheStore();
  const resolveProfile = (arn: string) => {
    const resolved = profiles.resolveModelId(arn);
    return resolved === arn ? undefined : resolved;
  };
  // Record/replay: runtime requests go to the cassette (and upstream) instead of the model.
  const cassette = createCassetteHandler(options);
  const backend = createBackend(options.backend);
  const initialScript = options.script ? checkedScript(options.script) : [];
  const initialFaults = options.faults ?? [];
  const state: AdminTarget = {
    script,
    faults,
    log,
    profiles,
    guardrails: { get: getGuardrailPolicy, set: setGuardrailPolicy, reset: resetGuardrailPolicy },
    reset() {
      script.clear();
      faults.clear();
      log.clear();
      profiles.reset();
      cache.clear();
      resetGuardrailPolicy();
    },
  };
  script.set(initialScript);
  for (const spec of initialFaults) faults.add(spec);

  // Entries whose connection the emulator itself closed (a fault), so they are not "aborted".
  const closedByFault = new WeakSet<LoggedRequest>();

  const transport = createTransport((req, res) => {
    // A client that vanishes mid-request surfaces as 'error' on these streams; never let it throw.
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    handle(req, res).catch((err) => onBug(res, err));
  }, options);

  function onBug(res: AnyResponse, err: unknown): void {
    // A bug must never take the process down or leave the client hanging.
    const requestId = String(res.getHeader("x-amzn-requestid") ?? randomUUID());
    if (process.env.BEDROCK_EMULATOR_DEBUG) console.error(err);
    if (!res.headersSent && !gone(res)) sendError(res, requestId, awsError("InternalServerException"));
    else if (!res.writableEnded) res.destroy();
  }

  async function handle(req: AnyRequest, res: AnyResponse): Promise<void> {
    const requestId = randomUUID();
    const started = Date.now();
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const target = route(method, url);
    const loggedPath = redactPath(url);
    const entry: LoggedRequest = {
      id: requestId,
      time: new Date(started).toISOString(),
      method,
      path: loggedPath,
      headers: redactHeaders(req.headers),
      protocol: req.httpVersionMajor === 2 ? "h2" : "http/1.1",
    };
    res.once("close", () => {
      entry.durationMs = Date.now() - started;
      // Http2ServerResponse reports writableFinished even for a cancelled stream; writableEnded
      // tells whether we ever finished the response.
      const complete = res.writableEnded && (req.httpVersionMajor === 2 || res.writableFinished);
      if (!complete && !closedByFault.has(entry)) {
        entry.aborted = true;
        const sent = entry.streamEvents?.length;
        note(entry, sent === undefined ? "client closed the connection before the response was sent" : `client closed the connection after ${sent} stream events`);
      }
      logLine?.(`${method} ${loggedPath} ${entry.status ?? "-"}${entry.aborted ? " (aborted)" : ""} ${entry.durationMs}ms`);
    });
    if (target.kind !== "admin") log.add(entry);

    let body;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch {
      return; // the client aborted the upload; nothing to answer
    }
    if (body.tooLarge) return sendError(res, requestId, bodyTooLarge(body.size, maxBodyBytes), entry);
    const contentType = typeof req.headers["content-type"] === "string" ? req.headers["content-type"] : undefined;

    if (target.kind === "admin") {
      const facts = { method, headers: req.headers, remoteAddress: transport.remoteAddress(req), bodyBytes: body.raw.length };
      const refused = checkAdminAccess(adminAccess, facts, adminHosts, port);
      if (refused) return sendError(res, requestId, refused, entry);
      const parsed = parseJsonBody(body.raw, contentType);
      if (!parsed.ok) return sendError(res, requestId, parsed.error, entry);
      const result = handleAdmin(state, method, target.path, parsed.json);
      if ("error" in result) return sendError(res, requestId, result.error, entry);
      return sendJson(res, requestId, result.status, result.body, entry);
    }
    if (target.kind === "unknown" && target.reason === "unencoded-slash") {
      return sendJson(res, requestId, 200, { Output: { __type: "com.amazon.coral.service#UnknownOperationException" }, Version: "1.0" }, entry);
    }
    if (target.kind === "unknown") {
      const message =
        target.reason === "encoding" ? "The request path contains an invalid percent-encoding." : `No operation matches ${method} ${url.split("?")[0]}.`;
      return sendError(res, requestId, awsError("UnknownOperationException", message), entry);
    }

    const authError = checkAuth(req.headers, options.requireAuth ?? false);
    if (authError) return sendError(res, requestId, authError, entry);
    if (cassette) return cassette.serve(req, res, target, body.raw, requestId, entry);

    if (target.kind === "inference-profile") {
      entry.operation = "get-inference-profile";
      const profile = profiles.get(target.identifier);
      if (!profile) {
        return sendError(res, requestId, awsError("ResourceNotFoundException", `Inference profile ${target.identifier} not found.`), entry);
      }
      return sendJson(res, requestId, 200, profile, entry);
    }

    const { operation, modelId } = target;
    entry.operation = operation;
    entry.modelId = modelId;
    log.setBody(entry, body.raw);
    // A large body is parsed, validated and answered on a worker thread (which keeps the parsed
    // value), so it does not stall other clients; see offload.ts. Otherwise, or if the worker is
    // unavailable, everything happens here.
    let remote: number | undefined;
    let json: unknown;
    // Read before the bytes move to the worker: the worker has no prompt cache.
    const hasCachePoint = body.raw.length >= OFFLOAD_MIN_BYTES && body.raw.includes('"cachePoint"');
    if (body.raw.length >= OFFLOAD_MIN_BYTES) {
      const r = await parseRemote(body.raw, contentType);
      if (r && !r.ok) return sendError(res, requestId, r.error, entry);
      if (r) {
        const ref = (remote = r.ref);
        res.once("close", () => dropRemote(ref));
      }
    }
    if (remote === undefined) {
      const parsed = parseJsonBody(body.raw, contentType);
      if (!parsed.ok) return sendError(res, requestId, parsed.error, entry);
      json = parsed.json;
    }

    // Faults come after routing and parsing and before validation, like service-side throttling.
    const fired = faults.take(operation, modelId);
    let streamFault: Fault | undefined;
    for (const fault of fired) {
      note(entry, `fault: ${fault.kind} (${fault.id})`);
      (entry.faults ??= []).push(fault.kind);
      if (fault.kind === "latency") await sleep(fault.delayMs ?? 1000, res);
    }
    if (gone(res)) return;
    for (const fault of fired) {
      if (fault.kind === "error") {
        const spec = awsError(faultErrorType(fault), fault.message);
        return sendError(res, requestId, fault.status ? { ...spec, status: fault.status } : spec, entry);
      }
      if (fault.kind === "connection-reset" && (operation !== "converse-stream" || fault.afterEvents === undefined)) {
        closedByFault.add(entry);
        return transport.resetConnection(req);
      }
      if (fault.kind !== "latency") streamFault = fault;
    }

    // The validator sees the id as sent (an application profile ARN is a valid address even for
    // models that refuse on-demand ids); the model runs on the base model behind a known profile.
    const resolvedModelId = profiles.resolveModelId(modelId);
    if (remote !== undefined) {
      // The worker has neither the script nor the prompt cache: with either in play, answer here.
      const answer =
        script.list().length === 0 && !hasCachePoint
          ? await answerRemote(remote, { operation, modelId, resolvedModelId, profileTarget: resolveProfile(modelId), policy: getGuardrailPolicy(),
              strictModels: options.strictModels, strictSignatures: options.strictSignatures })
          : undefined;
      if (gone(res)) return;
      if (answer) note(entry, "large body: parsed and answered on a worker thread");
      if (answer && "error" in answer) return sendError(res, requestId, answer.error, entry);
      if (answer && "inputTokens" in answer) return sendJson(res, requestId, 200, { inputTokens: answer.inputTokens }, entry);
      if (answer) entry.scripted = false;
      if (answer && "bytes" in answer) return sendJson(res, requestId, 200, answer.bytes, entry);
      if (answer) {
        const events = responseToStreamEvents(answer.response, { chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE });
        return writeStream(req, res, requestId, entry, events, streamFault);
      }
      const taken = await takeRemote(remote);
      if (!taken) return sendError(res, requestId, awsError("InternalServerException", "The emulator's worker thread failed while handling this large request. Try again."), entry);
      json = taken.json;
    }
    const validated = validateRequestDetailed(operation, modelId, json, {
      resolveProfile,
      strictModels: options.strictModels,
      strictSignatures: options.strictSignatures,
    });
    if (!validated.ok) return sendError(res, requestId, validated.error, entry);

    if (operation === "count-tokens") {
      const inputTokens = countTokens(validated.value as CountTokensRequest, modelId);
      return sendJson(res, requestId, 200, { inputTokens }, entry);
    }

    const request = validated.value as ConverseRequest;
    const reply = script.take(request);
    entry.scripted = reply !== undefined;
    if (!reply && backend) return backend.serve({ operation, modelId: resolvedModelId, request }, res, requestId, entry, padding);
    if (reply?.delayMs) await sleep(reply.delayMs, res);
    if (gone(res)) return;

    if (reply?.error) {
      const streamOnly = toStreamExceptionType(reply.error.type) === "modelStreamErrorException";
      if (!(streamOnly && operation === "converse-stream")) {
        const spec = awsError(scriptErrorType(reply), reply.error.message);
        return sendError(res, requestId, reply.error.status ? { ...spec, status: reply.error.status } : spec, entry);
      }
      const events: StreamEvent[] = [{ type: "messageStart", payload: { role: "assistant" } }];
      return writeStream(req, res, requestId, entry, events, {
        kind: "stream-exception",
        id: "script",
        fired: 1,
        afterEvents: 1,
        errorType: "modelStreamErrorException",
        message: reply.error.message,
      });
    }

    const started2 = Date.now();
    let response: ConverseResponse;
    if (reply) {
      const inputTokens = countTokens({ input: { converse: request } }, resolvedModelId);
      response = scriptReplyToResponse(reply, inputTokens, (content, role) =>
        countTokens({ input: { converse: { messages: [{ role, content }] } } }, resolvedModelId),
      );
    } else {
      response = withFamilyFields(generateResponse({ operation, modelId: resolvedModelId, request }, { cache }), validated.model.provider, operation);
    }
    finishResponse(response, request, started2);

    if (operation === "converse") return sendJson(res, requestId, 200, response, entry);
    const events = responseToStreamEvents(response, { chunkSize: reply?.chunkSize ?? options.chunkSize ?? DEFAULT_CHUNK_SIZE });
    return writeStream(req, res, requestId, entry, events, streamFault);
  }

  /** Streams `events`, one frame per write, honouring backpressure; applies an in-stream fault. */
  async function writeStream(
    req: AnyRequest,
    res: AnyResponse,
    requestId: string,
    entry: LoggedRequest,
    events: StreamEvent[],
    fault: Fault | undefined,
  ): Promise<void> {
    if (gone(res)) return;
    entry.status = 200;
    entry.streamEvents = [];
    res.writeHead(200, baseHeaders(requestId, EVENTSTREAM_CONTENT_TYPE));
    // A stream fault never lets metadata through: it fires before the metadata event at the latest.
    const last = events[events.length - 1]?.type === "metadata" ? events.length - 1 : events.length;
    const faultAt = fault ? Math.min(fault.afterEvents ?? 1, last) : -1;
    // The head goes out with the first frame (one write); flushed alone only when a fault comes first.
    if (faultAt === 0) (res as { flushHeaders?: () => void }).flushHeaders?.();
    for (let i = 0; i <= events.length; i++) {
      if (i > 0 && options.streamEventDelayMs) await sleep(options.streamEventDelayMs, res);
      if (i === faultAt && fault) return applyStreamFault(req, res, entry, events[i], fault);
      if (i === events.length) break;
      const event = events[i];
      const payload = padding ? { ...event.payload, p: randomPadding() } : event.payload;
      const frame = eventFrameToWrite(event.type, payload);
      if (i === events.length - 1 && faultAt !== events.length) {
        // The last frame goes out with the end of the response: one write, and no pause after it.
        if (gone(res)) return;
        res.end(frame);
        entry.streamEvents.push(event.type);
        return;
      }
      if (!(await write(res, frame))) return;
      entry.streamEvents.push(event.type);
      // A write that does not hit backpressure resolves at once; let other clients in now and then.
      if (i % 256 === 255) await new Promise((resolve) => setImmediate(resolve));
    }
    res.end();
  }

  async function applyStreamFault(
    req: AnyRequest,
    res: AnyResponse,
    entry: LoggedRequest,
    next: StreamEvent | undefined,
    fault: Fault,
  ): Promise<void> {
    closedByFault.add(entry);
    switch (fault.kind) {
      case "stream-cut":
        note(entry, `fault: stream cut after ${entry.streamEvents!.length} events`);
        res.end();
        return;
      case "stream-exception": {
        const type: StreamExceptionType = faultStreamExceptionType(fault);
        const payload: JsonObject = { message: fault.message ?? defaultStreamExceptionMessage(type) };
        if (type === "modelStreamErrorException" && fault.status) payload.originalStatusCode = fault.status;
        if (await write(res, encodeExceptionFrame(type, payload))) entry.streamEvents!.push(type);
        entry.errorType = type;
        res.end();
        return;
      }
      case "corrupt-frame": {
        const victim = next ?? { type: "messageStop", payload: { stopReason: "end_turn" } };
        if (await write(res, corruptFrame(encodeEventFrame(victim.type, victim.payload)))) {
          entry.streamEvents!.push(`${victim.type} (corrupt)`);
        }
        res.end();
        return;
      }
      case "connection-reset":
        note(entry, `fault: connection reset after ${entry.streamEvents!.length} events`);
        await transport.resetConnection(req, true);
        return;
      default:
        res.end();
    }
  }

  const port = await transport.listen(options.port ?? 0, host);
  const urlHost = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "[::1]" : host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    close: () => transport.close().finally(() => cassette?.close()),
    openConnections: () => transport.openConnections(),
    setScript: (replies) => script.set(checkedScript(replies)),
    pushScript: (...replies) => script.push(checkedScript(replies)),
    script: () => script.list(),
    addFault: (spec) => faults.add(spec),
    removeFault: (id) => faults.remove(id),
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    requests: () => log.list(),
    addInferenceProfile: (key, config) => profiles.add(key, config),
    guardrailPolicy: () => getGuardrailPolicy(),
    setGuardrailPolicy: (update) => setGuardrailPolicy(update),
    reset: () => state.reset(),
  };
}

function note(entry: LoggedRequest, text: string): void {
  (entry.notes ??= []).push(text);
}

function checkedScript(replies: ScriptReply[]): ScriptReply[] {
  const parsed = parseScript(replies);
  if (!parsed.ok) throw new TypeError(parsed.message);
  return parsed.replies;
}

;
