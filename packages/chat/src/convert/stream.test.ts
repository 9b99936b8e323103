import type { ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { AIMessageChunk } from "@langchain/core/messages";
import { concat } from "@langchain/core/utils/stream";
import assert from "node:assert/strict";
import { test } from "node:test";
import { converseResponseToMessage } from "./response.js";
import { BedrockStreamError, StreamIncompleteError } from "../errors.js";
import { ConverseStreamConverter } from "./stream.js";
import { REDACTED, SIGNATURE, ev, response } from "./test-data.js";

const MODEL = "anthropic.claude-sonnet-4-5-20250929-v1:0";
const HTTP = { httpStatusCode: 200, requestId: "req-123", attempts: 1 };

function run(events: ConverseStreamOutput[], finish = true): { chunks: AIMessageChunk[]; all: AIMessageChunk[]; merged: AIMessageChunk } {
  const converter = new ConverseStreamConverter({ modelName: MODEL, responseMetadata: HTTP });
  const all: AIMessageChunk[] = [converter.start()];
  const chunks: AIMessageChunk[] = [];
  for (const event of events) for (const chunk of converter.convert(event)) chunks.push(chunk);
  all.push(...chunks);
  // A stream without its closing metadata event is incomplete: finish() must say so.
  if (finish && events.some((e) => "metadata" in e)) converter.finish();
  else if (finish) assert.throws(() => converter.finish(), StreamIncompleteError);
  return { chunks, all, merged: all.reduce((a, b) => concat(a, b)) };
}

/** Content without the stream's `index` keys. */
function stripIndex(content: unknown): unknown {
  return (content as Array<Record<string, unknown>>).map(({ index: _index, ...rest }) => rest);
}

test("stream: start() is an empty chunk with model_provider; the request id is not the message id", () => {
  const first = new ConverseStreamConverter({ modelName: MODEL, responseMetadata: HTTP }).start();
  assert.deepEqual(first.content, []);
  assert.equal(first.id, undefined);
  assert.deepEqual(first.response_metadata, { model_provider: "bedrock-converse" });
});

test("stream: text sequence (real-capture shape) — every chunk exact, concat equals invoke", () => {
  const { chunks, merged } = run([
    ev.start(),
    ev.text(0, "J'aime "),
    ev.text(0, "la programmation."),
    ev.stop(0),
    ev.messageStop("end_turn", { delta: { stop_sequence: null } }),
    ev.metadata({ inputTokens: 12, outputTokens: 7, totalTokens: 19 }, 321),
  ]);
  assert.deepEqual(
    chunks.map((c) => c.content),
    [[{ type: "text", text: "J'aime ", index: 0 }], [{ type: "text", text: "la programmation.", index: 0 }], [], [], []],
  );
  for (const c of chunks) assert.equal(c.response_metadata.model_provider, "bedrock-converse");
  assert.deepEqual(chunks[3].response_metadata, {
    model_provider: "bedrock-converse",
    stopReason: "end_turn",
    additionalModelResponseFields: { delta: { stop_sequence: null } },
  });
  assert.deepEqual(chunks[4].usage_metadata, { input_tokens: 12, output_tokens: 7, total_tokens: 19 });
  assert.deepEqual(chunks[4].response_metadata, {
    metrics: { latencyMs: 321 },
    model: MODEL,
    model_name: MODEL,
    model_provider: "bedrock-converse",
    ResponseMetadata: {
      RequestId: "req-123",
      HTTPStatusCode: 200,
      HTTPHeaders: { "x-amzn-requestid": "req-123", "content-type": "application/vnd.amazon.eventstream" },
      RetryAttempts: 0,
    },
  });

  const invoke = converseResponseToMessage(
    response([{ text: "J'aime la programmation." }], { additionalModelResponseFields: { delta: { stop_sequence: null } } }),
    { modelName: MODEL },
  );
  assert.deepEqual(stripIndex(merged.content), invoke.content);
  assert.equal(merged.id, invoke.id);
  assert.equal(merged.usage_metadata?.input_tokens, invoke.usage_metadata?.input_tokens);
  assert.equal(merged.usage_metadata?.output_tokens, invoke.usage_metadata?.output_tokens);
  assert.equal(merged.usage_metadata?.total_tokens, invoke.usage_metadata?.total_tokens);
  const { ResponseMetadata: _a, ...streamMeta } = merged.response_metadata;
  const { ResponseMetadata: _b, ...invokeMeta } = invoke.response_metadata;
  assert.deepEqual(streamMeta, invokeMeta);
});

test("stream: reasoning (empty delta, signature-only delta) then text — one block per index, equals invoke", () => {
  const { chunks, merged } = run([
    ev.start(),
    ev.reasoning(0, "Count "),
    ev.reasoning(0, "the r's."),
    ev.reasoning(0, ""),
    ev.signature(0, SIGNATURE),
    ev.stop(0),
    ev.text(1, "There are "),
    ev.text(1, "3."),
    ev.stop(1),
    ev.messageStop(),
    ev.metadata({ inputTokens: 1, outputTokens: 2, totalTokens: 3 }, 10),
  ]);
  assert.deepEqual(chunks[0].content, [{ type: "reasoning_content", reasoning_content: { type: "text", text: "Count " }, index: 0 }]);
  assert.deepEqual(chunks[2].content, [{ type: "reasoning_content", reasoning_content: { type: "text", signature: SIGNATURE }, index: 0 }]);
  const invoke = converseResponseToMessage(
    response([{ reasoningContent: { reasoningText: { text: "Count the r's.", signature: SIGNATURE } } }, { text: "There are 3." }]),
    { modelName: MODEL },
  );
  assert.deepEqual(stripIndex(merged.content), invoke.content);
  assert.deepEqual(merged.contentBlocks, [
    { type: "reasoning", reasoning: "Count the r's.", signature: SIGNATURE, index: 0 },
    { type: "text", text: "There are 3.", index: 1 },
  ]);
});

test("stream: tool call with input split across deltas, metadata before messageStop", () => {
  const { chunks, merged } = run([
    ev.toolStart(0, "tool-use-id", "test-tool"),
    ev.toolInput(0, '{"value":'),
    ev.toolInput(0, '"Sparkle Day"}'),
    ev.stop(0),
    ev.metadata({ inputTokens: 125, outputTokens: 45, totalTokens: 170 }, 234),
    ev.messageStop("tool_use"),
  ]);
  assert.deepEqual(chunks[0].content, [{ type: "tool_use", id: "tool-use-id", name: "test-tool", input: "", index: 0 }]);
  assert.deepEqual(chunks[0].tool_call_chunks, [{ type: "tool_call_chunk", name: "test-tool", id: "tool-use-id", args: "", index: 0 }]);
  assert.deepEqual(chunks[1].content, [{ type: "tool_use", input: '{"value":', index: 0 }]);
  assert.deepEqual(chunks[1].tool_call_chunks, [{ type: "tool_call_chunk", args: '{"value":', index: 0 }]);
  assert.deepEqual(merged.tool_calls, [{ type: "tool_call", id: "tool-use-id", name: "test-tool", args: { value: "Sparkle Day" } }]);
  assert.equal(merged.response_metadata.stopReason, "tool_use");
  assert.deepEqual(merged.usage_metadata?.total_tokens, 170);

  const invoke = converseResponseToMessage(
    response([{ toolUse: { toolUseId: "tool-use-id", name: "test-tool", input: { value: "Sparkle Day" } } }], { stopReason: "tool_use" }),
    { modelName: MODEL },
  );
  assert.deepEqual(merged.tool_calls, invoke.tool_calls);
  // Content matches invoke except that the streamed tool_use input is the JSON text.
  const [block] = stripIndex(merged.content) as Array<Record<string, unknown>>;
  assert.deepEqual({ ...block, input: JSON.parse(block.input as string) }, (invoke.content as unknown[])[0]);
  assert.deepEqual(merged.contentBlocks, [
    { type: "tool_call", id: "tool-use-id", name: "test-tool", args: { value: "Sparkle Day" }, index: 0 },
  ]);
  // a single chunk carries a fragment: a v1 tool_call_chunk, concatenated per index
  assert.deepEqual(chunks[0].contentBlocks, [{ type: "tool_call_chunk", id: "tool-use-id", name: "test-tool", args: "", index: 0 }]);
  assert.deepEqual(chunks[1].contentBlocks, [{ type: "tool_call_chunk", args: '{"value":', index: 0 }]);
});

test("stream: text block opened with start:{} and a tool with empty input → args {}", () => {
  const { chunks, merged } = run([
    ev.blockStart(0, {}),
    ev.text(0, "I'll update the issue list for you."),
    ev.stop(0),
    ev.toolStart(1, "tool-use-id", "updateIssueList"),
    ev.toolInput(1, ""),
    ev.stop(1),
    ev.metadata({ inputTokens: 100, outputTokens: 25, totalTokens: 125 }, 150),
    ev.messageStop("tool_use"),
  ]);
  assert.equal(chunks.length, 6); // text, stop, tool start, stop, metadata, messageStop (start:{} and "" input yield nothing)
  assert.deepEqual(merged.tool_calls, [{ type: "tool_call", id: "tool-use-id", name: "updateIssueList", args: {} }]);
  assert.deepEqual(stripIndex(merged.content), [
    { type: "text", text: "I'll update the issue list for you." },
    { type: "tool_use", id: "tool-use-id", name: "updateIssueList", input: "" },
  ]);
});

test("stream: three text blocks with no start/stop events, then a tool; no metadata", () => {
  const { merged } = run([
    ev.text(0, "First text block."),
    ev.text(1, "Second text block."),
    ev.text(2, "Third block."),
    ev.toolStart(3, "json-tool-id", "json"),
    ev.toolInput(3, '{"result":42}'),
    ev.stop(3),
    ev.messageStop("tool_use"),
  ]);
  assert.deepEqual(stripIndex(merged.content), [
    { type: "text", text: "First text block." },
    { type: "text", text: "Second text block." },
    { type: "text", text: "Third block." },
    { type: "tool_use", id: "json-tool-id", name: "json", input: '{"result":42}' },
  ]);
  assert.deepEqual(merged.tool_calls, [{ type: "tool_call", id: "json-tool-id", name: "json", args: { result: 42 } }]);
  assert.equal(merged.usage_metadata, undefined);
  assert.equal(merged.response_metadata.stopReason, "tool_use");
});

test("stream: redacted reasoning pieces are joined per index and emitted once, byte-exact", () => {
  const second = new Uint8Array([42, 43]);
  const { chunks, merged } = run([
    ev.start(),
    ev.redacted(0, REDACTED.subarray(0, 4)),
    ev.redacted(0, REDACTED.subarray(4)),
    ev.stop(0),
    ev.redacted(1, second),
    ev.stop(1),
    ev.text(2, "ok"),
    ev.messageStop(),
  ]);
  assert.deepEqual(chunks[0].content, [
    {
      type: "reasoning_content",
      reasoning_content: { type: "redacted", redacted_content: Buffer.from(REDACTED).toString("base64") },
      index: 0,
    },
  ]);
  const invoke = converseResponseToMessage(
    response([{ reasoningContent: { redactedContent: REDACTED } }, { reasoningContent: { redactedContent: second } }, { text: "ok" }]),
    { modelName: MODEL },
  );
  assert.deepEqual(stripIndex(merged.content), invoke.content);
});

test("stream: redacted reasoning without contentBlockStop is flushed at messageStop", () => {
  const { chunks } = run([ev.redacted(0, REDACTED), ev.messageStop()]);
  assert.deepEqual(chunks[0].content, [
    {
      type: "reasoning_content",
      reasoning_content: { type: "redacted", redacted_content: Buffer.from(REDACTED).toString("base64") },
      index: 0,
    },
  ]);
  assert.equal(chunks.length, 1);
});

test("stream: citation deltas attach to their text block", () => {
  const citation = { title: "doc", sourceContent: [{ text: "blue" }], location: { documentChar: { documentIndex: 0, start: 0, end: 4 } } };
  const { merged } = run([ev.text(0, "Sky is blue."), ev.citation(0, citation), ev.stop(0), ev.messageStop()]);
  const invoke = converseResponseToMessage(
    response([{ citationsContent: { content: [{ text: "Sky is blue." }], citations: [citation] } }]),
    {
      modelName: MODEL,
    },
  );
  assert.deepEqual(stripIndex(merged.content), invoke.content);
});

test("stream: guardrail trace, serviceTier and cache usage in metadata", () => {
  const trace = { guardrail: { outputAssessments: { g1: [{ contentPolicy: { filters: [] } }] } } };
  const { chunks, merged } = run([
    ev.text(0, "Sorry, I can't help."),
    ev.messageStop("guardrail_intervened"),
    ev.metadata({ inputTokens: 3, outputTokens: 5, totalTokens: 108, cacheReadInputTokens: 100, cacheWriteInputTokens: 0 }, 9, {
      trace,
      serviceTier: { type: "flex" },
    }),
  ]);
  const meta = chunks[2];
  assert.deepEqual(meta.usage_metadata, {
    input_tokens: 103,
    output_tokens: 5,
    total_tokens: 108,
    input_token_details: { cache_read: 100, cache_creation: 0 },
  });
  assert.deepEqual(meta.response_metadata.trace, trace);
  assert.deepEqual(meta.response_metadata.serviceTier, { type: "flex" });
  assert.equal(merged.response_metadata.stopReason, "guardrail_intervened");
  assert.equal(merged.usage_metadata?.input_token_details?.cache_read, 100);
});

test("stream: unknown events and members are ignored; messageStart yields nothing", () => {
  const converter = new ConverseStreamConverter({ modelName: MODEL });
  assert.deepEqual(converter.convert(ev.start()), []);
  assert.deepEqual(converter.convert({ $unknown: ["somethingNew", {}] } as never), []);
  assert.deepEqual(converter.convert({ contentBlockDelta: { contentBlockIndex: 0, delta: { futureDelta: 1 } } } as never), []);
  assert.deepEqual(converter.convert(ev.stop(5)), []); // a block that never had content
});

test("stream: exception events throw a typed BedrockStreamError after earlier chunks were returned", () => {
  const converter = new ConverseStreamConverter({ modelName: MODEL });
  assert.equal(converter.convert(ev.text(0, "partial")).length, 1);
  assert.throws(
    () => converter.convert({ throttlingException: { message: "Too many requests" } } as never),
    (e: unknown) =>
      e instanceof BedrockStreamError &&
      e.awsErrorType === "ThrottlingException" &&
      e.partial === true &&
      e.retryable &&
      /Too many requests/.test(e.message),
  );
  for (const member of ["modelStreamErrorException", "internalServerException", "validationException", "serviceUnavailableException"]) {
    assert.throws(
      () => new ConverseStreamConverter({ modelName: MODEL }).convert({ [member]: { message: "x" } } as never),
      BedrockStreamError,
    );
  }
});

test("stream: finish() without messageStop throws StreamIncompleteError; with it, nothing", () => {
  const converter = new ConverseStreamConverter({ modelName: MODEL });
  converter.convert(ev.text(0, "cut"));
  assert.throws(
    () => converter.finish(),
    (e: unknown) => {
      assert.ok(e instanceof StreamIncompleteError);
      assert.equal(e.partial, true);
      assert.equal(e.retryable, true);
      return true;
    },
  );
  assert.doesNotThrow(() =>
    run([ev.text(0, "done"), ev.messageStop(), ev.metadata({ inputTokens: 1, outputTokens: 1, totalTokens: 2 }, 1)]),
  );
});

test("stream: finish() after messageStop but without metadata throws StreamIncompleteError naming the missing usage", () => {
  const converter = new ConverseStreamConverter({ modelName: MODEL });
  const stop = converter.convert(ev.messageStop("end_turn"));
  assert.equal(stop[0].response_metadata.stopReason, "end_turn");
  assert.throws(
    () => converter.finish(),
    (e: unknown) => {
      assert.ok(e instanceof StreamIncompleteError);
      assert.equal(e.partial, true);
      assert.equal(e.retryable, true);
      assert.match(e.message, /after messageStop but before its metadata event/);
      return true;
    },
  );
});

test("stream: with a messageId, every chunk carries it, and so does their concatenation", () => {
  const converter = new ConverseStreamConverter({ modelName: MODEL, responseMetadata: HTTP, messageId: "run-abc" });
  const chunks = [converter.start()];
  for (const e of [
    ev.text(0, "a"),
    ev.stop(0),
    ev.toolStart(1, "t1", "f"),
    ev.toolInput(1, "{}"),
    ev.stop(1),
    ev.messageStop("tool_use"),
    ev.metadata({ inputTokens: 1, outputTokens: 1, totalTokens: 2 }, 1),
  ]) {
    chunks.push(...converter.convert(e));
  }
  assert.ok(chunks.length > 6);
  for (const c of chunks) assert.equal(c.id, "run-abc");
  assert.equal(chunks.reduce((a, b) => concat(a, b)).id, "run-abc");
});

test("stream: inference profile and boto3-shaped ResponseMetadata are used as given", () => {
  const given = { RequestId: "abc", HTTPStatusCode: 200, HTTPHeaders: { a: "b" }, RetryAttempts: 1 };
  const converter = new ConverseStreamConverter({ modelName: MODEL, inferenceProfileId: "profile-1", responseMetadata: given });
  assert.equal(converter.start().id, undefined);
  const [chunk] = converter.convert(ev.metadata({ inputTokens: 1, outputTokens: 1, totalTokens: 2 }, 1));
  assert.deepEqual(chunk.response_metadata.ResponseMetadata, given);
  assert.equal(chunk.response_metadata.inference_profile_id, "profile-1");
});

test("stream v1: citations survive core's chunk merge in any order, and the concatenation equals invoke", () => {
  const c1 = { title: "doc", sourceContent: [{ text: "blue" }], location: { documentChar: { documentIndex: 0, start: 0, end: 4 } } };
  const c2 = { title: "doc", sourceContent: [{ text: "sky" }], location: { documentChar: { documentIndex: 0, start: 5, end: 8 } } };
  const invoke = converseResponseToMessage(response([{ citationsContent: { content: [{ text: "Sky is blue." }], citations: [c1, c2] } }]), {
    modelName: MODEL,
    outputVersion: "v1",
  });
  const orders: ConverseStreamOutput[][] = [
    [ev.text(0, "Sky is "), ev.text(0, "blue."), ev.citation(0, c1), ev.citation(0, c2)],
    [ev.citation(0, c1), ev.text(0, "Sky is "), ev.citation(0, c2), ev.text(0, "blue.")],
  ];
  for (const events of orders) {
    const { all } = run([ev.start(), ...events, ev.stop(0), ev.messageStop()]);
    // What core's stream() yields for outputVersion "v1": each chunk cast to its standard blocks.
    const v1 = all.map((c) => new AIMessageChunk({ ...c, content: c.contentBlocks as AIMessageChunk["content"] }));
    const merged = v1.reduce((a, b) => concat(a, b));
    assert.deepEqual(stripIndex(merged.content), invoke.content);
  }
});
