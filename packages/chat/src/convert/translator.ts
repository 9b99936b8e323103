import { isDict, parseToolInput, reasoningContentOf, type Dict } from "./keys.js";
import { MODEL_PROVIDER } from "./metadata.js";

/**
 * `message.contentBlocks` (LangChain v1 standard blocks) for messages stamped `model_provider: "bedrock-converse"`.
 *
 * @langchain/core 1.4 ships a translator under that key, but it expects the shapes of `@langchain/aws`
 * (`reasoningText` on reasoning blocks) and never yields tool calls (it skips `tool_call` blocks and does
 * not look at `message.tool_calls`). This module wraps it in core's global registry
 * (`globalThis.lc_block_translators_registry`, the registry core reads translators from): our
 * (Python-shaped) blocks are translated here, every other block is delegated to core's translator unchanged.
 * - `reasoning_content` {reasoning_content: {type: "text", text, signature?}} → `{type: "reasoning", reasoning, signature?}`
 * - redacted reasoning → `{type: "non_standard", value: block}`
 * - `tool_use` → `{type: "tool_call", id, name, args}` (args from `tool_calls` when present, else parsed input)
 * - `text` with `citations` → `{type: "text", text, annotations: [{type: "citation", ...}]}`
 * - `image` / `video` with a base64 source → `{type, data, mimeType}`; with an s3Location → `{type, url: "s3://...", mimeType}`
 * - `document` → core's v1 block with the document name in `extras.name`
 * - `tool_calls` without a tool_use block are appended as `tool_call` blocks.
 * - stream chunks: a tool_use whose input is a JSON fragment → `{type: "tool_call_chunk", id?, name?, args}`;
 *   every block keeps its `index`, so v1 chunks concatenate per block.
 */

interface Translator {
  translateContent: (message: unknown) => unknown[];
  translateContentChunk: (message: unknown) => unknown[];
}

const WRAPPED = Symbol.for("langchain-bedrock-converse.translator");

type Registry = Map<string, Translator>;

function registry(): Registry | undefined {
  const r = (globalThis as { lc_block_translators_registry?: Registry }).lc_block_translators_registry;
  return r instanceof Map ? r : undefined;
}

/** Idempotent; safe to call from every module that builds messages. */
export function installBedrockConverseTranslator(): void {
  const reg = registry();
  if (!reg) return;
  const current = reg.get(MODEL_PROVIDER);
  if (current && (current as unknown as Record<symbol, unknown>)[WRAPPED]) return;
  const translate = (message: unknown) => translateMessage(message, current);
  const wrapped: Translator & Record<symbol, unknown> = {
    translateContent: translate,
    translateContentChunk: translate,
    [WRAPPED]: true,
  };
  reg.set(MODEL_PROVIDER, wrapped);
}

function delegate(block: Dict, original: Translator | undefined): unknown[] {
  if (!original) return [block];
  return original.translateContent({ content: [block] });
}

/** A complete JSON object (an aggregated stream's tool input), as opposed to a fragment of one. */
function completeJsonObject(text: string): boolean {
  try {
    return isDict(JSON.parse(text));
  } catch {
    return false;
  }
}

function translateMessage(message: unknown, original: Translator | undefined): unknown[] {
  const m = message as {
    content?: unknown;
    tool_calls?: Array<{ id?: string; name: string; args: Dict }>;
    tool_call_chunks?: Array<{ id?: string }>;
  };
  const content: unknown[] =
    typeof m.content === "string" ? [{ type: "text", text: m.content }] : Array.isArray(m.content) ? m.content : [];
  const toolCalls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
  const out: unknown[] = [];
  const seenToolIds = new Set<string>();
  // Stream chunks keep `index` on every block (so v1 chunks merge per block) and carry tool input as
  // JSON fragments, which become tool_call_chunk blocks.
  const chunkIds = new Set((Array.isArray(m.tool_call_chunks) ? m.tool_call_chunks : []).map((c) => c.id).filter(Boolean));
  for (const raw of content) {
    if (!isDict(raw)) continue;
    const block = raw;
    const before = out.length;
    translateBlock(block);
    if (block.index !== undefined) {
      for (let i = before; i < out.length; i++) {
        const b = out[i];
        if (isDict(b) && b.index === undefined && b.type !== "non_standard") out[i] = { ...b, index: block.index };
      }
    }
  }
  for (const call of toolCalls) {
    if (call.id && (seenToolIds.has(call.id) || chunkIds.has(call.id))) continue;
    out.push({ type: "tool_call", id: call.id, name: call.name, args: call.args });
  }
  return out;

  function translateBlock(block: Dict): void {
    // Fast path for the common plain text block (`message.text` reads contentBlocks on every call).
    if (block.type === "text" && typeof block.text === "string" && isPlainText(block)) {
      out.push({ type: "text", text: block.text });
      return;
    }
    if (block.type === "reasoning_content") {
      const inner = reasoningContentOf(block);
      if (inner) {
        if (inner.type === "redacted" || "redacted_content" in inner || "redactedContent" in inner) {
          out.push({ type: "non_standard", value: block });
        } else {
          const v1: Dict = { type: "reasoning", reasoning: typeof inner.text === "string" ? inner.text : "" };
          if (typeof inner.signature === "string" && inner.signature) v1.signature = inner.signature;
          if (block.index !== undefined) v1.index = block.index;
          out.push(v1);
        }
        return;
      }
    } else if (block.type === "tool_use") {
      const id = typeof block.id === "string" ? block.id : undefined;
      const call = id ? toolCalls.find((c) => c.id === id) : undefined;
      if (id) seenToolIds.add(id);
      if (typeof block.input === "string" && !(id && block.name && completeJsonObject(block.input))) {
        const chunk: Dict = { type: "tool_call_chunk", args: block.input };
        if (id) chunk.id = id;
        if (typeof block.name === "string") chunk.name = block.name;
        out.push(chunk);
        return;
      }
      out.push({ type: "tool_call", id, name: block.name ?? call?.name, args: call ? call.args : parseToolInput(block.input) });
      return;
    } else if ((block.type === "image" || block.type === "video") && isDict(block.source)) {
      const v1 = mediaToV1(block.type, block.source);
      if (v1) {
        if (block.index !== undefined) v1.index = block.index;
        out.push(v1);
        return;
      }
    } else if (block.type === "document" && isDict(block.document) && typeof block.document.name === "string") {
      // core's translator drops the name Bedrock requires; keep it where the converter looks for it
      const name = block.document.name;
      for (const translated of delegate(block, original)) {
        if (isDict(translated) && translated.type !== "non_standard") {
          const extras = isDict(translated.extras) ? translated.extras : {};
          out.push({ ...translated, extras: { ...extras, name } });
        } else out.push(translated);
      }
      return;
    } else if (block.type === "text" && Array.isArray(block.citations)) {
      const annotations = block.citations.map(citationAnnotation);
      // A stream's citation chunk has no text: core's merge drops an unmatched `text: ""` block, and
      // with it the annotations (a citation delta that comes before its text), so none is added here.
      if (typeof block.text === "string") out.push({ type: "text", text: block.text, annotations });
      else if (block.index !== undefined) out.push({ type: "text", annotations });
      else out.push({ type: "text", text: "", annotations });
      return;
    }
    for (const translated of delegate(block, original)) out.push(translated);
  }
}

function isPlainText(block: Dict): boolean {
  for (const key in block) if (key !== "type" && key !== "text" && key !== "index") return false;
  return true;
}

/** Our Anthropic-shaped image/video output (`source` base64 or s3Location) → a v1 data block. */
function mediaToV1(type: string, source: Dict): Dict | undefined {
  const mimeType = typeof source.media_type === "string" ? source.media_type : undefined;
  if (source.type === "base64" && typeof source.data === "string") {
    return { type, data: source.data, ...(mimeType ? { mimeType } : {}) };
  }
  const location = source.type === "s3Location" ? (isDict(source.data) ? source.data : source) : undefined;
  if (location && typeof location.uri === "string") {
    const v1: Dict = { type, url: location.uri, ...(mimeType ? { mimeType } : {}) };
    const owner = location.bucket_owner ?? location.bucketOwner;
    if (typeof owner === "string") v1.extras = { bucket_owner: owner };
    return v1;
  }
  return undefined;
}

function citationAnnotation(citation: unknown): Dict {
  const c = isDict(citation) ? citation : {};
  const annotation: Dict = { type: "citation" };
  if (typeof c.title === "string") annotation.title = c.title;
  if (typeof c.source === "string") annotation.url = c.source;
  const sourceContent = c.source_content ?? c.sourceContent;
  if (Array.isArray(sourceContent)) {
    annotation.citedText = sourceContent.map((s) => (isDict(s) && typeof s.text === "string" ? s.text : "")).join("");
  }
  const location = isDict(c.location) ? c.location : undefined;
  if (location) {
    const inner = Object.values(location).find(isDict);
    if (inner) {
      const docIndex = inner.document_index ?? inner.documentIndex ?? inner.search_result_index ?? inner.searchResultIndex;
      if (typeof docIndex === "number") annotation.source = String(docIndex);
      if (typeof inner.start === "number") annotation.startIndex = inner.start;
      if (typeof inner.end === "number") annotation.endIndex = inner.end;
      if (typeof inner.url === "string") annotation.url = inner.url;
    }
  }
  annotation.extras = { bedrock_citation: c };
  return annotation;
}
