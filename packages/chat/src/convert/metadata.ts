import { toPlainJsonNumbers, warnUnsafeIntegers } from "./json-numbers.js";
import type { Dict } from "./keys.js";
import { isDict } from "./keys.js";

/** The `model_provider` stamped on every AI message; the key of @langchain/core's Bedrock Converse block translator. */
export const MODEL_PROVIDER = "bedrock-converse";

/** The SDK's `$metadata` of a command output. */
interface SdkResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
  [key: string]: unknown;
}

/**
 * Python-shaped `ResponseMetadata` (boto3) from the SDK's `$metadata`: `{RequestId, HTTPStatusCode, HTTPHeaders,
 * RetryAttempts}`. `RetryAttempts` = attempts - 1. Headers: the given ones, else a best-effort reconstruction.
 * A value that already has the boto3 shape (a `RequestId` key) is returned unchanged.
 */
function toResponseMetadata(
  metadata: SdkResponseMetadata | Dict | undefined,
  headers: Record<string, string> | undefined,
  contentType: string,
): Dict {
  if (isDict(metadata) && ("RequestId" in metadata || "HTTPStatusCode" in metadata)) return metadata;
  const m = (metadata ?? {}) as SdkResponseMetadata;
  const requestId = typeof m.requestId === "string" ? m.requestId : undefined;
  const httpHeaders: Record<string, string> = headers
    ? { ...headers }
    : { ...(requestId ? { "x-amzn-requestid": requestId } : {}), "content-type": contentType };
  return {
    RequestId: requestId,
    HTTPStatusCode: typeof m.httpStatusCode === "number" ? m.httpStatusCode : 200,
    HTTPHeaders: httpHeaders,
    RetryAttempts: typeof m.attempts === "number" ? Math.max(0, m.attempts - 1) : 0,
  };
}

/** The model names and HTTP details a reply's metadata reports (a `ResponseContext` has them all). */
interface ReplyContext {
  /** Reported as `model_name`. */
  modelName: string;
  /** Reported as `model` (default: `modelName`). */
  model?: string;
  /** Reported as `inference_profile_id` when set. */
  inferenceProfileId?: string;
  /** HTTP response headers, when the caller has them. */
  httpHeaders?: Record<string, string>;
}

/** What one reply reports, read from the Converse output or the ConverseStream `metadata` event. */
interface ReplySource {
  /** The SDK's `$metadata`, or an already boto3-shaped `ResponseMetadata`. */
  sdkMetadata: SdkResponseMetadata | Dict | undefined;
  /** `content-type` of a reconstructed `HTTPHeaders` (JSON for Converse, event stream for ConverseStream). */
  contentType: string;
  /** The `metrics` Bedrock sent: only a numeric `latencyMs` is kept, 0 otherwise. */
  metrics: unknown;
  /** The object the `copied` fields are read from (the output, or the stream's metadata event). */
  fields: Dict;
  /** Fields copied (as plain JSON numbers) when present and not null. */
  copied: readonly string[];
  /**
   * Converse only: the key is written whenever it is given, even as undefined. A stream's stop reason
   * arrives on the earlier messageStop chunk, so the stream leaves the key out.
   */
  stopReason?: unknown;
}

/**
 * The `response_metadata` of a reply, the same for `invoke` (Converse) and the last chunk of a stream
 * (ConverseStream): `{ResponseMetadata, stopReason?, metrics: {latencyMs}, ...copied fields, model,
 * model_name, model_provider, inference_profile_id?}`. Integers beyond 2^53 in copied fields are
 * reported through the package warning.
 */
export function replyMetadata(source: ReplySource, ctx: ReplyContext): Dict {
  const out: Dict = { ResponseMetadata: toResponseMetadata(source.sdkMetadata, ctx.httpHeaders, source.contentType) };
  if ("stopReason" in source) out.stopReason = source.stopReason;
  const latencyMs = isDict(source.metrics) ? source.metrics.latencyMs : undefined;
  out.metrics = { latencyMs: typeof latencyMs === "number" ? latencyMs : 0 };
  for (const field of source.copied) {
    const value = source.fields[field];
    if (value !== undefined && value !== null) out[field] = toPlainJsonNumbers(value, field, warnUnsafeIntegers("response_metadata."));
  }
  out.model = ctx.model ?? ctx.modelName;
  out.model_name = ctx.modelName;
  out.model_provider = MODEL_PROVIDER;
  if (ctx.inferenceProfileId) out.inference_profile_id = ctx.inferenceProfileId;
  return out;
}
