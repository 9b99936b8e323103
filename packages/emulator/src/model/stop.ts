// Where generation stops: stop sequences and inferenceConfig.maxTokens.
// Blocks are "generated" in order, each costing its output tokens (usage.ts). In a text block the
// earliest occurrence of any stop sequence ends generation: the text is cut just before it and
// stopReason is "stop_sequence". When the running total would pass maxTokens, the block being
// generated is cut to exactly the tokens left (reasoning and text; a toolUse that does not fit is
// dropped whole) and stopReason is "max_tokens". Later blocks are dropped either way.
import type { JsonObject } from "../types.js";
import { isObject } from "./conversation.js";
import { countTextTokens, truncateToTokens } from "./tokenizer.js";
import { blockTokens } from "./usage.js";

export interface StopResult {
  content: JsonObject[];
  stopReason?: "max_tokens" | "stop_sequence";
  stopSequence?: string;
}

function earliestStop(text: string, stops: string[]): { at: number; seq: string } | undefined {
  let found: { at: number; seq: string } | undefined;
  for (const seq of stops) {
    if (!seq) continue;
    const at = text.indexOf(seq);
    if (at >= 0 && (!found || at < found.at || (at === found.at && seq.length > found.seq.length))) found = { at, seq };
  }
  return found;
}

function withText(block: JsonObject, text: string): JsonObject {
  if (typeof block.text === "string") return { ...block, text };
  const r = block.reasoningContent;
  if (isObject(r) && isObject(r.reasoningText)) return { reasoningContent: { reasoningText: { ...r.reasoningText, text } } };
  return block;
}

function textOf(block: JsonObject): string | undefined {
  if (typeof block.text === "string") return block.text;
  const r = block.reasoningContent;
  if (isObject(r) && isObject(r.reasoningText) && typeof r.reasoningText.text === "string") return r.reasoningText.text;
  return undefined;
}

export function applyStops(content: JsonObject[], stopSequences: string[] = [], maxTokens?: number): StopResult {
  const out: JsonObject[] = [];
  let left = maxTokens ?? Infinity;
  for (const block of content) {
    let text = textOf(block);
    let stopped: string | undefined;
    if (typeof block.text === "string" && text !== undefined) {
      const hit = earliestStop(text, stopSequences);
      if (hit) {
        text = text.slice(0, hit.at);
        stopped = hit.seq;
      }
    }
    if (text !== undefined) {
      const tokens = countTextTokens(text);
      if (tokens > left) {
        const cut = truncateToTokens(text, left).text;
        if (cut) out.push(withText(block, cut));
        return { content: out, stopReason: "max_tokens" };
      }
      left -= tokens;
      if (text || !stopped) out.push(withText(block, text));
      if (stopped !== undefined) return { content: out, stopReason: "stop_sequence", stopSequence: stopped };
      continue;
    }
    const tokens = blockTokens(block);
    if (tokens > left) return { content: out, stopReason: "max_tokens" };
    left -= tokens;
    out.push(block);
  }
  return { content: out };
}
