// Against real Amazon Bedrock. Skips, saying why, unless AWS credentials and a region are set.
// BEDROCK_TEST_MODEL_ID picks the model (default: a Claude 3.5 Haiku cross-region profile).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { AIMessageChunk } from "@langchain/core/messages";
import { ChatBedrockConverse } from "langchain-bedrock-converse";

const env = process.env;
const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
const hasCredentials = Boolean(
  env.AWS_ACCESS_KEY_ID ||
    env.AWS_PROFILE ||
    env.AWS_BEARER_TOKEN_BEDROCK ||
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
    env.AWS_WEB_IDENTITY_TOKEN_FILE,
);
const skip =
  !region || !hasCredentials || env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME
    ? "real Bedrock tests skipped: set AWS credentials (AWS_PROFILE, access keys or AWS_BEARER_TOKEN_BEDROCK) and AWS_REGION to run them"
    : false;
const modelId = env.BEDROCK_TEST_MODEL_ID ?? "us.anthropic.claude-3-5-haiku-20241022-v1:0";

describe("real Bedrock", () => {
  test("invoke returns text, usage and metadata", { timeout: 60_000, skip }, async () => {
    const llm = new ChatBedrockConverse({ model: modelId, temperature: 0, maxTokens: 50 });
    const msg = await llm.invoke([
      ["system", "Translate the user sentence to French."],
      ["human", "I love programming."],
    ]);
    assert.ok(Array.isArray(msg.content));
    assert.equal((msg.content as Array<{ type: string }>)[0].type, "text");
    assert.ok((msg.usage_metadata?.input_tokens ?? 0) > 0);
    assert.equal(msg.response_metadata.stopReason, "end_turn");
  });

  test("stream concatenates to text with usage", { timeout: 60_000, skip }, async () => {
    const llm = new ChatBedrockConverse({ model: modelId, temperature: 0, maxTokens: 50 });
    let full: AIMessageChunk | undefined;
    for await (const c of await llm.stream("Say hello in one word.")) full = full ? full.concat(c) : c;
    assert.ok(full && (full.usage_metadata?.output_tokens ?? 0) > 0);
  });
});
