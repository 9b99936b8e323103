import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConverseRequest } from "@aws-sdk/client-bedrock-runtime";
import { applyFamilyLimits, modelFamily } from "./family-limits.js";

test("modelFamily: ids, geo profiles and opaque ARNs classified by provider", () => {
  assert.equal(modelFamily("anthropic.claude-3-haiku-20240307-v1:0"), "claude");
  assert.equal(modelFamily("amazon.nova-lite-v1:0", "amazon"), "nova");
  assert.equal(modelFamily("meta.llama3-1-70b-instruct-v1:0", "meta"), "other");
  assert.equal(modelFamily("amazon.titan-text-express-v1", "amazon"), "other");
  const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123";
  assert.equal(modelFamily(arn, "anthropic"), "claude");
  assert.equal(modelFamily(arn, "amazon"), "nova");
  assert.equal(modelFamily(arn, "meta"), "other");
});

test("applyFamilyLimits never mutates the caller's request", () => {
  const point = { cachePoint: { type: "default" as const } };
  const system = [{ text: "s" }, point];
  const request: ConverseRequest = {
    modelId: "meta.llama3-1-70b-instruct-v1:0",
    system,
    messages: [
      { role: "user", content: [{ text: "q" }, point, { toolResult: { toolUseId: "t", content: [{ text: "r" }], status: "error" } }] },
    ],
    toolConfig: { tools: [{ toolSpec: { name: "a", inputSchema: { json: {} } } }, point] },
  };
  const before = structuredClone(request);
  const out = applyFamilyLimits(request, { baseModelId: "meta.llama3-1-70b-instruct-v1:0", provider: "meta" }, () => {});
  assert.deepEqual(request, before);
  assert.deepEqual(out.system, [{ text: "s" }]);
  assert.deepEqual(out.messages![0]!.content, [{ text: "q" }, { toolResult: { toolUseId: "t", content: [{ text: "r" }] } }]);
  assert.equal(out.toolConfig!.tools!.length, 1);
});
