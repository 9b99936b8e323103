// The plain-text answer: what arrived (media, documents), what the user said, or what the tools
// returned.
//
//   media:   "I see an image (png, 68 bytes)."  "I see a document \"report\" (pdf, 1024 bytes)."
//            "I see a video (mp4, 2048 bytes)."  "I hear an audio clip (wav, 44 bytes)."
//            (an S3 source shows its URI instead of a size; a text document its character count)
//   text:    "You said: <the last user message's text>"
//   nothing: "Hello! How can I help you today?"
//   tools:   "Based on the tool results: GetWeather returned \"sunny, 75F\"; GetPopulation returned {\"n\":1}."
import type { ConverseRequest, JsonObject, JsonValue } from "../types.js";
import { describeSource, isObject, lastUserMessage, lastUserText, textOfBlocks, toolNameForId } from "./conversation.js";

function sourceDetail(format: string, source: JsonValue | undefined): string {
  const src = describeSource(source);
  if (src.uri) return `${format}, ${src.uri}`;
  if (src.text !== undefined) return `${format}, ${Array.from(src.text).length} characters`;
  if (src.bytes !== undefined) return `${format}, ${src.bytes} bytes`;
  return format;
}

/** One sentence per image, document, video or audio block. */
export function describeMedia(blocks: JsonObject[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    if (isObject(b.image)) out.push(`I see an image (${sourceDetail(String(b.image.format ?? "image"), b.image.source)}).`);
    else if (isObject(b.document)) {
      const name = typeof b.document.name === "string" ? ` "${b.document.name}"` : "";
      out.push(`I see a document${name} (${sourceDetail(String(b.document.format ?? "txt"), b.document.source)}).`);
    } else if (isObject(b.video)) out.push(`I see a video (${sourceDetail(String(b.video.format ?? "video"), b.video.source)}).`);
    else if (isObject(b.audio)) out.push(`I hear an audio clip (${sourceDetail(String(b.audio.format ?? "audio"), b.audio.source)}).`);
  }
  return out;
}

function resultText(parts: JsonValue[]): string {
  const pieces: string[] = [];
  for (const p of parts) {
    if (!isObject(p)) continue;
    if (typeof p.text === "string") pieces.push(JSON.stringify(p.text));
    else if (p.json !== undefined) pieces.push(JSON.stringify(p.json));
    else pieces.push(...describeMedia([p]).map((s) => s.replace(/^I (see|hear) /, "").replace(/\.$/, "")));
  }
  return pieces.length ? pieces.join(" ") : "nothing";
}

/** The answer after toolResult blocks in the last user turn, or undefined when there are none. */
export function toolResultsReply(request: ConverseRequest): string | undefined {
  const last = lastUserMessage(request);
  const results = (last?.content ?? []).map((b) => b.toolResult).filter(isObject);
  if (!results.length) return undefined;
  const items = results.map((r) => {
    const id = String(r.toolUseId ?? "");
    const name = toolNameForId(request, id) ?? id;
    const content = resultText(Array.isArray(r.content) ? r.content : []);
    return r.status === "error" ? `${name} failed with ${content}` : `${name} returned ${content}`;
  });
  const said = last ? textOfBlocks(last.content) : "";
  return `Based on the tool results: ${items.join("; ")}.${said ? ` You said: ${said}` : ""}`;
}

/** The plain reply to the last user turn. */
export function textReply(request: ConverseRequest): string {
  const last = lastUserMessage(request);
  if (!last) return "Hello! How can I help you today?";
  const media = describeMedia(last.content);
  const said = lastUserText(request);
  const parts = [...media];
  if (said) parts.push(`You said: ${said}`);
  return parts.length ? parts.join(" ") : "Hello! How can I help you today?";
}
