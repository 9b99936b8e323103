import type { ContentBlock, ToolResultContentBlock } from "@aws-sdk/client-bedrock-runtime";
import { bytesToBase64, isDict, toSnakeKeys, type Dict } from "./keys.js";

/**
 * Converse output content block → LangChain content block(s) (the shapes of Python's ChatBedrockConverse).
 *
 * | Converse | LangChain |
 * |---|---|
 * | text | `{type: "text", text}` |
 * | toolUse | `{type: "tool_use", id, name, input}` (+ `tool_use_type` when Bedrock sets a `type` other than `tool_use`) |
 * | reasoningContent.reasoningText | `{type: "reasoning_content", reasoning_content: {type: "text", text, signature?}}` |
 * | reasoningContent.redactedContent | `{type: "reasoning_content", reasoning_content: {type: "redacted", redacted_content: <base64>}}` |
 * | citationsContent | `{type: "text", text, citations: [snake_cased native citations]}` |
 * | image / video | `{type, source: {type: "base64", media_type, data}}` or `source: {type: "s3Location", media_type, data: {uri, bucket_owner?}}` |
 * | document | `{type: "document", document: <native DocumentBlock>}` |
 * | toolResult | `{type: "tool_result", tool_use_id, is_error, content: [...]}` |
 * | json | `{type: "json", json}` |
 * | guardContent | `{type: "guard_content", guard_content: {type: "text", text}}` |
 * | cachePoint | `{type: "cache_point", cache_point: {...}}` |
 * | anything else | `{type: "non_standard", value: {<member>: <value>}}` (kept, sent back verbatim) |
 */
export function converseBlockToLangChain(block: ContentBlock | ToolResultContentBlock): Dict {
  const b = block as unknown as Dict;
  if (typeof b.text === "string") return { type: "text", text: b.text };
  if (isDict(b.toolUse)) return toolUseBlock(b.toolUse);
  if (isDict(b.reasoningContent)) {
    const converted = reasoningBlock(b.reasoningContent);
    if (converted) return converted;
  }
  if (isDict(b.citationsContent)) return citationsBlock(b.citationsContent);
  if (isDict(b.image)) return mediaBlock("image", b.image);
  if (isDict(b.video)) return mediaBlock("video", b.video);
  if (isDict(b.document)) return { type: "document", document: b.document };
  if (isDict(b.toolResult)) return toolResultBlock(b.toolResult);
  if ("json" in b && b.json !== undefined) return { type: "json", json: b.json };
  if (isDict(b.guardContent)) {
    const text = isDict(b.guardContent.text) ? b.guardContent.text.text : undefined;
    if (typeof text === "string") return { type: "guard_content", guard_content: { type: "text", text } };
  }
  if (isDict(b.cachePoint)) return { type: "cache_point", cache_point: toSnakeKeys(b.cachePoint) };
  return nonStandard(b);
}

/** Unknown members (the SDK's `$unknown: [name, value]` or a raw key) are kept as `non_standard`. */
function nonStandard(b: Dict): Dict {
  if (Array.isArray(b.$unknown) && typeof b.$unknown[0] === "string") {
    return { type: "non_standard", value: { [b.$unknown[0]]: b.$unknown[1] } };
  }
  const value: Dict = {};
  for (const key of Object.keys(b)) if (b[key] !== undefined) value[key] = b[key];
  return { type: "non_standard", value };
}

function toolUseBlock(toolUse: Dict): Dict {
  const out: Dict = { type: "tool_use", id: toolUse.toolUseId, name: toolUse.name, input: toolUse.input ?? {} };
  // Bedrock tags Claude's ordinary tool calls `type: "tool_use"`; only other types (server_tool_use) say something.
  if (typeof toolUse.type === "string" && toolUse.type !== "tool_use") out.tool_use_type = toolUse.type;
  return out;
}

/** Returns undefined for an empty reasoning member (nothing to keep). */
function reasoningBlock(reasoning: Dict): Dict | undefined {
  if (isDict(reasoning.reasoningText)) {
    const inner: Dict = { type: "text", text: typeof reasoning.reasoningText.text === "string" ? reasoning.reasoningText.text : "" };
    if (typeof reasoning.reasoningText.signature === "string") inner.signature = reasoning.reasoningText.signature;
    return { type: "reasoning_content", reasoning_content: inner };
  }
  const redacted = reasoning.redactedContent ?? reasoning.data;
  if (redacted instanceof Uint8Array) {
    return { type: "reasoning_content", reasoning_content: { type: "redacted", redacted_content: bytesToBase64(redacted) } };
  }
  if (typeof redacted === "string") {
    return { type: "reasoning_content", reasoning_content: { type: "redacted", redacted_content: redacted } };
  }
  return undefined;
}

function citationsBlock(citations: Dict): Dict {
  let text = "";
  if (Array.isArray(citations.content)) {
    for (const item of citations.content) if (isDict(item) && typeof item.text === "string") text += item.text;
  }
  return { type: "text", text, citations: Array.isArray(citations.citations) ? citations.citations.map((c) => toSnakeKeys(c)) : [] };
}

export function mediaBlock(kind: "image" | "video", media: Dict): Dict {
  const format = typeof media.format === "string" ? media.format : undefined;
  const mediaType = format ? `${kind}/${format}` : undefined;
  const source = isDict(media.source) ? media.source : {};
  if (source.bytes instanceof Uint8Array) {
    return { type: kind, source: { type: "base64", media_type: mediaType, data: bytesToBase64(source.bytes) } };
  }
  if (typeof source.bytes === "string") {
    return { type: kind, source: { type: "base64", media_type: mediaType, data: source.bytes } };
  }
  if (isDict(source.s3Location)) {
    // Python's shape: the location under `data` (snake-cased), next to the media type.
    return { type: kind, source: { type: "s3Location", media_type: mediaType, data: toSnakeKeys(source.s3Location) } };
  }
  return { type: "non_standard", value: { [kind]: media } };
}

function toolResultBlock(result: Dict): Dict {
  const content = Array.isArray(result.content) ? result.content.map((c) => converseBlockToLangChain(c as ToolResultContentBlock)) : [];
  // As Python: the status is carried by is_error only (no `status` key is added).
  const out: Dict = { type: "tool_result", tool_use_id: result.toolUseId, is_error: result.status === "error", content };
  if (typeof result.type === "string") out.tool_result_type = result.type;
  return out;
}
