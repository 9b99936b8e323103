// What the emulator saw and answered, for GET /_emulator/requests and emu.requests(). Secrets never
// enter the log: credentials are redacted when the entry is created, not when it is read.
import type { JsonValue, Operation } from "./types.js";

export interface LoggedRequest {
  id: string;
  /** ISO time the request arrived. */
  time: string;
  method: string;
  path: string;
  operation?: Operation | "get-inference-profile";
  modelId?: string;
  /** Redacted request headers (pseudo-headers dropped). */
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it was not JSON; omitted when empty. */
  body?: JsonValue;
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
const SECRET_HEADER = /(authorization|token|secret|password|passwd|api[-_]?key|cookie|credential|signature)/i;

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
    } else if (SECRET_HEADER.test(lower)) {
      out[lower] = REDACTED;
    } else {
      out[lower] = text;
    }
  }
  return out;
}

export class RequestLog {
  // Oldest kept entry at `start`; dropped ones before it are cleared and compacted away now and then,
  // so a full log drops its oldest entry in O(1) instead of shifting the array on every request.
  private entries: (LoggedRequest | undefined)[] = [];
  private start = 0;
  private readonly limit: number;
  constructor(limit = 1000) {
    this.limit = Math.ceil(limit);
  }

  add(entry: LoggedRequest): LoggedRequest {
    this.entries.push(entry);
    if (this.entries.length - this.start > this.limit) {
      this.entries[this.start++] = undefined;
      if (this.start >= 1024 && this.start >= this.entries.length / 2) {
        this.entries = this.entries.slice(this.start);
        this.start = 0;
      }
    }
    return entry;
  }
  /** Deep copies, so callers cannot change the log (or see later changes mid-assertion). */
  list(): LoggedRequest[] {
    return this.entries.slice(this.start).map((e) => structuredClone(e!));
  }
  clear(): void {
    this.entries = [];
    this.start = 0;
  }
}
