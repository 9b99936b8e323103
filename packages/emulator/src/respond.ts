// Response writers shared by the server, the proxy, replay and backend paths: a head with the
// emulator's request id and date, JSON and AWS error answers that note their status in the request
// log, writes that honour backpressure, pauses that end when the client leaves.
import type { LoggedRequest } from "./request-log.js";
import type { AnyRequest, AnyResponse } from "./transport.js";
import type { AwsErrorSpec } from "./types.js";
import { encodeErrorResponse } from "./wire/errors.js";

/** One request in flight: what each step of the server reads, and the log entry it fills in. */
export interface Exchange {
  req: AnyRequest;
  res: AnyResponse;
  requestId: string;
  entry: LoggedRequest;
}

// The Date header has a resolution of one second: format it once per second, not per response.
let dateSecond = NaN;
let dateText = "";
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

/** The head every emulator answer carries. */
export function baseHeaders(requestId: string, contentType: string): Record<string, string> {
  return { "x-amzn-requestid": requestId, date: httpDate(), "content-type": contentType };
}

export function gone(res: AnyResponse): boolean {
  return res.destroyed || res.writableEnded || (res.socket?.destroyed ?? false);
}

/** Sends `body` as JSON; a Uint8Array is sent as already-serialised JSON. */
export function sendJson(res: AnyResponse, requestId: string, status: number, body: unknown, entry?: LoggedRequest): void {
  if (gone(res) || res.headersSent) return;
  const bytes = body instanceof Uint8Array ? body : Buffer.from(JSON.stringify(body), "utf8");
  if (entry) entry.status = status;
  const headers = baseHeaders(requestId, "application/json");
  headers["content-length"] = String(bytes.length);
  res.writeHead(status, headers);
  res.end(bytes);
}

/** Sends an AWS error the way the service encodes it; with `entry`, logs its status and type. */
export function sendError(res: AnyResponse, requestId: string, spec: AwsErrorSpec, entry?: LoggedRequest): void {
  if (gone(res) || res.headersSent) return;
  const { status, headers, body } = encodeErrorResponse(spec);
  if (entry) {
    entry.status = status;
    entry.errorType = spec.type;
  }
  res.writeHead(status, { "x-amzn-requestid": requestId, date: httpDate(), ...headers });
  res.end(body);
}

/** Writes one chunk; resolves false if the client went away before it drained. */
export function writeChunk(res: AnyResponse, chunk: Uint8Array): Promise<boolean> {
  if (gone(res)) return Promise.resolve(false);
  // ServerResponse and Http2ServerResponse have the same write(), but TS cannot unify the overloads.
  if ((res as { write(c: Uint8Array): boolean }).write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      resolve(ok);
    };
    const onDrain = () => finish(true);
    const onClose = () => finish(false);
    res.once("drain", onDrain);
    res.once("close", onClose);
  });
}

/** Resolves once the response drains or closes. */
export function drained(res: AnyResponse): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      res.off("drain", finish);
      res.off("close", finish);
      resolve();
    };
    res.once("drain", finish);
    res.once("close", finish);
  });
}

/** Resolves after `ms`, or as soon as the client leaves. */
export function pause(ms: number, res: AnyResponse): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || gone(res)) return resolve();
    const done = () => {
      clearTimeout(timer);
      res.off("close", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once("close", done);
  });
}
