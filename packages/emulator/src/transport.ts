// One TCP port for HTTP/1.1 and h2c with prior knowledge. The JS SDK's default handler speaks h2c
// to http:// endpoints; boto3, curl and NodeHttpHandler speak HTTP/1.1. We peek at the first bytes
// of each connection and hand it to the matching Node server.
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { Duplex } from "node:stream";
import { randomUUID } from "node:crypto";
import { awsError, encodeErrorResponse } from "./wire/errors.js";

export type AnyRequest = http.IncomingMessage | http2.Http2ServerRequest;
export type AnyResponse = http.ServerResponse | http2.Http2ServerResponse;
export type RequestHandler = (req: AnyRequest, res: AnyResponse) => void;

const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/**
 * A JS stream over a socket whose first bytes were already read. http2 reads from a socket's
 * native handle, so bytes put back with unshift() would be lost; this wrapper has no handle,
 * which makes Node consume it through the stream API: the peeked chunk first, then the rest.
 */
class PeekedSocket extends Duplex {
  constructor(
    private readonly raw: net.Socket,
    first: Buffer,
  ) {
    super({ allowHalfOpen: false });
    this.push(first);
    raw.on("data", (chunk: Buffer) => {
      if (!this.push(chunk)) raw.pause();
    });
    raw.on("end", () => this.push(null));
    raw.on("error", (err) => this.destroy(err));
    raw.on("close", () => this.destroy());
  }
  override _read(): void {
    this.raw.resume();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    // The callback fires when the kernel took the bytes: backpressure reaches the response writer.
    if (this.raw.destroyed) cb();
    else this.raw.write(chunk, cb);
  }
  // HTTP/1.1 corks around each chunk (size line, data, CRLF): hand the batch to the socket as one
  // write instead of one syscall per piece. Stream frames are small, so this halves the server's cost.
  override _writev(chunks: Array<{ chunk: Buffer }>, cb: (err?: Error | null) => void): void {
    if (this.raw.destroyed) {
      cb();
      return;
    }
    if (chunks.length === 1) return void this.raw.write(chunks[0].chunk, cb);
    let total = 0;
    for (const c of chunks) total += c.chunk.length;
    if (total <= 64 * 1024)
      return void this.raw.write(
        Buffer.concat(
          chunks.map((c) => c.chunk),
          total,
        ),
        cb,
      );
    // A large body (a 20 MB answer) is not copied into one new buffer: that copy would stall every
    // other client. The socket's own writev sends the pieces together.
    this.raw.cork();
    for (let i = 0; i < chunks.length; i++) this.raw.write(chunks[i].chunk, i === chunks.length - 1 ? cb : undefined);
    this.raw.uncork();
  }
  override _final(cb: (err?: Error | null) => void): void {
    this.raw.end(cb);
  }
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.raw.destroy();
    cb(err);
  }
  // The parts of net.Socket the HTTP servers touch.
  setTimeout(ms: number, cb?: () => void): this {
    this.raw.setTimeout(ms, cb);
    return this;
  }
  setNoDelay(noDelay?: boolean): this {
    this.raw.setNoDelay(noDelay);
    return this;
  }
  setKeepAlive(enable?: boolean, delay?: number): this {
    this.raw.setKeepAlive(enable, delay);
    return this;
  }
  ref(): this {
    this.raw.ref();
    return this;
  }
  unref(): this {
    this.raw.unref();
    return this;
  }
  get remoteAddress() {
    return this.raw.remoteAddress;
  }
  get remotePort() {
    return this.raw.remotePort;
  }
  get remoteFamily() {
    return this.raw.remoteFamily;
  }
  get localAddress() {
    return this.raw.localAddress;
  }
  get localPort() {
    return this.raw.localPort;
  }
  get bytesWritten() {
    return this.raw.bytesWritten;
  }
  get bytesRead() {
    return this.raw.bytesRead;
  }
  get encrypted() {
    return false;
  }
  get connecting() {
    return false;
  }
  get pending() {
    return false;
  }
  get readyState() {
    return this.raw.readyState;
  }
  address() {
    return this.raw.address();
  }
}

/** The request-line-and-headers limit, the same for HTTP/1.1 (Node's parser) and h2 (checked here). */
const MAX_HEADER_BYTES = 16384;

/** The AWS error a request whose request line and headers are too large gets, on either protocol. */
function headersTooLargeError() {
  return { ...awsError("ValidationException", `The request line and headers are larger than ${MAX_HEADER_BYTES} bytes.`), status: 431 };
}

/** The raw HTTP/1.1 answer to a request the parser rejected; undefined when the client is gone. */
function clientErrorResponse(err: NodeJS.ErrnoException): Buffer | undefined {
  if (err.code === "ECONNRESET" || err.code === "EPIPE" || err.code === "ERR_HTTP_REQUEST_TIMEOUT") return undefined;
  const overflow = err.code === "HPE_HEADER_OVERFLOW";
  const spec = overflow
    ? headersTooLargeError()
    : awsError("SerializationException", `The request is not valid HTTP/1.1 (${err.code ?? "parse error"}).`);
  const { status, headers, body } = encodeErrorResponse(spec);
  const head = [
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Error"}`,
    ...Object.entries({ ...headers, "x-amzn-requestid": randomUUID(), date: new Date().toUTCString(), connection: "close" }).map(
      ([k, v]) => `${k}: ${v}`,
    ),
  ].join("\r\n");
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "latin1"), body]);
}

/** Connection limits and timeouts. Every timeout closes the connection; clients reconnect, as they do with the real service. */
export interface TransportLimits {
  /** A new connection must send enough bytes to tell HTTP/1.1 from h2 within this time (default 10 s). */
  sniffTimeoutMs?: number;
  /** HTTP/1.1: the request line and headers must arrive within this time (default 30 s). */
  headersTimeoutMs?: number;
  /** HTTP/1.1: an idle keep-alive connection is closed after this time (default 5 s). */
  keepAliveTimeoutMs?: number;
  /** h2: a session with no open stream is closed (GOAWAY) after this time (default 30 s). */
  idleSessionTimeoutMs?: number;
  /**
   * Most TCP connections open at once (default 1000). At the cap, a new connection first evicts the
   * oldest one that has not sent a byte yet; when every connection is active, the new one is refused.
   */
  maxConnections?: number;
}

export const DEFAULT_TRANSPORT_LIMITS: Required<TransportLimits> = {
  sniffTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleSessionTimeoutMs: 30_000,
  maxConnections: 1000,
};

/** Checks user-given limits: positive integers (a timeout of 0 would mean "never"). */
function checkTransportLimits(limits: TransportLimits): Required<TransportLimits> {
  const out = { ...DEFAULT_TRANSPORT_LIMITS };
  for (const key of Object.keys(DEFAULT_TRANSPORT_LIMITS) as (keyof TransportLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new TypeError(`${key} must be a positive integer, got ${String(value)}.`);
    }
    out[key] = value;
  }
  return out;
}

export interface Transport {
  /**
   * Destroys the TCP connection a request came on with a RST, as a crashed peer would. With
   * `flush`, bytes already written (stream frames) reach the client first.
   */
  resetConnection(req: AnyRequest, flush?: boolean): Promise<void>;
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, destroys every open connection and h2 session, and resolves when closed. */
  close(): Promise<void>;
  /** TCP connections currently open (HTTP/1.1 and h2 alike). */
  openConnections(): number;
  /** The peer's IP address (read from the TCP socket: h2's socket proxy does not expose it). */
  remoteAddress(req: AnyRequest): string | undefined;
}

export function createTransport(handler: RequestHandler, userLimits: TransportLimits = {}): Transport {
  const limits = checkTransportLimits(userLimits);
  const h1 = http.createServer(
    {
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      // Node checks headersTimeout on this interval; the default (30 s) would double the limit.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
      requestTimeout: Math.max(300_000, limits.headersTimeoutMs),
    },
    handler,
  );
  // The HTTP/1.1 server never listens itself (connections are handed to it), but its header and
  // request timers only run once it has seen "listening".
  h1.emit("listening");
  // Headers are let through up to far above the limit so the handler can answer an oversized
  // request with the same 431 as HTTP/1.1; nghttp2 still resets streams beyond these.
  const h2 = http2.createServer({ maxHeaderListPairs: 4096, settings: { maxHeaderListSize: 1024 * 1024 } }, (req, res) => {
    if (h2HeaderBytes(req) > MAX_HEADER_BYTES) return answerHeadersTooLarge(res);
    handler(req, res);
  });
  const sockets = new Set<net.Socket>();
  // Connections that have not sent a byte yet, oldest first: the first to go when the cap is reached.
  const silent = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  // The raw socket under each connection, so a fault can reset the TCP connection itself.
  const rawOfH1 = new WeakMap<object, net.Socket>();
  const rawOfH2 = new WeakMap<object, net.Socket>();
  let connecting: net.Socket | undefined; // set while the h2 server creates a session synchronously
  h2.on("session", (session) => {
    sessions.add(session);
    if (connecting) rawOfH2.set(session, connecting);
    session.on("close", () => sessions.delete(session));
    session.on("error", () => undefined); // a client that vanishes must not crash the process
    closeWhenIdle(session, limits.idleSessionTimeoutMs);
  });
  // A request Node's HTTP parser rejects (request line or headers over 16 KiB, a malformed request
  // line, a bad method or header) still gets a well-formed AWS error, then the connection closes.
  h1.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    const answer = clientErrorResponse(err);
    if (!answer || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(answer);
  });

  const tcp = net.createServer((raw) => {
    if (sockets.size >= limits.maxConnections) {
      const oldestSilent = silent.values().next().value;
      if (oldestSilent) oldestSilent.destroy();
      else {
        raw.destroy();
        return;
      }
    }
    sockets.add(raw);
    silent.add(raw);
    raw.setNoDelay(true);
    raw.on("close", () => {
      sockets.delete(raw);
      silent.delete(raw);
    });
    raw.on("error", () => raw.destroy());
    // Until the protocol is known nothing else watches the socket: a client that connects and
    // stays silent (or sends a few bytes and stops) is dropped after the sniff timeout.
    raw.setTimeout(limits.sniffTimeoutMs, () => raw.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      silent.delete(raw);
      head = Buffer.concat([head, chunk]);
      const n = Math.min(head.length, H2_PREFACE.length);
      const isH2 = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      // Keep peeking while the bytes could still be the start of the h2 preface.
      if (isH2 && head.length < H2_PREFACE.length) return;
      raw.off("data", onData);
      raw.pause();
      raw.setTimeout(0); // from here the HTTP server's own timers apply
      const wrapped = new PeekedSocket(raw, head);
      wrapped.on("error", () => undefined);
      if (isH2) {
        connecting = raw;
        try {
          h2.emit("connection", wrapped);
        } finally {
          connecting = undefined;
        }
      } else {
        rawOfH1.set(wrapped, raw);
        h1.emit("connection", wrapped);
      }
    };
    raw.on("data", onData);
  });

  const rawOf = (req: AnyRequest) => ("stream" in req && req.stream ? rawOfH2.get(req.stream.session as object) : rawOfH1.get(req.socket));
  return {
    remoteAddress: (req) => rawOf(req)?.remoteAddress,
    async resetConnection(req, flush = false) {
      const raw = rawOf(req);
      if (!raw || raw.destroyed) {
        req.socket?.destroy();
        return;
      }
      if (flush) {
        // A RST discards unsent bytes; give the HTTP layer a moment to hand its frames to the
        // socket and the socket to hand them to the kernel.
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (raw.writableLength > 0 && !raw.destroyed) {
          await new Promise((resolve) => {
            raw.once("drain", resolve);
            raw.once("close", resolve);
          });
        }
      }
      if (!raw.destroyed) raw.resetAndDestroy();
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        tcp.once("error", reject);
        tcp.listen(port, host, () => {
          tcp.off("error", reject);
          resolve((tcp.address() as net.AddressInfo).port);
        });
      });
    },
    openConnections() {
      return sockets.size;
    },
    close() {
      return new Promise((resolve) => {
        h1.close(); // stops its timer-checking interval; it never listened, so nothing else happens
        tcp.close(() => resolve());
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

/** Bytes of an h2 request's header list as HTTP/1.1 would count them: "name: value\r\n" per header. */
function h2HeaderBytes(req: http2.Http2ServerRequest): number {
  let n = 0;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) n += raw[i].length + raw[i + 1].length + 4;
  return n;
}

function answerHeadersTooLarge(res: http2.Http2ServerResponse): void {
  const { status, headers, body } = encodeErrorResponse(headersTooLargeError());
  res.writeHead(status, { ...headers, "x-amzn-requestid": randomUUID(), date: new Date().toUTCString() });
  res.end(body);
}

/** Closes an h2 session (GOAWAY, then the connection) once it has had no open stream for `ms`. */
function closeWhenIdle(session: http2.ServerHttp2Session, ms: number): void {
  let open = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    timer = setTimeout(() => {
      if (open === 0 && !session.closed && !session.destroyed) {
        session.close();
        // A peer that ignores GOAWAY and keeps the connection open is dropped.
        setTimeout(() => session.destroy(), 1000).unref();
      }
    }, ms);
    timer.unref();
  };
  arm();
  session.on("stream", (stream: http2.ServerHttp2Stream) => {
    open++;
    if (timer) clearTimeout(timer);
    timer = undefined;
    stream.once("close", () => {
      open--;
      if (open === 0 && !session.closed && !session.destroyed) arm();
    });
  });
  session.once("close", () => {
    if (timer) clearTimeout(timer);
  });
}
