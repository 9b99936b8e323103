// Fuzz: malformed requests over raw HTTP/1.1 to 127.0.0.1. Every one gets a well-formed AWS 4xx
// error (status 4xx, x-amzn-errortype, x-amzn-requestid, a JSON body with a message), never a 500,
// never a dropped connection; the emulator keeps answering and its memory stays bounded.
// FUZZ_CASES sets the number of generated requests (default 500; the full run uses 10000).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import fc from "fast-check";
import { startEmulator, type Emulator } from "bedrock-runtime-emulator";
import { MODEL } from "./helpers.js";

const CASES = Number(process.env.FUZZ_CASES ?? 500);
const MAX_BODY = 64 * 1024;
const DEADLINE = { timeout: Math.max(60_000, CASES * 20) };

let emu: Emulator;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
before(async () => {
  emu = await startEmulator({ port: 0, host: "127.0.0.1", maxBodyBytes: MAX_BODY });
});
after(async () => {
  agent.destroy();
  await emu.close();
});

interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(r: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: emu.port,
        method: r.method,
        path: r.path,
        headers: { ...r.headers, "content-length": String(r.body.length) },
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error("no answer within 10 s")));
    req.on("error", reject);
    req.end(r.body);
  });
}

/** A well-formed AWS error: 4xx, error type header, request id, JSON body with a message. */
function assertAwsError(a: Answer, what: string): void {
  assert.ok(a.status >= 400 && a.status < 500, `${what}: status ${a.status} ${a.body.slice(0, 200)}`);
  assert.match(String(a.headers["x-amzn-errortype"]), /^[A-Za-z]+Exception:http:\/\/internal\.amazon\.com\/coral\//, what);
  assert.match(String(a.headers["x-amzn-requestid"]), /^[0-9a-f-]{36}$/, what);
  assert.match(String(a.headers["content-type"]), /^application\/json/, what);
  const json = JSON.parse(a.body) as { message?: unknown; Message?: unknown };
  const message = json.message ?? json.Message;
  assert.ok(typeof message === "string" && message.length > 0, `${what}: body has a message: ${a.body.slice(0, 200)}`);
}

// ------------------------------------------------------------------ generators

const VALID = {
  messages: [{ role: "user", content: [{ text: "What is the weather in Paris?" }] }],
  system: [{ text: "Be brief." }],
  inferenceConfig: { maxTokens: 50, temperature: 0.5, topP: 0.9, stopSequences: ["STOP"] },
  toolConfig: {
    tools: [{ toolSpec: { name: "get_weather", description: "Weather for a city", inputSchema: { json: { type: "object" } } } }],
  },
};
const OPERATIONS = ["converse", "converse-stream", "count-tokens"] as const;
type Operation = (typeof OPERATIONS)[number];

/** The request body of a valid call, shaped for the operation. */
function wrap(op: Operation, converse: unknown): unknown {
  return op === "count-tokens" ? { input: { converse } } : converse;
}
/** CountTokens' ConverseTokensRequest has no inferenceConfig: a member it ignores cannot make it invalid. */
const appliesTo = (o: Operation, path: Path) => !(o === "count-tokens" && path[0] === "inferenceConfig");

type Path = Array<string | number>;
// Members with a fixed type (documents such as inputSchema.json take any JSON, so they are left out).
const TYPED_PATHS: Path[] = [
  [],
  ["messages"],
  ["messages", 0],
  ["messages", 0, "role"],
  ["messages", 0, "content"],
  ["messages", 0, "content", 0],
  ["messages", 0, "content", 0, "text"],
  ["system"],
  ["system", 0],
  ["system", 0, "text"],
  ["inferenceConfig"],
  ["inferenceConfig", "maxTokens"],
  ["inferenceConfig", "temperature"],
  ["inferenceConfig", "topP"],
  ["inferenceConfig", "stopSequences"],
  ["inferenceConfig", "stopSequences", 0],
  ["toolConfig"],
  ["toolConfig", "tools"],
  ["toolConfig", "tools", 0],
  ["toolConfig", "tools", 0, "toolSpec"],
  ["toolConfig", "tools", 0, "toolSpec", "name"],
  ["toolConfig", "tools", 0, "toolSpec", "description"],
  ["toolConfig", "tools", 0, "toolSpec", "inputSchema"],
];
// Members the request cannot do without.
const REQUIRED_PATHS: Path[] = [
  ["messages"],
  ["messages", 0, "role"],
  ["messages", 0, "content"],
  ["messages", 0, "content", 0, "text"],
  ["system", 0, "text"],
  ["toolConfig", "tools"],
  ["toolConfig", "tools", 0, "toolSpec"],
  ["toolConfig", "tools", 0, "toolSpec", "name"],
  ["toolConfig", "tools", 0, "toolSpec", "inputSchema"],
];

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
function getAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
}
function setAt(root: unknown, path: Path, value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path[path.length - 1];
  if (remove) delete parent[key];
  else parent[key] = value;
  return root;
}
function jsonType(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

const anyValue = fc.oneof(
  fc.string({ maxLength: 20 }).map((s) => ({ t: "string", v: s as unknown })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => ({ t: "number", v: n as unknown })),
  fc.boolean().map((b) => ({ t: "boolean", v: b as unknown })),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 3 }).map((a) => ({ t: "array", v: a as unknown })),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 3 }).map((o) => ({ t: "object", v: o as unknown })),
);

const op = fc.constantFrom(...OPERATIONS);
const runtimePath = (o: Operation, model = MODEL) => `/model/${encodeURIComponent(model)}/${o}`;
const JSON_HEADERS = { "content-type": "application/json" };
const jsonRequest = (kind: string, o: Operation, body: unknown, extra: Partial<FuzzRequest> = {}): FuzzRequest => ({
  kind,
  method: "POST",
  path: runtimePath(o),
  headers: JSON_HEADERS,
  body: Buffer.from(JSON.stringify(body), "utf8"),
  ...extra,
});

const wrongType = fc
  .tuple(op, fc.constantFrom(...TYPED_PATHS), anyValue)
  .filter(([o, path, { t }]) => jsonType(getAt(VALID, path)) !== t && appliesTo(o, path))
  .map(([o, path, { v }]) => jsonRequest(`wrong type at ${path.join(".") || "(root)"}`, o, wrap(o, setAt(clone(VALID), path, v))));

const missingMember = fc
  .tuple(op, fc.constantFrom(...REQUIRED_PATHS), fc.boolean())
  .map(([o, path, asNull]) =>
    jsonRequest(`${asNull ? "null" : "missing"} ${path.join(".")}`, o, wrap(o, setAt(clone(VALID), path, null, !asNull))),
  );

const badValue = fc
  .tuple(
    op,
    fc.constantFrom<[Path, unknown]>(
      [["inferenceConfig", "temperature"], 5],
      [["inferenceConfig", "temperature"], -1],
      [["inferenceConfig", "topP"], 1.5],
      [["inferenceConfig", "maxTokens"], 0],
      [["inferenceConfig", "maxTokens"], -7],
      [["inferenceConfig", "maxTokens"], 1.5],
      [["messages"], []],
      [["messages", 0, "role"], "system"],
      [["messages", 0, "role"], ""],
      [["messages", 0, "content"], []],
      [["messages", 0, "content", 0], {}],
      [["messages", 0, "content", 0], { text: "a", image: {} }],
      [["messages", 0, "content", 0], { unknownBlock: {} }],
      [["messages", 0, "role"], "assistant"],
      [["toolConfig", "tools"], []],
      [["toolConfig", "tools", 0, "toolSpec", "name"], ""],
      [["toolConfig", "tools", 0, "toolSpec", "name"], "bad name with spaces!"],
      [["toolConfig", "tools", 0], {}],
    ),
  )
  .filter(([o, [path]]) => appliesTo(o, path))
  .map(([o, [path, v]]) => jsonRequest(`bad value at ${path.join(".")}`, o, wrap(o, setAt(clone(VALID), path, v))));

const invalidJson = fc
  .tuple(
    op,
    fc.oneof(
      fc.nat().map((n) => {
        const text = JSON.stringify(VALID);
        return text.slice(0, 1 + (n % (text.length - 1)));
      }),
      fc.string({ minLength: 1, maxLength: 60 }).filter((s) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return s.trim() !== "";
        }
      }),
      fc.constantFrom("{", "}", "[", "{'messages': []}", '{"messages": [1,]}', "NaN", '{"a":1}}', '{"messages":"\\x"}', "\u0000"),
      // JSON, but not an object.
      fc.constantFrom("null", "1", "true", '"text"', "[]", "[{}]", "1e999"),
    ),
  )
  .map(([o, text]) => ({
    kind: "invalid JSON",
    method: "POST",
    path: runtimePath(o),
    headers: JSON_HEADERS,
    body: Buffer.from(text, "utf8"),
  }));

const BAD_UTF8 = [
  [0xff],
  [0xc3, 0x28],
  [0xe2, 0x28, 0xa1],
  [0xf0, 0x28, 0x8c, 0x28],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];
const badUtf8 = fc.tuple(op, fc.constantFrom(...BAD_UTF8), fc.nat()).map(([o, bytes, at]) => {
  const text = Buffer.from(JSON.stringify(wrap(o, VALID)), "utf8");
  const i = at % text.length;
  return {
    kind: "bad UTF-8",
    method: "POST",
    path: runtimePath(o),
    headers: JSON_HEADERS,
    body: Buffer.concat([text.subarray(0, i), Buffer.from(bytes), text.subarray(i)]),
  };
});

const wrongContentType = fc
  .tuple(
    op,
    fc.oneof(
      fc.constantFrom(
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "application/octet-stream",
        "image/png",
        "text/html; charset=utf-8",
        "*/*",
      ),
      fc.stringMatching(/^[a-z]{1,12}\/[a-z.+-]{1,16}$/).filter((s) => !/json/i.test(s)),
    ),
  )
  .map(([o, ct]) => jsonRequest("wrong content-type", o, wrap(o, VALID), { headers: { "content-type": ct } }));

const oversized = fc.tuple(op, fc.integer({ min: MAX_BODY + 1, max: 3 * MAX_BODY })).map(([o, size]) => {
  const body = Buffer.alloc(size, 0x61);
  const head = Buffer.from('{"messages":[{"role":"user","content":[{"text":"', "utf8");
  head.copy(body);
  return { kind: "oversized body", method: "POST", path: runtimePath(o), headers: JSON_HEADERS, body };
});

const oddModelId = fc
  .tuple(
    op,
    fc.oneof(
      fc.string({ minLength: 1, maxLength: 40, unit: "binary" }),
      fc.constantFrom(
        "..",
        ".",
        "...",
        "../..",
        "\u0000",
        "a\u0000b",
        " ",
        "anthropic.claude-3-haiku-20240307-v1:0\u0000",
        "arn:aws:bedrock:us-east-1::foundation-model/",
        "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/nope",
        "arn:aws:bedrock",
        "us.",
        "anthropic.",
        "x".repeat(2049),
        "%2e%2e",
        "🦜",
        "anthropic.claude-3-haiku-20240307-v1:0 ",
        "ANTHROPIC.CLAUDE-3-HAIKU-20240307-V1:0",
      ),
      fc.integer({ min: 257, max: 4000 }).map((n) => "m".repeat(n)),
    ),
  )
  .map(([o, id]) => jsonRequest("odd model id", o, wrap(o, VALID), { path: `/model/${encodeURIComponent(id)}/${o}` }));

const pathTrick = fc
  .tuple(
    op,
    fc.oneof(
      fc.constantFrom(
        "/model/../converse",
        "/model/x/../converse",
        "/model/%2e%2e/converse",
        "/model/%2E%2E%2F%2E%2E/converse",
        "/model/%00/converse",
        "/model/a%00b/converse",
        "/model/x/converse%00",
        "/model/x%2Fconverse",
        "/model//converse",
        "/./model/x/converse",
        "/model/./converse",
        "//model/x/converse",
        "/model/x//converse",
        "/model/x/CONVERSE",
        "/model/%252e%252e/converse",
        "/model/%25252F/converse",
        "/model/x/converse/..",
        "/model/x/converse-stream/../converse",
        "/model/%ZZ/converse",
        "/model/%/converse",
        "/model/%E0%A4%A/converse",
        "/model/%C0%AF/converse",
        "/model/%ED%A0%80/converse",
        "/_emulator/../model/x/converse",
        "/_emulator/x-nothing",
        "/_emulator/x-..%2f..%2f",
        "/model",
        "/model/",
        "/",
        "/converse",
        "/inference-profiles/../model/x/converse",
        "/model/x/converse?%00=%00",
        "/model/\\x/converse".replace("\\", "%5C"),
      ),
      fc.integer({ min: 100, max: 40_000 }).map((n) => `/model/${"a".repeat(n)}/converse`),
      fc.integer({ min: 10, max: 2000 }).map((n) => `/model/x${"/..".repeat(n)}/converse`),
      fc.string({ maxLength: 30 }).map((s) => `/model/${MODEL}/${encodeURIComponent(s)}`),
      fc.string({ maxLength: 30 }).map((s) => `/model/${encodeURIComponent(encodeURIComponent(`${s}/x`))}/converse`),
    ),
  )
  .map(([o, path]) => jsonRequest("path trick", o, wrap(o, VALID), { path }));

const wrongMethod = fc
  .tuple(op, fc.constantFrom("GET", "PUT", "DELETE", "PATCH", "OPTIONS"))
  .map(([o, method]) => jsonRequest("wrong method", o, wrap(o, VALID), { method }));

const malformed = fc.oneof(
  wrongType,
  missingMember,
  badValue,
  invalidJson,
  badUtf8,
  wrongContentType,
  oversized,
  oddModelId,
  pathTrick,
  wrongMethod,
);

// ------------------------------------------------------------------ tests

describe("emulator fuzz: malformed requests", () => {
  test(`${CASES} malformed requests each get a well-formed AWS 4xx error; memory stays bounded`, DEADLINE, async () => {
    const kinds: Record<string, number> = {};
    const statuses: Record<number, number> = {};
    let n = 0;
    let rssStart = 0;
    let rssPeak = 0;
    await fc.assert(
      fc.asyncProperty(malformed, async (r) => {
        const a = await send(r);
        assertAwsError(a, `${r.kind}: ${r.method} ${r.path.slice(0, 120)}`);
        n++;
        const kind = r.kind.replace(/ (at|of) .*/, "").replace(/^(missing|null) .*/, "missing or null member");
        kinds[kind] = (kinds[kind] ?? 0) + 1;
        statuses[a.status] = (statuses[a.status] ?? 0) + 1;
        if (n === 100) rssStart = process.memoryUsage().rss;
        if (n % 500 === 0) {
          rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
          assert.ok(emu.requests().length <= 1000, "the request log is capped");
        }
      }),
      { numRuns: CASES, seed: Number(process.env.FUZZ_SEED ?? 8), endOnFailure: false },
    );
    const ok = await send({
      kind: "valid",
      method: "POST",
      path: runtimePath("converse"),
      headers: JSON_HEADERS,
      body: Buffer.from(JSON.stringify(VALID)),
    });
    assert.equal(ok.status, 200, "the emulator still answers a valid request");
    const rssEnd = process.memoryUsage().rss;
    rssPeak = Math.max(rssPeak, rssEnd);
    const growthMb = rssStart ? (rssPeak - rssStart) / 2 ** 20 : 0;
    console.log(
      `fuzz: ${n} malformed requests, all well-formed AWS 4xx errors; by kind ${JSON.stringify(kinds)}; ` +
        `statuses ${JSON.stringify(statuses)}; RSS growth after warm-up ${growthMb.toFixed(1)} MiB (peak ${(rssPeak / 2 ** 20).toFixed(0)} MiB)`,
    );
    // Bodies up to 3 x 64 KiB and a log capped at 1000 entries: growth is bounded well below this.
    assert.ok(growthMb < 256, `RSS grew by ${growthMb.toFixed(1)} MiB`);
  });

  test("a body past the default 50 MiB limit gets a 413 and the connection is still answered", { timeout: 60_000 }, async () => {
    const big = await startEmulator({ port: 0, host: "127.0.0.1" });
    try {
      const port = big.port;
      const body = Buffer.alloc(50 * 1024 * 1024 + 1, 0x20);
      const a = await new Promise<Answer>((resolve, reject) => {
        const req = http.request(
          { host: "127.0.0.1", port, method: "POST", path: runtimePath("converse"), headers: { "content-type": "application/json" } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
            );
          },
        );
        req.on("error", reject);
        req.end(body);
      });
      assertAwsError(a, "51 MiB body");
      assert.equal(a.status, 413);
    } finally {
      await big.close();
    }
  });
});

describe("emulator fuzz: requests Node's HTTP parser rejects", () => {
  /** Writes raw bytes on a new TCP connection and reads until the server closes it. */
  function rawExchange(bytes: string | Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(emu.port, "127.0.0.1");
      const chunks: Buffer[] = [];
      socket.setTimeout(10_000, () => socket.destroy(new Error("no answer within 10 s")));
      socket.on("data", (c: Buffer) => chunks.push(c));
      socket.on("error", (e: NodeJS.ErrnoException) =>
        e.code === "ECONNRESET" || e.code === "EPIPE" ? resolve(Buffer.concat(chunks).toString("latin1")) : reject(e),
      );
      socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
      socket.end(bytes);
    });
  }

  function parseRaw(text: string): Answer {
    const [head, ...rest] = text.split("\r\n\r\n");
    const [statusLine, ...lines] = head.split("\r\n");
    const headers: http.IncomingHttpHeaders = {};
    for (const line of lines) {
      const i = line.indexOf(":");
      headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    return { status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
  }

  const RAW: Array<[string, string]> = [
    ["a request line of garbage", "HELLO WORLD\r\n\r\n"],
    ["an unknown method", "FROB /model/x/converse HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["a bad content-length", "POST /model/x/converse HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}"],
    ["two content-lengths", "POST /model/x/converse HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"],
    ["a header without a colon", "POST /model/x/converse HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n"],
    ["a request line over 16 KiB", `POST /model/${"a".repeat(20_000)}/converse HTTP/1.1\r\nHost: x\r\n\r\n`],
    ["headers over 16 KiB", `POST /model/x/converse HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`],
    ["a bad chunked encoding", "POST /model/x/converse HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n"],
    ["a NUL in the path", "POST /model/x\u0000/converse HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["an HTTP/9 version", "POST /model/x/converse HTTP/9.9\r\nHost: x\r\n\r\n"],
  ];
  for (const [what, bytes] of RAW) {
    test(`${what} gets a well-formed AWS 4xx error`, { timeout: 15_000 }, async () => {
      const text = await rawExchange(bytes);
      assert.ok(text.startsWith("HTTP/1.1 4"), `${what}: ${JSON.stringify(text.slice(0, 120))}`);
      assertAwsError(parseRaw(text), what);
    });
  }
});
