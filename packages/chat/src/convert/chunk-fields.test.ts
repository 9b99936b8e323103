import { test } from "node:test";
import assert from "node:assert/strict";
import { AIMessageChunk } from "@langchain/core/messages";
import { aiMessageChunk, type ChunkFields } from "./chunk-fields.js";

const cases: [string, ChunkFields][] = [
  ["text", { content: [{ type: "text", text: "Hi", index: 0 }], response_metadata: { model_provider: "bedrock-converse" } }],
  ["first chunk with an id", { content: [], response_metadata: { model_provider: "bedrock-converse" }, id: "req-1" }],
  [
    "usage",
    {
      content: [],
      response_metadata: { stopReason: "end_turn" },
      usage_metadata: { input_tokens: 3, output_tokens: 4, total_tokens: 7 },
    },
  ],
  [
    "tool call chunk",
    {
      content: [{ type: "tool_use", id: "t1", name: "f", input: "", index: 1 }],
      response_metadata: { model_provider: "bedrock-converse" },
      tool_call_chunks: [{ type: "tool_call_chunk", id: "t1", name: "f", args: "", index: 1 }],
    },
  ],
];

for (const [name, fields] of cases) {
  test(`aiMessageChunk builds the same chunk as core's constructor: ${name}`, () => {
    const ours = aiMessageChunk(structuredClone(fields));
    const plain: Record<string, unknown> = { content: fields.content, response_metadata: fields.response_metadata };
    if (fields.id !== undefined) plain.id = fields.id;
    if (fields.tool_call_chunks) plain.tool_call_chunks = fields.tool_call_chunks;
    if (fields.usage_metadata) plain.usage_metadata = fields.usage_metadata;
    const core = new AIMessageChunk(structuredClone(plain) as never);
    assert.ok(ours instanceof AIMessageChunk);
    assert.deepEqual(Object.keys(ours.lc_kwargs), Object.keys(core.lc_kwargs));
    assert.equal(JSON.stringify(ours), JSON.stringify(core));
    assert.deepEqual(ours.tool_calls, core.tool_calls);
    assert.deepEqual(ours.tool_call_chunks, core.tool_call_chunks);
    assert.deepEqual(ours.usage_metadata, core.usage_metadata);
    assert.equal(ours.id, core.id);
  });
}
