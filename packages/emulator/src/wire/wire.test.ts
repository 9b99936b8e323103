// Pure wire pieces: frame bytes against the reference test vector, stream derivation invariants,
// raw-path routing, JSON-pointer picking and header redaction.
import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { pickResponseFields } from "../response-fields.js";
import { redactHeaders } from "../request-log.js";
import { route } from "../router.js";
import { corruptFrame, decodeFrames, encodeEventFrame, encodeExceptionFrame } from "./eventstream.js";
import { responseToStreamEvents, splitChars, splitWords } from "./stream-events.js";

describe("event-stream frames", () => {
  test("messageStart matches the published 133-byte test vector", () => {
    const frame = Buffer.from(encodeEventFrame("messageStart", { p: "abcdefgh", role: "assistant" }));
    assert.equal(frame.length, 0x85);
    assert.equal(frame.readUInt32BE(0), 0x85);
    assert.equal(frame.readUInt32BE(4), 0x52);
    assert.equal(frame.readUInt32BE(8), 0x9941d053);
    assert.equal(frame.readUInt32BE(frame.length - 4), 0x3d593ac6);
  });

  test("exception frames carry :exception-type and :message-type exception", () => {
    const [decoded] = decodeFrames(
      encodeExceptionFrame("serviceUnavailableException", { message: "Bedrock is unable to process your request." }),
    );
    assert.deepEqual(decoded, {
      headers: { ":exception-type": "serviceUnavailableException", ":content-type": "application/json", ":message-type": "exception" },
      payload: { message: "Bedrock is unable to process your request." },
    });
    assert.equal(
      encodeExceptionFrame("serviceUnavailableException", { message: "Bedrock is unable to process your request." }).length,
      177,
    );
  });

  test("a corrupted frame fails its CRC", () => {
    assert.throws(() => decodeFrames(corruptFrame(encodeEventFrame("messageStop", { stopReason: "end_turn" }))), /checksum/);
  });
});

describe("stream derivation", () => {
  test("word and character pieces always concatenate back to the input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 1, max: 6 }), (text, n) => {
        assert.equal(splitWords(text, n).join(""), text);
        assert.equal(splitChars(text, n).join(""), text);
      }),
    );
  });

  test("metadata is last, messageStop before it, no contentBlockStart for text, indices follow content", () => {
    const events = responseToStreamEvents(
      {
        output: { message: { role: "assistant", content: [{ text: "a b" }, { toolUse: { toolUseId: "t1", name: "f", input: {} } }] } },
        stopReason: "tool_use",
        usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
        metrics: { latencyMs: 5 },
        additionalModelResponseFields: { x: 1 },
        trace: { promptRouter: { invokedModelId: "m" } },
      },
      { chunkSize: 5 },
    );
    assert.deepEqual(events, [
      { type: "messageStart", payload: { role: "assistant" } },
      { type: "contentBlockDelta", payload: { contentBlockIndex: 0, delta: { text: "a b" } } },
      { type: "contentBlockStop", payload: { contentBlockIndex: 0 } },
      { type: "contentBlockStart", payload: { contentBlockIndex: 1, start: { toolUse: { toolUseId: "t1", name: "f" } } } },
      { type: "contentBlockDelta", payload: { contentBlockIndex: 1, delta: { toolUse: { input: "{}" } } } },
      { type: "contentBlockStop", payload: { contentBlockIndex: 1 } },
      { type: "messageStop", payload: { stopReason: "tool_use", additionalModelResponseFields: { x: 1 } } },
      {
        type: "metadata",
        payload: {
          usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
          metrics: { latencyMs: 5 },
          trace: { promptRouter: { invokedModelId: "m" } },
        },
      },
    ]);
  });
});

describe("routing on the raw path", () => {
  test("runtime operations, encoded and literal model ids", () => {
    assert.deepEqual(route("POST", "/model/us.anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream"), {
      kind: "runtime",
      operation: "converse-stream",
      modelId: "us.anthropic.claude-3-haiku-20240307-v1:0",
    });
    assert.deepEqual(route("POST", "/model/anthropic.claude-3-haiku-20240307-v1:0/count-tokens?x=1"), {
      kind: "runtime",
      operation: "count-tokens",
      modelId: "anthropic.claude-3-haiku-20240307-v1:0",
    });
    const arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0";
    assert.deepEqual(route("POST", `/model/${encodeURIComponent(arn)}/converse`), { kind: "runtime", operation: "converse", modelId: arn });
  });

  test("a decoded %2F never splits the path; unknowns are reported", () => {
    assert.deepEqual(route("POST", "/model/a/b/converse"), { kind: "unknown", reason: "path" });
    assert.deepEqual(route("GET", "/model/a/converse"), { kind: "unknown", reason: "method" });
    assert.deepEqual(route("POST", "/model/%ZZ/converse"), { kind: "unknown", reason: "encoding" });
    assert.deepEqual(route("GET", "/inference-profiles/emulator-claude"), { kind: "inference-profile", identifier: "emulator-claude" });
    assert.deepEqual(route("POST", "/_emulator/faults"), { kind: "admin", path: "/_emulator/faults" });
  });
});

test("pickResponseFields keeps the pointer's nesting and is idempotent", () => {
  const source = { stop_sequence: null, a: { b: [10, 20], c: 1 }, "t~x": 2 };
  const picked = pickResponseFields(source, ["/stop_sequence", "/a/b/1", "/t~0x", "/nope"]);
  assert.deepEqual(picked, { stop_sequence: null, a: { b: { 1: 20 } }, "t~x": 2 });
  assert.deepEqual(pickResponseFields(pickResponseFields(source, ["/a/c"]), ["/a/c"]), { a: { c: 1 } });
  assert.equal(pickResponseFields(source, ["/nope"]), undefined);
});

test("redactHeaders drops credentials and keeps the rest", () => {
  assert.deepEqual(
    redactHeaders({
      ":authority": "x",
      authorization: "Bearer ABSKsecret",
      "x-amz-security-token": "tok",
      "x-custom-secret": "s",
      "content-type": "application/json",
      "set-cookie": ["a", "b"],
    }),
    {
      authorization: "Bearer [REDACTED]",
      "x-amz-security-token": "[REDACTED]",
      "x-custom-secret": "[REDACTED]",
      "content-type": "application/json",
      "set-cookie": "[REDACTED]",
    },
  );
});
