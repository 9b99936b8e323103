// Raw request path -> what to do. Matching happens on the raw (still percent-encoded) path so an
// ARN's %2F cannot split the model segment; the segment is decoded only after the match.
import type { Operation } from "./types.js";

export type Route =
  | { kind: "runtime"; operation: Operation; modelId: string }
  | { kind: "inference-profile"; identifier: string }
  | { kind: "admin"; path: string }
  | { kind: "unknown"; reason: "path" | "method" | "encoding" | "unencoded-slash" };

const RUNTIME = /^\/model\/([^/]+)\/(converse|converse-stream|count-tokens)\/?$/;
/** A runtime path whose model id carries a literal "/" (an ARN the client did not percent-encode). */
const RUNTIME_UNENCODED = /^\/model\/arn(?::|%3A)[^/]+\/[^/]+\/(converse|converse-stream|count-tokens)\/?$/i;
const INFERENCE_PROFILE = /^\/inference-profiles\/([^/]+)\/?$/;

export function route(method: string, rawUrl: string): Route {
  const rawPath = rawUrl.split("?")[0];
  if (rawPath.startsWith("/_emulator/") || rawPath === "/_emulator") return { kind: "admin", path: rawPath };

  const runtime = RUNTIME.exec(rawPath);
  if (runtime) {
    if (method !== "POST") return { kind: "unknown", reason: "method" };
    const modelId = decodeSegment(runtime[1]);
    if (modelId === undefined) return { kind: "unknown", reason: "encoding" };
    return { kind: "runtime", operation: runtime[2] as Operation, modelId };
  }

  // Trap AUTH-2: Bedrock answers these with HTTP 200 and a Coral UnknownOperationException body.
  if (method === "POST" && RUNTIME_UNENCODED.test(rawPath)) return { kind: "unknown", reason: "unencoded-slash" };

  const profile = INFERENCE_PROFILE.exec(rawPath);
  if (profile) {
    if (method !== "GET") return { kind: "unknown", reason: "method" };
    const identifier = decodeSegment(profile[1]);
    if (identifier === undefined) return { kind: "unknown", reason: "encoding" };
    return { kind: "inference-profile", identifier };
  }
  return { kind: "unknown", reason: "path" };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // malformed percent-encoding, e.g. "%E0%A4%A"
  }
}
