// The two transports every client is measured on:
// (a) a minimal fixed-response Bedrock endpoint on 127.0.0.1 (HTTP/1.1 and h2c prior knowledge on
//     one port, precomputed bodies, connections counted), so the server costs the same per request
//     whichever client calls it;
// (b) an in-memory smithy HttpHandler (and a fetch for the AI SDK): no sockets, pure client CPU.
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createH2Server, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from "node:http2";
import { Duplex, Readable } from "node:stream";
import { HttpResponse, type HttpRequest } from "@smithy/core/transport";
import { SHORT_BODY, streamFrames } from "./fixtures.js";

const JSON_HEADERS = { "content-type": "application/json", "x-amzn-requestid": "bench-request-id-0000" };
const STREAM_HEADERS = { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "bench-request-id-0000" };

/** What the transports answer right now: the harness sets it before each case. */
export class Answers {
  converse: Buffer = SHORT_BODY;
  frames: Buffer[] = [];
  joined: Buffer = Buffer.alloc(0);
  constructor() {
    this.setStream(streamFrames(50));
  }
  setStream(frames: Buffer[]): void {
    this.frames = frames;
    this.joined = Buffer.concat(frames);
    this.script = undefined;
  }
  /** Stream replies answered in turn, round-robin (an agent turn: tool call, then the answer). */
  private script: { replies: Buffer[][]; next: number } | undefined;
  setStreamScript(replies: Buffer[][]): void {
    this.script = { replies, next: 0 };
  }
  /** The frames of the next stream answer. */
  nextFrames(): Buffer[] {
    const s = this.script;
    if (!s) return this.frames;
    const frames = s.replies[s.next];
    s.next = (s.next + 1) % s.replies.length;
    return frames;
  }
  private gate: { promise: Promise<void>; release: () => void } | undefined;
  /** Requests that arrived while held (in-memory transports only). */
  arrived = 0;
  /** Holds in-memory answers until release(), so a batch of calls can be measured all in flight. */
  hold(): void {
    let release!: () => void;
    const promise = new Promise<void>((r) => (release = r));
    this.gate = { promise, release };
    this.arrived = 0;
  }
  release(): void {
    this.gate?.release();
    this.gate = undefined;
  }
  /** Undefined when not held, so the usual path stays synchronous. */
  waitIfHeld(): Promise<void> | undefined {
    if (!this.gate) return undefined;
    this.arrived++;
    return this.gate.promise;
  }
  isStream(path: string): boolean {
    // ".../converse-stream" (the SDK may add a query string; the AI SDK never does)
    const q = path.indexOf("?");
    return (q < 0 ? path : path.slice(0, q)).endsWith("-stream");
  }
}

// --- (a) loopback endpoint ------------------------------------------------------------------------

const H2_PREFACE = Buffer.from("PRI * HTTP/2.0");

/** A Duplex over a socket that first replays the bytes already read from it. */
class ReplaySocket extends Duplex {
  constructor(
    private readonly socket: Socket,
    head: Buffer,
  ) {
    super();
    this.push(head);
    socket.on("data", (d: Buffer) => {
      if (!this.push(d)) socket.pause();
    });
    socket.on("end", () => this.push(null));
    socket.on("error", (e) => this.destroy(e));
    socket.on("close", () => this.destroy());
  }
  override _read(): void {
    this.socket.resume();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.socket.write(chunk, cb);
  }
  override _final(cb: (e?: Error | null) => void): void {
    this.socket.end(cb);
  }
  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }
  // What http / http2 call on a connection.
  setTimeout(ms: number, cb?: () => void): this {
    this.socket.setTimeout(ms, cb);
    return this;
  }
  setNoDelay(v?: boolean): this {
    this.socket.setNoDelay(v);
    return this;
  }
  setKeepAlive(v?: boolean, ms?: number): this {
    this.socket.setKeepAlive(v, ms);
    return this;
  }
  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }
  get remoteFamily(): string | undefined {
    return this.socket.remoteFamily;
  }
  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }
  get localPort(): number | undefined {
    return this.socket.localPort;
  }
}

export interface FixedEndpoint {
  url: string;
  answers: Answers;
  /** TCP connections accepted since start. */
  readonly connections: number;
  /** Requests answered since start. */
  readonly requests: number;
  close(): Promise<void>;
}

export async function startFixedEndpoint(answers = new Answers()): Promise<FixedEndpoint> {
  let connections = 0;
  let requests = 0;
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();

  const respond = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    const stream = answers.isStream(req.url ?? "");
    // Read the whole request body before answering, as a real service does.
    req.on("data", () => {});
    req.on("end", () => {
      requests++;
      if (stream) {
        res.writeHead(200, STREAM_HEADERS);
        res.end(answers.joined);
      } else {
        res.writeHead(200, JSON_HEADERS);
        res.end(answers.converse);
      }
    });
  };
  const h1 = createHttpServer({ keepAliveTimeout: 120_000 }, respond);
  const h2 = createH2Server({}, respond);
  h2.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });

  const server: NetServer = createNetServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.setNoDelay(true);
    let head: Buffer = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      head = head.length ? Buffer.concat([head, d]) : d;
      if (head.length < 4) return; // "PRI " (h2c preface) vs an HTTP/1.1 method
      socket.off("data", onData);
      socket.pause();
      const isH2 = head.subarray(0, 4).equals(H2_PREFACE.subarray(0, 4));
      const wrapped = new ReplaySocket(socket, head);
      (isH2 ? h2 : h1).emit("connection", wrapped);
    };
    socket.on("data", onData);
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    answers,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        for (const s of sockets) s.destroy();
        h1.close();
        h2.close();
        server.close(() => resolve());
      }),
  };
}

// --- (b) in memory --------------------------------------------------------------------------------

/** A smithy HttpHandler answering from memory: each stream event arrives as its own chunk. */
export function memoryRequestHandler(answers: Answers) {
  let handled = 0;
  return {
    get handled() {
      return handled;
    },
    handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
      handled++;
      const stream = answers.isStream(request.path);
      const respond = () => {
        const body = stream
          ? Readable.from(answers.nextFrames(), { objectMode: false })
          : Readable.from([answers.converse], { objectMode: false });
        return { response: new HttpResponse({ statusCode: 200, headers: { ...(stream ? STREAM_HEADERS : JSON_HEADERS) }, body }) };
      };
      const held = answers.waitIfHeld();
      return held ? held.then(respond) : Promise.resolve(respond());
    },
    destroy(): void {},
    updateHttpClientConfig(): void {},
    httpHandlerConfigs(): Record<string, never> {
      return {};
    },
  };
}

/** The same, as a fetch for the AI SDK. */
export function memoryFetch(answers: Answers): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const held = answers.waitIfHeld();
    if (held) await held;
    if (answers.isStream(url)) {
      const frames = answers.nextFrames();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const f of frames) controller.enqueue(f);
          controller.close();
        },
      });
      return new Response(body, { status: 200, headers: STREAM_HEADERS });
    }
    return new Response(answers.converse, { status: 200, headers: JSON_HEADERS });
  }) as typeof fetch;
}
