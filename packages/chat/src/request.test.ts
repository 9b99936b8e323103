import { test } from "node:test";
import assert from "node:assert/strict";
import type { Message } from "@aws-sdk/client-bedrock-runtime";
import { applyCacheControl, buildConverseRequest, buildCountTokensRequest, type BuildRequestInput } from "./request.js";

const user: Message = { role: "user", content: [{ text: "hi" }] };

function input(over: Partial<BuildRequestInput> = {}): BuildRequestInput {
  return {
    modelId: "anthropic.claude-3-haiku-20240307-v1:0",
    baseModelId: "anthropic.claude-3-haiku-20240307-v1:0",
    provider: "anthropic",
    messages: [user],
    system: [],
    instance: {},
    call: {},
    stream: false,
    ...over,
  };
}

test("minimal request has only modelId and messages", () => {
  const { request, warnings } = buildConverseRequest(input());
  assert.deepEqual(request, { modelId: "anthropic.claude-3-haiku-20240307-v1:0", messages: [user] });
  assert.deepEqual(warnings, []);
});

test("call options override constructor values; additionalModelRequestFields merge with the call winning", () => {
  const { request } = buildConverseRequest(
    input({
      instance: {
        temperature: 0.2,
        maxTokens: 100,
        topP: 0.9,
        stopSequences: ["END"],
        additionalModelRequestFields: { top_k: 5, keep: true },
        performanceConfig: { latency: "optimized" },
        serviceTier: "flex",
        requestMetadata: { team: "a" },
        additionalModelResponseFieldPaths: ["/stop_sequence"],
        guardrailConfig: { guardrail_identifier: "gr1", guardrail_version: "1", trace: "enabled", stream_processing_mode: "async" },
      },
      call: { temperature: 0.7, stop: ["STOP"], additionalModelRequestFields: { top_k: 9 }, serviceTier: "priority" },
    }),
  );
  assert.deepEqual(request.inferenceConfig, { maxTokens: 100, temperature: 0.7, topP: 0.9, stopSequences: ["STOP"] });
  assert.deepEqual(request.additionalModelRequestFields, { top_k: 9, keep: true });
  assert.deepEqual(request.performanceConfig, { latency: "optimized" });
  assert.deepEqual(request.serviceTier, { type: "priority" });
  assert.deepEqual(request.requestMetadata, { team: "a" });
  assert.deepEqual(request.additionalModelResponseFieldPaths, ["/stop_sequence"]);
  // Converse (not stream) has no streamProcessingMode member.
  assert.deepEqual(request.guardrailConfig, { guardrailIdentifier: "gr1", guardrailVersion: "1", trace: "enabled" });
});

test("streamProcessingMode is kept for ConverseStream", () => {
  const { request } = buildConverseRequest(
    input({
      stream: true,
      instance: { guardrailConfig: { guardrailIdentifier: "g", guardrailVersion: "DRAFT", streamProcessingMode: "sync" } },
    }),
  );
  assert.deepEqual(request.guardrailConfig, { guardrailIdentifier: "g", guardrailVersion: "DRAFT", streamProcessingMode: "sync" });
});

test("tools and tool choice go into toolConfig", () => {
  const tools = [{ toolSpec: { name: "t", description: "d", inputSchema: { json: { type: "object" } } } }];
  const { request } = buildConverseRequest(input({ tools: tools as never, toolChoice: { any: {} } }));
  assert.deepEqual(request.toolConfig, { tools, toolChoice: { any: {} } });
});

test("responseFormat maps to outputConfig unless outputConfig is explicit", () => {
  const schema = { type: "object", properties: { a: { type: "string" } } };
  const fromFormat = buildConverseRequest(
    input({ call: { responseFormat: { type: "json_schema", json_schema: { schema, name: "A" } } } }),
  ).request;
  assert.equal(fromFormat.outputConfig?.textFormat?.type, "json_schema");
  const explicit = { textFormat: { type: "json_schema" as const, structure: { jsonSchema: { schema: "{}", name: "X" } } } };
  const kept = buildConverseRequest(
    input({ call: { outputConfig: explicit, responseFormat: { type: "json_schema", json_schema: { schema } } } }),
  ).request;
  assert.deepEqual(kept.outputConfig, explicit);
});

test("cache control places points at system, last message, tools and (Anthropic) the penultimate message", () => {
  const messages: Message[] = [user, { role: "assistant", content: [{ text: "a" }] }, { role: "user", content: [{ text: "b" }] }];
  const request = {
    messages: structuredClone(messages),
    system: [{ text: "sys" }],
    toolConfig: { tools: [{ toolSpec: { name: "t", inputSchema: { json: {} } } }] },
  };
  applyCacheControl(request as never, { ttl: "1h" }, { nova: false, anthropic: true });
  const point = { cachePoint: { type: "default", ttl: "1h" } };
  assert.deepEqual(request.system, [{ text: "sys" }, point]);
  assert.deepEqual(request.messages[2].content, [{ text: "b" }, point]);
  assert.deepEqual(request.toolConfig.tools[1], point);
  assert.deepEqual(request.messages[1].content, [{ text: "a" }, point]);
  assert.deepEqual(request.messages[0].content, [{ text: "hi" }]);
});

test("cache control respects the budget of four with manual points and drops the 5m ttl", () => {
  const manual = { cachePoint: { type: "default" } };
  const request = {
    messages: [
      { role: "user", content: [{ text: "1" }, manual] },
      { role: "assistant", content: [{ text: "2" }, manual] },
      { role: "user", content: [{ text: "3" }, manual] },
    ],
    system: [{ text: "sys" }],
  };
  applyCacheControl(request as never, { ttl: "5m" }, { nova: false, anthropic: true });
  assert.deepEqual(request.system, [{ text: "sys" }, { cachePoint: { type: "default" } }]);
  // the last message already holds a point; the budget (4) is now used up.
  assert.equal(request.messages[2].content.length, 2);
});

test("cache control on Nova skips tools and a last message with tool results", () => {
  const request = {
    messages: [{ role: "user", content: [{ toolResult: { toolUseId: "x", content: [{ text: "r" }] } }] }],
    toolConfig: { tools: [{ toolSpec: { name: "t", inputSchema: { json: {} } } }] },
  };
  applyCacheControl(request as never, { ttl: "1h" }, { nova: true, anthropic: false });
  assert.equal(request.messages[0].content.length, 1);
  assert.equal(request.toolConfig.tools.length, 1);
});

test("CountTokens request: the converted messages for the base model; system only when there is one", () => {
  const messages: Message[] = [{ role: "user", content: [{ text: "hi" }] }];
  assert.deepEqual(buildCountTokensRequest("anthropic.claude-3-5-haiku-20241022-v1:0", messages, []), {
    modelId: "anthropic.claude-3-5-haiku-20241022-v1:0",
    input: { converse: { messages } },
  });
  assert.deepEqual(buildCountTokensRequest("m", messages, [{ text: "be brief" }]).input, {
    converse: { messages, system: [{ text: "be brief" }] },
  });
});
