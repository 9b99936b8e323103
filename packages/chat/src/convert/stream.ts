import type { ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { AIMessageChunk } from "@langchain/core/messages";
import type { ResponseContext } from "./response.js";

export class ConverseStreamConverter {
  constructor(private readonly ctx: ResponseContext & { responseMetadata?: Record<string, unknown> }) {}
  start(): AIMessageChunk {
    return new AIMessageChunk({ content: [], response_metadata: { model_provider: "bedrock-converse" } });
  }
  convert(event: ConverseStreamOutput): AIMessageChunk[] {
    void event;
    void this.ctx;
    return [];
  }
  finish(): void {}
}
