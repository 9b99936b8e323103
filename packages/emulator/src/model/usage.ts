// Token accounting for requests and replies, built on the tokenizer rule (see tokenizer.ts).
//
// Input = tools (each toolSpec as compact JSON), then system blocks, then every message block:
//   text -> its tokens; image/document/video/audio bytes -> TOKENS_PER_KIB per started KiB
//   (a document given as text -> its text plus its name; an S3 location -> one KiB);
//   toolUse -> name + input JSON; toolResult -> its text/json/media parts;
//   reasoningContent -> its text; guardContent -> its text or image; cachePoint -> 0;
//   anything else -> its compact JSON.
// Claude models (Anthropic) add the prompt template around the messages, as their real counts
// show: CLAUDE_BASE_TOKENS once plus CLAUDE_TOKENS_PER_MESSAGE per message (the turn markers).
// Other families add nothing.
// Output = generated text, reasoning text, citations text, and toolUse name + input JSON.
import type { ConverseRequest, CountTokensRequest, JsonObject, JsonValue } from "../types.js";
import { resolveModel } from "./catalog.js";
import { describeSource, isObject } from "./conversation.js";
import { countBinaryTokens, countJsonTokens, countTextTokens } from "./tokenizer.js";

/** Tokens of a media block ({format, source}) or a document. */
function mediaTokens(media: JsonValue): number {
  if (!isObject(media)) return 0;
  const src = describeSource(media.source);
  const name = typeof media.name === "string" ? countTextTokens(media.name) : 0;
  if (src.text !== undefined) return countTextTokens(src.text) + name;
  if (src.bytes !== undefined) return countBinaryTokens(src.bytes) + name;
  return countBinaryTokens(1024) + name;
}

/** Tokens of one content block (message, system or tool-result content). */
export function blockTokens(block: JsonObject): number {
  if (typeof block.text === "string") return countTextTokens(block.text);
  if (isObject(block.cachePoint)) return 0;
  for (const media of ["image", "document", "video", "audio"] as const) if (block[media] !== undefined) return mediaTokens(block[media]);
  if (block.json !== undefined) return countJsonTokens(block.json);
  const use = block.toolUse;
  if (isObject(use)) return countTextTokens(String(use.name ?? "")) + countJsonTokens(use.input ?? {});
  const result = block.toolResult;
  if (isObject(result)) {
    const parts = Array.isArray(result.content) ? result.content : [];
    return parts.reduce<number>((n, p) => n + (isObject(p) ? blockTokens(p) : 0), 0);
  }
  const reasoning = block.reasoningContent;
  if (isObject(reasoning)) {
    if (isObject(reasoning.reasoningText)) return countTextTokens(String(reasoning.reasoningText.text ?? ""));
    if (typeof reasoning.redactedContent === "string") return countBinaryTokens(Math.floor((reasoning.redactedContent.length * 3) / 4));
  }
  const guard = block.guardContent;
  if (isObject(guard)) {
    if (isObject(guard.text)) return countTextTokens(String(guard.text.text ?? ""));
    if (guard.image !== undefined) return mediaTokens(guard.image);
  }
  const cited = block.citationsContent;
  if (isObject(cited) && Array.isArray(cited.content)) {
    return cited.content.reduce<number>((n, c) => n + (isObject(c) && typeof c.text === "string" ? countTextTokens(c.text) : 0), 0);
  }
  return countJsonTokens(block);
}

/** One step of the request input in token order: content with its tokens, or a cache point. */
export type InputSegment = { kind: "content"; tokens: number; value: JsonValue } | { kind: "cachePoint"; ttl: string };

/** The request input in the order tokens are read: tools, system, messages. */
export function inputSegments(request: ConverseRequest): InputSegment[] {
  const out: InputSegment[] = [];
  const push = (block: JsonObject, tokens: () => number) => {
    if (isObject(block.cachePoint)) {
      out.push({ kind: "cachePoint", ttl: typeof block.cachePoint.ttl === "string" ? block.cachePoint.ttl : "5m" });
    } else {
      out.push({ kind: "content", tokens: tokens(), value: block });
    }
  };
  for (const tool of request.toolConfig?.tools ?? []) push(tool, () => countJsonTokens(tool.toolSpec ?? tool));
  for (const block of request.system ?? []) push(block, () => blockTokens(block));
  for (const message of request.messages ?? []) {
    out.push({ kind: "content", tokens: 0, value: { role: message.role } });
    for (const block of message.content) push(block, () => blockTokens(block));
  }
  return out;
}

// Calibrated on Anthropic's documented count (system "You are a scientist" + user "Hello, Claude"
// = 14 tokens, of which 7 are template) and on English prose at about 4 characters per token.
const CLAUDE_BASE_TOKENS = 4;
const CLAUDE_TOKENS_PER_MESSAGE = 3;

function isClaude(modelId: string): boolean {
  const info = resolveModel(modelId);
  return info ? info.provider === "anthropic" : /(^|[.:/])anthropic\.|claude/i.test(modelId);
}

/** Tokens of the model's prompt template around `messageCount` messages (Claude's turn markers; 0 for other families). */
function templateTokens(messageCount: number, modelId: string): number {
  if (!isClaude(modelId)) return 0;
  return CLAUDE_BASE_TOKENS + CLAUDE_TOKENS_PER_MESSAGE * messageCount;
}

/** Input tokens of a Converse request to `modelId` (the whole input, before any caching). */
export function countConverseInputTokens(request: ConverseRequest, modelId: string): number {
  const content = inputSegments(request).reduce((n, s) => n + (s.kind === "content" ? s.tokens : 0), 0);
  return content + templateTokens((request.messages ?? []).length, modelId);
}

/** Tokens of the text inside a native InvokeModel body: string values of prompt-like members. */
function countInvokeBody(body: string, modelId: string): number {
  const text = Buffer.from(body, "base64").toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return countTextTokens(text);
  }
  const SKIP = new Set(["anthropic_version", "role", "type", "media_type", "max_tokens", "anthropic_beta", "tool_choice"]);
  let n = 0;
  const walk = (v: unknown, key?: string) => {
    if (key && SKIP.has(key)) return;
    if (typeof v === "string") n += key === "data" ? countBinaryTokens(Math.floor((v.length * 3) / 4)) : countTextTokens(v);
    else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  if (isObject(parsed)) {
    for (const key of ["system", "messages", "tools", "prompt", "inputText"]) if (key in parsed) walk(parsed[key]);
    // A Messages API body (Claude) carries the same turn template as Converse.
    if (Array.isArray(parsed.messages)) n += templateTokens(parsed.messages.length, modelId);
  }
  return n;
}

/** CountTokens: the same count a Converse call with this input would report as inputTokens (no cache). */
export function countTokens(request: CountTokensRequest, modelId: string): number {
  if (request.input.converse) return countConverseInputTokens(request.input.converse, modelId);
  return countInvokeBody(request.input.invokeModel?.body ?? "", modelId);
}

/** Output tokens of generated content blocks. */
export function countOutputTokens(content: JsonObject[]): number {
  return content.reduce((n, b) => n + blockTokens(b), 0);
}
