import type { TokenUsage } from "@aws-sdk/client-bedrock-runtime";
import type { UsageMetadata } from "@langchain/core/messages";

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/**
 * Converse `usage` → LangChain `usage_metadata`.
 *
 * - `input_tokens` = inputTokens + cacheReadInputTokens + cacheWriteInputTokens (Bedrock's inputTokens only
 *   counts the uncached part).
 * - `total_tokens` = Bedrock's totalTokens, or the sum when it is missing.
 * - `input_token_details` `{cache_read, cache_creation}` only when Bedrock reports cache fields (or `cacheDetails`).
 *   `cache_creation` is always the whole write. Python moves per-TTL writes (`cacheDetails`) into
 *   `ephemeral_5m/1h_input_tokens` and zeroes `cache_creation`; @langchain/core's chunk merge drops such keys,
 *   so a concatenated stream would report no cache write at all. The per-TTL split is therefore not reported.
 */
export function toUsageMetadata(usage: TokenUsage | undefined): UsageMetadata | undefined {
  if (!usage || typeof usage !== "object") return undefined;
  const cacheRead = num(usage.cacheReadInputTokens);
  const cacheWrite = num(usage.cacheWriteInputTokens);
  const input = num(usage.inputTokens) + cacheRead + cacheWrite;
  const output = num(usage.outputTokens);
  const total = typeof usage.totalTokens === "number" ? usage.totalTokens : input + output;
  const result: UsageMetadata = { input_tokens: input, output_tokens: output, total_tokens: total };
  const details = Array.isArray(usage.cacheDetails) ? usage.cacheDetails : undefined;
  if (usage.cacheReadInputTokens !== undefined || usage.cacheWriteInputTokens !== undefined || details) {
    result.input_token_details = { cache_read: cacheRead, cache_creation: cacheWrite };
  }
  return result;
}
