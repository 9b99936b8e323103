import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonValue } from "../types.js";
import { encodeEventFrame } from "../wire/eventstream.js";
import { describeFrame, FrameSplitter } from "./frames.js";
import { differences, distance, keyText, normaliseKey, removeFields } from "./match.js";
import { findAccountId, restoreAccountId, scrubAccountIds, scrubJson } from "./scrub.js";

const key = (body: unknown, modelId = "m") => ({ operation: "converse", modelId, body: body as never });

test("normalised keys ignore key order and the default-ignored requestMetadata", () => {
  const a = normaliseKey(key({ messages: [{ role: "user", content: [{ text: "hi" }] }], inferenceConfig: { topP: 1, maxTokens: 5 } }), [
    "requestMetadata",
  ]);
  const b = normaliseKey(
    key({
      inferenceConfig: { maxTokens: 5, topP: 1 },
      requestMetadata: { id: "x" },
      messages: [{ content: [{ text: "hi" }], role: "user" }],
    }),
    ["requestMetadata"],
  );
  assert.equal(keyText(a), keyText(b));
});

test("removeFields takes dot paths with * for any key or index", () => {
  const body: JsonValue = { messages: [{ content: [{ image: { format: "png", source: { bytes: "AAA" } } }, { text: "t" }] }] };
  assert.deepEqual(removeFields(body, ["messages.*.content.*.image.source.bytes"]), {
    messages: [{ content: [{ image: { format: "png", source: {} } }, { text: "t" }] }],
  });
  assert.deepEqual(removeFields({ a: [1, 2] }, ["a.1"]), { a: [1, 2] }); // leaves of arrays are kept: indexes only address containers
  assert.deepEqual(removeFields({ a: { b: 1, c: 2 } }, ["a.b", "missing.x"]), { a: { c: 2 } });
});

test("differences come in document order with shortened values; distance weighs operation over model over body", () => {
  const recorded = normaliseKey(key({ messages: [{ content: [{ text: "Hello" }] }], z: 1 }), []);
  const got = normaliseKey(key({ messages: [{ content: [{ text: "Hi" }] }], a: "x".repeat(200) }), []);
  const diffs = differences(recorded, got);
  assert.deepEqual(diffs[0], { path: "body.a", recorded: "(absent)", got: `"${"x".repeat(79)}...` });
  assert.deepEqual(
    diffs.map((d) => d.path),
    ["body.a", "body.messages[0].content[0].text", "body.z"],
  );
  assert.ok(distance(recorded, normaliseKey(key({}, "other"), [])) > distance(recorded, got));
  assert.ok(distance(recorded, { ...recorded, operation: "converse-stream" }) > distance(recorded, normaliseKey(key({}, "other"), [])));
});

test("ARN account ids become a placeholder everywhere and come back on request", () => {
  const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc";
  assert.equal(scrubAccountIds(arn), "arn:aws:bedrock:us-east-1:{account}:application-inference-profile/abc");
  assert.equal(scrubAccountIds("arn:aws:bedrock:us-east-1::foundation-model/x:0"), "arn:aws:bedrock:us-east-1::foundation-model/x:0");
  assert.equal(scrubAccountIds("call 123456789012 now"), "call 123456789012 now"); // not an ARN
  assert.deepEqual(scrubJson({ guardrail: `arn:aws-us-gov:bedrock:us-gov-west-1:210987654321:guardrail/g`, n: 1 }), {
    guardrail: "arn:aws-us-gov:bedrock:us-gov-west-1:{account}:guardrail/g",
    n: 1,
  });
  assert.equal(findAccountId(`/inference-profiles/${arn}`), "123456789012");
  assert.equal(restoreAccountId(scrubAccountIds(arn), "999999999999"), arn.replace("123456789012", "999999999999"));
});

test("the frame splitter rebuilds whole frames from any chunking and keeps a cut tail", () => {
  const frames = [
    encodeEventFrame("messageStart", { role: "assistant" }),
    encodeEventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "héllo" } }),
  ];
  const all = Buffer.concat([...frames, Buffer.from(frames[0].subarray(0, 7))]);
  const splitter = new FrameSplitter();
  const out: Buffer[] = [];
  for (let i = 0; i < all.length; i += 5) out.push(...splitter.push(all.subarray(i, i + 5)));
  assert.deepEqual(
    out.map((f) => Buffer.from(f).toString("hex")),
    frames.map((f) => Buffer.from(f).toString("hex")),
  );
  assert.equal(splitter.rest().length, 7);
  assert.deepEqual(describeFrame(out[1]), {
    type: "contentBlockDelta",
    messageType: "event",
    payload: { contentBlockIndex: 0, delta: { text: "héllo" } },
  });
  const broken = Buffer.from(out[0]);
  broken[broken.length - 1] ^= 1;
  assert.deepEqual(describeFrame(broken), { type: "corrupt" });
});
