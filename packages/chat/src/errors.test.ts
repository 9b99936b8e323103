import { test } from "node:test";
import assert from "node:assert/strict";
import {
  BEDROCK_EXCEPTIONS,
  BedrockConfigError,
  BedrockConverseError,
  BedrockStreamError,
  BedrockTimeoutError,
  STREAM_EXCEPTION_MEMBERS,
  StreamIncompleteError,
  redactSecrets,
  toBedrockError,
  toStreamError,
} from "./errors.js";

const ctx = { modelId: "anthropic.claude-sonnet-4-20250514-v1:0", region: "us-east-1", operation: "Converse" as const };

function awsError(name: string, message: string, status: number, attempts = 1) {
  return Object.assign(new Error(message), { name, $fault: "client", $metadata: { httpStatusCode: status, requestId: "req-1", attempts } });
}

test("AWS exceptions keep name, status, request id and attempts, with advice", () => {
  const e = toBedrockError(awsError("ThrottlingException", "Too many requests, please wait before trying again.", 429, 3), ctx);
  assert.ok(e instanceof BedrockConverseError);
  const b = e as BedrockConverseError;
  assert.equal(b.name, "ThrottlingException");
  assert.equal(b.awsErrorType, "ThrottlingException");
  assert.equal(b.status, 429);
  assert.equal(b.requestId, "req-1");
  assert.equal(b.attempts, 3);
  assert.equal(b.retryable, true);
  assert.equal(
    b.message,
    "Too many requests, please wait before trying again. Bedrock throttled the request after 3 attempts. Retry later, raise maxRetries, or ask for a higher quota in Service Quotas. (request id req-1)",
  );
});

test("an AWS text without a final stop is ended before the advice begins", () => {
  const e = toBedrockError(
    awsError("ThrottlingException", "Rate exceeded for the pre-defined prefix", 429, 3),
    ctx,
  ) as BedrockConverseError;
  assert.equal(
    e.message,
    "Rate exceeded for the pre-defined prefix. Bedrock throttled the request after 3 attempts. Retry later, raise maxRetries, or ask for a higher quota in Service Quotas. (request id req-1)",
  );
});

test("on-demand not supported suggests an inference profile id", () => {
  const e = toBedrockError(
    awsError(
      "ValidationException",
      "Invocation of model ID anthropic.claude-sonnet-4-20250514-v1:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
      400,
    ),
    ctx,
  ) as BedrockConverseError;
  assert.equal(e.retryable, false);
  assert.match(e.message, /Use a cross-region inference profile id \(for example "us\.anthropic\.claude-sonnet-4-20250514-v1:0"\)/);
});

test("access denied names the model, region and the IAM actions", () => {
  const e = toBedrockError(awsError("AccessDeniedException", "You don't have access to the model with the specified model ID.", 403), ctx);
  assert.match(e.message, /denied for anthropic\.claude-sonnet-4-20250514-v1:0 in region us-east-1/);
  assert.match(e.message, /bedrock:InvokeModelWithResponseStream/);
});

test("a missing region becomes a config error that says how to set one", () => {
  const e = toBedrockError(new Error("Region is missing"), ctx);
  assert.ok(e instanceof BedrockConfigError);
  assert.match(e.message, /AWS_REGION/);
});

test("abort errors pass through untouched", () => {
  const abort = Object.assign(new Error("Request aborted"), { name: "AbortError" });
  assert.equal(toBedrockError(abort, ctx), abort);
});

test("timeouts become BedrockTimeoutError", () => {
  const e = toBedrockError(Object.assign(new Error("Connection timed out after 100 ms"), { name: "TimeoutError" }), ctx);
  assert.ok(e instanceof BedrockTimeoutError);
});

test("secrets are redacted from messages", () => {
  assert.equal(
    redactSecrets("key AKIASECRET123 and wJalrXUtnFEMI", ["AKIASECRET123", "wJalrXUtnFEMI", undefined]),
    "key [REDACTED] and [REDACTED]",
  );
  const e = toBedrockError(awsError("UnrecognizedClientException", "The security token AKIASECRET123 is invalid.", 403), {
    ...ctx,
    secrets: ["AKIASECRET123"],
  });
  assert.doesNotMatch(e.message, /AKIASECRET123/);
  assert.doesNotMatch(JSON.stringify(e), /AKIASECRET123/);
});

test("one table of exception types: stream members, retryability and the SDK's classes agree", async () => {
  const sdk = (await import("@aws-sdk/client-bedrock-runtime")) as unknown as Record<string, unknown>;
  assert.deepEqual([...STREAM_EXCEPTION_MEMBERS].sort(), [
    "internalServerException",
    "modelStreamErrorException",
    "serviceUnavailableException",
    "throttlingException",
    "validationException",
  ]);
  for (const [type, facts] of Object.entries(BEDROCK_EXCEPTIONS)) {
    assert.equal(typeof sdk[type], "function", `the SDK exports ${type}`);
    const err = toBedrockError(Object.assign(new Error("x"), { name: type, $metadata: { httpStatusCode: facts.status } }), {
      modelId: "m",
      operation: "Converse",
    }) as BedrockConverseError;
    assert.equal(err.retryable, facts.retryable, type);
  }
});

test("toStreamError: an SDK stream exception becomes a BedrockStreamError; other errors are marked partial", () => {
  const ctx = { modelId: "m", operation: "ConverseStream" as const, requestId: "rid-1", secrets: ["s3cr3t-value"] };
  const sdkError = Object.assign(new Error("model said s3cr3t-value"), {
    name: "ModelStreamErrorException",
    originalStatusCode: 500,
    $fault: "client",
  });
  const err = toStreamError(sdkError, ctx);
  assert.ok(err instanceof BedrockStreamError);
  assert.equal(err.name, "ModelStreamErrorException");
  assert.equal(err.status, 424);
  assert.equal(err.retryable, false);
  assert.equal(err.requestId, "rid-1");
  assert.deepEqual(err.details, { originalStatusCode: 500 });
  assert.doesNotMatch(err.message, /s3cr3t/);
  assert.match(err.message, /\[REDACTED\]/);

  const other = toStreamError(Object.assign(new Error("boom"), { name: "SomethingElse", $metadata: {} }), ctx);
  assert.ok(other instanceof BedrockConverseError && !(other instanceof BedrockStreamError));
  assert.equal((other as unknown as { partial?: boolean }).partial, true);

  const reset = toStreamError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), ctx);
  assert.ok(reset instanceof StreamIncompleteError);
  assert.match(reset.message, /lost mid-stream \(ECONNRESET\)/);
});
