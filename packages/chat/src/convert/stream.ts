import type { ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import type { AIMessageChunk, ToolCallChunk } from "@langchain/core/messages";
import { aiMessageChunk } from "./chunk-fields.js";
import { StreamedToolInputCheck, toPlainJsonNumbers, warnUnsafeIntegers } from "./json-numbers.js";
import { base64ToBytes, bytesToBase64, isDict, toSnakeKeys, type Dict } from "./keys.js";
import { MODEL_PROVIDER, replyMetadata } from "./metadata.js";
import { mediaBlock } from "./output-blocks.js";
import type { ResponseContext } from "./response.js";
import { BedrockStreamError, STREAM_EXCEPTION_MEMBERS, StreamIncompleteError } from "../errors.js";
import { installBedrockConverseTranslator } from "./translator.js";
import { toUsageMetadata } from "./usage.js";

installBedrockConverseTranslator();

export interface StreamContext extends ResponseContext {
  /** ResponseMetadata of the HTTP call: the SDK's `$metadata` or an already boto3-shaped `ResponseMetadata`. */
  responseMetadata?: Record<string, unknown>;
}

/** Copied from the metadata event; additionalModelResponseFields arrives earlier, on messageStop. */
const METADATA_FIELDS = ["trace", "performanceConfig", "serviceTier"] as const;

/**
 * ConverseStream events → AIMessageChunks. One converter per stream; state is per content-block index.
 *
 * Every chunk's content is a list of index-keyed blocks, so `concat` of all chunks yields one block per
 * index, equal to the invoke content except for the `index` keys and tool_use `input` (a JSON string in a
 * stream, the parsed object on invoke; `tool_calls` are equal). Every chunk carries
 * `response_metadata.model_provider`. Redacted reasoning is accumulated per index and emitted once, as base64
 * of all its bytes, when the block stops (or at messageStop / metadata if the block never stops).
 */
export class ConverseStreamConverter {
  private readonly ctx: StreamContext;
  /** Indexes whose block has content in an emitted chunk. */
  private readonly seen = new Set<number>();
  /** Image formats announced by contentBlockStart.image, per index. */
  private readonly imageFormats = new Map<number, string | undefined>();
  /** Redacted reasoning bytes waiting for their block to stop. */
  private readonly redacted = new Map<number, Uint8Array[]>();
  /** Warns about tool-input integers that JSON.parse will round, as invoke does. */
  private readonly toolInputs = new StreamedToolInputCheck();
  private messageStopped = false;
  private metadataSeen = false;

  constructor(ctx: StreamContext) {
    this.ctx = ctx;
  }

  /** The first, empty chunk. */
  start(): AIMessageChunk {
    return this.chunk([]);
  }

  /** Zero or more chunks per event. Throws {@link BedrockStreamError} on an exception event. */
  convert(event: ConverseStreamOutput): AIMessageChunk[] {
    const e = event as unknown as Dict;
    if (isDict(e.contentBlockDelta)) return this.onDelta(e.contentBlockDelta);
    if (isDict(e.contentBlockStart)) return this.onStart(e.contentBlockStart);
    if (isDict(e.contentBlockStop)) return this.onStop(e.contentBlockStop);
    if (isDict(e.messageStop)) return this.onMessageStop(e.messageStop);
    if (isDict(e.metadata)) return this.onMetadata(e.metadata);
    if (isDict(e.messageStart)) return [];
    for (const member of STREAM_EXCEPTION_MEMBERS) {
      if (e[member] !== undefined) throw BedrockStreamError.fromEvent(member, e[member]);
    }
    return [];
  }

  /**
   * Call when the event stream ends. Throws {@link StreamIncompleteError} if `messageStop` never
   * arrived, or the `metadata` event that Bedrock always sends last (usage, metrics) did not.
   */
  finish(): void {
    if (!this.messageStopped) {
      throw new StreamIncompleteError();
    }
    if (!this.metadataSeen) {
      throw new StreamIncompleteError(
        "The Bedrock ConverseStream ended after messageStop but before its metadata event, so the reply has no usage or metrics. " +
          "The content received so far was already yielded; retry the call to get a complete reply.",
      );
    }
  }

  private chunk(content: Dict[], extra?: { tool_call_chunks?: ToolCallChunk[] }): AIMessageChunk {
    return aiMessageChunk({
      content: content as AIMessageChunk["content"],
      response_metadata: { model_provider: MODEL_PROVIDER },
      id: this.ctx.messageId,
      tool_call_chunks: extra?.tool_call_chunks,
    });
  }

  private onStart(event: Dict): AIMessageChunk[] {
    const index = typeof event.contentBlockIndex === "number" ? event.contentBlockIndex : 0;
    const start = isDict(event.start) ? event.start : {};
    if (isDict(start.toolUse)) {
      const { toolUseId, name } = start.toolUse as { toolUseId?: string; name?: string };
      const block: Dict = { type: "tool_use", id: toolUseId, name, input: "", index };
      if (typeof start.toolUse.type === "string" && start.toolUse.type !== "tool_use") block.tool_use_type = start.toolUse.type;
      this.seen.add(index);
      this.toolInputs.start(index, name, toolUseId);
      return [this.chunk([block], { tool_call_chunks: [{ type: "tool_call_chunk", name, id: toolUseId, args: "", index }] })];
    }
    if (isDict(start.toolResult)) {
      const r = start.toolResult;
      const block: Dict = { type: "tool_result", tool_use_id: r.toolUseId, is_error: r.status === "error", content: [], index };
      if (typeof r.type === "string") block.tool_result_type = r.type;
      this.seen.add(index);
      return [this.chunk([block])];
    }
    if (isDict(start.image)) this.imageFormats.set(index, typeof start.image.format === "string" ? start.image.format : undefined);
    return [];
  }

  private onDelta(event: Dict): AIMessageChunk[] {
    const index = typeof event.contentBlockIndex === "number" ? event.contentBlockIndex : 0;
    const delta = isDict(event.delta) ? event.delta : {};
    if (typeof delta.text === "string") {
      if (delta.text === "") return [];
      this.seen.add(index);
      return [this.chunk([{ type: "text", text: delta.text, index }])];
    }
    if (isDict(delta.toolUse)) {
      const input = typeof delta.toolUse.input === "string" ? delta.toolUse.input : "";
      if (input === "" && this.seen.has(index)) return [];
      this.seen.add(index);
      this.toolInputs.add(index, input);
      return [this.chunk([{ type: "tool_use", input, index }], { tool_call_chunks: [{ type: "tool_call_chunk", args: input, index }] })];
    }
    if (isDict(delta.reasoningContent)) return this.onReasoning(index, delta.reasoningContent);
    if (isDict(delta.citation)) {
      this.seen.add(index);
      return [this.chunk([{ type: "text", citations: [toSnakeKeys(delta.citation)], index }])];
    }
    if (isDict(delta.toolResult)) {
      const r = delta.toolResult;
      const item =
        typeof r.text === "string" ? { type: "text", text: r.text } : r.json !== undefined ? { type: "json", json: r.json } : undefined;
      if (!item) return [];
      this.seen.add(index);
      return [this.chunk([{ type: "tool_result", content: [item], index }])];
    }
    if (isDict(delta.image) && isDict(delta.image.source)) {
      const block = mediaBlock("image", { format: this.imageFormats.get(index), source: delta.image.source });
      this.seen.add(index);
      return [this.chunk([{ ...block, index }])];
    }
    return [];
  }

  private onReasoning(index: number, r: Dict): AIMessageChunk[] {
    if (typeof r.text === "string") {
      if (r.text === "" && this.seen.has(index)) return [];
      this.seen.add(index);
      return [this.chunk([{ type: "reasoning_content", reasoning_content: { type: "text", text: r.text }, index }])];
    }
    if (typeof r.signature === "string") {
      this.seen.add(index);
      return [this.chunk([{ type: "reasoning_content", reasoning_content: { type: "text", signature: r.signature }, index }])];
    }
    const redacted = r.redactedContent ?? r.data;
    if (redacted instanceof Uint8Array || typeof redacted === "string") {
      const bytes = typeof redacted === "string" ? base64ToBytes(redacted) : redacted;
      const pending = this.redacted.get(index);
      if (pending) pending.push(bytes);
      else this.redacted.set(index, [bytes]);
    }
    return [];
  }

  private flushRedacted(index: number): Dict | undefined {
    const pieces = this.redacted.get(index);
    if (!pieces) return undefined;
    this.redacted.delete(index);
    const bytes = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
    this.seen.add(index);
    return { type: "reasoning_content", reasoning_content: { type: "redacted", redacted_content: bytesToBase64(bytes) }, index };
  }

  private flushAllRedacted(): Dict[] {
    if (this.redacted.size === 0) return [];
    const out: Dict[] = [];
    for (const index of [...this.redacted.keys()].sort((a, b) => a - b)) {
      const block = this.flushRedacted(index);
      if (block) out.push(block);
    }
    return out;
  }

  private onStop(event: Dict): AIMessageChunk[] {
    const index = typeof event.contentBlockIndex === "number" ? event.contentBlockIndex : 0;
    this.toolInputs.stop(index);
    const redacted = this.flushRedacted(index);
    if (redacted) return [this.chunk([redacted])];
    // Python yields content [] here: a bare {index} is not a content block (standard-suite stream check).
    return this.seen.has(index) ? [this.chunk([])] : [];
  }

  private onMessageStop(event: Dict): AIMessageChunk[] {
    this.messageStopped = true;
    const metadata: Dict = { model_provider: MODEL_PROVIDER, stopReason: event.stopReason };
    if (event.additionalModelResponseFields !== undefined && event.additionalModelResponseFields !== null) {
      metadata.additionalModelResponseFields = toPlainJsonNumbers(
        event.additionalModelResponseFields,
        "additionalModelResponseFields",
        warnUnsafeIntegers("response_metadata."),
      );
    }
    return [
      aiMessageChunk({
        content: this.flushAllRedacted() as AIMessageChunk["content"],
        response_metadata: metadata,
        id: this.ctx.messageId,
      }),
    ];
  }

  private onMetadata(event: Dict): AIMessageChunk[] {
    if (this.metadataSeen) return [];
    this.metadataSeen = true;
    const metadata = replyMetadata(
      {
        sdkMetadata: this.ctx.responseMetadata,
        contentType: "application/vnd.amazon.eventstream",
        metrics: event.metrics,
        fields: event,
        copied: METADATA_FIELDS,
      },
      this.ctx,
    );
    const usage = toUsageMetadata(isDict(event.usage) ? (event.usage as never) : undefined);
    return [
      aiMessageChunk({
        content: this.flushAllRedacted() as AIMessageChunk["content"],
        response_metadata: metadata,
        id: this.ctx.messageId,
        usage_metadata: usage,
      }),
    ];
  }
}
