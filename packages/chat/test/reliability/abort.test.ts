// Abort over real HTTP/1.1 (the model's default handler): an AbortSignal fired mid-invoke or
// mid-stream ends the call at once, the emulator sees the connection close (`aborted: true` in its
// log), and nothing is left behind: no abort listeners on the signal, no timers, no sockets.
// Every test has a deadline far below the injected delays, so a call that ignores the signal fails.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import type { AIMessageChunk } from "@langchain/core/messages";
import type { Emulator, LoggedRequest } from "bedrock-runtime-emulator";
import { emulator, model, runtimeRequests } from "../helpers.js";

const DEADLINE = { timeout: 10_000 };
const PROMPT = "Tell me a long story about the sea, the wind, the ships and the sailors of old.";

let emu: Emulator;
let slow: Emulator;
before(async () => {
  emu = await emulator();
  // 100 ms between stream events, and one word per delta: a stream that lasts a few seconds.
  slow = await emulator({ streamEventDelayMs: 100, chunkSize: 1 });
});
after(async () => {
  await emu.close();
  await slow.close();
});
beforeEach(() => {
  emu.reset();
  slow.reset();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls (bounded) until `check` holds; the test's deadline is the real bound. */
async function eventually(check: () => boolean, what: string, tries = 150): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (check()) return;
    await sleep(20);
  }
  assert.fail(`never happened: ${what}`);
}

/** Active handles and requests, by kind (timers, sockets, ...). */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

/** Waits until no more timers or sockets are active than in `baseline` (the emulator's own included). */
async function noLeaks(baseline: Record<string, number>): Promise<void> {
  const leaked = () => {
    const now = resources();
    return Object.keys(now).filter((k) => (k === "Timeout" || k.includes("TCP") || k.includes("Pipe")) && now[k] > (baseline[k] ?? 0));
  };
  let last: string[] = [];
  await eventually(() => {
    last = leaked();
    return last.length === 0;
  }, "timers and sockets back to the baseline").catch(() => {
    assert.fail(`leaked: ${last.map((k) => `${k} ${resources()[k]} > ${baseline[k] ?? 0}`).join(", ")}`);
  });
}

function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, "abort").length;
}

/** The single runtime request, once its connection has closed. */
async function closedRequest(e: Emulator): Promise<LoggedRequest> {
  let req: LoggedRequest | undefined;
  await eventually(() => {
    req = runtimeRequests(e)[0];
    return req?.durationMs !== undefined;
  }, "the emulator logged the request's connection closing");
  return req!;
}

/** A baseline taken after one finished call, so the shared keep-alive pool is warm and idle. */
async function warmBaseline(e: Emulator): Promise<Record<string, number>> {
  await model(e).invoke("warm up");
  await sleep(50);
  e.reset();
  return resources();
}

describe("abort mid-invoke", () => {
  test("ends the call at once, closes the connection, leaves no listener, timer or socket", DEADLINE, async () => {
    const baseline = await warmBaseline(emu);
    emu.addFault({ kind: "latency", delayMs: 60_000 });
    const controller = new AbortController();
    const p = model(emu, { maxRetries: 2 }).invoke(PROMPT, { signal: controller.signal });
    await eventually(() => runtimeRequests(emu).length === 1, "the request reached the emulator");
    controller.abort();
    const err = await p.then(
      () => assert.fail("invoke resolved after abort"),
      (e: Error) => e,
    );
    assert.match(`${err.name} ${err.message}`, /abort/i);
    const req = await closedRequest(emu);
    assert.equal(req.aborted, true);
    assert.equal(req.protocol, "http/1.1");
    assert.equal(runtimeRequests(emu).length, 1, "an abort is not retried");
    assert.equal(abortListeners(controller.signal), 0);
    await noLeaks(baseline);
  });

  test("an abort with a reason rejects with that reason's message, and a timeout signal works too", DEADLINE, async () => {
    emu.addFault({ kind: "latency", delayMs: 60_000 });
    const signal = AbortSignal.timeout(150);
    const err = await model(emu)
      .invoke(PROMPT, { signal })
      .then(
        () => assert.fail("resolved"),
        (e: Error) => e,
      );
    assert.match(`${err.name} ${err.message}`, /abort|timeout/i);
    assert.equal((await closedRequest(emu)).aborted, true);
    assert.equal(abortListeners(signal), 0);
  });

  test("a finished invoke leaves no listener on its signal", DEADLINE, async () => {
    const controller = new AbortController();
    await model(emu).invoke(PROMPT, { signal: controller.signal });
    assert.equal(abortListeners(controller.signal), 0);
    const batchSignal = new AbortController().signal;
    await model(emu).batch([PROMPT, PROMPT], { signal: batchSignal });
    assert.equal(abortListeners(batchSignal), 0);
  });
});

describe("abort mid-stream", () => {
  test("ends the stream at once, closes the connection, leaves no listener, timer or socket", DEADLINE, async () => {
    const baseline = await warmBaseline(slow);
    const controller = new AbortController();
    const got: AIMessageChunk[] = [];
    const err = await (async () => {
      for await (const c of await model(slow).stream(PROMPT, { signal: controller.signal })) {
        got.push(c);
        if (got.length === 3) controller.abort();
      }
    })().then(
      () => assert.fail("the stream ended quietly after abort"),
      (e: Error) => e,
    );
    assert.match(`${err.name} ${err.message}`, /abort/i);
    assert.equal(got.length, 3, "no chunk after the abort");
    const req = await closedRequest(slow);
    assert.equal(req.aborted, true);
    assert.equal(req.protocol, "http/1.1");
    assert.ok(req.streamEvents!.length < 10, `the emulator stopped writing (${req.streamEvents!.length} events)`);
    assert.equal(abortListeners(controller.signal), 0);
    await noLeaks(baseline);
  });

  test("an abort before the first event (while waiting for headers) ends the stream", DEADLINE, async () => {
    slow.addFault({ kind: "latency", delayMs: 60_000 });
    const controller = new AbortController();
    const run = (async () => {
      for await (const _ of await model(slow).stream(PROMPT, { signal: controller.signal })) void _;
    })();
    await eventually(() => runtimeRequests(slow).length === 1, "the request reached the emulator");
    controller.abort();
    await assert.rejects(run, /abort/i);
    assert.equal((await closedRequest(slow)).aborted, true);
    assert.equal(abortListeners(controller.signal), 0);
  });

  test("a consumer that stops reading (break) closes the connection and leaves nothing behind", DEADLINE, async () => {
    const baseline = await warmBaseline(slow);
    const controller = new AbortController();
    let n = 0;
    for await (const _ of await model(slow).stream(PROMPT, { signal: controller.signal })) {
      void _;
      if (++n === 2) break;
    }
    const req = await closedRequest(slow);
    assert.equal(req.aborted, true);
    assert.equal(abortListeners(controller.signal), 0);
    await noLeaks(baseline);
  });

  test("a finished stream leaves no listener on its signal and no idle timer", DEADLINE, async () => {
    const baseline = await warmBaseline(emu);
    const controller = new AbortController();
    for await (const _ of await model(emu).stream(PROMPT, { signal: controller.signal })) void _;
    assert.equal(abortListeners(controller.signal), 0);
    assert.equal(runtimeRequests(emu)[0].aborted, undefined);
    await noLeaks(baseline);
  });
});
