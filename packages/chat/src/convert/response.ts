import type { ConverseCommandOutput } from "@aws-sdk/client-bedrock-runtime";
import { AIMessage } from "@langchain/core/messages";

export interface ResponseContext {
  modelName: string;
  inferenceProfileId?: string;
  outputVersion?: "v0" | "v1";
  /** HTTP response headers of the call, when the caller has them. */
  httpHeaders?: Record<string, string>;
}

export function converseResponseToMessage(output: ConverseCommandOutput, ctx: ResponseContext): AIMessage {
  void output;
  void ctx;
  return new AIMessage({ content: [] });
}
