// ConverseResponse -> the ConverseStream event sequence Bedrock would send for it. Pure: the
// server, scripted replies and tests all derive the stream from the same response object, so the
// streamed and non-streamed forms of one reply can never disagree.
import type { ConverseResponse, JsonObject, JsonValue } from "../types.js";

type StreamEventType = "messageStart" | "contentBlockStart" | "contentBlockDelta" | "contentBlockStop" | "messageStop" | "metadata";

/** One event: `type` goes in `:event-type`, `payload` is the frame's JSON body. */
export interface StreamEvent {
  type: StreamEventType;
  payload: JsonObject;
}

export interface StreamEventOptions {
  /** Words per text/reasoning delta (default 3). Tool input JSON is cut every chunkSize*8 characters. */
  chunkSize?: number;
}

export const DEFAULT_CHUNK_SIZE = 3;

/** Splits text into pieces of `words` words; each piece keeps the whitespace before its first word. */
export function splitWords(text: string, words: number): string[] {
  const tokens = text.match(/\s*\S+/g);
  if (!tokens) return [text];
  const consumed = tokens.join("").length;
  // Trailing whitespace belongs to the last piece so the pieces concatenate back to the input.
  if (consumed < text.length) tokens[tokens.length - 1] += text.slice(consumed);
  const pieces: string[] = [];
  for (let i = 0; i < tokens.length; i += words) pieces.push(tokens.slice(i, i + words).join(""));
  return pieces;
}

/** Splits a string into pieces of at most `size` code points (never cutting a surrogate pair). */
export function splitChars(text: string, size: number): string[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [""];
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(""));
  return pieces;
}

function obj(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}

function blockEvents(block: JsonObject, index: number, words: number): StreamEvent[] {
  const delta = (d: JsonObject): StreamEvent => ({ type: "contentBlockDelta", payload: { contentBlockIndex: index, delta: d } });
  const start = (s: JsonObject): StreamEvent => ({ type: "contentBlockStart", payload: { contentBlockIndex: index, start: s } });
  const events: StreamEvent[] = [];

  if (typeof block.text === "string") {
    // No contentBlockStart for text: boto3 rejects a start event with an empty union.
    for (const piece of splitWords(block.text, words)) events.push(delta({ text: piece }));
  } else if (obj(block.toolUse)) {
    const tool = obj(block.toolUse)!;
    const toolStart: JsonObject = { toolUseId: tool.toolUseId ?? "", name: tool.name ?? "" };
    if (tool.type !== undefined) toolStart.type = tool.type;
    events.push(start({ toolUse: toolStart }));
    for (const piece of splitChars(JSON.stringify(tool.input ?? {}), words * 8)) events.push(delta({ toolUse: { input: piece } }));
  } else if (obj(block.reasoningContent)) {
    const reasoning = obj(block.reasoningContent)!;
    const reasoningText = obj(reasoning.reasoningText);
    if (reasoningText) {
      for (const piece of splitWords(String(reasoningText.text ?? ""), words)) events.push(delta({ reasoningContent: { text: piece } }));
      if (typeof reasoningText.signature === "string") events.push(delta({ reasoningContent: { signature: reasoningText.signature } }));
    } else if (typeof reasoning.redactedContent === "string") {
      // Long redacted content arrives over several deltas (base64 cut on 4-character boundaries, so
      // each piece decodes alone); clients concatenate the bytes per block index.
      const data = reasoning.redactedContent;
      const size = words * 32;
      for (let i = 0; i === 0 || i < data.length; i += size) {
        events.push(delta({ reasoningContent: { redactedContent: data.slice(i, i + size) } }));
      }
    }
  } else if (obj(block.citationsContent)) {
    const citations = obj(block.citationsContent)!;
    for (const part of Array.isArray(citations.content) ? citations.content : []) {
      const text = obj(part)?.text;
      if (typeof text === "string") for (const piece of splitWords(text, words)) events.push(delta({ text: piece }));
    }
    for (const citation of Array.isArray(citations.citations) ? citations.citations : []) {
      const c = obj(citation);
      if (c) events.push(delta({ citation: c }));
    }
  } else if (obj(block.toolResult)) {
    // Server-side tool results (e.g. built-in tools) stream as start + one delta with the content list.
    const result = obj(block.toolResult)!;
    const resultStart: JsonObject = { toolUseId: result.toolUseId ?? "" };
    if (result.type !== undefined) resultStart.type = result.type;
    if (result.status !== undefined) resultStart.status = result.status;
    events.push(start({ toolResult: resultStart }));
    if (Array.isArray(result.content)) events.push(delta({ toolResult: result.content }));
  } else if (obj(block.image)) {
    const image = obj(block.image)!;
    events.push(start({ image: { format: image.format ?? "png" } }));
    if (image.source !== undefined) events.push(delta({ image: { source: image.source } }));
  } else {
    return []; // a block kind the stream union cannot carry: skip rather than send an empty union
  }
  events.push({ type: "contentBlockStop", payload: { contentBlockIndex: index } });
  return events;
}

/** The full event sequence for `response`: messageStart, blocks, messageStop, metadata (last). */
export function responseToStreamEvents(response: ConverseResponse, options: StreamEventOptions = {}): StreamEvent[] {
  const words = Math.max(1, Math.floor(options.chunkSize ?? DEFAULT_CHUNK_SIZE));
  const message = response.output.message;
  const events: StreamEvent[] = [{ type: "messageStart", payload: { role: message.role ?? "assistant" } }];
  // A loop, not push(...list): a long text has more deltas than a call may take arguments.
  message.content.forEach((block, index) => {
    for (const event of blockEvents(block, index, words)) events.push(event);
  });

  const stop: JsonObject = { stopReason: response.stopReason };
  if (response.additionalModelResponseFields !== undefined) stop.additionalModelResponseFields = response.additionalModelResponseFields;
  events.push({ type: "messageStop", payload: stop });

  const metadata: JsonObject = {
    usage: response.usage as unknown as JsonObject,
    metrics: { latencyMs: response.metrics.latencyMs },
  };
  if (response.trace !== undefined) metadata.trace = response.trace;
  if (response.performanceConfig !== undefined) metadata.performanceConfig = response.performanceConfig;
  if (response.serviceTier !== undefined) metadata.serviceTier = response.serviceTier;
  events.push({ type: "metadata", payload: metadata });
  return events;
}
