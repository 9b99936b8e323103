import { test } from "node:test";
import assert from "node:assert/strict";
import { ModelStreamErrorException } from "@aws-sdk/client-bedrock-runtime";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { decodeConverseEventStream } from "./event-stream.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: "string" as const, value });

function eventFrame(type: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: { ":message-type": str("event"), ":event-type": str(type), ":content-type": str("application/json") },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

function join(frames: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(frames.reduce((n, f) => n + f.byteLength, 0));
  let o = 0;
  for (const f of frames) {
    out.set(f, o);
    o += f.byteLength;
  }
  return out;
}

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}

async function all(body: AsyncIterable<Uint8Array>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of decodeConverseEventStream(body)) out.push(e);
  return out;
}

const EVENTS: [string, unknown][] = [
  ["messageStart", { role: "assistant" }],
  ["contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Héllo ✓" } }],
  ["contentBlockStop", { contentBlockIndex: 0 }],
  ["contentBlockStart", { contentBlockIndex: 1, start: { toolUse: { toolUseId: "tooluse_1", name: "f" } } }],
  ["contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: '{"a":1}' } } }],
  ["messageStop", { stopReason: "tool_use" }],
  ["metadata", { usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 }, metrics: { latencyMs: 12 } }],
];

test("decodes every frame whatever the chunking of the body, as {member: payload}", async () => {
  const bytes = join(EVENTS.map(([t, p]) => eventFrame(t, p)));
  const expected = EVENTS.map(([t, p]) => ({ [t]: p }));
  for (const size of [1, 3, 7, 16, 64, bytes.byteLength]) {
    assert.deepEqual(await all(chunks(bytes, size)), expected, `chunks of ${size} bytes`);
  }
});

test("unknown event members are skipped, as the SDK skips them", async () => {
  const bytes = join([eventFrame("somethingNew", { x: 1 }), eventFrame("messageStop", { stopReason: "end_turn" })]);
  assert.deepEqual(await all(chunks(bytes, 1000)), [{ messageStop: { stopReason: "end_turn" } }]);
});

test("an exception frame throws the SDK's modeled exception, after the events before it", async () => {
  const exception = codec.encode({
    headers: {
      ":message-type": str("exception"),
      ":exception-type": str("modelStreamErrorException"),
      ":content-type": str("application/json"),
    },
    body: fromUtf8(JSON.stringify({ message: "model failed", originalStatusCode: 500 })),
  });
  const seen: unknown[] = [];
  await assert.rejects(
    (async () => {
      for await (const e of decodeConverseEventStream(chunks(join([eventFrame("messageStart", { role: "assistant" }), exception]), 5)))
        seen.push(e);
    })(),
    (e: unknown) => {
      assert.ok(e instanceof ModelStreamErrorException);
      assert.equal(e.name, "ModelStreamErrorException");
      assert.equal(e.message, "model failed");
      assert.equal((e as unknown as { originalStatusCode: number }).originalStatusCode, 500);
      return true;
    },
  );
  assert.deepEqual(seen, [{ messageStart: { role: "assistant" } }]);
});

test("an error frame throws an Error named by its error code", async () => {
  const frame = codec.encode({
    headers: { ":message-type": str("error"), ":error-code": str("InternalFailure"), ":error-message": str("boom") },
    body: new Uint8Array(0),
  });
  await assert.rejects(all(chunks(frame, 1000)), (e: Error) => e.name === "InternalFailure" && e.message === "boom");
});

test("a body that ends mid-frame, or a frame whose checksum is wrong, is an error", async () => {
  const bytes = eventFrame("messageStart", { role: "assistant" });
  await assert.rejects(all(chunks(bytes.subarray(0, bytes.byteLength - 3), 1000)), /Truncated event message received/);
  const corrupt = bytes.slice();
  corrupt[corrupt.byteLength - 6] ^= 0xff;
  await assert.rejects(all(chunks(corrupt, 1000)), /checksum/);
});
