// Issue 16, emulator items 1-11: the emulator is safe by default on a laptop, in CI and under attack.
// One test per item, named after it. Every attack is bounded in count and time and targets the
// emulator on 127.0.0.1 only.
import { ConverseCommand, ConverseStreamCommand, CountTokensCommand } from "@aws-sdk/client-bedrock-runtime";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { startEmulator, type Emulator, type JsonObject } from "bedrock-runtime-emulator";
import { checkAdminAccess, allowedAdminHosts } from "../src/admin-access.js";
import { countTokens } from "../src/model/index.js";
import { client, collect, MODEL, userMessage } from "./helpers.js";

const T = { timeout: 60_000 };
const TOKEN = "s3cret-admin-token-for-tests";

interface Answer {
  status: number;
  type: string | undefined;
  body: string;
}

/** One HTTP/1.1 request with exactly these headers (no defaults added) on 127.0.0.1. */
function send(
  url: string,
  method: string,
  path: string,
  opts: { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method, headers: opts.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          type: errorType(res.headers["x-amzn-errortype"]),
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** "ValidationException:http://internal.amazon.com/..." -> "ValidationException" */
const errorType = (header: string | string[] | undefined) => (typeof header === "string" ? header.split(":")[0] : undefined);

/** Polls until `check` holds; the test's timeout bounds the wait (no time is asserted). */
async function eventually(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

const json = { "content-type": "application/json" };
const converseBody = (text: string, extra: JsonObject = {}) =>
  JSON.stringify({ messages: [{ role: "user", content: [{ text }] }], ...extra });
const conversePath = `/model/${encodeURIComponent(MODEL)}/converse`;

/** Resolves when the socket closes (the server dropped it); the test's timeout bounds the wait. */
const closed = (socket: net.Socket) =>
  new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once("close", () => resolve())));
const connect = (port: number) =>
  new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1", () => resolve(s));
    s.on("error", () => undefined);
    s.once("error", reject);
  });

describe("issue 16: emulator security and robustness", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());

  test(
    "item 1: the admin API answers loopback only without a token, requires the token when one is set, and closes under --require-auth without one",
    T,
    async () => {
      // Default: loopback clients work with no token (the CLI, tests, startEmulator helpers).
      assert.equal((await send(emu.url, "GET", "/_emulator/health")).status, 200);

      // A peer on another host: refused without a token. (Checked on the decision itself: the tests
      // only ever connect over loopback.)
      const hosts = allowedAdminHosts("0.0.0.0");
      const facts = (remoteAddress: string, headers: Record<string, string> = {}) => ({
        method: "POST",
        headers: { host: `localhost:${emu.port}`, "content-type": "application/json", ...headers },
        remoteAddress,
        bodyBytes: 2,
      });
      const remote = checkAdminAccess({ requireAuth: false, boundHost: "0.0.0.0" }, facts("192.168.1.20"), hosts, emu.port);
      assert.equal(remote?.type, "AccessDeniedException");
      assert.match(remote!.message, /loopback only.*--admin-token/);
      assert.equal(checkAdminAccess({ requireAuth: false, boundHost: "0.0.0.0" }, facts("::ffff:127.0.0.1"), hosts, emu.port), undefined);
      assert.equal(
        checkAdminAccess(
          { token: TOKEN, requireAuth: false, boundHost: "0.0.0.0" },
          facts("192.168.1.20", { "x-emulator-admin-token": TOKEN }),
          hosts,
          emu.port,
        ),
        undefined,
      );

      // With a token: required from every address, loopback included, and never echoed.
      const guarded = await startEmulator({ adminToken: TOKEN });
      try {
        const missing = await send(guarded.url, "POST", "/_emulator/faults", { body: '{"kind":"latency"}', headers: json });
        assert.equal(missing.status, 403);
        assert.equal(missing.type, "AccessDeniedException");
        assert.match(missing.body, /x-emulator-admin-token/);
        const wrong = await send(guarded.url, "POST", "/_emulator/faults", {
          body: '{"kind":"latency"}',
          headers: { ...json, "x-emulator-admin-token": "not-the-token" },
        });
        assert.equal(wrong.status, 403);
        assert.ok(!wrong.body.includes(TOKEN) && !wrong.body.includes("not-the-token"));
        // The token is not an Authorization value: a bearer key there does not open the admin API.
        const asBearer = await send(guarded.url, "GET", "/_emulator/requests", { headers: { authorization: `Bearer ${TOKEN}` } });
        assert.equal(asBearer.status, 403);
        assert.deepEqual(guarded.faults(), []);
        const ok = await send(guarded.url, "POST", "/_emulator/faults", {
          body: '{"kind":"latency","delayMs":1}',
          headers: { ...json, "x-emulator-admin-token": TOKEN },
        });
        assert.equal(ok.status, 200);
        assert.equal(guarded.faults().length, 1);
        // The token never reaches the log (a header whose name says token).
        const sdk = client(guarded.url);
        try {
          await sdk.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("hi") }));
        } finally {
          sdk.destroy();
        }
        assert.ok(!JSON.stringify(guarded.requests()).includes(TOKEN));
      } finally {
        await guarded.close();
      }

      // --require-auth without a token: the admin API refuses everyone, even loopback with SigV4.
      const strict = await startEmulator({ requireAuth: true });
      try {
        const r = await send(strict.url, "GET", "/_emulator/health");
        assert.equal(r.status, 403);
        assert.match(r.body, /--require-auth is set and no admin token/);
        const posted = await send(strict.url, "POST", "/_emulator/script", { body: '[{"text":"x"}]', headers: json });
        assert.equal(posted.status, 403);
        assert.deepEqual(strict.script(), []);
      } finally {
        await strict.close();
      }
      const strictWithToken = await startEmulator({ requireAuth: true, adminToken: TOKEN });
      try {
        assert.equal(
          (await send(strictWithToken.url, "GET", "/_emulator/health", { headers: { "x-emulator-admin-token": TOKEN } })).status,
          200,
        );
      } finally {
        await strictWithToken.close();
      }
      await assert.rejects(startEmulator({ adminToken: "short" }), /at least 8 characters/);
    },
  );

  test(
    "item 1: the CLI prints the real address and a warning when it binds beyond loopback, and takes the token from the environment",
    T,
    async () => {
      const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
      const root = fileURLToPath(new URL("../../..", import.meta.url));
      const child = spawn(
        process.execPath,
        ["--conditions=source", "--import", "tsx", cli, "--host", "0.0.0.0", "--port", "0", "--quiet"],
        {
          cwd: root,
          stdio: ["ignore", "pipe", "pipe"],
          env: { ...process.env, BEDROCK_EMULATOR_ADMIN_TOKEN: TOKEN },
        },
      );
      try {
        let out = "";
        let err = "";
        child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
        await new Promise<void>((resolve, reject) => {
          child.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            if (out.includes("\n")) resolve();
          });
          child.once("exit", (code) => reject(new Error(`CLI exited with ${code}: ${err}`)));
        });
        const m = /^Bedrock Runtime emulator listening on http:\/\/0\.0\.0\.0:(\d+)\n/.exec(out);
        assert.ok(m, out);
        // The warning comes right after the listening line.
        for (let i = 0; i < 100 && !err.includes("\n"); i++) await new Promise((r) => setTimeout(r, 50));
        assert.match(err, /warning: listening on 0\.0\.0\.0, reachable from other machines/);
        assert.match(err, /requires the admin token in x-emulator-admin-token/);
        assert.ok(!err.includes(TOKEN) && !out.includes(TOKEN));
        // The token from the environment is in force (checked over loopback only).
        const url = `http://127.0.0.1:${m[1]}`;
        assert.equal((await send(url, "GET", "/_emulator/health")).status, 403);
        assert.equal((await send(url, "GET", "/_emulator/health", { headers: { "x-emulator-admin-token": TOKEN } })).status, 200);
      } finally {
        child.kill("SIGTERM");
        await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once("exit", r)));
      }
    },
  );

  test("item 2: cross-site requests cannot reach the admin API (no content-type, a foreign Host or Origin)", T, async () => {
    const script = '[{"text":"run rm -rf"}]';
    const noType = await send(emu.url, "POST", "/_emulator/script", { body: script });
    assert.equal(noType.status, 400);
    assert.equal(noType.type, "SerializationException");
    assert.match(noType.body, /content-type: application\/json/);
    const textPlain = await send(emu.url, "POST", "/_emulator/script", { body: script, headers: { "content-type": "text/plain" } });
    assert.equal(textPlain.status, 400);
    // A body-less POST from a form is refused too.
    assert.equal((await send(emu.url, "POST", "/_emulator/reset")).status, 400);
    // DNS rebinding: the page's own host name resolves to 127.0.0.1.
    const rebound = await send(emu.url, "POST", "/_emulator/script", { body: script, headers: { ...json, host: "evil.example.com" } });
    assert.equal(rebound.status, 403);
    assert.equal(rebound.type, "AccessDeniedException");
    const readLog = await send(emu.url, "GET", "/_emulator/requests", { headers: { host: `evil.example.com:${emu.port}` } });
    assert.equal(readLog.status, 403);
    const foreign = await send(emu.url, "POST", "/_emulator/script", {
      body: script,
      headers: { ...json, origin: "http://evil.example.com" },
    });
    assert.equal(foreign.status, 403);
    const nullOrigin = await send(emu.url, "POST", "/_emulator/script", { body: script, headers: { ...json, origin: "null" } });
    assert.equal(nullOrigin.status, 403);
    const otherLocalApp = await send(emu.url, "POST", "/_emulator/script", {
      body: script,
      headers: { ...json, origin: "http://localhost:3000" },
    });
    assert.equal(otherLocalApp.status, 403);
    assert.deepEqual(emu.script(), [], "nothing was queued");

    // What legitimate tools send still works: localhost, the bound address, h2 (:authority), own origin.
    assert.equal((await send(emu.url, "GET", "/_emulator/health", { headers: { host: `localhost:${emu.port}` } })).status, 200);
    const own = await send(emu.url, "POST", "/_emulator/script", {
      body: '[{"text":"ok"}]',
      headers: { ...json, origin: `http://127.0.0.1:${emu.port}` },
    });
    assert.equal(own.status, 200);
    const session = http2.connect(emu.url);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const r = session.request({ ":method": "DELETE", ":path": "/_emulator/script" });
        r.on("response", (h) => resolve(Number(h[":status"])));
        r.on("error", reject);
        r.resume();
        r.end();
      });
      assert.equal(status, 200);
    } finally {
      session.close();
    }
    assert.deepEqual(emu.script(), []);
  });

  test("item 3: silent sockets, slow headers and idle h2 sessions are closed, and silent sockets cannot lock clients out", T, async () => {
    const timed = await startEmulator({ sniffTimeoutMs: 200, headersTimeoutMs: 300, idleSessionTimeoutMs: 300, keepAliveTimeoutMs: 200 });
    try {
      // Sockets that never send a byte (before the HTTP/1.1-or-h2 decision).
      const silent = await Promise.all(Array.from({ length: 5 }, () => connect(timed.port)));
      // A few bytes of what could be the h2 preface, then nothing.
      const partial = await connect(timed.port);
      partial.write("PRI * HTTP/2.0\r\n");
      // Slow headers: a request line and one header, then nothing.
      const slow = await connect(timed.port);
      slow.write(`POST ${conversePath} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      // A keep-alive connection that goes idle after one request.
      const keptAlive = await connect(timed.port);
      const answered = new Promise<string>((resolve) => keptAlive.once("data", (d: Buffer) => resolve(d.toString("latin1"))));
      keptAlive.write("GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assert.match(await answered, /^HTTP\/1\.1 200 /);
      // An h2 session that opens no stream.
      const idle = http2.connect(timed.url);
      idle.on("error", () => undefined);
      const idleClosed = new Promise<void>((resolve) => idle.once("close", () => resolve()));
      await Promise.all([...silent.map(closed), closed(partial), closed(slow), closed(keptAlive), idleClosed]);
      await eventually(() => timed.openConnections() === 0);
    } finally {
      await timed.close();
    }

    // The limits are CLI flags too; a bad value is refused before the server starts.
    const cli = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", fileURLToPath(new URL("../src/cli.ts", import.meta.url)), "--sniff-timeout-ms", "0"],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    cli.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    assert.equal(await new Promise((resolve) => cli.once("exit", resolve)), 2);
    assert.match(stderr, /--sniff-timeout-ms must be a positive integer, got 0/);
    await assert.rejects(startEmulator({ maxConnections: 0 }), /maxConnections must be a positive integer/);

    // The cap: more silent sockets than it allows; the oldest silent ones make room for real clients.
    const capped = await startEmulator({ maxConnections: 10, sniffTimeoutMs: 60_000 });
    const sockets: net.Socket[] = [];
    try {
      for (let i = 0; i < 25; i++) sockets.push(await connect(capped.port));
      const sdk = client(capped.url, "http1");
      try {
        const out = await sdk.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("still served") }));
        assert.equal(out.output!.message!.content![0].text, "You said: still served");
      } finally {
        sdk.destroy();
      }
      assert.ok(capped.openConnections() <= 10, `open: ${capped.openConnections()}`);
      await Promise.all(sockets.slice(0, 15).map(closed)); // the 15 oldest were evicted
    } finally {
      for (const s of sockets) s.destroy();
      await capped.close();
    }
  });

  test("item 4: the request log is bounded in bytes; oversized bodies are truncated with a marker", T, async () => {
    const small = await startEmulator({ maxLoggedBodyBytes: 16 * 1024, maxLoggedBytes: 100 * 1024 });
    try {
      const big = "lorem ipsum ".repeat(4000); // about 48 KB: over the per-body limit
      for (let i = 0; i < 12; i++)
        assert.equal((await send(small.url, "POST", conversePath, { body: converseBody(`${i} ${big}`), headers: json })).status, 200);
      const mid = "dolor sit ".repeat(1000); // about 10 KB: logged whole
      for (let i = 0; i < 20; i++)
        assert.equal((await send(small.url, "POST", conversePath, { body: converseBody(`m${i} ${mid}`), headers: json })).status, 200);
      const log = small.requests();
      const size = Buffer.byteLength(JSON.stringify(log));
      assert.ok(size < 200 * 1024, `log of ${size} bytes`);
      assert.ok(log.length < 32, `${log.length} entries kept`);
      const newest = log.at(-1)!;
      assert.deepEqual((newest.body as JsonObject).messages, [{ role: "user", content: [{ text: `m19 ${mid}` }] }]);
    } finally {
      await small.close();
    }

    // Default limits: a 2 MB body is kept as a short preview that says what it was.
    // Words padded with spaces: 2 MB of body that stays inside Claude's 200,000-token window.
    const text = "lorem".padEnd(64, " ").repeat((2 * 1024 * 1024) / 64);
    assert.equal((await send(emu.url, "POST", conversePath, { body: converseBody(text), headers: json })).status, 200);
    const entry = emu.requests().at(-1)!;
    assert.equal(entry.bodyTruncated, true);
    assert.equal(entry.bodyBytes, converseBody(text).length);
    assert.equal(typeof entry.body, "string");
    assert.match(
      entry.body as string,
      /^\{"messages":\[\{"role":"user".*… \[truncated: the body has \d+ bytes; the log keeps bodies up to 1048576 bytes\]$/s,
    );
    assert.ok((entry.body as string).length < 10_000);
  });

  test("item 5: a request nested 3,000 levels deep can still be listed and serialised", T, async () => {
    const deep = `${"[".repeat(3000)}${"]".repeat(3000)}`;
    const body = `{"messages":[{"role":"user","content":[{"text":"deep"}]}],"additionalModelRequestFields":{"x":${deep}}}`;
    // Llama: Anthropic would refuse the unknown key "x" before anything is logged as answered.
    const llamaPath = `/model/${encodeURIComponent("meta.llama3-1-70b-instruct-v1:0")}/converse`;
    assert.equal((await send(emu.url, "POST", llamaPath, { body, headers: json })).status, 200);
    const listed = await send(emu.url, "GET", "/_emulator/requests");
    assert.equal(listed.status, 200);
    const entry = (JSON.parse(listed.body) as { requests: { body: JsonObject }[] }).requests.at(-1)!;
    assert.match(JSON.stringify(entry.body.additionalModelRequestFields), /nested deeper than 64 levels: not logged/);
    const own = emu.requests().at(-1)!;
    assert.deepEqual(own.body, entry.body);
    assert.doesNotThrow(() => JSON.stringify(emu.requests()));
  });

  test("item 6: credentials in query strings and in headers like x-auth are redacted in the log and the CLI lines", T, async () => {
    const lines: string[] = [];
    const logged = await startEmulator({ log: (line) => lines.push(line) });
    try {
      const secrets = [
        "FwoGZXIvYXdzEXAMPLESESSIONTOKEN",
        "AKIAQUERYSTRINGKEY",
        "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
        "xauth-secret-value",
        "apikey-secret-value",
      ];
      const query =
        `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Security-Token=${secrets[0]}&X-Amz-Credential=${secrets[1]}%2F20250101%2Fus-east-1%2Fbedrock%2Faws4_request` +
        `&X-Amz-Signature=${secrets[2]}&keep=visible`;
      const r = await send(logged.url, "POST", `${conversePath}${query}`, {
        body: converseBody("hi"),
        headers: { ...json, "x-auth": secrets[3], "x-api-key": secrets[4], "x-session": "sess-1234567" },
      });
      assert.equal(r.status, 200);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the log line is written when the response closes
      const entry = logged.requests().at(-1)!;
      assert.match(
        entry.path,
        /X-Amz-Security-Token=\[REDACTED\]&X-Amz-Credential=\[REDACTED\]&X-Amz-Signature=\[REDACTED\]&keep=visible$/,
      );
      assert.match(entry.path, /X-Amz-Algorithm=AWS4-HMAC-SHA256/);
      assert.equal(entry.headers["x-auth"], "[REDACTED]");
      assert.equal(entry.headers["x-api-key"], "[REDACTED]");
      assert.equal(entry.headers["x-session"], "[REDACTED]");
      const everything = JSON.stringify(logged.requests()) + lines.join("\n") + (await send(logged.url, "GET", "/_emulator/requests")).body;
      for (const secret of [...secrets, "sess-1234567"]) assert.ok(!everything.includes(secret), `${secret} leaked`);
      assert.ok(
        lines.some((l) => l.includes("X-Amz-Signature=[REDACTED]")),
        lines.join("\n"),
      );
    } finally {
      await logged.close();
    }
  });

  test("item 7: bad percent-encoding in an admin route answers 400, not 500", T, async () => {
    const r = await send(emu.url, "DELETE", "/_emulator/faults/%E0%A4%A");
    assert.equal(r.status, 400);
    assert.equal(r.type, "ValidationException");
    assert.match(r.body, /not valid percent-encoding/);
    const missing = await send(emu.url, "DELETE", "/_emulator/faults/fault-999");
    assert.equal(missing.status, 404);
  });

  test("item 8: a script nested 100,000 levels deep is refused when loaded, and the next request is answered", T, async () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const body = `[{"output":{"message":{"content":[{"toolUse":{"toolUseId":"t","name":"n","input":{"x":${deep}}}}]}}}]`;
    const r = await send(emu.url, "POST", "/_emulator/script", { body, headers: json });
    assert.equal(r.status, 400);
    assert.equal(r.type, "ValidationException");
    assert.match(r.body, /Script entry 0 is nested deeper than 64 levels/);
    assert.deepEqual(emu.script(), []);
    // The JS API checks the same way.
    let nested: JsonObject = { text: "leaf" };
    for (let i = 0; i < 100; i++) nested = { a: nested };
    assert.throws(() => emu.setScript([{ output: { message: { content: [nested] } } }]), /nested deeper than 64 levels/);
    // Too many replies.
    assert.throws(() => emu.setScript(Array.from({ length: 10_001 }, () => ({ text: "x" }))), /at most 10000 replies/);
    const after = await send(emu.url, "POST", conversePath, { body: converseBody("are you there"), headers: json });
    assert.equal(after.status, 200);
    assert.equal(
      (JSON.parse(after.body) as { output: { message: { content: { text: string }[] } } }).output.message.content[0].text,
      "You said: are you there",
    );
  });

  test("item 9: small requests complete while a large body is answered, and the large answer is the same as in-thread", T, async () => {
    // About 5 MB (answered on the worker thread) that stays inside Claude's 200,000-token window:
    // whitespace costs no tokens.
    const words = "alpha beta gamma delta epsilon 42".padEnd(400, " ");
    const text = words.repeat(Math.ceil((5 * 1024 * 1024) / words.length));
    const request = { messages: [{ role: "user", content: [{ text }] }] } as const;
    let bigDone = false;
    const big = send(emu.url, "POST", conversePath, { body: JSON.stringify(request), headers: json }).finally(() => (bigDone = true));
    const sdk = client(emu.url);
    let duringBig = 0;
    try {
      for (let i = 0; i < 200 && !bigDone; i++) {
        const out = await sdk.send(new ConverseCommand({ modelId: MODEL, messages: userMessage(`small ${i}`) }));
        assert.equal(out.output!.message!.content![0].text, `You said: small ${i}`);
        if (!bigDone) duringBig++;
      }
    } finally {
      sdk.destroy();
    }
    const answer = await big;
    assert.equal(answer.status, 200);
    assert.ok(duringBig > 0, "no small request completed while the large one ran");
    const parsed = JSON.parse(answer.body) as { output: { message: { content: { text: string }[] } }; usage: { inputTokens: number } };
    assert.equal(parsed.output.message.content[0].text, `You said: ${text.trim()}`);
    assert.equal(parsed.usage.inputTokens, countTokens({ input: { converse: request as never } }, MODEL));
    const bigEntry = emu.requests().find((e) => (e.bodyBytes ?? 0) > 5_000_000)!;
    assert.deepEqual(bigEntry.notes, ["large body: parsed and answered on a worker thread"]);

    // The same body through CountTokens and ConverseStream, and errors, come out as in-thread.
    const c = client(emu.url, "h2");
    try {
      const counted = await c.send(new CountTokensCommand({ modelId: MODEL, input: { converse: { messages: userMessage(text) } } }));
      assert.equal(counted.inputTokens, parsed.usage.inputTokens);
      const chunky = await startEmulator({ chunkSize: 100_000 });
      const cs = client(chunky.url, "h2");
      try {
        const streamed = await cs.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage(text) }));
        const events = await collect(streamed.stream);
        const streamedText = events.map((e) => e.contentBlockDelta?.delta?.text ?? "").join("");
        assert.equal(streamedText, `You said: ${text.trim()}`);
        assert.equal(events.at(-1)!.metadata!.usage!.inputTokens, parsed.usage.inputTokens);
      } finally {
        cs.destroy();
        await chunky.close();
      }
      const invalid = await send(emu.url, "POST", conversePath, {
        body: JSON.stringify({ messages: [{ role: "robot", content: [{ text }] }] }),
        headers: json,
      });
      assert.equal(invalid.status, 400);
      assert.equal(invalid.type, "ValidationException");
      const broken = await send(emu.url, "POST", conversePath, { body: `${JSON.stringify(request).slice(0, -2)}`, headers: json });
      assert.equal(broken.status, 400);
      assert.equal(broken.type, "SerializationException");
      // A queued script still answers a large request (in-thread).
      emu.setScript([{ text: "scripted" }]);
      const scripted = await send(emu.url, "POST", conversePath, { body: JSON.stringify(request), headers: json });
      assert.equal(
        (JSON.parse(scripted.body) as { output: { message: { content: { text: string }[] } } }).output.message.content[0].text,
        "scripted",
      );
    } finally {
      c.destroy();
    }
  });

  test("item 10: over h2, a 100 KB path or 1,000 headers gets the same 431 ValidationException as HTTP/1.1", T, async () => {
    const session = http2.connect(emu.url, { maxSendHeaderBlockLength: 4 * 1024 * 1024 });
    session.on("error", () => undefined);
    const h2 = (headers: http2.OutgoingHttpHeaders) =>
      new Promise<Answer>((resolve, reject) => {
        const r = session.request(headers);
        let status = 0;
        let type: string | undefined;
        let body = "";
        r.on("response", (h) => {
          status = Number(h[":status"]);
          type = errorType(h["x-amzn-errortype"]);
        });
        r.on("data", (c: Buffer) => (body += c.toString()));
        r.on("end", () => resolve({ status, type, body }));
        r.on("error", reject);
        r.end();
      });
    const many: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) many[`x-custom-header-${i}`] = `value-${i}`;
    try {
      const longPath = await h2({
        ":method": "POST",
        ":path": `${conversePath}?${"a".repeat(100_000)}`,
        "content-type": "application/json",
      });
      const manyHeaders = await h2({ ":method": "POST", ":path": conversePath, "content-type": "application/json", ...many });
      const h1 = await send(emu.url, "POST", conversePath, { body: converseBody("hi"), headers: { ...json, ...many } });
      for (const r of [longPath, manyHeaders, h1]) {
        assert.equal(r.status, 431);
        assert.equal(r.type, "ValidationException");
        assert.deepEqual(JSON.parse(r.body), { message: "The request line and headers are larger than 16384 bytes." });
      }
      // The session survives: the next request on it is answered.
      const next = await h2({ ":method": "GET", ":path": "/_emulator/health" });
      assert.equal(next.status, 200);
    } finally {
      session.close();
    }
  });

  test("item 11: a tool schema that requires __proto__ (or constructor) gets generated input with it", T, async () => {
    // JSON text, not an object literal: a literal's "__proto__" would set the prototype.
    const schema =
      '{"type":"object","properties":{"__proto__":{"type":"string"},"constructor":{"type":"string"},"city":{"type":"string"}},"required":["__proto__","constructor","city"]}';
    const body = `{"messages":[{"role":"user","content":[{"text":"weather in Paris"}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"lookup","inputSchema":{"json":${schema}}}}],"toolChoice":{"any":{}}}}`;
    const r = await send(emu.url, "POST", conversePath, { body, headers: json });
    assert.equal(r.status, 200, r.body);
    const out = JSON.parse(r.body) as { output: { message: { content: { toolUse?: { input: Record<string, unknown> } }[] } } };
    const input = out.output.message.content.find((b) => b.toolUse)!.toolUse!.input;
    for (const key of ["__proto__", "constructor", "city"]) {
      assert.ok(Object.hasOwn(input, key), `missing ${key} in ${JSON.stringify(input)}`);
      assert.equal(typeof input[key], "string");
    }
    assert.equal(Object.getPrototypeOf(input), Object.prototype);
  });
});
