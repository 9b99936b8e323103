import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConverseRequest } from "../types.js";
import { blockTokens, countConverseInputTokens, countOutputTokens, countTokens, inputSegments } from "./usage.js";

test("each block kind has its documented cost", () => {
  assert.equal(blockTokens({ text: "What is 1 + 2?" }), 6);
  assert.equal(blockTokens({ image: { format: "png", source: { bytes: "A".repeat(4 * 400) } } }), 170); // 1200 bytes -> 2 KiB
  assert.equal(blockTokens({ image: { format: "png", source: { s3Location: { uri: "s3://b/k" } } } }), 85);
  assert.equal(blockTokens({ document: { format: "txt", name: "notes", source: { text: "Hello there" } } }), 2 + 1); // Hello there + name: notes
  assert.equal(blockTokens({ toolUse: { toolUseId: "t", name: "add", input: { a: 1 } } }), 1 + 7);
  assert.equal(blockTokens({ toolResult: { toolUseId: "t", content: [{ text: "three" }, { json: { r: 3 } }] } }), 1 + 7);
  assert.equal(blockTokens({ reasoningContent: { reasoningText: { text: "thinking hard", signature: "sig" } } }), 3); // think ing hard
  assert.equal(blockTokens({ guardContent: { text: { text: "guard me" } } }), 2);
  assert.equal(blockTokens({ cachePoint: { type: "default" } }), 0);
  assert.equal(blockTokens({ citationsContent: { content: [{ text: "Quoted." }], citations: [] } }), 3);
});

test("request input: tools as JSON, then system, then messages; cache points are markers", () => {
  const req: ConverseRequest = {
    toolConfig: { tools: [{ toolSpec: { name: "f", inputSchema: { json: {} } } }, { cachePoint: { type: "default" } }] },
    system: [{ text: "Be brief." }],
    messages: [{ role: "user", content: [{ text: "Hi" }] }],
  };
  // {"name":"f","inputSchema":{"json":{}}} = 24 tokens (inputSchema is 3)
  assert.equal(countConverseInputTokens(req, "amazon.nova-pro-v1:0"), 24 + 3 + 1);
  // Claude adds its turn template: 4 + 3 per message
  assert.equal(countConverseInputTokens(req, "anthropic.claude-3-haiku-20240307-v1:0"), 24 + 3 + 1 + 4 + 3);
  assert.deepEqual(
    inputSegments(req).map((s) => (s.kind === "content" ? s.tokens : s.ttl)),
    [24, "5m", 3, 0, 1],
  );
  assert.equal(countTokens({ input: { converse: req } }, "anthropic.claude-3-haiku-20240307-v1:0"), 35);
});

test("InvokeModel bodies: prompt-like members are counted, envelope fields are not", () => {
  const body = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64");
  const anthropic = body({
    anthropic_version: "bedrock-2023-05-31",
    max_tokens: 100,
    system: "Be brief.",
    messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
  });
  assert.equal(countTokens({ input: { invokeModel: { body: anthropic } } }, "m"), 3 + 1);
  assert.equal(countTokens({ input: { invokeModel: { body: anthropic } } }, "anthropic.claude-3-haiku-20240307-v1:0"), 3 + 1 + 4 + 3);
  assert.equal(countTokens({ input: { invokeModel: { body: body({ inputText: "Hello there" }) } } }, "m"), 2);
  assert.equal(countTokens({ input: { invokeModel: { body: Buffer.from("not json").toString("base64") } } }, "m"), 2);
});

test("output tokens add up the generated blocks", () => {
  assert.equal(countOutputTokens([{ text: "You said: Hello" }, { toolUse: { toolUseId: "t", name: "add", input: { a: 1 } } }]), 4 + 8);
});
