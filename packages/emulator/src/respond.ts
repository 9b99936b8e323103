// Small response writers shared by the proxy, replay and backend paths: a head with the emulator's
// request id and date, writes that honour backpressure, pauses that end when the client leaves.
import type { AnyResponse } from "./transport.js";
import type { AwsErrorSpec } from "./types.js";
import { encodeErrorResponse } from "./wire/errors.js";

export function gone(res: AnyResponse): boolean {
  return res.destroyed || res.writableEnded || (res.socket?.destroyed ?? false);
}

/** Writes one chunk; resolves false if the client went away before it drained. */
export function writeChunk(res: AnyResponse, chunk: Uint8Array): Promise<boolean> {
  if (gone(res)) return Promise.resolve(false);
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

export function sendAwsError(res: AnyResponse, requestId: string, spec: AwsErrorSpec): void {
  if (gone(res) || res.headersSent) return;
  const { status, headers, body } = encodeErrorResponse(spec);
  res.writeHead(status, { "x-amzn-requestid": requestId, date: new Date().toUTCString(), ...headers });
  res.end(body);
}
