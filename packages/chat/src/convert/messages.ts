import type { ContentBlock, Message, SystemContentBlock, ToolResultContentBlock } from "@aws-sdk/client-bedrock-runtime";
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { BedrockInputError } from "../errors.js";
import { warnOnce } from "../warnings.js";
import { base64ToBytes, isDict, parseToolInput, pythonJson, reasoningContentOf, snakeToCamel, toCamelKeys, type Dict } from "./keys.js";
import { isAnthropicModel } from "../capabilities.js";
import { DocumentNamer, documentNameProblem, sanitizeDocumentName } from "./document-names.js";
import {
  documentsWithText,
  normalizeToolUseIds,
  pairToolResults,
  placeCachePoints,
  startWithUser,
  toolResultsFirst,
} from "./history-repair.js";
import { mimeToFormat, sniffImageFormat, type MediaKind } from "./mime.js";

export interface ConvertMessagesOptions {
  /** Constructor `system`: strings → {text}, dicts verbatim, placed before SystemMessage content. */
  system?: Array<string | Record<string, unknown>>;
  /** false → toolUse / toolResult blocks are converted to text (+ warning), as Python does. */
  hasToolConfig: boolean;
  /** Wrap the last user turn's text blocks as guardContent (only that turn is evaluated by the guardrail). */
  guardLastTurnOnly?: boolean;
  /** Python `raw_blocks`: sent verbatim as the messages, with system []. */
  rawBlocks?: Message[];
  /** Default: a BedrockConverseWarning once per distinct message (warnings.ts). */
  warn?: (message: string) => void;
  /** The base model id, for rules only some model families have (prefill with tools on Claude). */
  modelId?: string;
}

/** The placeholder Bedrock accepts where LangChain has empty content (Bedrock rejects blank text). */
const EMPTY_CONTENT = ".";

/** Members of the Converse `ContentBlock` union: dicts keyed by these pass through as native blocks. */
export const CONVERSE_CONTENT_BLOCK_KEYS: ReadonlySet<string> = new Set([
  "audio",
  "cachePoint",
  "citationsContent",
  "document",
  "guardContent",
  "image",
  "json",
  "reasoningContent",
  "searchResult",
  "text",
  "toolAddition",
  "toolRemoval",
  "toolResult",
  "toolUse",
  "video",
]);
const TOOL_RESULT_CONTENT_KEYS: ReadonlySet<string> = new Set(["document", "image", "json", "searchResult", "text", "video"]);
const SYSTEM_BLOCK_KEYS: ReadonlySet<string> = new Set(["text", "cachePoint", "guardContent"]);
const OUR_PROVIDERS: ReadonlySet<string> = new Set(["bedrock-converse", "bedrock_converse", "bedrock", "amazon_bedrock"]);

const SUPPORTED_BLOCKS =
  "text, image, image_url, file, text-plain, document, video, video_url, audio, guard_content, cache_point, search_result, json, " +
  "tool_use, tool_call, tool_result, reasoning_content, thinking, redacted_thinking, reasoning, non_standard, " +
  "or a native Converse block keyed by one of " +
  [...CONVERSE_CONTENT_BLOCK_KEYS].join(", ");

type Role = "user" | "assistant";

interface Ctx {
  warn: (message: string) => void;
  /** Block kinds already warned about as dropped from assistant turns (once per kind per call). */
  dropped: Set<string>;
  /** Document payloads built from LangChain blocks → the file name they came with (named in a post pass). */
  derived: Map<Dict, string | undefined>;
}

/**
 * LangChain messages → Converse `{messages, system}` following Python's ChatBedrockConverse:
 * system messages (anywhere) and the constructor `system` go to `system`; consecutive same-role turns are
 * merged (tool results and a following human message share one user turn); "." replaces empty content;
 * the final AI message is right-trimmed (prefill); AI `tool_calls` are upserted as toolUse blocks;
 * ToolMessages become toolResult blocks; foreign-provider and `output_version: "v1"` AI messages are
 * mapped from standard blocks; unsigned reasoning is dropped and signed/redacted reasoning is replayed
 * byte-exact. Throws {@link BedrockInputError} for content Bedrock cannot take.
 */
export function convertMessagesToConverse(
  messages: BaseMessage[],
  options: ConvertMessagesOptions,
): { messages: Message[]; system: SystemContentBlock[] } {
  if (options.rawBlocks) return { messages: options.rawBlocks, system: [] };
  const ctx: Ctx = { warn: options.warn ?? warnOnce, dropped: new Set(), derived: new Map() };
  const result = convert(messages, options, ctx);
  nameDocuments(result.messages, ctx.derived, ctx);
  return result;
}

function convert(
  messages: BaseMessage[],
  options: ConvertMessagesOptions,
  ctx: Ctx,
): { messages: Message[]; system: SystemContentBlock[] } {
  const system: SystemContentBlock[] = [];
  for (const entry of options.system ?? []) {
    system.push((typeof entry === "string" ? { text: entry } : entry) as unknown as SystemContentBlock);
  }
  const out: Message[] = [];
  const append = (role: Role, blocks: ContentBlock[]) => {
    const last = out[out.length - 1];
    if (last && last.role === role) (last.content as ContentBlock[]).push(...blocks);
    else out.push({ role, content: blocks });
  };

  messages = mergeStringRuns(messages);
  const lastIndex = messages.length - 1;
  for (let i = 0; i < messages.length; i++) {
    const msg = messages[i];
    const role = messageRole(msg);
    if (role === "system") {
      for (const block of systemBlocks(msg.content)) system.push(block);
    } else if (role === "user") {
      append("user", contentBlocks(msg.content, "user", ctx));
    } else if (role === "assistant") {
      append("assistant", aiBlocks(msg, i, i === lastIndex, ctx));
    } else {
      const { result, cachePoints } = toolResultBlock(msg, ctx);
      append("user", [result, ...cachePoints]);
    }
  }
  if (out.length === 0) out.push({ role: "user", content: [{ text: EMPTY_CONTENT }] });
  let repaired = startWithUser(out, ctx.warn);
  if (options.hasToolConfig) {
    repaired = checkPrefillWithTools(repaired, options.modelId, ctx);
    repaired = toolResultsFirst(pairToolResults(normalizeToolUseIds(repaired), ctx.warn));
  } else {
    toolBlocksToText(repaired, ctx);
  }
  repaired = placeCachePoints(documentsWithText(repaired), ctx.warn);
  if (options.guardLastTurnOnly) guardLastUserTurn(repaired);
  return { messages: repaired, system };
}

/**
 * MSG-4: Claude refuses an assistant message in the final position when tools are configured ("When
 * using tools, pre-filling the `assistant` response is not supported"). An empty one (only the "."
 * placeholder) is dropped; one with content is refused here, before the request.
 */
function checkPrefillWithTools(messages: Message[], modelId: string | undefined, ctx: Ctx): Message[] {
  const last = messages[messages.length - 1];
  if (last?.role !== "assistant" || !modelId || !isAnthropicModel(modelId)) return messages;
  const content = (last.content ?? []) as unknown as Dict[];
  if (content.every((b) => b.text === EMPTY_CONTENT)) {
    ctx.warn("The last message is an empty AI message; with tools bound Claude refuses a trailing assistant turn, so it was not sent.");
    return messages.slice(0, -1);
  }
  throw new BedrockInputError(
    "PREFILL_WITH_TOOLS",
    `The conversation ends with an AI message while tools are bound; ${modelId} does not support pre-filling the ` +
      `assistant response when using tools. End the conversation with a HumanMessage or ToolMessage, or call without tools to prefill.`,
  );
}

/**
 * Python's `merge_message_runs` for string content: consecutive human, AI or system messages whose contents
 * are both strings become one string, joined by "\n" when both are non-empty (AI tool calls concatenated).
 * List contents are left as they are: their blocks are appended to the same turn later.
 */
function mergeStringRuns(messages: BaseMessage[]): BaseMessage[] {
  const out: BaseMessage[] = [];
  for (const msg of messages) {
    const last = out[out.length - 1];
    const type = msg._getType();
    if (!last || last._getType() !== type || typeof last.content !== "string" || typeof msg.content !== "string") {
      out.push(msg);
      continue;
    }
    const content = last.content && msg.content ? `${last.content}\n${msg.content}` : last.content + msg.content;
    if (type === "human") out[out.length - 1] = new HumanMessage({ content });
    else if (type === "system") out[out.length - 1] = new SystemMessage({ content });
    else if (type === "ai") {
      const a = last as AIMessage;
      const b = msg as AIMessage;
      out[out.length - 1] = new AIMessage({
        content,
        tool_calls: [...(a.tool_calls ?? []), ...(b.tool_calls ?? [])],
        response_metadata: { ...(a.response_metadata ?? {}), ...(b.response_metadata ?? {}) },
      });
    } else out.push(msg);
  }
  return out;
}

// ---------------------------------------------------------------- roles

function messageRole(msg: BaseMessage): "system" | Role | "tool" {
  const type = typeof (msg as { type?: unknown }).type === "string" ? (msg as { type: string }).type : msg._getType();
  switch (type) {
    case "system":
    case "developer":
      return "system";
    case "human":
      return "user";
    case "ai":
      return "assistant";
    case "tool":
      return "tool";
    case "generic": {
      const role = String((msg as { role?: unknown }).role ?? "").toLowerCase();
      if (role === "user" || role === "human") return "user";
      if (role === "assistant" || role === "ai") return "assistant";
      if (role === "system") return "system";
      throw new BedrockInputError(
        "UNSUPPORTED_MESSAGE_TYPE",
        `Unsupported ChatMessage role "${role}". Bedrock Converse only has user and assistant turns (plus system); ` +
          `use role "user", "assistant" or "system".`,
      );
    }
    default:
      throw new BedrockInputError(
        "UNSUPPORTED_MESSAGE_TYPE",
        `Unsupported message type "${type}". Use HumanMessage, AIMessage, SystemMessage, ToolMessage or a ChatMessage ` +
          `with role "user" or "assistant".`,
      );
  }
}

// ---------------------------------------------------------------- system

function systemBlocks(content: BaseMessage["content"]): SystemContentBlock[] {
  if (typeof content === "string") return content.trim() === "" ? [] : [{ text: content }];
  const out: SystemContentBlock[] = [];
  for (const raw of content as unknown[]) {
    if (typeof raw === "string") {
      if (raw.trim() !== "") out.push({ text: raw });
      continue;
    }
    if (!isDict(raw)) continue;
    if (raw.type === undefined) {
      const native = toCamelKeys<Dict>(raw);
      if (Object.keys(native).every((k) => SYSTEM_BLOCK_KEYS.has(k))) {
        out.push(native as unknown as SystemContentBlock);
        continue;
      }
    } else if (raw.type === "text" && typeof raw.text === "string") {
      if (raw.text.trim() !== "") out.push({ text: raw.text });
      continue;
    } else if (raw.type === "cache_point" || raw.type === "cachePoint") {
      out.push({ cachePoint: cachePointOf(raw) } as unknown as SystemContentBlock);
      continue;
    } else if (raw.type === "guard_content") {
      out.push({ guardContent: guardContentOf(raw) } as unknown as SystemContentBlock);
      continue;
    }
    throw new BedrockInputError(
      "UNSUPPORTED_CONTENT_BLOCK",
      `Unsupported content block in a SystemMessage: ${describe(raw)}. System prompts take text, cache_point ` +
        `and guard_content blocks only; move other content into a HumanMessage.`,
    );
  }
  return out;
}

// ---------------------------------------------------------------- AI messages

function aiBlocks(msg: BaseMessage, index: number, isLast: boolean, ctx: Ctx): ContentBlock[] {
  const meta = (msg.response_metadata ?? {}) as Dict;
  const provider = typeof meta.model_provider === "string" ? meta.model_provider : undefined;
  const ours = provider === undefined || OUR_PROVIDERS.has(provider);
  let blocks: ContentBlock[];
  if (meta.output_version === "v1") {
    blocks = v1Blocks(msg.content as unknown[], ours, ctx);
  } else if (!ours) {
    blocks = v1Blocks(msg.contentBlocks as unknown[], false, ctx);
  } else {
    blocks = contentBlocks(msg.content, "assistant", ctx);
  }
  if (isLast) blocks = rstripTexts(blocks);

  const toolCalls = (msg as { tool_calls?: Array<{ id?: string; name: string; args: Dict }> }).tool_calls ?? [];
  if (toolCalls.length > 0) {
    if (blocks.length === 1 && (blocks[0] as unknown as Dict).text === EMPTY_CONTENT) blocks = [];
    for (const call of toolCalls) {
      const at = call.id
        ? blocks.findIndex((b) => isDict((b as unknown as Dict).toolUse) && ((b as unknown as Dict).toolUse as Dict).toolUseId === call.id)
        : -1;
      const toolUse = { toolUse: { toolUseId: call.id, name: call.name, input: call.args ?? {} } } as unknown as ContentBlock;
      if (at >= 0) blocks[at] = toolUse;
      else blocks.push(toolUse);
    }
  }
  if (blocks.length === 0) {
    ctx.warn(
      `AIMessage at index ${index} has no content Bedrock can take (empty, or only dropped blocks); sending "${EMPTY_CONTENT}" ` +
        `in its place so the conversation keeps alternating turns.`,
    );
    blocks = [{ text: EMPTY_CONTENT }];
  }
  return blocks;
}

/** TXT-2: the final AI message (a prefill) may not end with whitespace; every text block is right-trimmed, as Python does. */
function rstripTexts(blocks: ContentBlock[]): ContentBlock[] {
  return blocks.map((block) => {
    const b = block as unknown as Dict;
    if (typeof b.text !== "string") return block;
    const trimmed = b.text.trimEnd();
    return trimmed === b.text ? block : { text: trimmed === "" ? EMPTY_CONTENT : trimmed };
  });
}

/** LangChain v1 standard blocks (output_version "v1" or a foreign provider's `contentBlocks`) → Converse. */
function v1Blocks(content: unknown[] | string, ours: boolean, ctx: Ctx): ContentBlock[] {
  if (typeof content === "string") return textBlocks(content);
  const out: ContentBlock[] = [];
  for (const raw of content) {
    if (!isDict(raw)) {
      if (typeof raw === "string") out.push(...textBlocks(raw));
      continue;
    }
    switch (raw.type) {
      case "text": {
        const native = ours ? nativeCitationsOf(raw.annotations) : undefined;
        if (native) {
          out.push(...convertBlock({ type: "text", text: raw.text, citations: native }, "assistant", ctx));
        } else {
          out.push(...textBlocks(typeof raw.text === "string" ? raw.text : ""));
        }
        break;
      }
      case "tool_call":
      case "tool_call_chunk":
        out.push({
          toolUse: { toolUseId: raw.id as string, name: raw.name as string, input: parseToolInput(raw.args) as never },
        } as unknown as ContentBlock);
        break;
      case "reasoning": {
        const extras = isDict(raw.extras) ? raw.extras : {};
        const signature = ours ? (extras.signature ?? raw.signature) : undefined;
        if (typeof signature === "string" && signature !== "" && typeof raw.reasoning === "string") {
          out.push({ reasoningContent: { reasoningText: { text: raw.reasoning, signature } } } as unknown as ContentBlock);
        }
        break;
      }
      case "non_standard":
        if (ours) out.push(...convertBlock(raw, "assistant", ctx));
        else dropWarning(ctx, "non_standard");
        break;
      case "thinking":
      case "redacted_thinking":
      case "reasoning_content":
        // Another provider's signed reasoning cannot be verified by Bedrock (langchain-aws #1219): dropped.
        if (ours) out.push(...convertBlock(raw, "assistant", ctx));
        else dropWarning(ctx, String(raw.type));
        break;
      default:
        out.push(...convertBlock(raw, "assistant", ctx));
    }
  }
  return out;
}

// ---------------------------------------------------------------- tool messages

function toolResultBlock(msg: BaseMessage, ctx: Ctx): { result: ContentBlock; cachePoints: ContentBlock[] } {
  const m = msg as BaseMessage & { tool_call_id?: string; status?: string };
  const cachePoints: ContentBlock[] = [];
  const content: ToolResultContentBlock[] = [];
  const items: unknown[] = typeof m.content === "string" ? [m.content] : (m.content as unknown[]);
  for (const item of items) {
    if (
      isDict(item) &&
      (item.type === "cache_point" ||
        item.type === "cachePoint" ||
        (item.type === undefined && ("cachePoint" in item || "cache_point" in item)))
    ) {
      cachePoints.push({ cachePoint: cachePointOf(item) } as unknown as ContentBlock);
      continue;
    }
    for (const c of toolResultContent(item, ctx)) content.push(c);
  }
  if (content.length === 0) content.push({ text: EMPTY_CONTENT });
  const result: Dict = { toolUseId: m.tool_call_id, content };
  result.status = m.status === "error" ? "error" : "success";
  return { result: { toolResult: result } as unknown as ContentBlock, cachePoints };
}

/** One item of tool output → ToolResultContentBlocks. */
function toolResultContent(item: unknown, ctx: Ctx): ToolResultContentBlock[] {
  if (typeof item === "string") return [{ text: item.trim() === "" ? EMPTY_CONTENT : item }];
  // TOOL-6: `json` must be an object ("Provide a json object for the field"); other values go as their JSON text.
  if (Array.isArray(item)) return [{ text: JSON.stringify(item) }];
  if (!isDict(item)) return item === undefined || item === null ? [] : [{ text: JSON.stringify(item) }];
  if (item.type === undefined) {
    const keys = Object.keys(item);
    if (keys.length > 0 && keys.every((k) => TOOL_RESULT_CONTENT_KEYS.has(snakeToCamel(k))))
      return [toCamelKeys(item) as unknown as ToolResultContentBlock];
    return [{ json: item as never }];
  }
  if (item.type === "json") return isDict(item.json) ? [{ json: item.json as never }] : [{ text: JSON.stringify(item.json ?? null) }];
  const converted = convertBlock(item, "tool", ctx) as unknown as Dict[];
  const out: ToolResultContentBlock[] = [];
  for (const block of converted) {
    const key = Object.keys(block)[0];
    if (!TOOL_RESULT_CONTENT_KEYS.has(key)) {
      throw new BedrockInputError(
        "UNSUPPORTED_CONTENT_BLOCK",
        `Unsupported content block type "${String(item.type)}" in a ToolMessage. Tool results take text, json, ` +
          `image, document, video and search_result blocks (and cache_point).`,
      );
    }
    out.push(block as unknown as ToolResultContentBlock);
  }
  return out;
}

// ---------------------------------------------------------------- content blocks

function textBlocks(text: string): ContentBlock[] {
  return [{ text: text.trim() === "" ? EMPTY_CONTENT : text }];
}

function contentBlocks(content: BaseMessage["content"], role: Role, ctx: Ctx): ContentBlock[] {
  if (typeof content === "string") return textBlocks(content);
  const list = content as unknown[];
  if (list.length === 0) return [{ text: EMPTY_CONTENT }];
  const out: ContentBlock[] = [];
  for (const block of list) {
    const converted = convertBlock(block, role, ctx);
    for (const c of converted) out.push(c);
  }
  return out;
}

function describe(block: unknown): string {
  if (isDict(block)) return block.type !== undefined ? `type "${String(block.type)}"` : `keys ${JSON.stringify(Object.keys(block))}`;
  return typeof block;
}

function unsupported(block: unknown, role: Role | "tool", ctx: Ctx): ContentBlock[] {
  if (role === "assistant") {
    dropWarning(ctx, isDict(block) ? String(block.type ?? Object.keys(block).join("+")) : typeof block);
    return [];
  }
  throw new BedrockInputError(
    "UNSUPPORTED_CONTENT_BLOCK",
    `Unsupported content block ${describe(block)} in a ${role === "tool" ? "ToolMessage" : "HumanMessage"}. ` +
      `Bedrock Converse accepts: ${SUPPORTED_BLOCKS}.`,
  );
}

function dropWarning(ctx: Ctx, kind: string): void {
  if (ctx.dropped.has(kind)) return;
  ctx.dropped.add(kind);
  ctx.warn(`Dropping "${kind}" content blocks from an AI message: Bedrock Converse has no equivalent block.`);
}

/** One LangChain content block (any supported dialect) → zero or more Converse content blocks. */
function convertBlock(block: unknown, role: Role | "tool", ctx: Ctx): ContentBlock[] {
  if (typeof block === "string") return textBlocks(block);
  if (!isDict(block)) {
    throw new BedrockInputError("INVALID_BLOCK", `Content blocks must be strings or objects, got ${typeof block}.`);
  }
  const type = block.type;
  if (type === undefined) return nativeBlocks(block, role, ctx);
  if (typeof type !== "string") {
    throw new BedrockInputError("INVALID_BLOCK", `Content block "type" must be a string, got ${JSON.stringify(type)}.`);
  }
  switch (type) {
    case "text":
      return textBlock(block);
    case "image":
    case "file":
    case "video":
    case "document":
    case "audio":
    case "text-plain":
      return mediaBlocks(block, type, role, ctx);
    case "image_url":
      return [dataUrlBlock(isDict(block.image_url) ? block.image_url.url : block.image_url, "image", ctx)];
    case "video_url":
      return [dataUrlBlock(isDict(block.video_url) ? block.video_url.url : block.video_url, "video", ctx)];
    case "guard_content":
      return [{ guardContent: guardContentOf(block) } as unknown as ContentBlock];
    case "cache_point":
    case "cachePoint":
      return [{ cachePoint: cachePointOf(block) } as unknown as ContentBlock];
    case "search_result":
      return [{ searchResult: searchResultOf(block) } as unknown as ContentBlock];
    case "json":
      return [{ json: block.json } as unknown as ContentBlock];
    case "tool_use":
    case "server_tool_use": {
      const toolUse: Dict = { toolUseId: block.id, name: block.name, input: parseToolInput(block.input) };
      // The service's ToolUseType enum has only "server_tool_use"; Python never sends the member otherwise.
      if (type === "server_tool_use" || block.tool_use_type === SERVER_TOOL_USE) toolUse.type = SERVER_TOOL_USE;
      return [{ toolUse } as unknown as ContentBlock];
    }
    case "tool_call":
    case "tool_call_chunk": // a concatenated v1 stream keeps its tool calls as chunks
      return [{ toolUse: { toolUseId: block.id, name: block.name, input: parseToolInput(block.args) } } as unknown as ContentBlock];
    case "tool_result":
    case "server_tool_result":
      return [{ toolResult: nestedToolResult(block, role, ctx) } as unknown as ContentBlock];
    case "thinking":
      return signedReasoning(block.thinking, block.signature);
    case "redacted_thinking":
      return redactedReasoning(block.data);
    case "reasoning_content":
      return reasoningContentBlock(block);
    case "reasoning": {
      const extras = isDict(block.extras) ? block.extras : {};
      return signedReasoning(block.reasoning, extras.signature ?? block.signature);
    }
    case "non_standard":
      return nonStandardBlocks(block, role, ctx);
    default:
      return unsupported(block, role, ctx);
  }
}

const SERVER_TOOL_USE = "server_tool_use";

/** A native toolUse keeps `type` only for the one value the service knows. */
function withoutForeignToolUseType(native: Dict): Dict {
  const toolUse = native.toolUse;
  if (!isDict(toolUse) || toolUse.type === undefined || toolUse.type === SERVER_TOOL_USE) return native;
  const { type: _dropped, ...rest } = toolUse;
  return { ...native, toolUse: rest };
}

/**
 * DOC-4 for documents written in Bedrock's own shape: a `text` or `content` source without citations
 * enabled is refused by the service with a message that points away from the fix, so it goes as the
 * UTF-8 bytes of its text (what the service accepts for the same document).
 */
function withPlainTextDocument(native: Dict): Dict {
  const document = native.document;
  if (!isDict(document) || !isDict(document.source)) return native;
  if (isDict(document.citations) && document.citations.enabled === true) return native;
  const source = document.source;
  let text: string | undefined;
  if (typeof source.text === "string") text = source.text;
  else if (Array.isArray(source.content) && source.content.every((c) => isDict(c) && typeof c.text === "string")) {
    text = (source.content as Dict[]).map((c) => c.text as string).join("\n");
  }
  if (text === undefined) return native;
  return { ...native, document: { ...document, source: { bytes: new TextEncoder().encode(text) } } };
}

function nativeBlocks(block: Dict, role: Role | "tool", ctx: Ctx): ContentBlock[] {
  const native = withPlainTextDocument(withoutForeignToolUseType(toCamelKeys<Dict>(block)));
  const keys = Object.keys(native);
  if (keys.length > 0 && keys.every((k) => CONVERSE_CONTENT_BLOCK_KEYS.has(k))) {
    if (keys.length === 1) return [native as unknown as ContentBlock];
    return keys.map((k) => ({ [k]: native[k] }) as unknown as ContentBlock);
  }
  if (role !== "assistant") return [native as unknown as ContentBlock];
  return unsupported(block, role, ctx);
}

function nonStandardBlocks(block: Dict, role: Role | "tool", ctx: Ctx): ContentBlock[] {
  // A degenerate payload ({}, a string, a list, null) in an AI turn is dropped as Python does; a missing one is a bug.
  if (role === "assistant" && "value" in block && !isDict(block.value)) {
    dropWarning(ctx, "non_standard");
    return [];
  }
  if (!isDict(block.value)) {
    throw new BedrockInputError(
      "INVALID_BLOCK",
      `A non_standard content block needs an object "value"; got ${JSON.stringify(block.value)}.`,
    );
  }
  const value = block.value;
  // Our own output blocks wrapped by core's translator come back as non_standard {value: <block>}.
  if (typeof value.type === "string") return convertBlock(value, role, ctx);
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((k) => CONVERSE_CONTENT_BLOCK_KEYS.has(k)))
    return keys.map((k) => ({ [k]: value[k] }) as unknown as ContentBlock);
  if (role !== "assistant") return [value as unknown as ContentBlock];
  dropWarning(ctx, `non_standard(${keys.join("+")})`);
  return [];
}

/** The native citations behind v1 `annotations` (kept in `extras.bedrock_citation`), when every one has them. */
function nativeCitationsOf(annotations: unknown): Dict[] | undefined {
  if (!Array.isArray(annotations) || annotations.length === 0) return undefined;
  const native = annotations.map((a) => (isDict(a) && isDict(a.extras) ? a.extras.bedrock_citation : undefined));
  return native.every(isDict) ? (native as Dict[]) : undefined;
}

function textBlock(block: Dict): ContentBlock[] {
  const text = typeof block.text === "string" ? block.text : "";
  // v1 text (annotations) in a message that lost its output_version marker, e.g. rebuilt from content.
  const citations = Array.isArray(block.citations) ? block.citations : nativeCitationsOf(block.annotations);
  if (citations && citations.length > 0 && citations.every((c) => isDict(c) && ("source_content" in c || "sourceContent" in c))) {
    const kept = citations.map((c) => toCamelKeys<Dict>(c)).filter((c) => !(isDict(c.location) && "searchResultLocation" in c.location));
    return [{ citationsContent: { content: [{ text }], citations: kept } } as unknown as ContentBlock];
  }
  return textBlocks(text);
}

function signedReasoning(text: unknown, signature: unknown): ContentBlock[] {
  if (typeof signature !== "string" || signature === "") return [];
  return [{ reasoningContent: { reasoningText: { text: typeof text === "string" ? text : "", signature } } } as unknown as ContentBlock];
}

function redactedReasoning(data: unknown): ContentBlock[] {
  if (data instanceof Uint8Array) return [{ reasoningContent: { redactedContent: data } } as unknown as ContentBlock];
  if (typeof data === "string" && data !== "")
    return [{ reasoningContent: { redactedContent: base64ToBytes(data) } } as unknown as ContentBlock];
  return [];
}

function reasoningContentBlock(block: Dict): ContentBlock[] {
  const inner = reasoningContentOf(block);
  if (inner) {
    const redacted = inner.redacted_content ?? inner.redactedContent;
    if (inner.type === "redacted" || redacted !== undefined) return redactedReasoning(redacted);
    const text = isDict(inner.reasoning_text) ? inner.reasoning_text : isDict(inner.reasoningText) ? inner.reasoningText : inner;
    return signedReasoning(text.text, text.signature);
  }
  // @langchain/aws shapes: {type: "reasoning_content", reasoningText: {text, signature}} / {redactedContent}
  if (isDict(block.reasoningText)) return signedReasoning(block.reasoningText.text, block.reasoningText.signature);
  if (block.redactedContent !== undefined) return redactedReasoning(block.redactedContent);
  return [];
}

function cachePointOf(block: Dict): Dict {
  const inner = isDict(block.cache_point) ? block.cache_point : isDict(block.cachePoint) ? block.cachePoint : undefined;
  if (inner) return toCamelKeys<Dict>(inner);
  const out: Dict = { type: "default" };
  if (typeof block.ttl === "string") out.ttl = block.ttl;
  return out;
}

function guardContentOf(block: Dict): Dict {
  const inner = isDict(block.guard_content) ? block.guard_content : isDict(block.guardContent) ? block.guardContent : block;
  if (isDict(inner.text)) return toCamelKeys<Dict>(inner);
  const text = typeof inner.text === "string" ? inner.text : "";
  const out: Dict = { text: { text } };
  if (Array.isArray(inner.qualifiers)) (out.text as Dict).qualifiers = inner.qualifiers;
  return out;
}

function searchResultOf(block: Dict): Dict {
  const content = Array.isArray(block.content) ? block.content : [];
  const items = content.map((item) => {
    if (typeof item === "string") return { text: item };
    if (isDict(item) && (item.type === "text" || item.type === undefined) && typeof item.text === "string") return { text: item.text };
    throw new BedrockInputError(
      "INVALID_BLOCK",
      `search_result content must be text blocks; got ${describe(item)}. Convert the search result to text.`,
    );
  });
  const out: Dict = { source: block.source, title: block.title, content: items };
  if (isDict(block.citations)) out.citations = { enabled: Boolean(block.citations.enabled) };
  return out;
}

function nestedToolResult(block: Dict, role: Role | "tool", ctx: Ctx): Dict {
  const items: unknown[] = typeof block.content === "string" ? [block.content] : Array.isArray(block.content) ? block.content : [];
  const content: ToolResultContentBlock[] = [];
  for (const item of items) {
    try {
      for (const c of toolResultContent(item, ctx)) content.push(c);
    } catch (e) {
      // In an AI message (another provider's history) foreign blocks are dropped, as elsewhere in AI turns.
      if (role !== "assistant" || !(e instanceof BedrockInputError) || e.code !== "UNSUPPORTED_CONTENT_BLOCK") throw e;
      dropWarning(ctx, isDict(item) ? String(item.type) : typeof item);
    }
  }
  if (content.length === 0) content.push({ text: EMPTY_CONTENT });
  const out: Dict = { toolUseId: block.tool_use_id ?? block.toolUseId ?? block.id, content };
  if (typeof block.status === "string") out.status = block.status;
  else if (block.is_error === true) out.status = "error";
  if (typeof block.tool_result_type === "string") out.type = block.tool_result_type;
  return out;
}

// ---------------------------------------------------------------- media

function mediaBlocks(block: Dict, type: string, role: Role | "tool", ctx: Ctx): ContentBlock[] {
  // Native payload under the type key: {type: "document", document: {...}} / {type: "image", image: {...}}
  if (isDict(block[type]) && (type === "document" || type === "image" || type === "video" || type === "audio")) {
    return [withPlainTextDocument({ [type]: toCamelKeys(block[type]) }) as unknown as ContentBlock];
  }
  // Anthropic-style {source: {type: "base64", media_type, data}} and our own s3Location output shape.
  if (isDict(block.source)) return [sourceBlock(block, block.source, type, ctx)];
  return [dataBlock(block, type, role, ctx)];
}

function formatFor(mimeType: unknown, expected: MediaKind | undefined, blockType: string): { kind: MediaKind; format: string } {
  if (typeof mimeType !== "string" || mimeType === "") {
    throw new BedrockInputError(
      "MISSING_MIME_TYPE",
      `A "${blockType}" content block needs a MIME type ("mimeType" or "mime_type", e.g. "image/png") so Bedrock knows its format.`,
    );
  }
  const result = mimeToFormat(mimeType);
  if (expected && result.kind !== expected && !(expected === "document" && result.kind !== "video")) {
    throw new BedrockInputError(
      "UNSUPPORTED_MIME_TYPE",
      `MIME type "${mimeType}" does not fit a "${blockType}" block; use a ${expected} MIME type or the matching block type.`,
    );
  }
  return result;
}

function sourceBlock(block: Dict, source: Dict, type: string, ctx: Ctx): ContentBlock {
  const mime = source.media_type ?? source.mediaType ?? source.mime_type ?? block.mime_type ?? block.mimeType;
  const expected: MediaKind = type === "image" ? "image" : type === "video" ? "video" : type === "audio" ? "audio" : "document";
  if (source.type === "s3Location" || isDict(source.s3Location) || isDict(source.s3_location)) {
    // Python's output shape keeps the location under `data`; ours once had it flat on the source.
    const s3 = isDict(source.s3Location)
      ? source.s3Location
      : isDict(source.s3_location)
        ? toCamelKeys<Dict>(source.s3_location)
        : isDict(source.data)
          ? toCamelKeys<Dict>(source.data)
          : source;
    const location: Dict = { uri: s3.uri };
    const owner = s3.bucketOwner ?? s3.bucket_owner;
    if (typeof owner === "string") location.bucketOwner = owner;
    const { kind, format } = formatFor(mime, expected, type);
    return assemble(kind, format, { s3Location: location }, block, ctx);
  }
  if (
    source.type === "base64" ||
    typeof source.data === "string" ||
    source.data instanceof Uint8Array ||
    source.bytes instanceof Uint8Array
  ) {
    const data = source.data ?? source.bytes;
    const { kind, format } = formatFor(mime, expected, type);
    return assemble(kind, format, { bytes: data instanceof Uint8Array ? data : base64ToBytes(String(data)) }, block, ctx);
  }
  if (source.type === "text" && typeof source.data === "string") {
    return assemble("document", "txt", { text: source.data }, block, ctx);
  }
  throw new BedrockInputError(
    "UNSUPPORTED_SOURCE",
    `Unsupported ${type} source type "${String(source.type)}": Bedrock takes only inline bytes (base64) or S3 locations. ` +
      `Download the content and send it as base64 data, or upload it to S3 and pass an s3:// URL.`,
  );
}

function dataBlock(block: Dict, type: string, role: Role | "tool", ctx: Ctx): ContentBlock {
  void role;
  void ctx;
  const expected: MediaKind | undefined = type === "image" ? "image" : type === "video" ? "video" : type === "audio" ? "audio" : "document";
  const mime = block.mimeType ?? block.mime_type;
  const sourceType = block.source_type ?? block.sourceType;
  // JS core spells inline data `data`; Python's langchain-core v1 blocks spell it `base64` (with `mime_type`).
  const data = block.data ?? block.base64;
  if (data instanceof Uint8Array) {
    const { kind, format } = formatFor(mime, expected, type);
    return assemble(kind, format, { bytes: data }, block, ctx);
  }
  if (typeof data === "string" && sourceType !== "url" && sourceType !== "text") {
    if (data.startsWith("data:")) return dataUrlBlock(data, expected, ctx, block);
    const { kind, format } = formatFor(mime, expected, type);
    return assemble(kind, format, { bytes: base64ToBytes(data) }, block, ctx);
  }
  if ((sourceType === "text" || type === "text-plain") && typeof block.text === "string") {
    const format = typeof mime === "string" && mime !== "" ? formatFor(mime, "document", type).format : "txt";
    return assemble("document", format, { text: block.text }, block, ctx);
  }
  const url = block.url ?? (sourceType === "url" ? block.data : undefined) ?? block.fileId ?? block.file_id ?? block.id;
  if (typeof url === "string") {
    if (url.startsWith("data:")) return dataUrlBlock(url, expected, ctx, block);
    if (url.startsWith("s3://")) {
      const { kind, format } = formatFor(mime, expected, type);
      const extras = isDict(block.extras) ? block.extras : {};
      const owner = block.bucketOwner ?? block.bucket_owner ?? extras.bucket_owner ?? extras.bucketOwner;
      return assemble(kind, format, { s3Location: { uri: url, ...(typeof owner === "string" ? { bucketOwner: owner } : {}) } }, block, ctx);
    }
    throw new BedrockInputError(
      "UNSUPPORTED_SOURCE",
      `Bedrock Converse cannot fetch ${type} content from "${url.slice(0, 80)}": it takes only inline bytes (base64 / ` +
        `data URLs) or S3 locations (s3:// URLs). Download the content and pass it as base64 data, or upload it to S3.`,
    );
  }
  throw new BedrockInputError(
    "INVALID_BLOCK",
    `The "${type}" content block has no data: give "data" (base64 or Uint8Array) with "mimeType", a data: URL, or an s3:// URL.`,
  );
}

function dataUrlBlock(url: unknown, expected: MediaKind, ctx: Ctx, block?: Dict): ContentBlock {
  if (typeof url !== "string" || !url.startsWith("data:")) {
    throw new BedrockInputError(
      "UNSUPPORTED_SOURCE",
      `Bedrock Converse cannot fetch ${expected} URLs (${typeof url === "string" ? `"${url.slice(0, 80)}"` : "no url"}): ` +
        `it takes only inline bytes or S3 locations. Pass a data:${expected}/...;base64,... URL, base64 data, or an s3:// URL.`,
    );
  }
  const comma = url.indexOf(",");
  const header = comma > 0 ? url.slice(5, comma) : "";
  if (comma < 0 || !header.endsWith(";base64")) {
    throw new BedrockInputError(
      "UNSUPPORTED_SOURCE",
      `Only base64 data URLs are supported ("data:<mime>;base64,<data>"); got "${url.slice(0, 40)}...".`,
    );
  }
  const mime = header.slice(0, -";base64".length);
  const { kind, format } = formatFor(mime, expected === "document" ? undefined : expected, expected);
  return assemble(kind, format, { bytes: base64ToBytes(url.slice(comma + 1)) }, block ?? {}, ctx);
}

function assemble(kind: MediaKind, format: string, source: Dict, block: Dict, ctx: Ctx): ContentBlock {
  if (kind === "image" && source.bytes instanceof Uint8Array) format = checkedImageFormat(format, source.bytes, ctx);
  if (kind !== "document") return { [kind]: { format, source } } as unknown as ContentBlock;
  const citations = block.citations ?? (isDict(block.extras) ? block.extras.citations : undefined);
  const cited = isDict(citations) && citations.enabled === true;
  // DOC-4: Bedrock takes a `text` source only with citations enabled ("must set one of the following keys:
  // bytes, s3Location" otherwise); plain text goes as its UTF-8 bytes.
  if (typeof source.text === "string" && !cited) source = { bytes: new TextEncoder().encode(source.text) };
  const document: Dict = { format, name: "", source };
  ctx.derived.set(document, documentFileName(block));
  if (isDict(citations)) document.citations = { enabled: Boolean(citations.enabled) };
  if (typeof block.context === "string") document.context = block.context;
  return { document } as unknown as ContentBlock;
}

/**
 * MED-1: a valid label on bytes of another format fails at the model layer. The bytes decide: a PNG sent
 * as "image/jpeg" goes as png (with a warning); bytes of a format Bedrock cannot read (bmp, tiff, svg,
 * heic) are refused here instead of being relabelled.
 */
function checkedImageFormat(declared: string, bytes: Uint8Array, ctx: Ctx): string {
  const sniffed = sniffImageFormat(bytes);
  if (sniffed === undefined || sniffed === declared) return declared;
  if (typeof sniffed !== "string") {
    throw new BedrockInputError(
      "UNSUPPORTED_MIME_TYPE",
      `An image labelled "${declared}" holds ${sniffed.unsupported.toUpperCase()} data, which Bedrock cannot read. ` +
        `Convert it to PNG, JPEG, GIF or WebP first.`,
    );
  }
  ctx.warn(`An image labelled "${declared}" holds ${sniffed} data; it was sent as ${sniffed}, the format of its bytes.`);
  return sniffed;
}

/** The file name a LangChain block carries (sanitised later, once every document of the request is known). */
function documentFileName(block: Dict): string | undefined {
  const metadata = isDict(block.metadata) ? block.metadata : {};
  const extras = isDict(block.extras) ? block.extras : {};
  for (const candidate of [
    block.name,
    block.filename,
    block.title,
    metadata.name,
    metadata.filename,
    metadata.title,
    extras.name,
    extras.filename,
  ]) {
    if (typeof candidate === "string" && candidate !== "") return candidate;
  }
  return undefined;
}

// ---------------------------------------------------------------- post passes

function hasToolBlocks(messages: Message[]): boolean {
  for (const m of messages)
    for (const b of m.content ?? []) if ((b as unknown as Dict).toolUse || (b as unknown as Dict).toolResult) return true;
  return false;
}

function toolBlocksToText(messages: Message[], ctx: Ctx): void {
  if (!hasToolBlocks(messages)) return;
  ctx.warn(
    "Tool messages were passed without toolConfig: toolUse and toolResult blocks were converted to text. " +
      "Bind the tools (bindTools) to send them as tool blocks.",
  );
  for (const m of messages) {
    const content = m.content ?? [];
    for (let i = 0; i < content.length; i++) {
      const b = content[i] as unknown as Dict;
      if (isDict(b.toolUse)) {
        const input = b.toolUse.input;
        const hasInput = isDict(input) ? Object.keys(input).length > 0 : input !== undefined && input !== null;
        content[i] = {
          text: hasInput
            ? `[Called ${String(b.toolUse.name)} with parameters: ${pythonJson(input)}]`
            : `[Called ${String(b.toolUse.name)}]`,
        };
      } else if (isDict(b.toolResult)) {
        const parts: string[] = [];
        for (const c of (b.toolResult.content as Dict[] | undefined) ?? []) {
          if (typeof c.text === "string" && c.text !== "") parts.push(c.text);
          else if (c.json !== undefined) parts.push(pythonJson(c.json));
        }
        content[i] = { text: `[Tool output: ${parts.join("\n")}]` };
      }
    }
  }
}

/** Every document payload of the request, in order (message content and tool results). */
function documentsOf(messages: Message[]): Dict[] {
  const out: Dict[] = [];
  for (const m of messages) {
    for (const b of (m.content ?? []) as unknown as Dict[]) {
      if (isDict(b.document)) out.push(b.document);
      else if (isDict(b.toolResult) && Array.isArray(b.toolResult.content)) {
        for (const c of b.toolResult.content) if (isDict(c) && isDict(c.document)) out.push(c.document);
      }
    }
  }
  return out;
}

/**
 * DOC-1 / DOC-2: names of documents built from LangChain blocks are sanitised and made unique over the
 * whole request (the replayed history counts); names the user wrote in native `{document}` blocks are
 * checked, and refused before any request when Bedrock would refuse them.
 */
function nameDocuments(messages: Message[], derived: Map<Dict, string | undefined>, ctx: Ctx): void {
  const documents = documentsOf(messages);
  if (documents.length === 0) return;
  const namer = new DocumentNamer();
  for (const doc of documents) {
    if (derived.has(doc)) continue;
    const problem = documentNameProblem(doc.name);
    if (problem) {
      throw new BedrockInputError(
        "INVALID_DOCUMENT_NAME",
        `The document name ${JSON.stringify(doc.name)} of a native {document} block is not accepted by Bedrock: ${problem}. ` +
          `Names may only contain letters, digits, single spaces, hyphens, underscores, parentheses and square brackets ` +
          `(1-200 characters). Rename it, or send the file as a LangChain file block with "name", which is sanitised for you.`,
      );
    }
    if (namer.has(doc.name as string)) {
      throw new BedrockInputError(
        "DUPLICATE_DOCUMENT_NAME",
        `Two native {document} blocks are both named ${JSON.stringify(doc.name)}; Bedrock refuses duplicate document names ` +
          `anywhere in the conversation. Give each document its own name.`,
      );
    }
    namer.reserve(doc.name as string);
  }
  documents.forEach((doc, i) => {
    if (!derived.has(doc)) return;
    const fileName = derived.get(doc);
    let name = fileName === undefined ? "" : sanitizeDocumentName(fileName);
    if (name === "") {
      name = `document-${i + 1}`;
      if (fileName === undefined) {
        ctx.warn(
          `A document content block has no name; Bedrock requires one, so "${name}" is sent. ` +
            `Set "name" (or "filename" / metadata.name) on the block to control it.`,
        );
      }
    }
    doc.name = namer.unique(name);
  });
}

function guardLastUserTurn(messages: Message[]): void {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role !== "user") continue;
    const content = messages[i].content ?? [];
    let wrapped = false;
    messages[i].content = content.map((b) => {
      const text = (b as unknown as Dict).text;
      if (typeof text !== "string") return b;
      wrapped = true;
      return { guardContent: { text: { text } } } as unknown as ContentBlock;
    });
    if (!wrapped) messages[i].content!.push({ guardContent: { text: { text: "[tool_result]" } } } as unknown as ContentBlock);
    return;
  }
}
