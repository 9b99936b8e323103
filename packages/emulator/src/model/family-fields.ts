// Response members the real service adds for some model families, on top of what the default model
// writes. Recorded Claude responses (2026) carry `"type": "tool_use"` in every toolUse block and, in
// the Converse usage, zero cache counters under both spellings plus an empty `serverToolUsage`; the
// stream's metadata usage carries `serverToolUsage` only. Other families get nothing extra until a
// recording shows otherwise. Scripted replies are sent exactly as scripted.
import type { ConverseResponse, JsonObject, Operation, TokenUsage } from "../types.js";

/** The response as the real service would send it for a model of `provider`. Pure: returns a copy. */
export function withFamilyFields(response: ConverseResponse, provider: string, operation: Operation): ConverseResponse {
  if (provider !== "anthropic") return response;
  const usage: TokenUsage = { ...response.usage };
  if (operation === "converse") {
    usage.cacheReadInputTokens ??= 0;
    usage.cacheWriteInputTokens ??= 0;
    usage.cacheReadInputTokenCount = usage.cacheReadInputTokens;
    usage.cacheWriteInputTokenCount = usage.cacheWriteInputTokens;
  }
  usage.serverToolUsage ??= {};
  const content = operation === "converse" ? response.output.message.content.map(tagToolUse) : response.output.message.content;
  return { ...response, output: { message: { ...response.output.message, content } }, usage };
}

function tagToolUse(block: JsonObject): JsonObject {
  const use = block.toolUse;
  if (use === null || typeof use !== "object" || Array.isArray(use) || use.type !== undefined) return block;
  return { ...block, toolUse: { ...use, type: "tool_use" } };
}
