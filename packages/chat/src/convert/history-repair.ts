/**
 * Passes over converted Converse messages that keep a replayed history valid on the real service (the
 * traps of ../shared bedrock-traps: one bad block in a history makes every later turn fail, so these run
 * on every request, not when a message is first made). Pure: they return new arrays and never change
 * blocks the caller passed in (they may replace a message's `content` array of our own making).
 */
import type { ContentBlock, Message } from "@aws-sdk/client-bedrock-runtime";
import { createHash } from "node:crypto";
import { isDict, pythonJson, type Dict } from "./keys.js";

type Warn = (message: string) => void;

/** The placeholder text Bedrock accepts where something must be (same as the converter's). */
const PLACEHOLDER = ".";

const blocksOf = (m: Message) => (m.content ?? []) as unknown as Dict[];

/** MSG-2: a conversation must start with a user turn (a trimmed history often starts on an answer). */
export function startWithUser(messages: Message[], warn: Warn): Message[] {
  if (messages.length === 0 || messages[0].role === "user") return messages;
  warn(
    `The conversation starts with an AI message; Bedrock requires a user turn first, so a "${PLACEHOLDER}" user turn ` +
      `was put before it. Start the history on a HumanMessage to control what is sent.`,
  );
  return [{ role: "user", content: [{ text: PLACEHOLDER }] }, ...messages];
}

const TOOL_USE_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * TOOL-2: toolUseIds must be at most 64 characters of `[a-zA-Z0-9_-]` (reports disagree on `.` and `:`;
 * the narrow set is valid under both readings). Foreign ids (OpenAI `call_…|fc_…`, Moonshot `name:0`) are
 * replaced by a hash of themselves, the same in the toolUse and its toolResult, so pairs stay paired.
 */
function toolUseIdFor(id: unknown): unknown {
  if (typeof id !== "string" || TOOL_USE_ID.test(id)) return id;
  return `tooluse_${createHash("sha256").update(id).digest("hex").slice(0, 40)}`;
}

export function normalizeToolUseIds(messages: Message[]): Message[] {
  return messages.map((m) => {
    let changed = false;
    const content = blocksOf(m).map((b) => {
      const member = isDict(b.toolUse) ? "toolUse" : isDict(b.toolResult) ? "toolResult" : undefined;
      if (!member) return b;
      const inner = b[member] as Dict;
      const id = toolUseIdFor(inner.toolUseId);
      if (id === inner.toolUseId) return b;
      changed = true;
      return { ...b, [member]: { ...inner, toolUseId: id } };
    });
    return changed ? { ...m, content: content as unknown as ContentBlock[] } : m;
  });
}

function toolResultText(result: Dict): string {
  const parts: string[] = [];
  for (const c of (Array.isArray(result.content) ? result.content : []) as Dict[]) {
    if (typeof c.text === "string" && c.text !== "") parts.push(c.text);
    else if (c.json !== undefined) parts.push(pythonJson(c.json));
  }
  return `[Tool output: ${parts.join("\n")}]`;
}

/**
 * TOOL-4: each user turn must answer exactly the toolUse blocks of the assistant turn before it.
 * A call left unanswered (the user interrupted, a tool crashed) gets an error result saying so; a result
 * whose call is not in the previous turn (history pruned between them) becomes text, as Python writes
 * tool output when no tools are bound. A trailing assistant turn is left alone (nothing answers it yet).
 */
export function pairToolResults(messages: Message[], warn: Warn): Message[] {
  const out = messages.slice();
  for (let i = 0; i < out.length; i++) {
    if (out[i].role !== "user") continue;
    const previous = i > 0 && out[i - 1].role === "assistant" ? out[i - 1] : undefined;
    const calls = previous
      ? blocksOf(previous)
          .filter((b) => isDict(b.toolUse))
          .map((b) => (b.toolUse as Dict).toolUseId)
      : [];
    const answered = new Set<unknown>();
    let content = blocksOf(out[i]).map((b) => {
      if (!isDict(b.toolResult)) return b;
      const id = b.toolResult.toolUseId;
      if (calls.includes(id) && !answered.has(id)) {
        answered.add(id);
        return b;
      }
      warn(
        `A ToolMessage (tool_call_id ${JSON.stringify(id)}) does not answer a tool call of the AI message right before it; ` +
          `Bedrock refuses such results, so it was sent as text. Keep each ToolMessage right after the AI message that called the tool.`,
      );
      return { text: toolResultText(b.toolResult) };
    });
    const missing = calls.filter((id) => !answered.has(id));
    if (missing.length > 0) {
      warn(
        `The AI message before turn ${i} called tools that have no ToolMessage (${missing.map((id) => JSON.stringify(id)).join(", ")}); ` +
          `Bedrock requires a result for every call, so an error result saying none was recorded was sent for each.`,
      );
      const results = missing.map((id) => ({
        toolResult: { toolUseId: id, content: [{ text: "No result was recorded for this tool call." }], status: "error" },
      }));
      content = [...results, ...content];
    }
    out[i] = { ...out[i], content: content as unknown as ContentBlock[] };
  }
  return out;
}

/**
 * TOOL-5: in a user turn, tool results come first (Claude: "Did not find N `tool_result` block(s) at the
 * beginning of this message"), each with the cache points that follow it; other blocks keep their order.
 */
export function toolResultsFirst(messages: Message[]): Message[] {
  return messages.map((m) => {
    if (m.role !== "user") return m;
    const groups: Dict[][] = [];
    for (const b of blocksOf(m)) {
      if (isDict(b.cachePoint) && groups.length > 0) groups[groups.length - 1].push(b);
      else groups.push([b]);
    }
    const isResult = (g: Dict[]) => isDict(g[0].toolResult);
    if (!groups.some(isResult)) return m;
    const ordered = [...groups.filter(isResult), ...groups.filter((g) => !isResult(g))].flat();
    return { ...m, content: ordered as unknown as ContentBlock[] };
  });
}

/**
 * DOC-3: "A text block must be included when using documents." A user turn with documents and no
 * non-blank text gets a "." text block, before its trailing cache points.
 */
export function documentsWithText(messages: Message[]): Message[] {
  return messages.map((m) => {
    const blocks = blocksOf(m);
    if (m.role !== "user" || !blocks.some((b) => isDict(b.document))) return m;
    if (blocks.some((b) => typeof b.text === "string" && b.text.trim() !== "")) return m;
    let at = blocks.length;
    while (at > 0 && isDict(blocks[at - 1].cachePoint)) at--;
    return { ...m, content: [...blocks.slice(0, at), { text: PLACEHOLDER }, ...blocks.slice(at)] as unknown as ContentBlock[] };
  });
}

/** A block a cache point may follow: not reasoning (CACHE-2), not a non-PDF document (CACHE-1), not a point. */
function anchorsCachePoint(b: Dict): boolean {
  if (isDict(b.reasoningContent) || isDict(b.cachePoint)) return false;
  if (isDict(b.document)) return b.document.format === "pdf";
  return true;
}

/**
 * CACHE-1 / CACHE-2: Bedrock rejects a cache point right after a reasoning block ("Cache point cannot be
 * inserted after reasoning block") and one it cannot attach to (first in a message, after a non-PDF
 * document: "…type: Field required"). Such a point moves back to just after the nearest block it can
 * follow (a shorter cached prefix, still valid); with none in the message it is dropped, with a warning.
 */
export function placeCachePoints(messages: Message[], warn: Warn): Message[] {
  return messages.map((m, index) => {
    const blocks = blocksOf(m);
    if (!blocks.some((b, i) => isDict(b.cachePoint) && (i === 0 || !anchorsCachePoint(blocks[i - 1])))) return m;
    const out: Dict[] = [];
    for (const b of blocks) {
      if (!isDict(b.cachePoint) || (out.length > 0 && anchorsCachePoint(out[out.length - 1]))) {
        out.push(b);
        continue;
      }
      let at = out.length;
      while (at > 0 && !anchorsCachePoint(out[at - 1])) at--;
      if (at === 0) {
        warn(
          `A cache point in message ${index} has no block before it that Bedrock can cache up to (it follows reasoning, ` +
            `a non-PDF document, or nothing), so it was dropped. Put cache points after text, images, PDFs or tool blocks.`,
        );
        continue;
      }
      if (at < out.length && isDict(out[at].cachePoint)) continue; // a point is there already
      out.splice(at, 0, b);
    }
    // MSG-3: a message left empty keeps the placeholder (a message may not have an empty content list).
    if (out.length === 0) out.push({ text: PLACEHOLDER });
    return { ...m, content: out as unknown as ContentBlock[] };
  });
}
