// Errors over real HTTP: each AWS error type to a typed error, retries, timeouts, aborts,
// and streams that are cut off or receive an exception.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { AIMessageChunk } from "@langchain/core/messages";
import type { Emulator } from "bedrock-runtime-emulator";
import { BedrockConverseError, BedrockStreamError, BedrockTimeoutError } from "langchain-bedrock-converse";
import { emulator, model, runtimeRequests, translation } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

/** Resolves with the error the promise rejects with; fails the test if it resolves. */
async function rejection(p: Promise<unknown>): Promise<BedrockConverseError> {
  try {
    await p;
  } catch (e) {
    return e as BedrockConverseError;
  }
  assert.fail("expected a rejection");
}

const CASES: Array<{ type: string; status: number; retryable: boolean }> = [
  { type: "ValidationException", status: 400, retryable: false },
  { type: "AccessDeniedException", status: 403, retryable: false },
  { type: "ResourceNotFoundException", status: 404, retryable: false },
  { type: "ModelTimeoutException", status: 408, retryable: false },
  { type: "ModelErrorException", status: 424, retryable: false },
  { type: "ThrottlingException", status: 429, retryable: true },
  { type: "ModelNotReadyException", status: 429, retryable: true },
  { type: "InternalServerException", status: 500, retryable: true },
  { type: "ServiceUnavailableException", status: 503, retryable: true },
];

describe("AWS errors become typed errors", () => {
  for (const c of CASES) {
    test(`${c.type} -> BedrockConverseError (${c.status})`, async () => {
      emu.addFault({ kind: "error", errorType: c.type, message: `emulated ${c.type}` });
      const err = await rejection(model(emu, { maxRetries: 0 }).invoke("hi"));
      assert.ok(err instanceof BedrockConverseError, String(err));
      assert.equal(err.name, c.type);
      assert.equal(err.awsErrorType, c.type);
      assert.equal(err.status, c.status);
      assert.equal(err.retryable, c.retryable);
      assert.match(err.requestId ?? "", /^[0-9a-f-]{36}$/);
      assert.ok(err.message.startsWith(`emulated ${c.type}`), err.message);
      assert.equal(runtimeRequests(emu).length, 1);
    });
  }
});

describe("retries", () => {
  test("throttling is retried with backoff and recovers within maxRetries", async () => {
    emu.addFault({ kind: "error", errorType: "ThrottlingException", times: 2 });
    const msg = await model(emu, { maxRetries: 2 }).invoke("hi");
    assert.equal((msg.response_metadata as any).ResponseMetadata.RetryAttempts, 2);
    assert.equal(runtimeRequests(emu).length, 3);
  });

  test("maxRetries bounds the attempts, and the error says how many", async () => {
    emu.addFault({ kind: "error", errorType: "ServiceUnavailableException" });
    const err = await rejection(model(emu, { maxRetries: 1 }).invoke("hi"));
    assert.equal(err.name, "ServiceUnavailableException");
    assert.equal(err.attempts, 2);
    assert.equal(runtimeRequests(emu).length, 2);
    assert.match(err.message, /after 2 attempts/);
  });

  test("validation errors are not retried", async () => {
    emu.addFault({ kind: "error", errorType: "ValidationException" });
    await rejection(model(emu, { maxRetries: 3 }).invoke("hi"));
    assert.equal(runtimeRequests(emu).length, 1);
  });

  test("a real validation failure from the emulator keeps Bedrock's message", async () => {
    const err = await rejection(model(emu, { temperature: 5 }).invoke("hi"));
    assert.equal(err.name, "ValidationException");
    assert.match(err.message, /inferenceConfig\.temperature/);
  });
});

describe("timeouts and aborts", () => {
  test("timeout bounds a request that gets no answer", async () => {
    emu.addFault({ kind: "latency", delayMs: 5000 });
    const err = await rejection(model(emu, { timeout: 200, maxRetries: 0 }).invoke("hi"));
    assert.ok(err instanceof BedrockTimeoutError, `${err.name}: ${err.message}`);
  });

  test("an aborted signal rejects invoke before any request", async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(model(emu).invoke("hi", { signal: controller.signal }));
    assert.equal(runtimeRequests(emu).length, 0);
  });

  test("aborting mid-invoke ends the call at once", async () => {
    emu.addFault({ kind: "latency", delayMs: 10_000 });
    const controller = new AbortController();
    const p = model(emu).invoke("hi", { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(p);
  });

  test("aborting mid-stream ends the stream and the emulator sees the client leave", async () => {
    const slow = await emulator({ streamEventDelayMs: 50 });
    try {
      slow.setScript([{ ...translation, chunkSize: 1 }]);
      const controller = new AbortController();
      const got: AIMessageChunk[] = [];
      const run = (async () => {
        for await (const c of await model(slow).stream("I love programming.", { signal: controller.signal })) {
          got.push(c);
          if (got.length === 3) controller.abort();
        }
      })();
      await assert.rejects(run);
      assert.equal(got.length, 3);
      await new Promise((r) => setTimeout(r, 200));
      const req = runtimeRequests(slow)[0];
      assert.equal(req.aborted, true);
    } finally {
      await slow.close();
    }
  });
});

describe("broken streams never end quietly", () => {
  async function drain(stream: AsyncIterable<AIMessageChunk>, got: AIMessageChunk[]): Promise<void> {
    for await (const c of stream) got.push(c);
  }

  test("a stream cut after some events raises after yielding what arrived", async () => {
    emu.setScript([translation]);
    emu.addFault({ kind: "stream-cut", afterEvents: 4 });
    const got: AIMessageChunk[] = [];
    const err = await rejection(drain(await model(emu).stream("I love programming."), got));
    assert.ok(got.length >= 2, "the content that arrived was yielded");
    assert.ok(err instanceof Error);
    assert.match(`${err.name} ${err.message}`, /incomplete|ended|closed|terminated|aborted|socket/i);
  });

  test("an in-stream exception raises a typed error after the content", async () => {
    emu.setScript([translation]);
    emu.addFault({ kind: "stream-exception", afterEvents: 3, errorType: "throttlingException", message: "Too many tokens" });
    const got: AIMessageChunk[] = [];
    const err = await rejection(drain(await model(emu).stream("I love programming."), got));
    assert.ok(err instanceof BedrockConverseError, String(err));
    assert.equal(err.name, "ThrottlingException");
    assert.equal((err as unknown as { partial?: boolean }).partial, true);
    assert.ok(got.length >= 2);
    // The class the chat README documents for an exception frame, named after the exception.
    assert.ok(err instanceof BedrockStreamError, `${err.constructor.name}: ${err.message}`);
    assert.equal(err.awsErrorType, "ThrottlingException");
    assert.equal(err.status, 429);
    assert.equal(err.retryable, true);
    assert.equal(err.modelId, model(emu).modelId);
    assert.match(err.requestId ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(
      err.message,
      `Bedrock ConverseStream sent ThrottlingException after the stream started: Too many tokens. The content received so far was already yielded; retry the call. (request id ${err.requestId})`,
    );
  });

  test("an in-stream validationException is a BedrockStreamError that is not retryable", async () => {
    emu.setScript([translation]);
    emu.addFault({ kind: "stream-exception", afterEvents: 3, errorType: "validationException", message: "Input is too long" });
    const err = await rejection(drain(await model(emu).stream("I love programming."), []));
    assert.ok(err instanceof BedrockStreamError, String(err));
    assert.equal(err.name, "ValidationException");
    assert.equal(err.status, 400);
    assert.equal(err.retryable, false);
    assert.match(err.message, /after the stream started: Input is too long\. .*fix the request before retrying\./);
  });

  test("a corrupted frame raises instead of ending quietly", async () => {
    emu.setScript([translation]);
    emu.addFault({ kind: "corrupt-frame", afterEvents: 3 });
    const got: AIMessageChunk[] = [];
    await assert.rejects(drain(await model(emu).stream("I love programming."), got));
  });

  test("an idle stream is ended by streamIdleTimeout with a typed error", async () => {
    const slow = await emulator({ streamEventDelayMs: 1000 });
    try {
      const got: AIMessageChunk[] = [];
      const err = await rejection(drain(await model(slow, { streamIdleTimeout: 150 }).stream("hello"), got));
      assert.ok(err instanceof BedrockTimeoutError, `${err.name}: ${err.message}`);
      assert.match(err.message, /sent nothing for 150 ms/);
    } finally {
      await slow.close();
    }
  });
});
