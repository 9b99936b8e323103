import assert from "node:assert/strict";
import { test } from "node:test";
import { toUsageMetadata } from "./usage.js";

test("usage: plain counts, no cache fields → no input_token_details", () => {
  assert.deepEqual(toUsageMetadata({ inputTokens: 22, outputTokens: 55, totalTokens: 77 }), {
    input_tokens: 22,
    output_tokens: 55,
    total_tokens: 77,
  });
});

test("usage: cache read/write are added to input_tokens and reported as details", () => {
  assert.deepEqual(
    toUsageMetadata({ inputTokens: 10, outputTokens: 5, totalTokens: 1215, cacheReadInputTokens: 1000, cacheWriteInputTokens: 200 }),
    { input_tokens: 1210, output_tokens: 5, total_tokens: 1215, input_token_details: { cache_read: 1000, cache_creation: 200 } },
  );
});

test("usage: zero cache fields reported by Bedrock still give details (real capture shape)", () => {
  assert.deepEqual(
    toUsageMetadata({ inputTokens: 22, outputTokens: 57, totalTokens: 79, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 }),
    { input_tokens: 22, output_tokens: 57, total_tokens: 79, input_token_details: { cache_read: 0, cache_creation: 0 } },
  );
});

test("usage: cacheDetails per TTL → ephemeral_5m/1h_input_tokens and cache_creation 0, as Python", () => {
  assert.deepEqual(
    toUsageMetadata({
      inputTokens: 3,
      outputTokens: 4,
      totalTokens: 307,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 300,
      cacheDetails: [
        { ttl: "5m", inputTokens: 100 },
        { ttl: "1h", inputTokens: 200 },
      ],
    }),
    {
      input_tokens: 303,
      output_tokens: 4,
      total_tokens: 307,
      input_token_details: { cache_read: 0, cache_creation: 0, ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
    },
  );
});

test("usage: missing totalTokens falls back to the sum; malformed values count as 0; undefined → undefined", () => {
  assert.deepEqual(toUsageMetadata({ inputTokens: 2, outputTokens: 3 } as never), { input_tokens: 2, output_tokens: 3, total_tokens: 5 });
  assert.deepEqual(toUsageMetadata({ inputTokens: "x", outputTokens: 1, totalTokens: 1 } as never), {
    input_tokens: 0,
    output_tokens: 1,
    total_tokens: 1,
  });
  assert.equal(toUsageMetadata(undefined), undefined);
});
