// What a chat-model run reports to its observers, computed the way @langchain/core computes it, so
// that our stream path and core's own give handlers and tracers the same ids, inputs and outputs.
import { randomUUID } from "node:crypto";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { convertToOpenAIImageBlock, isBase64ContentBlock, isURLContentBlock, type BaseMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk } from "@langchain/core/outputs";

/**
 * The id of one reply: `run-<runId>` of its callback run (the id core gives a message that has
 * none), or, when nothing observes the call, one id of the same form minted for this call.
 */
export function messageIdFor(runManager: Pick<CallbackManagerForLLMRun, "runId"> | undefined): string {
  return `run-${runManager ? runManager.runId : randomUUID()}`;
}

/**
 * Input messages as core 1.x hands them to `handleChatModelStart`: in a message with a standard
 * data block (URL or base64), the first such block is traced as an OpenAI `image_url` block (core
 * converts only the first); other messages are passed as they are.
 */
export function formatMessagesForTracing(messages: BaseMessage[]): BaseMessage[] {
  return messages.map((message) => {
    const content = message.content;
    if (!Array.isArray(content)) return message;
    const at = content.findIndex((b) => isURLContentBlock(b as never) || isBase64ContentBlock(b as never));
    if (at < 0) return message;
    const traced = [...content.slice(0, at), convertToOpenAIImageBlock(content[at] as never), ...content.slice(at + 1)];
    const Ctor = message.constructor as new (fields: Record<string, unknown>) => BaseMessage;
    return new Ctor({ ...message, content: traced });
  });
}

/** `llmOutput` of `handleLLMEnd` for a streamed reply: token usage when the reply has usage_metadata. */
export function tokenUsageOutput(reply: ChatGenerationChunk | undefined): Record<string, unknown> | undefined {
  const usage = (reply?.message as { usage_metadata?: { input_tokens: number; output_tokens: number; total_tokens: number } } | undefined)
    ?.usage_metadata;
  if (!usage) return undefined;
  return { tokenUsage: { promptTokens: usage.input_tokens, completionTokens: usage.output_tokens, totalTokens: usage.total_tokens } };
}
