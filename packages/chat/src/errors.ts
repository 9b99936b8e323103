// Every error this package raises, in one place: the classes, the one table of Bedrock's exception
// types, the mapping from what the SDK throws (before and inside a stream) and secret redaction.
// Messages say what went wrong and what to do; no secret ever reaches one.

/** What the service model and the SDK's retry strategy say about each Bedrock Runtime exception. */
interface ExceptionFacts {
  /** HTTP status of the error response. */
  status: number;
  /** Calling again may succeed (the SDK retries these before a stream starts). */
  retryable: boolean;
  /** May also arrive as an event inside a ConverseStream; raised as BedrockStreamError there. */
  inStream?: true;
}

/** Bedrock Runtime's exception types (Converse, ConverseStream, CountTokens, and the stream's event union). */
export const BEDROCK_EXCEPTIONS = {
  ValidationException: { status: 400, retryable: false, inStream: true },
  AccessDeniedException: { status: 403, retryable: false },
  ResourceNotFoundException: { status: 404, retryable: false },
  ModelTimeoutException: { status: 408, retryable: false },
  ModelErrorException: { status: 424, retryable: false },
  ModelStreamErrorException: { status: 424, retryable: false, inStream: true },
  ThrottlingException: { status: 429, retryable: true, inStream: true },
  ModelNotReadyException: { status: 429, retryable: true },
  ServiceQuotaExceededException: { status: 400, retryable: false },
  InternalServerException: { status: 500, retryable: true, inStream: true },
  ServiceUnavailableException: { status: 503, retryable: true, inStream: true },
} as const satisfies Record<string, ExceptionFacts>;

type BedrockExceptionType = keyof typeof BEDROCK_EXCEPTIONS;
type InStream<T> = T extends { inStream: true } ? true : false;
/** The exceptions a ConverseStream event can carry, e.g. "ThrottlingException". */
export type StreamExceptionType = {
  [K in BedrockExceptionType]: InStream<(typeof BEDROCK_EXCEPTIONS)[K]> extends true ? K : never;
}[BedrockExceptionType];
/** Their member names in the event union, e.g. "throttlingException". */
export type StreamExceptionMember = Uncapitalize<StreamExceptionType>;

/** The table's key for an exception name in either spelling: "ThrottlingException", or the event member "throttlingException". */
function exceptionType(name: string): BedrockExceptionType | undefined {
  const key = `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  return Object.hasOwn(BEDROCK_EXCEPTIONS, key) ? (key as BedrockExceptionType) : undefined;
}

function factsOf(name: string): ExceptionFacts | undefined {
  const type = exceptionType(name);
  return type ? BEDROCK_EXCEPTIONS[type] : undefined;
}

/** The event-union member names of the stream exceptions, derived from the table. */
export const STREAM_EXCEPTION_MEMBERS: readonly StreamExceptionMember[] = (Object.keys(BEDROCK_EXCEPTIONS) as BedrockExceptionType[])
  .filter((type) => (BEDROCK_EXCEPTIONS[type] as ExceptionFacts).inStream)
  .map((type) => `${type.charAt(0).toLowerCase()}${type.slice(1)}` as StreamExceptionMember);

export interface BedrockErrorDetails {
  /** The AWS exception name, e.g. "ThrottlingException". */
  awsErrorType?: string;
  status?: number;
  requestId?: string;
  /** Attempts the SDK made, retries included. */
  attempts?: number;
  retryable?: boolean;
  modelId?: string;
  cause?: unknown;
}

/** Base class of every error this package raises. */
export class BedrockConverseError extends Error {
  readonly awsErrorType?: string;
  readonly status?: number;
  readonly requestId?: string;
  readonly attempts?: number;
  readonly retryable: boolean;
  readonly modelId?: string;

  constructor(message: string, details: BedrockErrorDetails = {}, name?: string) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = name ?? details.awsErrorType ?? "BedrockConverseError";
    this.awsErrorType = details.awsErrorType;
    this.status = details.status;
    this.requestId = details.requestId;
    this.attempts = details.attempts;
    this.retryable = details.retryable ?? false;
    this.modelId = details.modelId;
  }

  /** Serializable view without the cause chain (which may hold SDK internals). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      awsErrorType: this.awsErrorType,
      status: this.status,
      requestId: this.requestId,
      attempts: this.attempts,
      retryable: this.retryable,
      modelId: this.modelId,
    };
  }
}

/** Invalid constructor or call configuration, raised before any request. */
export class BedrockConfigError extends BedrockConverseError {
  constructor(message: string) {
    super(message, {}, "BedrockConfigError");
  }
}

/** A stream that stopped sending for longer than streamIdleTimeout, or a request past `timeout`. */
export class BedrockTimeoutError extends BedrockConverseError {
  constructor(message: string, details: BedrockErrorDetails = {}) {
    super(message, { retryable: true, ...details }, "BedrockTimeoutError");
  }
}

/**
 * The connection to Bedrock failed before an answer arrived (reset, refused, closed early). The SDK
 * retries these within maxRetries; this is raised once they are spent.
 */
export class BedrockConnectionError extends BedrockConverseError {
  /** The Node.js error code, e.g. "ECONNRESET". */
  readonly code?: string;
  constructor(message: string, details: BedrockErrorDetails & { code?: string } = {}) {
    super(message, { retryable: true, ...details }, "BedrockConnectionError");
    this.code = details.code;
  }
}

/** A configuration the selected model cannot accept (Python raises ValueError for these). */
export class BedrockCapabilityError extends BedrockConverseError {
  override name = "BedrockCapabilityError";
}

/** A tool definition this module cannot read. */
export class BedrockToolFormatError extends BedrockConverseError {
  override name = "BedrockToolFormatError";
}

/** The requested tool_choice is not supported by the model (Python raises ValueError). */
export class BedrockToolChoiceError extends BedrockConverseError {
  override name = "BedrockToolChoiceError";
  constructor(
    message: string,
    readonly requested: string,
    readonly supported: readonly string[],
  ) {
    super(message);
  }
}

/** withStructuredOutput was given a method it does not know. */
export class StructuredOutputMethodError extends BedrockConverseError {
  override name = "StructuredOutputMethodError";
}

/** withStructuredOutput was given something that is not a schema (zod, standard schema or JSON schema). */
export class StructuredOutputSchemaError extends BedrockConverseError {
  override name = "StructuredOutputSchemaError";
}

/** A `responseFormat` call option that is not `{type: "json_schema", json_schema: {schema, ...}}`. */
export class ResponseFormatError extends BedrockConverseError {
  override name = "ResponseFormatError";
}

/** Machine-readable reason codes of {@link BedrockInputError}. */
export type BedrockInputErrorCode =
  | "UNSUPPORTED_MESSAGE_TYPE"
  | "UNSUPPORTED_CONTENT_BLOCK"
  | "UNSUPPORTED_MIME_TYPE"
  | "INVALID_MIME_TYPE"
  | "MISSING_MIME_TYPE"
  | "UNSUPPORTED_SOURCE"
  | "INVALID_BLOCK"
  | "INVALID_DOCUMENT_NAME"
  | "DUPLICATE_DOCUMENT_NAME"
  | "PREFILL_WITH_TOOLS"
  | "IMAGE_TOO_LARGE";

/** A LangChain message or content block that cannot be expressed as a Bedrock Converse request. */
export class BedrockInputError extends BedrockConverseError {
  override readonly name = "BedrockInputError";
  readonly code: BedrockInputErrorCode;
  constructor(code: BedrockInputErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** A Converse response that cannot be turned into an AIMessage (for example no `output`). */
export class BedrockResponseError extends BedrockConverseError {
  override readonly name = "BedrockResponseError";
  readonly code: "MISSING_OUTPUT";
  constructor(code: "MISSING_OUTPUT", message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * An exception event in the middle of a ConverseStream (throttling, a model stream error, ...). Its
 * `name` is the exception's, e.g. "ThrottlingException", as for the same error before the stream.
 */
export class BedrockStreamError extends BedrockConverseError {
  override readonly awsErrorType: StreamExceptionType;
  /** Always true: content received before the exception was already delivered. */
  readonly partial = true as const;
  /** The raw exception payload of the event (e.g. `originalStatusCode` of a model stream error). */
  readonly details: Record<string, unknown>;
  constructor(awsErrorType: StreamExceptionType, message: string, details: Record<string, unknown> = {}, info: BedrockErrorDetails = {}) {
    const facts = BEDROCK_EXCEPTIONS[awsErrorType];
    super(message, { status: facts.status, retryable: facts.retryable, ...info, awsErrorType });
    this.awsErrorType = awsErrorType;
    this.details = details;
  }

  /** Builds the error from a stream event member such as `throttlingException: {message}`. */
  static fromEvent(member: StreamExceptionMember, payload: unknown, info: BedrockErrorDetails = {}): BedrockStreamError {
    const details = payload && typeof payload === "object" ? (payload as Record<string, unknown>) : {};
    const type = exceptionType(member) as StreamExceptionType;
    const text = typeof details.message === "string" && details.message ? details.message : "no message";
    return new BedrockStreamError(type, streamExceptionMessage(type, text, info.requestId), details, info);
  }
}

function streamExceptionMessage(type: StreamExceptionType, text: string, requestId?: string): string {
  return (
    `Bedrock ConverseStream sent ${type} after the stream started: ${text.replace(/\.+$/, "")}. ` +
    "The content received so far was already yielded; " +
    (BEDROCK_EXCEPTIONS[type].retryable ? "retry the call." : "fix the request before retrying.") +
    (requestId ? ` (request id ${requestId})` : "")
  );
}

/** The stream ended (the connection closed, a frame was corrupted) before Bedrock sent `messageStop`. */
export class StreamIncompleteError extends BedrockConverseError {
  override readonly name = "StreamIncompleteError";
  readonly partial = true as const;
  constructor(
    message = "The Bedrock ConverseStream ended before messageStop; the reply is incomplete. " +
      "The content received so far was already yielded; retry the call to get a complete reply.",
  ) {
    // A cut-off stream is transient: calling again can give the whole reply.
    super(message, { retryable: true });
  }
}

/** Node.js error codes of a connection that failed (not a timeout). */
const CONNECTION_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
]);

/** Whether an error is a transport failure (connection reset, refused, ...) rather than an AWS answer. */
function isConnectionFailure(err: unknown): boolean {
  const e = (err ?? {}) as AwsLikeError;
  if (e.$metadata?.httpStatusCode !== undefined || e.$fault !== undefined) return false;
  return (
    (typeof e.code === "string" && (CONNECTION_CODES.has(e.code) || e.code.startsWith("ERR_HTTP2_"))) ||
    /socket hang up/i.test(String(e.message ?? ""))
  );
}

interface AwsLikeError {
  name?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
  $response?: { statusCode?: number };
  code?: string;
}

export interface ErrorContext {
  modelId: string;
  region?: string;
  operation: "Converse" | "ConverseStream" | "CountTokens" | "GetInferenceProfile";
  secrets?: (string | undefined)[];
}

function advice(type: string, raw: string, ctx: ErrorContext, attempts?: number): string {
  const where = ctx.region ? ` in region ${ctx.region}` : "";
  const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : "";
  switch (type) {
    case "ValidationException":
      if (/on-demand throughput isn.t supported/i.test(raw)) {
        return `Model ${ctx.modelId} cannot be invoked on demand by its plain id. Use a cross-region inference profile id (for example "us.${ctx.modelId.replace(/^[a-z-]+\.(?=[a-z]+\.)/, "")}") or an inference profile ARN as model.`;
      }
      if (/model identifier is invalid/i.test(raw)) {
        return `"${ctx.modelId}" is not a model id Bedrock knows${where}. Check the spelling, the region, and that the model is offered there (aws bedrock list-foundation-models).`;
      }
      if (/doesn.t support counting tokens/i.test(raw)) {
        return `CountTokens is not available for ${ctx.modelId}; it supports bare Anthropic Claude model ids only.`;
      }
      return "Bedrock rejected the request as invalid; fix the input named above and try again.";
    case "AccessDeniedException":
      return `Your credentials were denied for ${ctx.modelId}${where}. Enable access to this model in the Bedrock console (Model access) and allow bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on it in IAM.`;
    case "ResourceNotFoundException":
      return `Bedrock could not find ${ctx.modelId}${where}. Check the model id, the region, and whether the model version has reached end of life.`;
    case "ThrottlingException":
      return `Bedrock throttled the request${tries}. Retry later, raise maxRetries, or ask for a higher quota in Service Quotas.`;
    case "ServiceQuotaExceededException":
      return "A Bedrock quota was exceeded. Ask for a higher quota in Service Quotas or try again later.";
    case "ModelNotReadyException":
      return `The model is not ready to serve requests yet${tries}. Retry in a little while.`;
    case "ModelTimeoutException":
      return "The model took too long to process the request. Retry, or send a shorter input or a smaller maxTokens.";
    case "ModelErrorException":
      return "The model failed while processing the request. Retry; if it persists, check the input.";
    case "InternalServerException":
    case "ServiceUnavailableException":
      return `Bedrock had a transient failure${tries}. Retry later or raise maxRetries.`;
    case "UnrecognizedClientException":
    case "InvalidSignatureException":
    case "ExpiredTokenException":
      return "The AWS credentials were rejected. Check the access key, secret key and session token (or refresh expired credentials).";
    case "CredentialsProviderError":
      return "No AWS credentials were found. Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK or bedrockApiKey), or pass credentials.";
    default:
      return "";
  }
}

/**
 * Credentials recognizable by their shape even when we were not given them: AWS access key ids,
 * Bedrock API keys, STS session tokens.
 */
const SECRET_PATTERNS = [
  /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
  /\bABSK[A-Za-z0-9+/=_-]{16,}/g,
  /\b(?:FwoGZXIvYXdz|IQoJb3JpZ2lu)[A-Za-z0-9+/=]{16,}/g,
];

/** Replace every known secret value, and anything shaped like an AWS credential, in a text. */
export function redactSecrets(text: string, secrets: (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join("[REDACTED]");
  }
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, "[REDACTED]");
  return out;
}

/**
 * Redacts secrets in place in an error we keep as `cause`: its message, stack and string members
 * (the SDK copies the response body, e.g. `Message`, onto its exceptions), one level of nesting deep.
 */
function scrubError(err: unknown, secrets: (string | undefined)[] = []): void {
  if (!err || typeof err !== "object") return;
  const scrub = (obj: Record<string, unknown>, depth: number) => {
    for (const key of Object.getOwnPropertyNames(obj)) {
      const desc = Object.getOwnPropertyDescriptor(obj, key);
      if (!desc || !("value" in desc)) continue;
      const v = desc.value;
      if (typeof v === "string") {
        const clean = redactSecrets(v, secrets);
        if (clean !== v && desc.writable) obj[key] = clean;
        else if (clean !== v && desc.configurable) Object.defineProperty(obj, key, { ...desc, value: clean });
      } else if (v && typeof v === "object" && depth > 0 && key !== "$response") {
        scrub(v as Record<string, unknown>, depth - 1);
      }
    }
  };
  scrub(err as Record<string, unknown>, 1);
}

/** Turns anything the SDK throws into a BedrockConverseError (abort errors pass through untouched). */
export function toBedrockError(err: unknown, ctx: ErrorContext): Error {
  if (err instanceof BedrockConverseError) {
    // e.g. a BedrockStreamError built from an exception event whose message echoes a credential
    scrubError(err, ctx.secrets);
    return err;
  }
  const e = (err ?? {}) as AwsLikeError;
  const name = e.name ?? "Error";
  if (name === "AbortError") return err as Error;
  const raw = redactSecrets(String(e.message ?? err), ctx.secrets);
  // The SDK's error stays reachable as `cause` (util.inspect prints it): redact it as well.
  scrubError(err, ctx.secrets);
  const meta = e.$metadata ?? {};
  const attempts = meta.attempts;
  if (/Region is missing/i.test(raw)) {
    return new BedrockConfigError(
      "No AWS region is set. Pass regionName (or region), set AWS_REGION / AWS_DEFAULT_REGION, or use a profile with a region.",
    );
  }
  // The SDK's HTTP handler names a reset connection "TimeoutError" too; it is not one.
  if (isConnectionFailure(err)) {
    return new BedrockConnectionError(
      `${ctx.operation} to ${ctx.modelId} lost its connection to Bedrock${e.code ? ` (${e.code})` : ""}: ${raw}.` +
        `${attempts && attempts > 1 ? ` Gave up after ${attempts} attempts.` : ""} Check the network or endpoint, retry, or raise maxRetries.`,
      { cause: err, modelId: ctx.modelId, attempts, code: e.code },
    );
  }
  if (name === "TimeoutError" || name === "RequestTimeout" || (e.code && /^(ETIMEDOUT|ESOCKETTIMEDOUT)$/.test(e.code))) {
    return new BedrockTimeoutError(`${ctx.operation} to ${ctx.modelId} timed out: ${raw.replace(/\.+$/, "")}. Raise timeout or retry.`, {
      cause: err,
      modelId: ctx.modelId,
      attempts,
    });
  }
  const status = meta.httpStatusCode ?? e.$response?.statusCode;
  const tip = advice(name, raw, ctx, attempts);
  // AWS texts often lack a final stop ("...pre-defined prefix"): end that sentence before ours begins.
  const separator = /[.!?]["')\]]?$/.test(raw.trimEnd()) ? " " : ". ";
  const message = `${raw.trimEnd()}${tip ? `${separator}${tip}` : ""}${meta.requestId ? ` (request id ${meta.requestId})` : ""}`;
  return new BedrockConverseError(message, {
    awsErrorType: name,
    status,
    requestId: meta.requestId,
    attempts,
    retryable: factsOf(name)?.retryable === true || (status !== undefined && status >= 500),
    modelId: ctx.modelId,
    cause: err,
  });
}

/**
 * A stream broken by the transport rather than by Bedrock: the connection dropped mid-stream, or a
 * frame failed its checksum. The reply is incomplete (and the SDK does not retry a started stream).
 */
function brokenStreamError(e: unknown, modelId: string): StreamIncompleteError | undefined {
  const message = String((e as { message?: unknown } | undefined)?.message ?? e);
  let what: string;
  if (isConnectionFailure(e) || (e as { code?: unknown } | undefined)?.code === "ECONNRESET" || /^aborted$/.test(message)) {
    const code = (e as { code?: unknown } | undefined)?.code;
    what = `the connection to Bedrock was lost mid-stream (${typeof code === "string" ? code : message})`;
  } else if (/checksum|prelude|event ?stream|message length|headers length/i.test(message) && !(e as { $metadata?: unknown }).$metadata) {
    what = `the ConverseStream from ${modelId} sent a corrupted event frame (${message})`;
  } else {
    return undefined;
  }
  const err = new StreamIncompleteError(
    `${what[0].toUpperCase()}${what.slice(1)} before messageStop; the reply is incomplete. ` +
      "The content received so far was already yielded; retry the call to get a complete reply.",
  );
  Object.defineProperty(err, "cause", { value: e, enumerable: false, configurable: true, writable: true });
  return err;
}

/**
 * What the SDK (or our event-stream decoder) throws after a ConverseStream started, as the error the
 * caller gets: an exception event → BedrockStreamError named after it; a lost connection or a corrupt
 * frame → StreamIncompleteError; anything else as toBedrockError maps it, marked `partial`.
 */
export function toStreamError(err: unknown, ctx: ErrorContext & { requestId?: string }): Error {
  const broken = brokenStreamError(err, ctx.modelId);
  if (broken) return broken;
  const e = (err ?? {}) as AwsLikeError;
  const type = e.name ? exceptionType(e.name) : undefined;
  if (type && (BEDROCK_EXCEPTIONS[type] as ExceptionFacts).inStream && !(err instanceof BedrockConverseError)) {
    scrubError(err, ctx.secrets);
    const text = redactSecrets(String(e.message || "no message"), ctx.secrets);
    const details: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(err as Record<string, unknown>)) {
      if (key !== "name" && key !== "$fault" && key !== "$metadata" && key !== "$response") details[key] = value;
    }
    const streamType = type as StreamExceptionType;
    return new BedrockStreamError(streamType, streamExceptionMessage(streamType, text, ctx.requestId), details, {
      requestId: ctx.requestId,
      modelId: ctx.modelId,
      cause: err,
    });
  }
  const mapped = toBedrockError(err, ctx);
  if (mapped instanceof BedrockConverseError && !("partial" in mapped)) {
    Object.defineProperty(mapped, "partial", { value: true, enumerable: true });
  }
  return mapped;
}
