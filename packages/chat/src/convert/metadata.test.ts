import { test } from "node:test";
import assert from "node:assert/strict";
import { replyMetadata } from "./metadata.js";

const names = { modelName: "us.anthropic.claude-3-haiku-20240307-v1:0", model: "anthropic.claude-3-haiku-20240307-v1:0" };

test("replyMetadata: a Converse reply (stop reason, copied fields, reconstructed headers)", () => {
  const output = { trace: { guardrail: {} }, serviceTier: { type: "priority" }, performanceConfig: null };
  const out = replyMetadata(
    {
      sdkMetadata: { httpStatusCode: 200, requestId: "req-1", attempts: 2 },
      contentType: "application/json",
      stopReason: "end_turn",
      metrics: { latencyMs: 42 },
      fields: output,
      copied: ["additionalModelResponseFields", "trace", "performanceConfig", "serviceTier"],
    },
    names,
  );
  assert.deepEqual(out, {
    ResponseMetadata: {
      RequestId: "req-1",
      HTTPStatusCode: 200,
      HTTPHeaders: { "x-amzn-requestid": "req-1", "content-type": "application/json" },
      RetryAttempts: 1,
    },
    stopReason: "end_turn",
    metrics: { latencyMs: 42 },
    trace: { guardrail: {} },
    serviceTier: { type: "priority" },
    model: "anthropic.claude-3-haiku-20240307-v1:0",
    model_name: "us.anthropic.claude-3-haiku-20240307-v1:0",
    model_provider: "bedrock-converse",
  });
});

test("replyMetadata: a stream's metadata event has no stopReason key; given headers and profile are kept", () => {
  const boto3 = { RequestId: "req-2", HTTPStatusCode: 200, HTTPHeaders: {}, RetryAttempts: 0 };
  const out = replyMetadata(
    { sdkMetadata: boto3, contentType: "application/vnd.amazon.eventstream", metrics: undefined, fields: {}, copied: ["trace"] },
    { modelName: "m", inferenceProfileId: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x" },
  );
  assert.equal("stopReason" in out, false);
  assert.deepEqual(out, {
    ResponseMetadata: boto3,
    metrics: { latencyMs: 0 },
    model: "m",
    model_name: "m",
    model_provider: "bedrock-converse",
    inference_profile_id: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x",
  });
});

test("replyMetadata: an undefined stop reason still writes the key (Converse always reports one)", () => {
  const out = replyMetadata(
    { sdkMetadata: undefined, contentType: "application/json", stopReason: undefined, metrics: { latencyMs: "7" }, fields: {}, copied: [] },
    { modelName: "m", httpHeaders: { "x-amzn-requestid": "h" } },
  );
  assert.equal("stopReason" in out, true);
  assert.deepEqual(out.metrics, { latencyMs: 0 });
  assert.deepEqual((out.ResponseMetadata as { HTTPHeaders: unknown }).HTTPHeaders, { "x-amzn-requestid": "h" });
});
