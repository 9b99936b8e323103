// Request body intake: size limit, content type, UTF-8 and JSON. Every failure is a 4xx AWS error
// (never a 500), worded after the Coral front door that parses bodies for Bedrock.
import type { AwsErrorSpec } from "./types.js";
import type { AnyRequest } from "./transport.js";
import { awsError } from "./wire/errors.js";

/**
 * 50 MiB. Bedrock accepts Converse bodies with several multi-MB base64 attachments and CountTokens
 * with an InvokeModel body of up to 25,000,000 bytes (about 33.4 MB once base64-encoded), so the
 * limit sits above both.
 */
export const DEFAULT_MAX_BODY_BYTES = 50 * 1024 * 1024;

export type BodyResult = { ok: true; raw: Buffer; json: unknown } | { ok: false; error: AwsErrorSpec; raw: Buffer };

/** Reads the whole body. Over the limit, the rest is drained (not stored) so the client still gets the answer. */
export function readBody(req: AnyRequest, maxBytes: number): Promise<{ raw: Buffer; tooLarge: boolean; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) tooLarge = true;
    // A declared large body is copied into one buffer as it arrives, so no single step copies it
    // all at once (that would stall other clients).
    let into = !tooLarge && Number.isInteger(declared) && declared >= 1024 * 1024 ? Buffer.allocUnsafe(declared) : undefined;
    req.on("data", (chunk: Buffer) => {
      const at = size;
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      if (tooLarge) return;
      if (into && size > into.length) {
        // More bytes than declared: keep what arrived, in order, the ordinary way.
        chunks.push(into.subarray(0, at));
        into = undefined;
      }
      if (into) chunk.copy(into, at);
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) resolve({ raw: Buffer.alloc(0), tooLarge, size });
      else if (into) resolve({ raw: into.subarray(0, size), tooLarge, size });
      else resolve({ raw: Buffer.concat(chunks), tooLarge, size });
    });
    req.on("error", reject);
    req.on("aborted", () => reject(new Error("request aborted")));
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Parses a JSON body. An empty body counts as `{}` (the SDKs send "{}" for empty input anyway). */
export function parseJsonBody(raw: Buffer, contentType: string | undefined): BodyResult {
  if (contentType && !/json/i.test(contentType.split(";")[0])) {
    return {
      ok: false,
      raw,
      error: awsError("SerializationException", `Unsupported content type '${contentType}'. Send the request body as application/json.`),
    };
  }
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return { ok: false, raw, error: awsError("SerializationException", "Invalid UTF-8 start byte in request body.") };
  }
  if (text.trim() === "") return { ok: true, raw, json: {} };
  try {
    return { ok: true, raw, json: JSON.parse(text) };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, raw, error: awsError("SerializationException", `Could not parse request body into json: ${detail}`) };
  }
}

export function bodyTooLarge(size: number, maxBytes: number): AwsErrorSpec {
  return {
    ...awsError("ValidationException", `The request body of ${size} bytes exceeds the limit of ${maxBytes} bytes.`),
    status: 413,
  };
}
