// Authorization: SigV4 and Bedrock API keys (Bearer) are accepted without checking signatures
// (a signature covers host/:authority, which only matches the client's own URL). Strict mode
// (requireAuth) answers the real service's auth errors for missing or malformed credentials.
import type { AwsErrorSpec } from "./types.js";
import { awsError } from "./wire/errors.js";

const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=[^/\s,]+\/\d{8}\/[^/\s,]+\/[^/\s,]+\/aws4_request, ?SignedHeaders=[a-z0-9:;_-]+, ?Signature=[0-9a-f]{64}$/;

/** undefined when the request may proceed. */
export function checkAuth(headers: Record<string, string | string[] | undefined>, requireAuth: boolean): AwsErrorSpec | undefined {
  if (!requireAuth) return undefined;
  const authorization = typeof headers.authorization === "string" ? headers.authorization.trim() : undefined;
  if (!authorization) return awsError("AccessDeniedException", "Missing Authentication Token");
  if (/^Bearer\s/i.test(authorization)) {
    const key = authorization.replace(/^Bearer\s+/i, "");
    if (!key.startsWith("ABSK")) return awsError("AccessDeniedException", "Invalid API Key format: Must start with pre-defined prefix");
    return undefined;
  }
  if (!SIGV4.test(authorization) || typeof headers["x-amz-date"] !== "string") {
    return awsError("UnrecognizedClientException");
  }
  return undefined;
}
