import type { Dict } from "./keys.js";
import { isDict } from "./keys.js";

/** The `model_provider` stamped on every AI message; the key of @langchain/core's Bedrock Converse block translator. */
export const MODEL_PROVIDER = "bedrock-converse";

/** The SDK's `$metadata` of a command output. */
export interface SdkResponseMetadata {
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
export function toResponseMetadata(
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
