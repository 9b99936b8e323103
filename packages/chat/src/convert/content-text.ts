import type { MessageContent } from "@langchain/core/messages";

/**
 * The text of message content: a string as it is, else its text parts joined (bare strings and
 * text blocks; reasoning, tool calls and media skipped). A chunk's token and a structured reply's
 * JSON are read this way.
 */
export function contentText(content: MessageContent | unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const part of content) {
    if (typeof part === "string") text += part;
    else if (part && typeof part === "object") {
      const { type, text: value } = part as { type?: unknown; text?: unknown };
      if (typeof value === "string" && (type === undefined || type === "text")) text += value;
    }
  }
  return text;
}
