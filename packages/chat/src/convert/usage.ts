import type { TokenUsage } from "@aws-sdk/client-bedrock-runtime";
import type { UsageMetadata } from "@langchain/core/messages";

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/**
 * Converse `usage` → LangChain `usage_metadata`, as Python's ChatBedrockConverse computes it.
 *
 * - `input_tokens` = inputTokens + cacheReadInputTokens + cacheWriteInputTokens (Bedrock's inputTokens only
 *   counts the uncached part).
 * - `total_tokens` = Bedrock's totalTokens, or the sum when it is missing.
 * - `input_token_details` `{cache_read, cache_creation}` only when Bedrock reports cache fields (or `cacheDetails`).
 * - Cache writes per TTL (`cacheDetails`): `ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens` (each only
 *   when non-zero), and then `cache_creation` is 0 so the write is not counted twice.
 *   @langchain/core's chunk merge (`concat`) keeps only the detail keys it knows, so a concatenated stream
 *   loses the per-TTL keys: read them from the stream's metadata chunk (the one with `usage_metadata`).
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
    const perTtl = (ttl: string) =>
      (details ?? []).reduce((sum, d) => sum + (d && typeof d === "object" && d.ttl === ttl ? num(d.inputTokens) : 0), 0);
    const fiveMinutes = perTtl("5m");
    const oneHour = perTtl("1h");
    if (fiveMinutes) inputDetails.ephemeral_5m_input_tokens = fiveMinutes;
    if (oneHour) inputDetails.ephemeral_1h_input_tokens = oneHour;
    if (fiveMinutes + oneHour > 0) inputDetails.cache_creation = 0;
    result.input_token_details = inputDetails as UsageMetadata["input_token_details"];
  }
  return result;
}
