// What the emulator saw and answered, for GET /_emulator/requests and emu.requests(). Secrets never
// enter the log: credentials are redacted when the entry is created, not when it is read.
import type { JsonValue, Operation } from "./types.js";

export interface LoggedRequest {
  id: string;
  /** ISO time the request arrived. */
  time: string;
  method: string;
  /** The path as sent, credential-like query parameters redacted. */
  path: string;
  operation?: Operation | "get-inference-profile";
  modelId?: string;
  /** Redacted request headers (pseudo-headers dropped). */
  headers: Record<string, string>;
  /**
   * Parsed JSON body (nesting below 64 levels replaced by a marker); the text when it was not JSON;
   * a short preview ending in "[truncated: ...]" when larger than the log's body limit; omitted when empty.
   */
  body?: JsonValue;
  /** Size of the body as received, in bytes. */
  bodyBytes?: number;
  /** The body was larger than the log's per-body limit and only a preview was kept. */
  bodyTruncated?: boolean;
  /** "http/1.1" or "h2". */
  protocol: string;
  status?: number;
  /** x-amzn-errortype type when the answer was an error (HTTP or in-stream). */
  errorType?: string;
  /** Faults that fired, by kind. */
  faults?: string[];
  /** Whether a scripted reply answered (false: the default model). */
  scripted?: boolean;
  /** ConverseStream: `:event-type` / `:exception-type` of every frame written, in order. */
  streamEvents?: string[];
  /** The client went away before the response was complete. */
  aborted?: boolean;
  /** Human-readable notes, e.g. "client closed the connection after 3 stream events". */
  notes?: string[];
  durationMs?: number;
}

const REDACTED = "[REDACTED]";
// Header and query-parameter names that may carry a credential: anything about auth, tokens,
// secrets, keys, signatures, sessions or cookies (x-auth, x-api-key, X-Amz-Security-Token, ...).
const SECRET_NAME = /auth|token|secret|passw|pwd|cookie|credential|signature|session|private|api[-_]?key|(^|[-_.])key($|[-_.])/i;

/** Does this header or query-parameter name look like it carries a credential? */
function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Keeps the auth scheme (useful when debugging) and drops everything that could be a credential. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(":")) continue;
    const text = Array.isArray(value) ? value.join(", ") : String(value);
    const lower = name.toLowerCase();
    if (lower === "authorization" || lower === "proxy-authorization") {
      const scheme = /^(Bearer|AWS4-HMAC-SHA256|Basic)\b/i.exec(text)?.[1];
      out[lower] = scheme ? `${scheme} ${REDACTED}` : REDACTED;
    } else if (isSecretName(lower)) {
      out[lower] = REDACTED;
    } else {
      out[lower] = text;
    }
  }
  return out;
}

/**
 * The request path with the values of credential-like query parameters replaced (a presigned URL
 * carries X-Amz-Credential, X-Amz-Signature and X-Amz-Security-Token). Everything else stays as sent.
 */
export function redactPath(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, " "));
      } catch {
        // a malformed name is checked as sent
      }
      return eq >= 0 && isSecretName(name) ? `${rawName}=${REDACTED}` : pair;
    })
    .join("&");
  return `${url.slice(0, q)}?${query}`;
}

/** Nesting kept in a logged body; deeper values are replaced by a marker, so any body can be listed and serialised. */
const MAX_LOGGED_DEPTH = 64;
const TOO_DEEP = `[nested deeper than ${MAX_LOGGED_DEPTH} levels: not logged]`;
/** Text kept from a body over the per-body limit. */
const TRUNCATED_PREVIEW_CHARS = 4096;

/** A copy of `value` with everything below MAX_LOGGED_DEPTH replaced by a marker. Recursion stops at the limit. */
export function pruneDepth(value: JsonValue, depth = 0): JsonValue {
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_LOGGED_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((v) => pruneDepth(v, depth + 1));
  const out: { [key: string]: JsonValue } = {};
  // defineProperty: a member named "__proto__" stays a member instead of replacing the prototype.
  for (const [k, v] of Object.entries(value))
    Object.defineProperty(out, k, { value: pruneDepth(v, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

export interface RequestLogLimits {
  /** Most entries kept (default 1000). */
  maxEntries?: number;
  /** Most bytes of bodies and headers kept over all entries (default 64 MiB); oldest entries go first. */
  maxBytes?: number;
  /** A body larger than this is logged as a short text preview with a marker (default 1 MiB). */
  maxBodyBytes?: number;
}

const DEFAULT_LOG_LIMITS = { maxEntries: 1000, maxBytes: 64 * 1024 * 1024, maxBodyBytes: 1024 * 1024 };

/** Bytes an entry is charged: its body as received (capped) plus its headers and path. */
function baseSize(entry: LoggedRequest): number {
  let n = 256 + entry.path.length;
  for (const [k, v] of Object.entries(entry.headers)) n += k.length + v.length;
  return n;
}

/** Adds a line to the entry's notes (faults that fired, where the request was answered). */
export function addNote(entry: LoggedRequest, text: string): void {
  entry.notes ??= [];
  entry.notes.push(text);
}

export class RequestLog {
  // Oldest kept entry at `start`; dropped ones before it are cleared and compacted away now and then,
  // so a full log drops its oldest entry in O(1) instead of shifting the array on every request.
  private entries: (LoggedRequest | undefined)[] = [];
  private start = 0;
  private bytes = 0;
  private readonly sizes = new WeakMap<LoggedRequest, number>();
  private kept = new WeakSet<LoggedRequest>();
  private readonly limit: number;
  private readonly maxBytes: number;
  private readonly maxBodyBytes: number;
  constructor(limit: number = DEFAULT_LOG_LIMITS.maxEntries, limits: Omit<RequestLogLimits, "maxEntries"> = {}) {
    this.limit = Math.ceil(limit);
    this.maxBytes = limits.maxBytes ?? DEFAULT_LOG_LIMITS.maxBytes;
    this.maxBodyBytes = limits.maxBodyBytes ?? DEFAULT_LOG_LIMITS.maxBodyBytes;
  }

  add(entry: LoggedRequest): LoggedRequest {
    this.entries.push(entry);
    this.kept.add(entry);
    this.charge(entry, baseSize(entry));
    this.evict();
    return entry;
  }

  /**
   * Records a request body: parsed JSON (nesting pruned) or the text when it is not JSON. A body
   * over the per-body limit keeps only a preview and says so: `bodyTruncated` and `bodyBytes`.
   * `parsed` is the body's value when the caller already parsed it, so it is not parsed twice.
   */
  setBody(entry: LoggedRequest, raw: Buffer, parsed?: { json: unknown }): void {
    if (raw.length === 0) return;
    entry.bodyBytes = raw.length;
    if (raw.length > this.maxBodyBytes) {
      const preview = raw.subarray(0, TRUNCATED_PREVIEW_CHARS).toString("utf8");
      entry.body = `${preview}… [truncated: the body has ${raw.length} bytes; the log keeps bodies up to ${this.maxBodyBytes} bytes]`;
      entry.bodyTruncated = true;
      this.charge(entry, TRUNCATED_PREVIEW_CHARS * 2);
    } else {
      const text = raw.toString("utf8");
      if (parsed && text.trim() !== "") {
        // (A blank body parses to {} for the service, but the log shows what was sent.)
        entry.body = pruneDepth(parsed.json as JsonValue);
      } else {
        try {
          entry.body = pruneDepth(JSON.parse(text) as JsonValue);
        } catch {
          entry.body = text;
        }
      }
      this.charge(entry, raw.length * 2);
    }
    this.evict();
  }

  /** Deep copies, so callers cannot change the log (or see later changes mid-assertion). */
  list(): LoggedRequest[] {
    return this.entries.slice(this.start).map((e) => structuredClone(e!));
  }
  clear(): void {
    this.entries = [];
    this.start = 0;
    this.bytes = 0;
    this.kept = new WeakSet();
  }

  private charge(entry: LoggedRequest, bytes: number): void {
    this.sizes.set(entry, (this.sizes.get(entry) ?? 0) + bytes);
    if (this.kept.has(entry)) this.bytes += bytes; // an entry already dropped is not charged again
  }
  private evict(): void {
    // The newest entry is always kept (its body is already bounded), so a request is never missing from the log.
    while (this.entries.length - this.start > this.limit || (this.bytes > this.maxBytes && this.entries.length - this.start > 1)) {
      const dropped = this.entries[this.start];
      this.entries[this.start++] = undefined;
      if (dropped) {
        this.bytes -= this.sizes.get(dropped) ?? 0;
        this.kept.delete(dropped);
      }
    }
    if (this.start >= 1024 && this.start >= this.entries.length / 2) {
      this.entries = this.entries.slice(this.start);
      this.start = 0;
    }
  }
}
