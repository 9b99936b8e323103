// Scripted replies, the admin API, the request log (redaction, disconnects) and response-field paths.
import {
  ConverseCommand,
  ConverseStreamCommand,
  ModelErrorException,
  ModelStreamErrorException,
  ThrottlingException,
} from "@aws-sdk/client-bedrock-runtime";
import assert from "node:assert/strict";
import http2 from "node:http2";
import { after, before, beforeEach, describe, test } from "node:test";
import { startEmulator, type Emulator, type JsonObject } from "bedrock-runtime-emulator";
import { countOutputTokens, countTokens } from "../src/model/index.js";
import { adminPost, client, collect, kinds, MODEL, rawRequest, TIMEOUT, userMessage } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ script: [{ text: "from the start-up script" }] });
});
beforeEach(() => emu.reset());
after(() => emu.close());

async function converseText(e: Emulator, text: string): Promise<string> {
  const c = client(e.url);
  try {
    const out = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage(text) }));
    return (out.output!.message!.content ?? []).map((b) => b.text ?? "").join("");
  } finally {
    c.destroy();
  }
}

describe("scripted replies", () => {
  test("the start-up script answers first; reset clears it", TIMEOUT, async () => {
    const fresh = await startEmulator({ script: [{ text: "from the start-up script" }] });
    try {
      assert.equal(await converseText(fresh, "hi"), "from the start-up script");
      assert.equal(fresh.requests().at(-1)!.scripted, true);
      assert.deepEqual(fresh.script(), []);
      await converseText(fresh, "hi");
      assert.equal(fresh.requests().at(-1)!.scripted, false, "empty queue -> default model");
    } finally {
      await fresh.close();
    }
  });

  test("queue order, match on the last user text, then the default model", TIMEOUT, async () => {
    emu.setScript([{ match: "weather", text: "Sunny, 21°C." }, { text: "first" }]);
    emu.pushScript({ text: "second" });
    assert.equal(await converseText(emu, "hello"), "first");
    assert.equal(await converseText(emu, "what's the weather in Paris?"), "Sunny, 21°C.");
    assert.equal(await converseText(emu, "hello again"), "second");
    await converseText(emu, "and again");
    assert.deepEqual(
      emu.requests().map((r) => r.scripted),
      [true, true, true, false],
    );
  });

  test("missing usage is counted like CountTokens; given usage is kept", TIMEOUT, async () => {
    const content: JsonObject[] = [{ text: "The answer is 42." }, { toolUse: { toolUseId: "tooluse_1", name: "calc", input: { x: 42 } } }];
    emu.setScript([{ output: { message: { content } } }, { text: "fixed", usage: { inputTokens: 7, outputTokens: 3 } }]);
    const c = client(emu.url);
    try {
      const messages = userMessage("What is six times seven?");
      const out = await c.send(new ConverseCommand({ modelId: MODEL, messages }));
      const input = countTokens({ input: { converse: { messages } } }, MODEL);
      // the output counts the reply's blocks only: no turn template
      const output = countOutputTokens(content);
      assert.deepEqual(out.usage, { inputTokens: input, outputTokens: output, totalTokens: input + output });
      assert.equal(out.stopReason, "tool_use", "stopReason defaults to tool_use when the reply calls a tool");
      const second = await c.send(new ConverseCommand({ modelId: MODEL, messages }));
      assert.deepEqual(second.usage, { inputTokens: 7, outputTokens: 3, totalTokens: 10 });
      assert.equal(second.stopReason, "end_turn");
    } finally {
      c.destroy();
    }
  });

  test("the stream form is derived from the same entry", TIMEOUT, async () => {
    const entry = {
      text: "Streaming and non-streaming agree on every word here.",
      stopReason: "max_tokens",
      usage: { inputTokens: 5, outputTokens: 9 },
    };
    emu.setScript([entry, entry]);
    const c = client(emu.url, "http1");
    try {
      const whole = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("go") }));
      const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("go") }));
      const events = await collect(out.stream);
      assert.equal(events.map((e) => e.contentBlockDelta?.delta?.text ?? "").join(""), whole.output!.message!.content![0].text);
      assert.deepEqual(events.at(-2)!.messageStop, { stopReason: "max_tokens" });
      assert.deepEqual(events.at(-1)!.metadata!.usage, whole.usage);
      assert.deepEqual(whole.usage, { inputTokens: 5, outputTokens: 9, totalTokens: 14 });
    } finally {
      c.destroy();
    }
  });

  test("error entries: HTTP errors, and modelStreamErrorException inside a stream", TIMEOUT, async () => {
    emu.setScript([
      { error: { type: "ThrottlingException", message: "Too many tokens, please wait before trying again." } },
      { error: { type: "modelStreamErrorException", message: "Model produced invalid sequence" } },
      { error: { type: "modelStreamErrorException", message: "Model produced invalid sequence" } },
    ]);
    const c = client(emu.url, "h2", { maxAttempts: 1 });
    try {
      const throttled = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("a") })).catch((e: Error) => e);
      assert.ok(throttled instanceof ThrottlingException);
      assert.equal(throttled.message, "Too many tokens, please wait before trying again.");
      const modelError = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("b") })).catch((e: Error) => e);
      assert.ok(modelError instanceof ModelErrorException);
      assert.equal((modelError as ModelErrorException).$metadata.httpStatusCode, 424);
      const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("c") }));
      const seen: string[] = [];
      const err = await (async () => {
        for await (const e of out.stream!) seen.push(Object.keys(e)[0]);
      })().catch((e: Error) => e);
      assert.ok(err instanceof ModelStreamErrorException);
      assert.equal(err.message, "Model produced invalid sequence");
      assert.deepEqual(seen, ["messageStart"]);
    } finally {
      c.destroy();
    }
  });

  test("setScript rejects malformed entries", () => {
    assert.throws(() => emu.setScript([{ match: 3 } as never]), {
      name: "TypeError",
      message: "Script entry 0 needs output.message.content (a list of content blocks), text, or error.",
    });
  });

  test("additionalModelResponseFieldPaths picks JSON pointers, in both forms", TIMEOUT, async () => {
    const entry = { text: "ok", additionalModelResponseFields: { stop_sequence: null, usage: { a: 1, b: 2 }, "x/y": true } };
    emu.setScript([entry, entry]);
    const c = client(emu.url);
    try {
      const paths = ["/stop_sequence", "/usage/b", "/x~1y", "/missing"];
      const out = await c.send(
        new ConverseCommand({ modelId: MODEL, messages: userMessage("hi"), additionalModelResponseFieldPaths: paths }),
      );
      assert.deepEqual(out.additionalModelResponseFields, { stop_sequence: null, usage: { b: 2 }, "x/y": true });
      const stream = await c.send(
        new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("hi"), additionalModelResponseFieldPaths: paths }),
      );
      const events = await collect(stream.stream);
      assert.deepEqual(events.at(-2)!.messageStop!.additionalModelResponseFields, { stop_sequence: null, usage: { b: 2 }, "x/y": true });
    } finally {
      c.destroy();
    }
  });
});

describe("admin API", () => {
  test("script: replace, append, list, clear", TIMEOUT, async () => {
    let res = await adminPost(emu.url, "/_emulator/script", [{ text: "one" }]);
    assert.deepEqual([res.status, JSON.parse(res.body)], [200, { queued: 1 }]);
    res = await adminPost(emu.url, "/_emulator/script/append", { replies: [{ text: "two" }] });
    assert.deepEqual(JSON.parse(res.body), { queued: 2 });
    assert.deepEqual(JSON.parse((await rawRequest(emu.url, "GET", "/_emulator/script")).body), {
      replies: [{ text: "one" }, { text: "two" }],
    });
    assert.equal(await converseText(emu, "x"), "one");
    await rawRequest(emu.url, "DELETE", "/_emulator/script");
    assert.deepEqual(emu.script(), []);
    res = await adminPost(emu.url, "/_emulator/script", { nope: true });
    assert.equal(res.status, 400);
    assert.equal(res.headers["x-amzn-errortype"], "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/");
    assert.deepEqual(JSON.parse(res.body), { message: 'A script must be a JSON array of replies (or {"replies": [...]}).' });
  });

  test("faults: add (one or many), list, delete one, clear, reject bad specs", TIMEOUT, async () => {
    let res = await adminPost(emu.url, "/_emulator/faults", [
      { kind: "latency", delayMs: 1 },
      { kind: "error", errorType: "ModelTimeoutException", times: 1 },
    ]);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body).faults, [
      { kind: "latency", delayMs: 1, id: "fault-1", fired: 0 },
      { kind: "error", errorType: "ModelTimeoutException", times: 1, id: "fault-2", fired: 0 },
    ]);
    const r = await rawRequest(emu.url, "POST", `/model/${MODEL}/converse`, JSON.stringify({ messages: userMessage("hi") }));
    assert.equal(r.status, 408);
    assert.deepEqual(JSON.parse(r.body), { message: "Model has timed out in processing the request. Try your request again." });
    res = await rawRequest(emu.url, "DELETE", "/_emulator/faults/fault-1");
    assert.deepEqual(JSON.parse(res.body), { removed: "fault-1" });
    assert.deepEqual(JSON.parse((await rawRequest(emu.url, "GET", "/_emulator/faults")).body), { faults: [] });
    res = await adminPost(emu.url, "/_emulator/faults", { kind: "error", errorType: "NopeException" });
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body), { message: 'Unknown errorType "NopeException" for an error fault.' });
    await adminPost(emu.url, "/_emulator/faults", { kind: "error" });
    await rawRequest(emu.url, "DELETE", "/_emulator/faults");
    assert.deepEqual(emu.faults(), []);
  });

  test("guardrail policy: read, update, reject bad input, reset", TIMEOUT, async () => {
    const initial = JSON.parse((await rawRequest(emu.url, "GET", "/_emulator/guardrail-policy")).body);
    assert.deepEqual(initial.blockedWords, ["blockedword", "forbidden-topic"]);
    const updated = await adminPost(emu.url, "/_emulator/guardrail-policy", { blockedWords: ["pineapple"] });
    assert.deepEqual(JSON.parse(updated.body).blockedWords, ["pineapple"]);
    assert.deepEqual(emu.guardrailPolicy().blockedWords, ["pineapple"]);
    const c = client(emu.url);
    try {
      const out = await c.send(
        new ConverseCommand({
          modelId: MODEL,
          messages: userMessage("I like pineapple on pizza"),
          guardrailConfig: { guardrailIdentifier: "gr1", guardrailVersion: "1" },
        }),
      );
      assert.equal(out.stopReason, "guardrail_intervened");
    } finally {
      c.destroy();
    }
    const bad = await adminPost(emu.url, "/_emulator/guardrail-policy", { blockedWords: "pineapple" });
    assert.deepEqual([bad.status, JSON.parse(bad.body)], [400, { message: "blockedWords must be a list of strings." }]);
    await adminPost(emu.url, "/_emulator/reset", {});
    assert.deepEqual(emu.guardrailPolicy().blockedWords, ["blockedword", "forbidden-topic"]);
  });

  test("each emulator has its own guardrail policy: start-up option, admin API, JS method, reset, large bodies", TIMEOUT, async () => {
    const mango = await startEmulator({ guardrailPolicy: { blockedWords: ["mango"], blockedInputMessage: "No mango here." } });
    const plain = await startEmulator();
    // Sends `text` with a guardrail; a large body goes through the worker thread (offload.ts).
    // Whitespace costs no tokens, so the padding stays inside the model's window.
    const guarded = async (e: Emulator, text: string, large = false) => {
      const c = client(e.url);
      try {
        const filler = large
          ? [{ role: "assistant" as const, content: [{ text: `ok${" ".repeat(1_200_000)}ok` }] }, ...userMessage(text)]
          : [];
        const out = await c.send(
          new ConverseCommand({
            modelId: MODEL,
            messages: large ? [...userMessage("hello"), ...filler] : userMessage(text),
            guardrailConfig: { guardrailIdentifier: "gr1", guardrailVersion: "1" },
          }),
        );
        return [out.stopReason, out.stopReason === "guardrail_intervened" ? out.output!.message!.content![0].text : ""];
      } finally {
        c.destroy();
      }
    };
    try {
      assert.deepEqual(await guarded(mango, "a mango please"), ["guardrail_intervened", "No mango here."]);
      assert.deepEqual(await guarded(plain, "a mango please"), ["end_turn", ""]);
      assert.deepEqual(await guarded(mango, "a blockedword"), ["end_turn", ""], "the start-up option replaced the default words");
      await adminPost(plain.url, "/_emulator/guardrail-policy", { blockedWords: ["kiwi"] });
      plain.setGuardrailPolicy({ blockedOutputMessage: "Plain says no." });
      assert.deepEqual(mango.guardrailPolicy().blockedWords, ["mango"], "the admin API of one emulator leaves the other alone");
      assert.equal(mango.guardrailPolicy().blockedOutputMessage, "Sorry, the model cannot answer this question.");
      assert.equal(emu.guardrailPolicy().blockedWords.includes("kiwi"), false);
      assert.deepEqual(await guarded(plain, "a kiwi please", true), [
        "guardrail_intervened",
        "Sorry, the model cannot answer this question.",
      ]);
      assert.deepEqual(
        await guarded(mango, "a kiwi please", true),
        ["end_turn", ""],
        "the worker thread uses the policy of the emulator it serves",
      );
      assert.deepEqual(await guarded(mango, "a mango please", true), ["guardrail_intervened", "No mango here."]);
      assert.deepEqual(mango.requests().at(-1)!.notes, ["large body: parsed and answered on a worker thread"]);
      mango.setGuardrailPolicy({ blockedWords: [] });
      mango.reset();
      assert.deepEqual(mango.guardrailPolicy().blockedWords, ["mango"], "reset restores the start-up policy");
      assert.deepEqual(plain.guardrailPolicy().blockedWords, ["kiwi"]);
    } finally {
      await Promise.all([mango.close(), plain.close()]);
    }
    await assert.rejects(startEmulator({ guardrailPolicy: { blockedWords: "mango" as unknown as string[] } }), {
      name: "TypeError",
      message: "guardrailPolicy: blockedWords must be a list of strings.",
    });
  });

  test("requests, reset, health; admin calls are not logged; unknown admin path is 404", TIMEOUT, async () => {
    await converseText(emu, "logged");
    const listed = JSON.parse((await rawRequest(emu.url, "GET", "/_emulator/requests")).body);
    assert.equal(listed.requests.length, 1);
    assert.equal(listed.requests[0].operation, "converse");
    assert.deepEqual(listed.requests[0].body, { messages: userMessage("logged") });
    emu.addFault({ kind: "error" });
    emu.setScript([{ text: "x" }]);
    const reset = await adminPost(emu.url, "/_emulator/reset", {});
    assert.deepEqual(JSON.parse(reset.body), { reset: true });
    assert.deepEqual([emu.requests(), emu.faults(), emu.script()], [[], [], []]);
    assert.deepEqual(JSON.parse((await rawRequest(emu.url, "GET", "/_emulator/health")).body), { status: "ok" });
    const missing = await rawRequest(emu.url, "GET", "/_emulator/nothing");
    assert.equal(missing.status, 404);
    assert.match(String(missing.headers["x-amzn-requestid"]), /^[0-9a-f-]{36}$/);
    assert.deepEqual(emu.requests(), []);
  });
});

describe("request log", () => {
  test("credentials and secret-looking headers never reach the log", TIMEOUT, async () => {
    const secretKey = "SECRETKEY+wJalrXUtnFEMIK7MDENGbPxRfiCY";
    const sessionToken = "SESSIONTOKEN-FQoGZXIvYXdzEJr1K2n8secret";
    const bearer = "ABSKQmVkcm9ja0FQSUtleS1zZWNyZXQtYmVhcmVy";
    const sigv4 = client(emu.url, "h2", { credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: secretKey, sessionToken } });
    const bearerClient = client(emu.url, "http1", { token: { token: bearer }, authSchemePreference: ["httpBearerAuth"] });
    try {
      await sigv4.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("hi") }));
      await bearerClient.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("hi") }));
      await rawRequest(emu.url, "POST", `/model/${MODEL}/converse`, JSON.stringify({ messages: userMessage("hi") }), {
        "x-api-key": "APIKEY-secret-value",
        cookie: "session=COOKIE-secret",
      });
      const [a, b, raw] = emu.requests();
      assert.equal(a.headers.authorization, "AWS4-HMAC-SHA256 [REDACTED]");
      assert.equal(a.headers["x-amz-security-token"], "[REDACTED]");
      assert.equal(b.headers.authorization, "Bearer [REDACTED]");
      assert.equal(raw.headers["x-api-key"], "[REDACTED]");
      assert.equal(raw.headers.cookie, "[REDACTED]");
      assert.equal(a.headers["amz-sdk-request"], "attempt=1; max=3", "ordinary headers are kept");
      const everything = JSON.stringify(emu.requests()) + (await rawRequest(emu.url, "GET", "/_emulator/requests")).body;
      for (const secret of [secretKey, sessionToken, bearer, "APIKEY-secret-value", "COOKIE-secret", "Signature="]) {
        assert.equal(everything.includes(secret), false, `${secret} must not be logged`);
      }
    } finally {
      sigv4.destroy();
      bearerClient.destroy();
    }
  });

  // Over HTTP/1.1 the SDK closes the socket when the caller stops reading. Its h2 handler keeps the
  // session open in the background, so the h2 case cancels the stream with a raw http2 client.
  async function waitForAbort(e: Emulator) {
    let entry = e.requests()[0];
    for (let i = 0; i < 200 && !entry?.aborted; i++) {
      await new Promise((r) => setTimeout(r, 25));
      entry = e.requests()[0];
    }
    return entry;
  }
  const LONG_REPLY = { text: Array.from({ length: 60 }, (_, i) => `word${i}`).join(" "), chunkSize: 1 };

  test("a client that disconnects mid-stream is logged as aborted (http1, SDK)", TIMEOUT, async () => {
    const slow = await startEmulator({ streamEventDelayMs: 25, script: [LONG_REPLY] });
    const c = client(slow.url, "http1");
    try {
      const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("long") }));
      let seen = 0;
      for await (const _ of out.stream!) if (++seen === 3) break;
      c.destroy();
      const entry = await waitForAbort(slow);
      assert.equal(entry.aborted, true);
      assert.match(entry.notes!.at(-1)!, /^client closed the connection after \d+ stream events$/);
      assert.equal(entry.streamEvents!.includes("metadata"), false);
    } finally {
      c.destroy();
      await slow.close();
    }
  });

  test("a client that cancels an h2 stream is logged as aborted (h2, RST_STREAM)", TIMEOUT, async () => {
    const slow = await startEmulator({ streamEventDelayMs: 25, script: [LONG_REPLY] });
    const session = http2.connect(slow.url);
    try {
      const req = session.request({
        ":method": "POST",
        ":path": `/model/${encodeURIComponent(MODEL)}/converse-stream`,
        "content-type": "application/json",
      });
      req.end(JSON.stringify({ messages: userMessage("long") }));
      let chunks = 0;
      req.on("data", () => {
        if (++chunks === 3) req.close(http2.constants.NGHTTP2_CANCEL);
      });
      const entry = await waitForAbort(slow);
      assert.equal(entry.aborted, true);
      assert.equal(entry.protocol, "h2");
      assert.match(entry.notes!.at(-1)!, /^client closed the connection after \d+ stream events$/);
      assert.equal(entry.streamEvents!.includes("metadata"), false);
    } finally {
      session.destroy();
      await slow.close();
    }
  });

  test("events are logged in order with their kinds", TIMEOUT, async () => {
    emu.setScript([{ text: "a b c d", chunkSize: 2 }]);
    const c = client(emu.url);
    try {
      const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("x") }));
      const events = await collect(out.stream);
      assert.deepEqual(emu.requests()[0].streamEvents, kinds(events));
      assert.deepEqual(kinds(events), [
        "messageStart",
        "contentBlockDelta",
        "contentBlockDelta",
        "contentBlockStop",
        "messageStop",
        "metadata",
      ]);
    } finally {
      c.destroy();
    }
  });
});
