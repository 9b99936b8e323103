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
 * - `input_token_details` `{cache_read, cache_creation}` only when Bedrock reports cache fields.
 *   With `cacheDetails` (per-TTL writes), `ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens` carry the
 *   non-zero writes and `cache_creation` is 0 so the details never count the same tokens twice (as Python).
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
    const inputDetails: Record<string, number> = { cache_read: cacheRead, cache_creation: cacheWrite };
    if (details) {
      let perTtl = false;
      for (const detail of details) {
        if (!detail || typeof detail !== "object") continue;
        const tokens = num(detail.inputTokens);
        if (tokens === 0 || typeof detail.ttl !== "string") continue;
        const key = `ephemeral_${detail.ttl}_input_tokens`;
        inputDetails[key] = (inputDetails[key] ?? 0) + tokens;
        perTtl = true;
      }
      if (perTtl) inputDetails.cache_creation = 0;
    }
    result.input_token_details = inputDetails as UsageMetadata["input_token_details"];
  }
  return result;
}
