import assert from "node:assert/strict";
import { test } from "node:test";
import { BedrockResponseError } from "../errors.js";
import { converseResponseToMessage } from "./response.js";
import { REDACTED, SIGNATURE, response } from "./test-data.js";

const ctx = { modelName: "anthropic.claude-sonnet-4-5-20250929-v1:0" };

test("response: one text block → list content, exact metadata, id, usage", () => {
  const msg = converseResponseToMessage(response([{ text: "J'aime la programmation." }]), ctx);
  assert.deepEqual(msg.content, [{ type: "text", text: "J'aime la programmation." }]);
  // The request id is metadata; the message id is the caller's (run-<runId>), when given.
  assert.equal(msg.id, undefined);
  assert.equal(converseResponseToMessage(response([{ text: "x" }]), { ...ctx, messageId: "run-1" }).id, "run-1");
  assert.deepEqual(msg.tool_calls, []);
  assert.deepEqual(msg.usage_metadata, { input_tokens: 12, output_tokens: 7, total_tokens: 19 });
  assert.deepEqual(msg.response_metadata, {
    ResponseMetadata: {
      RequestId: "req-123",
      HTTPStatusCode: 200,
      HTTPHeaders: { "x-amzn-requestid": "req-123", "content-type": "application/json" },
      RetryAttempts: 0,
    },
    stopReason: "end_turn",
    metrics: { latencyMs: 321 },
    model: ctx.modelName,
    model_name: ctx.modelName,
    model_provider: "bedrock-converse",
  });
  assert.equal(msg.text, "J'aime la programmation.");
});

test("response: optional fields, headers from ctx, retry attempts, inference profile", () => {
  const out = response([{ text: "ok" }], {
    $metadata: { httpStatusCode: 200, requestId: "r9", attempts: 3 },
    additionalModelResponseFields: { delta: { stop_sequence: "###" } },
    trace: { guardrail: { actionReason: "blocked" } },
    performanceConfig: { latency: "optimized" },
    serviceTier: { type: "priority" },
    stopReason: "guardrail_intervened",
  });
  const msg = converseResponseToMessage(out, {
    modelName: "m",
    inferenceProfileId: "arn:aws:bedrock:us-east-1:1:application-inference-profile/x",
    httpHeaders: { "x-amzn-requestid": "r9", date: "today" },
  });
  assert.deepEqual(msg.response_metadata, {
    ResponseMetadata: { RequestId: "r9", HTTPStatusCode: 200, HTTPHeaders: { "x-amzn-requestid": "r9", date: "today" }, RetryAttempts: 2 },
    stopReason: "guardrail_intervened",
    metrics: { latencyMs: 321 },
    additionalModelResponseFields: { delta: { stop_sequence: "###" } },
    trace: { guardrail: { actionReason: "blocked" } },
    performanceConfig: { latency: "optimized" },
    serviceTier: { type: "priority" },
    model: "m",
    model_name: "m",
    model_provider: "bedrock-converse",
    inference_profile_id: "arn:aws:bedrock:us-east-1:1:application-inference-profile/x",
  });
});

test("response: text + toolUse → tool_use block kept in content and tool_calls", () => {
  const msg = converseResponseToMessage(
    response(
      [
        { text: "Let me check." },
        { toolUse: { toolUseId: "tooluse_1", name: "get_weather", input: { city: "Paris" } } },
        { toolUse: { toolUseId: "tooluse_2", name: "no_args", input: {} } },
      ],
      { stopReason: "tool_use" },
    ),
    ctx,
  );
  assert.deepEqual(msg.content, [
    { type: "text", text: "Let me check." },
    { type: "tool_use", id: "tooluse_1", name: "get_weather", input: { city: "Paris" } },
    { type: "tool_use", id: "tooluse_2", name: "no_args", input: {} },
  ]);
  assert.deepEqual(msg.tool_calls, [
    { type: "tool_call", id: "tooluse_1", name: "get_weather", args: { city: "Paris" } },
    { type: "tool_call", id: "tooluse_2", name: "no_args", args: {} },
  ]);
  assert.equal(msg.response_metadata.stopReason, "tool_use");
});

test("response: reasoning with signature, redacted reasoning (base64) and text", () => {
  const msg = converseResponseToMessage(
    response([
      { reasoningContent: { reasoningText: { text: "Count the r's.", signature: SIGNATURE } } },
      { reasoningContent: { redactedContent: REDACTED } },
      { text: "3" },
    ]),
    ctx,
  );
  assert.deepEqual(msg.content, [
    { type: "reasoning_content", reasoning_content: { type: "text", text: "Count the r's.", signature: SIGNATURE } },
    { type: "reasoning_content", reasoning_content: { type: "redacted", redacted_content: Buffer.from(REDACTED).toString("base64") } },
    { type: "text", text: "3" },
  ]);
});

test("response: citationsContent → text block with snake_cased citations", () => {
  const msg = converseResponseToMessage(
    response([
      {
        citationsContent: {
          content: [{ text: "The sky is blue." }],
          citations: [
            {
              title: "facts.pdf",
              sourceContent: [{ text: "sky: blue" }],
              location: { documentChar: { documentIndex: 0, start: 3, end: 12 } },
            },
          ],
        },
      },
    ]),
    ctx,
  );
  assert.deepEqual(msg.content, [
    {
      type: "text",
      text: "The sky is blue.",
      citations: [
        {
          title: "facts.pdf",
          source_content: [{ text: "sky: blue" }],
          location: { document_char: { document_index: 0, start: 3, end: 12 } },
        },
      ],
    },
  ]);
});

test("response: image, video (bytes and S3), document, toolResult, json, guardContent, unknown members", () => {
  const png = new Uint8Array([137, 80, 78, 71]);
  const doc = { format: "pdf", name: "report", source: { bytes: new Uint8Array([37, 80]) } };
  const msg = converseResponseToMessage(
    response([
      { image: { format: "png", source: { bytes: png } } },
      { video: { format: "mp4", source: { s3Location: { uri: "s3://b/v.mp4", bucketOwner: "123" } } } },
      { document: doc },
      { toolResult: { toolUseId: "t1", status: "error", content: [{ text: "boom" }, { json: { code: 1 } }] } },
      { json: { a: 1 } },
      { guardContent: { text: { text: "guarded" } } },
      { $unknown: ["futureBlock", { x: 1 }] },
      { audio: { format: "mp3", source: { bytes: new Uint8Array([1]) } } },
    ]),
    ctx,
  );
  assert.deepEqual(msg.content, [
    { type: "image", source: { type: "base64", media_type: "image/png", data: Buffer.from(png).toString("base64") } },
    { type: "video", source: { type: "s3Location", media_type: "video/mp4", data: { uri: "s3://b/v.mp4", bucket_owner: "123" } } },
    { type: "document", document: doc },
    {
      type: "tool_result",
      tool_use_id: "t1",
      is_error: true,
      content: [
        { type: "text", text: "boom" },
        { type: "json", json: { code: 1 } },
      ],
    },
    { type: "json", json: { a: 1 } },
    { type: "guard_content", guard_content: { type: "text", text: "guarded" } },
    { type: "non_standard", value: { futureBlock: { x: 1 } } },
    { type: "non_standard", value: { audio: { format: "mp3", source: { bytes: new Uint8Array([1]) } } } },
  ]);
  assert.deepEqual(msg.tool_calls, []);
});

test("response: cache usage with per-TTL details", () => {
  const msg = converseResponseToMessage(
    response([{ text: "hi" }], {
      usage: {
        inputTokens: 5,
        outputTokens: 2,
        totalTokens: 1507,
        cacheReadInputTokens: 1000,
        cacheWriteInputTokens: 500,
        cacheDetails: [{ ttl: "1h", inputTokens: 500 }],
      },
    }),
    ctx,
  );
  assert.deepEqual(msg.usage_metadata, {
    input_tokens: 1505,
    output_tokens: 2,
    total_tokens: 1507,
    input_token_details: { cache_read: 1000, cache_creation: 0, ephemeral_1h_input_tokens: 500 },
  });
});

test("response: no output → typed error with a hint", () => {
  assert.throws(
    () => converseResponseToMessage({ $metadata: {} } as never, ctx),
    (e: unknown) => e instanceof BedrockResponseError && e.code === "MISSING_OUTPUT" && /region/.test(e.message),
  );
});

test("response: contentBlocks gives v1 text, reasoning (with signature) and tool_call blocks", () => {
  const msg = converseResponseToMessage(
    response([
      { reasoningContent: { reasoningText: { text: "think", signature: SIGNATURE } } },
      { text: "answer" },
      { toolUse: { toolUseId: "t1", name: "calc", input: { a: 1 } } },
    ]),
    ctx,
  );
  assert.deepEqual(msg.contentBlocks, [
    { type: "reasoning", reasoning: "think", signature: SIGNATURE },
    { type: "text", text: "answer" },
    { type: "tool_call", id: "t1", name: "calc", args: { a: 1 } },
  ]);
});

test("response: contentBlocks maps citations to annotations and keeps redacted as non_standard", () => {
  const msg = converseResponseToMessage(
    response([
      { reasoningContent: { redactedContent: REDACTED } },
      {
        citationsContent: {
          content: [{ text: "Blue." }],
          citations: [
            { title: "t", sourceContent: [{ text: "blue" }], location: { documentPage: { documentIndex: 1, start: 2, end: 3 } } },
          ],
        },
      },
    ]),
    ctx,
  );
  const blocks = msg.contentBlocks as unknown as Array<Record<string, unknown>>;
  assert.equal(blocks[0].type, "non_standard");
  assert.equal(blocks[1].type, "text");
  assert.equal(blocks[1].text, "Blue.");
  const [annotation] = blocks[1].annotations as Array<Record<string, unknown>>;
  assert.equal(annotation.type, "citation");
  assert.equal(annotation.citedText, "blue");
  assert.equal(annotation.source, "1");
  assert.equal(annotation.startIndex, 2);
  assert.equal(annotation.endIndex, 3);
});

test("response: outputVersion v1 puts standard blocks in content", () => {
  const msg = converseResponseToMessage(response([{ text: "a" }, { toolUse: { toolUseId: "t1", name: "f", input: { x: 1 } } }]), {
    ...ctx,
    outputVersion: "v1",
  });
  assert.deepEqual(msg.content, [
    { type: "text", text: "a" },
    { type: "tool_call", id: "t1", name: "f", args: { x: 1 } },
  ]);
  assert.equal(msg.response_metadata.output_version, "v1");
  assert.deepEqual(msg.tool_calls, [{ type: "tool_call", id: "t1", name: "f", args: { x: 1 } }]);
});
