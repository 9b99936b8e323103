// startEmulator(): wires transport, routing, body intake, auth, faults, validation, script/model and
// the wire encoders into one request handler, and returns the programmatic control surface.
//
// `handle` is the pipeline; each named step below answers the request or hands it on. For a runtime
// request: route -> body intake (size) -> auth (strict mode only) -> record/replay, if on -> JSON
// parse (once: here or on the worker thread) -> faults (latency, error, connection-reset) ->
// validation -> scripted reply, backend or default model -> response (stream faults fire while the
// stream is written; stream-response.ts). Response writers live in respond.ts.
import { randomUUID } from "node:crypto";
import { type AdminTarget, handleAdmin } from "./admin.js";
import { allowedAdminHosts, checkAdminAccess } from "./admin-access.js";
import { checkAuth } from "./auth.js";
import { createBackend, type BackendEmulatorOptions } from "./backend/index.js";
import { createCassetteHandler, type CassetteOptions } from "./cassette/index.js";
import { bodyTooLarge, DEFAULT_MAX_BODY_BYTES, parseJsonBody, readBody } from "./body.js";
import { DEFAULT_INFERENCE_PROFILES, InferenceProfileStore, type InferenceProfile, type InferenceProfileConfig } from "./control-plane.js";
import { FaultInjector, faultErrorType, type Fault, type FaultSpec } from "./faults.js";
import {
  CacheStore,
  checkGuardrailPolicyUpdate,
  countOutputTokens,
  countTokens,
  generateResponse,
  GuardrailPolicyStore,
  type GuardrailPolicy,
} from "./model/index.js";
import { withFamilyFields } from "./model/family-fields.js";
import { answerRemote, dropRemote, OFFLOAD_MIN_BYTES, parseRemote, takeRemote } from "./offload.js";
import { finishResponse } from "./offload-jobs.js";
import { addNote, redactHeaders, redactPath, RequestLog, type LoggedRequest } from "./request-log.js";
import { gone, pause, sendError, sendJson, type Exchange } from "./respond.js";
import { route, type Route } from "./router.js";
import { parseScript, ScriptQueue, scriptErrorType, scriptReplyToResponse, type ScriptReply } from "./script.js";
import { createStreamWriter } from "./stream-response.js";
import { createTransport, type AnyRequest, type AnyResponse, type TransportLimits } from "./transport.js";
import type { AwsErrorSpec, ConverseRequest, ConverseResponse, CountTokensRequest, Operation } from "./types.js";
import { validateRequestDetailed } from "./validate/index.js";
import { awsError, toStreamExceptionType } from "./wire/errors.js";
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
  /**
   * This emulator's guardrail policy at start-up, as changes to the default (same members as
   * setGuardrailPolicy). reset() restores it. Each emulator has its own policy.
   */
  guardrailPolicy?: Partial<GuardrailPolicy>;
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
   * This emulator's guardrail policy (blocked words, denied topics, content filters), read by the
   * default model. Other emulators in the process have their own.
   */
  guardrailPolicy(): GuardrailPolicy;
  /** Changes part of this emulator's guardrail policy (and no other emulator's). */
  setGuardrailPolicy(update: Partial<GuardrailPolicy>): void;
  /** Clears script, faults, log and prompt cache; restores the start-up profiles and guardrail policy. */
  reset(): void;
}

type RuntimeRoute = Extract<Route, { kind: "runtime" }>;

/** A runtime body parsed once: here (`json`), or on the worker thread, which keeps the value (`remote`). */
type ParsedBody = { json: unknown; remote?: undefined } | { remote: number; hasCachePoint: boolean };

/** The model call a runtime request asks for. */
interface RuntimeCall {
  operation: Operation;
  /** As in the path (validation sees it as sent). */
  modelId: string;
  /** The base model behind a known inference profile, else modelId. */
  resolvedModelId: string;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  const padding = options.padding ?? true;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const logLine = options.log === true ? (line: string) => console.log(line) : typeof options.log === "function" ? options.log : undefined;

  const script = new ScriptQueue();
  const faults = new FaultInjector(options.seed ?? 42);
  const log = new RequestLog(options.maxLoggedRequests ?? 1000, {
    maxBytes: options.maxLoggedBytes,
    maxBodyBytes: options.maxLoggedBodyBytes,
  });
  if (options.adminToken !== undefined && (typeof options.adminToken !== "string" || options.adminToken.length < 8)) {
    throw new TypeError("adminToken must be a string of at least 8 characters.");
  }
  const adminAccess = { token: options.adminToken, requireAuth: options.requireAuth ?? false, boundHost: host };
  const adminHosts = allowedAdminHosts(host);
  const profiles = new InferenceProfileStore({ ...DEFAULT_INFERENCE_PROFILES, ...(options.inferenceProfiles ?? {}) });
  // Each emulator has its own prompt cache, so parallel test servers never see each other's prefixes.
  const cache = new CacheStore();
  // Likewise its own guardrail policy.
  const guardrails = new GuardrailPolicyStore(checkedGuardrailPolicy(options.guardrailPolicy));
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
    guardrails,
    reset() {
      script.clear();
      faults.clear();
      log.clear();
      profiles.reset();
      cache.clear();
      guardrails.reset();
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

  const writeStream = createStreamWriter({
    padding,
    eventDelayMs: options.streamEventDelayMs ?? 0,
    resetConnection: (req, flush) => transport.resetConnection(req, flush),
    closedByFault,
  });

  function onBug(res: AnyResponse, err: unknown): void {
    // A bug must never take the process down or leave the client hanging.
    const requestId = String(res.getHeader("x-amzn-requestid") ?? randomUUID());
    if (process.env.BEDROCK_EMULATOR_DEBUG) console.error(err);
    if (!res.headersSent && !gone(res)) sendError(res, requestId, awsError("InternalServerException"));
    else if (!res.writableEnded) res.destroy();
  }

  const fail = (x: Exchange, spec: AwsErrorSpec) => sendError(x.res, x.requestId, spec, x.entry);
  const reply = (x: Exchange, status: number, body: unknown) => sendJson(x.res, x.requestId, status, body, x.entry);

  /** Every request, in the order the README documents. Each step answers the request or hands on. */
  async function handle(req: AnyRequest, res: AnyResponse): Promise<void> {
    const target = route(req.method ?? "GET", req.url ?? "/");
    const x = openExchange(req, res, target.kind !== "admin");
    const raw = await receiveBody(x);
    if (!raw) return;
    if (target.kind === "admin") return serveAdmin(x, target.path, raw);
    if (target.kind === "unknown") return serveUnknownOperation(x, target.reason);
    const authError = checkAuth(req.headers, options.requireAuth ?? false);
    if (authError) return fail(x, authError);
    if (cassette) return cassette.serve(req, res, target, raw, x.requestId, x.entry);
    if (target.kind === "inference-profile") return serveInferenceProfile(x, target.identifier);
    return serveRuntime(x, target, raw);
  }

  /** Gives the request its id and log entry; the entry is completed (duration, aborted) when the response closes. */
  function openExchange(req: AnyRequest, res: AnyResponse, logged: boolean): Exchange {
    const started = Date.now();
    const method = req.method ?? "GET";
    const loggedPath = redactPath(req.url ?? "/");
    const entry: LoggedRequest = {
      id: randomUUID(),
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
        addNote(
          entry,
          sent === undefined
            ? "client closed the connection before the response was sent"
            : `client closed the connection after ${sent} stream events`,
        );
      }
      logLine?.(`${method} ${loggedPath} ${entry.status ?? "-"}${entry.aborted ? " (aborted)" : ""} ${entry.durationMs}ms`);
    });
    if (logged) log.add(entry);
    return { req, res, requestId: entry.id, entry };
  }

  /** The whole body, or undefined once answered (too large) or when the client aborted the upload. */
  async function receiveBody(x: Exchange): Promise<Buffer | undefined> {
    let body: Awaited<ReturnType<typeof readBody>>;
    try {
      body = await readBody(x.req, maxBodyBytes);
    } catch {
      return undefined; // the client aborted the upload; nothing to answer
    }
    if (body.tooLarge) return void fail(x, bodyTooLarge(body.size, maxBodyBytes));
    return body.raw;
  }

  function contentTypeOf(x: Exchange): string | undefined {
    const value = x.req.headers["content-type"];
    return typeof value === "string" ? value : undefined;
  }

  function serveAdmin(x: Exchange, path: string, raw: Buffer): void {
    const method = x.req.method ?? "GET";
    const facts = { method, headers: x.req.headers, remoteAddress: transport.remoteAddress(x.req), bodyBytes: raw.length };
    const refused = checkAdminAccess(adminAccess, facts, adminHosts, port);
    if (refused) {
      fail(x, refused);
      return;
    }
    const parsed = parseJsonBody(raw, contentTypeOf(x));
    if (!parsed.ok) {
      fail(x, parsed.error);
      return;
    }
    const result = handleAdmin(state, method, path, parsed.json);
    if ("error" in result) {
      fail(x, result.error);
      return;
    }
    reply(x, result.status, result.body);
  }

  function serveUnknownOperation(x: Exchange, reason: Extract<Route, { kind: "unknown" }>["reason"]): void {
    // Trap AUTH-2: an ARN with a literal "/" gets HTTP 200 and a Coral UnknownOperationException body.
    if (reason === "unencoded-slash") {
      reply(x, 200, { Output: { __type: "com.amazon.coral.service#UnknownOperationException" }, Version: "1.0" });
    }
    const message =
      reason === "encoding"
        ? "The request path contains an invalid percent-encoding."
        : `No operation matches ${x.req.method ?? "GET"} ${(x.req.url ?? "/").split("?")[0]}.`;
    fail(x, awsError("UnknownOperationException", message));
  }

  function serveInferenceProfile(x: Exchange, identifier: string): void {
    x.entry.operation = "get-inference-profile";
    const profile = profiles.get(identifier);
    if (!profile) {
      fail(x, awsError("ResourceNotFoundException", `Inference profile ${identifier} not found.`));
      return;
    }
    reply(x, 200, profile);
  }

  /** Converse, ConverseStream, CountTokens: parse, faults, (worker), validation, then the answer. */
  async function serveRuntime(x: Exchange, { operation, modelId }: RuntimeRoute, raw: Buffer): Promise<void> {
    x.entry.operation = operation;
    x.entry.modelId = modelId;
    const parsed = await parseRuntimeBody(x, raw);
    if (!parsed) return;
    const faulted = await applyRequestFaults(x, operation, modelId);
    if (faulted.answered) return;
    // The validator sees the id as sent (an application profile ARN is a valid address even for
    // models that refuse on-demand ids); the model runs on the base model behind a known profile.
    const call: RuntimeCall = { operation, modelId, resolvedModelId: profiles.resolveModelId(modelId) };
    let json: unknown;
    if (parsed.remote === undefined) json = parsed.json;
    else {
      const fromWorker = await answerOnWorker(x, call, parsed, faulted.streamFault);
      if (fromWorker.answered) return;
      json = fromWorker.json;
    }
    const validated = validateRequestDetailed(operation, modelId, json, {
      resolveProfile,
      strictModels: options.strictModels,
      strictSignatures: options.strictSignatures,
    });
    if (!validated.ok) return fail(x, validated.error);
    if (operation === "count-tokens")
      return reply(x, 200, { inputTokens: countTokens(validated.value as CountTokensRequest, call.resolvedModelId) });
    return answerConverse(x, call, validated.value as ConverseRequest, validated.model.provider, faulted.streamFault);
  }

  /**
   * Parses the body exactly once and logs it. A large body is parsed on a worker thread (which keeps
   * the parsed value, see offload.ts), so it does not stall other clients; otherwise, or if the
   * worker is unavailable, it is parsed here and the log reuses the value.
   */
  async function parseRuntimeBody(x: Exchange, raw: Buffer): Promise<ParsedBody | undefined> {
    const contentType = contentTypeOf(x);
    const large = raw.length >= OFFLOAD_MIN_BYTES;
    if (large) {
      // Read before the bytes move to the worker: the log keeps a preview, and the worker has no prompt cache.
      log.setBody(x.entry, raw);
      const hasCachePoint = raw.includes('"cachePoint"');
      const r = await parseRemote(raw, contentType);
      if (r && !r.ok) return void fail(x, r.error);
      if (r) {
        const ref = r.ref;
        x.res.once("close", () => dropRemote(ref));
        return { remote: ref, hasCachePoint };
      }
    }
    const parsed = parseJsonBody(raw, contentType);
    if (!large) log.setBody(x.entry, raw, parsed.ok ? { json: parsed.json } : undefined);
    if (!parsed.ok) return void fail(x, parsed.error);
    return { json: parsed.json };
  }

  /**
   * Faults come after routing and parsing and before validation, like service-side throttling.
   * Either a fault answered the request, or the request goes on, with the fault to fire mid-stream if any.
   */
  async function applyRequestFaults(
    x: Exchange,
    operation: Operation,
    modelId: string,
  ): Promise<{ answered: true } | { answered: false; streamFault?: Fault }> {
    const fired = faults.take(operation, modelId);
    for (const fault of fired) {
      addNote(x.entry, `fault: ${fault.kind} (${fault.id})`);
      x.entry.faults ??= [];
      x.entry.faults.push(fault.kind);
      if (fault.kind === "latency") await pause(fault.delayMs ?? 1000, x.res);
    }
    if (gone(x.res)) return { answered: true };
    let streamFault: Fault | undefined;
    for (const fault of fired) {
      if (fault.kind === "error") {
        const spec = awsError(faultErrorType(fault), fault.message);
        fail(x, fault.status ? { ...spec, status: fault.status } : spec);
        return { answered: true };
      }
      if (fault.kind === "connection-reset" && (operation !== "converse-stream" || fault.afterEvents === undefined)) {
        closedByFault.add(x.entry);
        await transport.resetConnection(x.req);
        return { answered: true };
      }
      if (fault.kind !== "latency") streamFault = fault;
    }
    return { answered: false, streamFault };
  }

  /**
   * A body the worker parsed is answered there too, unless the script or the prompt cache is in play
   * (the worker has neither): then the worker hands the parsed value back, and it is answered here.
   */
  async function answerOnWorker(
    x: Exchange,
    call: RuntimeCall,
    parsed: { remote: number; hasCachePoint: boolean },
    streamFault: Fault | undefined,
  ): Promise<{ answered: true } | { answered: false; json: unknown }> {
    const answer =
      script.list().length === 0 && !parsed.hasCachePoint
        ? await answerRemote(parsed.remote, {
            ...call,
            profileTarget: resolveProfile(call.modelId),
            policy: guardrails.current(),
            strictModels: options.strictModels,
            strictSignatures: options.strictSignatures,
          })
        : undefined;
    if (gone(x.res)) return { answered: true };
    if (answer) {
      addNote(x.entry, "large body: parsed and answered on a worker thread");
      if ("error" in answer) fail(x, answer.error);
      else if ("inputTokens" in answer) reply(x, 200, { inputTokens: answer.inputTokens });
      else {
        x.entry.scripted = false;
        if ("bytes" in answer) reply(x, 200, answer.bytes);
        else
          await writeStream(
            x,
            responseToStreamEvents(answer.response, { chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE }),
            streamFault,
          );
      }
      return { answered: true };
    }
    const taken = await takeRemote(parsed.remote);
    if (taken) return { answered: false, json: taken.json };
    fail(x, awsError("InternalServerException", "The emulator's worker thread failed while handling this large request. Try again."));
    return { answered: true };
  }

  /** Converse / ConverseStream: a scripted reply, else the OpenAI backend, else the default model. */
  async function answerConverse(
    x: Exchange,
    call: RuntimeCall,
    request: ConverseRequest,
    provider: string,
    streamFault: Fault | undefined,
  ): Promise<void> {
    const { operation, resolvedModelId } = call;
    const scripted = script.take(request);
    x.entry.scripted = scripted !== undefined;
    if (!scripted && backend) return backend.serve({ operation, modelId: resolvedModelId, request }, x.res, x.requestId, x.entry, padding);
    if (scripted?.delayMs) await pause(scripted.delayMs, x.res);
    if (gone(x.res)) return;
    if (scripted?.error) return sendScriptedError(x, operation, scripted);

    const started = Date.now();
    let response: ConverseResponse;
    if (scripted) {
      const inputTokens = countTokens({ input: { converse: request } }, resolvedModelId);
      // Output counts the reply's content only (no prompt template).
      response = scriptReplyToResponse(scripted, inputTokens, (content) => countOutputTokens(content));
    } else {
      const generated = generateResponse(
        { operation, modelId: resolvedModelId, request },
        { cache, guardrailPolicy: guardrails.current() },
      );
      response = withFamilyFields(generated, provider, operation);
    }
    finishResponse(response, request, started);

    if (operation === "converse") return reply(x, 200, response);
    const events = responseToStreamEvents(response, { chunkSize: scripted?.chunkSize ?? options.chunkSize ?? DEFAULT_CHUNK_SIZE });
    return writeStream(x, events, streamFault);
  }

  /** A scripted error: an HTTP error, except a stream-only exception on a stream, which comes mid-stream. */
  async function sendScriptedError(x: Exchange, operation: Operation, scripted: ScriptReply): Promise<void> {
    const error = scripted.error;
    if (!error) return;
    const streamOnly = toStreamExceptionType(error.type) === "modelStreamErrorException";
    if (!(streamOnly && operation === "converse-stream")) {
      const spec = awsError(scriptErrorType(scripted), error.message);
      return fail(x, error.status ? { ...spec, status: error.status } : spec);
    }
    const events: StreamEvent[] = [{ type: "messageStart", payload: { role: "assistant" } }];
    return writeStream(x, events, {
      kind: "stream-exception",
      id: "script",
      fired: 1,
      afterEvents: 1,
      errorType: "modelStreamErrorException",
      message: error.message,
    });
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
    guardrailPolicy: () => guardrails.get(),
    setGuardrailPolicy: (update) => guardrails.set(update),
    reset: () => state.reset(),
  };
}

function checkedScript(replies: ScriptReply[]): ScriptReply[] {
  const parsed = parseScript(replies);
  if (!parsed.ok) throw new TypeError(parsed.message);
  return parsed.replies;
}

function checkedGuardrailPolicy(policy: Partial<GuardrailPolicy> | undefined): Partial<GuardrailPolicy> {
  if (policy === undefined) return {};
  const problem = checkGuardrailPolicyUpdate(policy);
  if (problem) throw new TypeError(`guardrailPolicy: ${problem}`);
  return policy;
}
