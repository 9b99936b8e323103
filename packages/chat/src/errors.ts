// Typed errors: AWS exceptions become BedrockConverseError with the SDK's exception name, HTTP status,
// request id and a message that says what to do. No secret ever reaches a message.

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
export function isConnectionFailure(err: unknown): boolean {
  const e = (err ?? {}) as AwsLikeError;
  if (e.$metadata?.httpStatusCode !== undefined || e.$fault !== undefined) return false;
  return (
    (typeof e.code === "string" && (CONNECTION_CODES.has(e.code) || e.code.startsWith("ERR_HTTP2_"))) ||
    /socket hang up/i.test(String(e.message ?? ""))
  );
}

const RETRYABLE = new Set([
  "ThrottlingException",
  "ModelNotReadyException",
  "InternalServerException",
  "ServiceUnavailableException",
  "throttlingException",
  "internalServerException",
  "serviceUnavailableException",
]);

interface AwsLikeError {
  name?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
  $response?: { statusCode?: number };
  code?: string;
}

interface ErrorContext {
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
    retryable: RETRYABLE.has(name) || (status !== undefined && status >= 500),
    modelId: ctx.modelId,
    cause: err,
  });
}
