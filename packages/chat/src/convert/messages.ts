import type { Message, SystemContentBlock } from "@aws-sdk/client-bedrock-runtime";
import type { BaseMessage } from "@langchain/core/messages";

export interface ConvertMessagesOptions {
  /** Constructor `system`: strings → {text}, dicts verbatim, placed before SystemMessage content. */
  system?: Array<string | Record<string, unknown>>;
  /** false → tool blocks are converted to text (+ warning), as Python does. */
  hasToolConfig: boolean;
  /** Wrap the last user turn's text blocks as guardContent. */
  guardLastTurnOnly?: boolean;
  /** Python `raw_blocks`: sent verbatim, system []. */
  rawBlocks?: Message[];
  /** Default: console.warn once per distinct message. */
  warn?: (message: string) => void;
}

export function convertMessagesToConverse(
  messages: BaseMessage[],
  options: ConvertMessagesOptions,
): { messages: Message[]; system: SystemContentBlock[] } {
  void messages;
  void options;
  throw new Error("not implemented yet");
}
