// AWS errors on the wire: every modeled type reaches the SDK as its typed exception class with the
// SDK's real retry behaviour; in-stream exceptions throw during iteration; bad input is a 4xx.
import * as sdk from "@aws-sdk/client-bedrock-runtime";
import { ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { startEmulator, type Emulator } from "bedrock-runtime-emulator";
import { client, MODEL, rawRequest, TIMEOUT, TRANSPORTS, userMessage } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ maxBodyBytes: 1024 * 1024 });
});
beforeEach(() => emu.reset());
after(() => emu.close());

const TABLE = [
  { type: "ValidationException", status: 400, attempts: 1 },
  { type: "AccessDeniedException", status: 403, attempts: 1 },
  { type: "ResourceNotFoundException", status: 404, attempts: 1 },
  { type: "ModelTimeoutException", status: 408, attempts: 1 },
  { type: "ModelErrorException", status: 424, attempts: 1 },
  { type: "ThrottlingException", status: 429, attempts: 3 },
  { type: "ModelNotReadyException", status: 429, attempts: 3 },
  { type: "ServiceQuotaExceededException", status: 400, attempts: 1 },
  { type: "InternalServerException", status: 500, attempts: 3 },
  { type: "ServiceUnavailableException", status: 503, attempts: 3 },
] as const;

for (const transport of TRANSPORTS) {
  describe(`HTTP errors over ${transport}`, () => {
    for (const { type, status, attempts } of TABLE) {
      test(`${type}: status ${status}, typed exception, ${attempts} attempt(s)`, TIMEOUT, async () => {
        emu.addFault({ kind: "error", errorType: type, message: `injected ${type}` });
        const c = client(emu.url, transport);
        try {
          const err = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("hi") })).then(
            () => assert.fail("expected an error"),
            (e: unknown) => e as sdk.BedrockRuntimeServiceException,
          );
          const Klass = (sdk as unknown as Record<string, new (...a: never[]) => Error>)[type];
          assert.ok(err instanceof Klass, `${err.name} should be an instance of ${type}`);
          assert.equal(err.name, type);
          assert.equal(err.message, `injected ${type}`);
          assert.equal(err.$metadata.httpStatusCode, status);
          assert.equal(err.$metadata.attempts, attempts);
          const log = emu.requests();
          assert.equal(log.length, attempts);
          assert.equal(err.$metadata.requestId, log.at(-1)!.id);
          assert.deepEqual(
            log.map((r) => r.status),
            Array(attempts).fill(status),
          );
          assert.deepEqual(
            log.map((r) => r.errorType),
            Array(attempts).fill(type),
          );
        } finally {
          c.destroy();
        }
      });
    }
  });
}

describe("in-stream exception frames", () => {
  const STREAM = [
    ["throttlingException", "ThrottlingException"],
    ["modelStreamErrorException", "ModelStreamErrorException"],
    ["internalServerException", "InternalServerException"],
    ["validationException", "ValidationException"],
    ["serviceUnavailableException", "ServiceUnavailableException"],
  ] as const;
  for (const [wireName, className] of STREAM) {
    for (const transport of TRANSPORTS) {
      test(`${wireName} after 2 events throws ${className} during iteration (${transport})`, TIMEOUT, async () => {
        emu.addFault({ kind: "stream-exception", errorType: wireName, afterEvents: 2, message: `mid-stream ${wireName}` });
        const c = client(emu.url, transport);
        try {
          const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("tell me a long story") }));
          assert.equal(out.$metadata.httpStatusCode, 200);
          const seen: string[] = [];
          const err = await (async () => {
            for await (const event of out.stream!) seen.push(Object.keys(event)[0]);
          })().then(
            () => assert.fail("expected the stream to throw"),
            (e: Error) => e,
          );
          const Klass = (sdk as unknown as Record<string, new (...a: never[]) => Error>)[className];
          assert.ok(err instanceof Klass, `${err.name} should be ${className}`);
          assert.equal(err.message, `mid-stream ${wireName}`);
          assert.deepEqual(seen, ["messageStart", "contentBlockDelta"]);
          assert.equal(out.$metadata.attempts, 1);
          const logged = emu.requests().at(-1)!;
          assert.deepEqual(logged.streamEvents, ["messageStart", "contentBlockDelta", wireName]);
          assert.equal(logged.errorType, wireName);
        } finally {
          c.destroy();
        }
      });
    }
  }
});

describe("raw HTTP: every answer is an AWS error with request id, date and error type", () => {
  function assertAwsError(res: Awaited<ReturnType<typeof rawRequest>>, status: number, type: string, namespace = "com.amazon.bedrock") {
    assert.equal(res.status, status);
    assert.match(String(res.headers["x-amzn-requestid"]), /^[0-9a-f-]{36}$/);
    assert.equal(res.headers["x-amzn-errortype"], `${type}:http://internal.amazon.com/coral/${namespace}/`);
    assert.equal(res.headers["content-type"], "application/json");
    const skew = Math.abs(Date.parse(String(res.headers.date)) - Date.now());
    assert.ok(skew < 60_000, `date header ${res.headers.date} is accurate`);
    return JSON.parse(res.body) as Record<string, string>;
  }

  test("unknown path -> 404 UnknownOperationException", TIMEOUT, async () => {
    const body = assertAwsError(
      await rawRequest(emu.url, "POST", "/model/x/invoke-everything", "{}"),
      404,
      "UnknownOperationException",
      "com.amazon.coral.service",
    );
    assert.equal(body.Message, "No operation matches POST /model/x/invoke-everything.");
  });

  test("wrong method on a runtime path -> 404 UnknownOperationException", TIMEOUT, async () => {
    const body = assertAwsError(
      await rawRequest(emu.url, "GET", `/model/${encodeURIComponent(MODEL)}/converse`),
      404,
      "UnknownOperationException",
      "com.amazon.coral.service",
    );
    assert.equal(body.Message, `No operation matches GET /model/${encodeURIComponent(MODEL)}/converse.`);
  });

  test("malformed JSON -> 400 SerializationException", TIMEOUT, async () => {
    const body = assertAwsError(
      await rawRequest(emu.url, "POST", `/model/${MODEL}/converse`, '{"messages": ['),
      400,
      "SerializationException",
      "com.amazon.coral.service",
    );
    assert.match(body.Message, /^Could not parse request body into json: /);
  });

  test("invalid UTF-8 -> 400 SerializationException", TIMEOUT, async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"messages":[{"role":"user","content":[{"text":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}]}]}'),
    ]);
    const body = assertAwsError(
      await rawRequest(emu.url, "POST", `/model/${MODEL}/converse`, bytes),
      400,
      "SerializationException",
      "com.amazon.coral.service",
    );
    assert.equal(body.Message, "Invalid UTF-8 start byte in request body.");
  });

  test("non-JSON content type -> 400 SerializationException", TIMEOUT, async () => {
    const res = await rawRequest(emu.url, "POST", `/model/${MODEL}/converse`, "messages=hi", {
      "content-type": "application/x-www-form-urlencoded",
    });
    const body = assertAwsError(res, 400, "SerializationException", "com.amazon.coral.service");
    assert.equal(body.Message, "Unsupported content type 'application/x-www-form-urlencoded'. Send the request body as application/json.");
  });

  test("oversized body -> 413 ValidationException, connection still answered", TIMEOUT, async () => {
    const big = JSON.stringify({ messages: userMessage("x".repeat(2 * 1024 * 1024)) });
    const body = assertAwsError(await rawRequest(emu.url, "POST", `/model/${MODEL}/converse`, big), 413, "ValidationException");
    assert.equal(body.message, `The request body of ${Buffer.byteLength(big)} bytes exceeds the limit of 1048576 bytes.`);
  });

  test("validation errors come from the validator as 400 ValidationException", TIMEOUT, async () => {
    const res = await rawRequest(
      emu.url,
      "POST",
      `/model/${MODEL}/converse`,
      JSON.stringify({ messages: [{ role: "assistant", content: [{ text: "hi" }] }] }),
    );
    const body = assertAwsError(res, 400, "ValidationException");
    assert.equal(typeof body.message, "string");
  });

  test("literal ':' in the model segment routes like %3A", TIMEOUT, async () => {
    const res = await rawRequest(emu.url, "POST", `/model/${MODEL}/converse`, JSON.stringify({ messages: userMessage("hi") }));
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/json");
    assert.equal(emu.requests().at(-1)!.modelId, MODEL);
  });

  test("an ARN with %2F stays one segment", TIMEOUT, async () => {
    const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/emulator-claude";
    const res = await rawRequest(
      emu.url,
      "POST",
      `/model/${encodeURIComponent(arn)}/converse`,
      JSON.stringify({ messages: userMessage("hi") }),
    );
    assert.equal(res.status, 200);
    assert.equal(emu.requests().at(-1)!.modelId, arn);
  });

  test("broken percent-encoding -> 404, not a crash", TIMEOUT, async () => {
    assertAwsError(
      await rawRequest(emu.url, "POST", "/model/%E0%A4%A/converse", "{}"),
      404,
      "UnknownOperationException",
      "com.amazon.coral.service",
    );
  });
});

describe("robustness: broken clients never take the server down", () => {
  async function rawSocket(bytes: Buffer) {
    const net = await import("node:net");
    const { port } = new URL(emu.url);
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => socket.end(bytes));
      socket.on("error", () => resolve());
      socket.on("close", () => resolve());
      socket.resume();
    });
  }

  test("garbage bytes, a truncated h2 preface, and an h2 preface followed by junk", TIMEOUT, async () => {
    await rawSocket(Buffer.from("\x00\x01\x02 not http at all\r\n\r\n"));
    await rawSocket(Buffer.from("PRI * HTTP/2"));
    await rawSocket(Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), Buffer.from("junk junk junk junk")]));
    await rawSocket(Buffer.from(`POST /model/${MODEL}/converse HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"messa`));
    const res = await rawRequest(emu.url, "POST", `/model/${MODEL}/converse`, JSON.stringify({ messages: userMessage("still alive?") }));
    assert.equal(res.status, 200);
  });
});
