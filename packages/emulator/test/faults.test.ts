// Fault injection seen through the real SDK: every kind, counting with `times`, seeded probability,
// and the operation filter.
import { ConverseCommand, ConverseStreamCommand, CountTokensCommand, ThrottlingException } from "@aws-sdk/client-bedrock-runtime";
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { startEmulator, type Emulator } from "bedrock-runtime-emulator";
import { client, MODEL, rawRequest, TIMEOUT, TRANSPORTS, userMessage } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await startEmulator();
});
beforeEach(() => emu.reset());
after(() => emu.close());

const LONG = "Please write a few sentences about the sea, the wind and the old lighthouse on the hill.";

/** Runs a ConverseStream, returning the event kinds seen and the error iteration threw, if any. */
async function streamOutcome(transport: "h2" | "http1") {
  const c = client(emu.url, transport);
  const seen: string[] = [];
  try {
    const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage(LONG) }));
    for await (const event of out.stream!) seen.push(Object.keys(event)[0]);
    return { seen, error: undefined as (Error & { code?: string }) | undefined };
  } catch (error) {
    return { seen, error: error as Error & { code?: string } };
  } finally {
    c.destroy();
  }
}

describe("faults", () => {
  test("error with times: 2 fails twice, the SDK's third attempt succeeds", TIMEOUT, async () => {
    const fault = emu.addFault({ kind: "error", errorType: "ThrottlingException", times: 2 });
    assert.equal(fault.id, "fault-1");
    const c = client(emu.url);
    try {
      const out = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("hi") }));
      assert.equal(out.$metadata.attempts, 3);
      assert.deepEqual(
        emu.requests().map((r) => r.status),
        [429, 429, 200],
      );
      assert.deepEqual(emu.faults(), [], "a fault whose times ran out is removed");
    } finally {
      c.destroy();
    }
  });

  test("error default type is ThrottlingException with Bedrock's text", TIMEOUT, async () => {
    emu.addFault({ kind: "error" });
    const c = client(emu.url, "http1", { maxAttempts: 1 });
    try {
      const err = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("hi") })).catch((e: Error) => e);
      assert.ok(err instanceof ThrottlingException);
      assert.equal(err.message, "Too many requests, please wait before trying again.");
    } finally {
      c.destroy();
    }
  });

  test("latency delays the answer and is logged", TIMEOUT, async () => {
    emu.addFault({ kind: "latency", delayMs: 120, times: 1 });
    const c = client(emu.url);
    try {
      const out = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("hi") }));
      assert.equal(out.$metadata.httpStatusCode, 200);
      const logged = emu.requests().at(-1)!;
      assert.deepEqual(logged.faults, ["latency"]);
      assert.ok(logged.durationMs! >= 120, `waited at least the injected delay (${logged.durationMs} ms)`);
    } finally {
      c.destroy();
    }
  });

  for (const transport of TRANSPORTS) {
    test(`stream-cut ends the stream after N events without messageStop/metadata (${transport})`, TIMEOUT, async () => {
      emu.addFault({ kind: "stream-cut", afterEvents: 3 });
      const { seen, error } = await streamOutcome(transport);
      assert.equal(error, undefined);
      assert.deepEqual(seen, ["messageStart", "contentBlockDelta", "contentBlockDelta"]);
      const logged = emu.requests().at(-1)!;
      assert.deepEqual(logged.streamEvents, seen);
      assert.equal(logged.aborted, undefined);
      assert.deepEqual(logged.notes, ["fault: stream-cut (fault-1)", "fault: stream cut after 3 events"]);
    });

    test(`corrupt-frame makes the SDK reject the frame's checksum (${transport})`, TIMEOUT, async () => {
      emu.addFault({ kind: "corrupt-frame", afterEvents: 2 });
      const { seen, error } = await streamOutcome(transport);
      assert.deepEqual(seen, ["messageStart", "contentBlockDelta"]);
      assert.match(error!.message, /^The message checksum \(\d+\) did not match the expected value of \d+$/);
      assert.deepEqual(emu.requests().at(-1)!.streamEvents, ["messageStart", "contentBlockDelta", "contentBlockDelta (corrupt)"]);
    });

    test(`connection-reset before the answer: the SDK retries and succeeds (${transport})`, TIMEOUT, async () => {
      emu.addFault({ kind: "connection-reset", times: 1 });
      const c = client(emu.url, transport);
      try {
        const out = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("hi") }));
        assert.equal(out.$metadata.attempts, 2);
        const log = emu.requests();
        assert.deepEqual(
          log.map((r) => r.faults),
          [["connection-reset"], undefined],
        );
        assert.deepEqual(
          log.map((r) => r.status),
          [undefined, 200],
        );
      } finally {
        c.destroy();
      }
    });

    test(`connection-reset mid-stream: no metadata reaches the client (${transport})`, TIMEOUT, async () => {
      emu.addFault({ kind: "connection-reset", afterEvents: 2 });
      const { seen, error } = await streamOutcome(transport);
      assert.deepEqual(seen, ["messageStart", "contentBlockDelta"]);
      // HTTP/1.1 surfaces the RST; the SDK's h2 handler ends the iteration when the session dies.
      if (transport === "http1") assert.equal(error?.code, "ECONNRESET");
      assert.deepEqual(emu.requests().at(-1)!.notes, ["fault: connection-reset (fault-1)", "fault: connection reset after 2 events"]);
    });
  }

  test("stream faults do not touch Converse; operations filter limits a fault", TIMEOUT, async () => {
    emu.addFault({ kind: "stream-cut", afterEvents: 1 });
    emu.addFault({ kind: "error", errorType: "ThrottlingException", operations: ["count-tokens"] });
    const c = client(emu.url, "h2", { maxAttempts: 1 });
    try {
      const out = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("hi") }));
      assert.equal(out.$metadata.httpStatusCode, 200);
      const err = await c
        .send(new CountTokensCommand({ modelId: MODEL, input: { converse: { messages: userMessage("hi") } } }))
        .catch((e: Error) => e);
      assert.ok(err instanceof ThrottlingException);
      assert.equal(emu.faults().length, 2);
    } finally {
      c.destroy();
    }
  });

  test("probability sampling is deterministic for a seed", TIMEOUT, async () => {
    const pattern = async (e: Emulator) => {
      e.addFault({ kind: "error", errorType: "ValidationException", probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) {
        statuses.push(
          (await rawRequest(e.url, "POST", `/model/${MODEL}/converse`, JSON.stringify({ messages: userMessage("hi") }))).status,
        );
      }
      return statuses;
    };
    const other = await startEmulator({ seed: 7 });
    const third = await startEmulator({ seed: 7 });
    try {
      const a = await pattern(other);
      const b = await pattern(third);
      assert.deepEqual(a, b);
      assert.ok(a.includes(400) && a.includes(200), `both outcomes occur: ${a.join(",")}`);
      other.reset(); // reset restarts the PRNG: the same sequence again
      assert.deepEqual(await pattern(other), a);
    } finally {
      await other.close();
      await third.close();
    }
  });

  test("addFault rejects a bad spec with a clear message", () => {
    assert.throws(() => emu.addFault({ kind: "explode" as never }), {
      name: "TypeError",
      message: 'Unknown fault kind "explode". Use one of: error, latency, stream-cut, stream-exception, corrupt-frame, connection-reset.',
    });
    assert.throws(() => emu.addFault({ kind: "stream-exception", errorType: "accessDeniedException" }), TypeError);
  });
});
