import type { ContentBlock, ConverseCommandOutput } from "@aws-sdk/client-bedrock-runtime";
import { AIMessage, type ToolCall } from "@langchain/core/messages";
import { BedrockResponseError } from "../errors.js";
import { plainContentBlock } from "./json-numbers.js";
import { isDict, type Dict } from "./keys.js";
import { replyMetadata } from "./metadata.js";
import { converseBlockToLangChain } from "./output-blocks.js";
import { installBedrockConverseTranslator } from "./translator.js";
import { toUsageMetadata } from "./usage.js";

installBedrockConverseTranslator();

export interface ResponseContext {
  /** Reported as `model_name`: the model id as configured (Python: `base_model_id or model_id`). */
  modelName: string;
  /** Reported as `model`: the base model behind the id (default: `modelName`). */
  model?: string;
  /** Application inference profile id/ARN, reported as `inference_profile_id`. */
  inferenceProfileId?: string;
  /** "v1": content holds LangChain standard (v1) blocks and `response_metadata.output_version` is "v1". */
  outputVersion?: "v0" | "v1";
  /** HTTP response headers of the call, when the caller has them (else reconstructed best effort). */
  httpHeaders?: Record<string, string>;
  /**
   * The message id (`run-<runId>` of the callback run, or one minted per call), so that the reply, its
   * stream chunks and LangGraph's state agree. Bedrock's request id is not a message id: it stays in
   * `response_metadata.ResponseMetadata.RequestId`.
   */
  messageId?: string;
}

/** The response fields copied into `response_metadata` when Bedrock sends them. */
const OPTIONAL_FIELDS = ["additionalModelResponseFields", "trace", "performanceConfig", "serviceTier"] as const;

/**
 * Converse response → AIMessage.
 *
 * `content` is always a list of typed blocks (see `converseBlockToLangChain`), `tool_calls` come from every
 * tool_use block, `usage_metadata` from `usage`, `id` is `ctx.messageId` and `response_metadata` is
 * `{ResponseMetadata, stopReason, metrics: {latencyMs}, model, model_name, model_provider}` plus
 * `additionalModelResponseFields` / `trace` / `performanceConfig` / `serviceTier` when present and
 * `inference_profile_id` when the context has one.
 */
export function converseResponseToMessage(output: ConverseCommandOutput, ctx: ResponseContext): AIMessage {
  const message = isDict(output?.output) ? (output.output as Dict).message : undefined;
  if (!isDict(message)) {
    throw new BedrockResponseError(
      "MISSING_OUTPUT",
      "The Bedrock Converse response has no `output.message`. Check that the endpoint URL and region point at " +
        "the Bedrock Runtime service and that the model id is valid for that region.",
    );
  }
  const blocks = Array.isArray(message.content) ? (message.content as ContentBlock[]) : [];
  const content: Dict[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of blocks) {
    const converted = plainContentBlock(converseBlockToLangChain(block), content.length);
    content.push(converted);
    if (converted.type === "tool_use") {
      toolCalls.push({
        type: "tool_call",
        id: converted.id as string,
        name: converted.name as string,
        args: isDict(converted.input) ? converted.input : {},
      });
    }
  }
  return buildMessage(content, toolCalls, output, ctx);
}

function buildMessage(content: Dict[], toolCalls: ToolCall[], output: ConverseCommandOutput, ctx: ResponseContext): AIMessage {
  const responseMetadata = replyMetadata(
    {
      sdkMetadata: output.$metadata as unknown as Dict,
      contentType: "application/json",
      stopReason: output.stopReason,
      metrics: output.metrics,
      fields: output as unknown as Dict,
      copied: OPTIONAL_FIELDS,
    },
    ctx,
  );
  const fields = {
    content: content as AIMessage["content"],
    tool_calls: toolCalls,
    usage_metadata: toUsageMetadata(output.usage),
    response_metadata: responseMetadata,
    ...(ctx.messageId ? { id: ctx.messageId } : {}),
  };
  if (ctx.outputVersion === "v1") {
    const v0 = new AIMessage(fields);
    const v1Blocks = v0.contentBlocks;
    return new AIMessage({
      ...fields,
      content: v1Blocks as AIMessage["content"],
      response_metadata: { ...responseMetadata, output_version: "v1" },
    });
  }
  return new AIMessage(fields);
}
