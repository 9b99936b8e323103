// Read-only helpers over a (validated) ConverseRequest: which turn is last, what text it holds,
// which media, documents and tool results came with it.
import type { ConverseRequest, JsonObject, JsonValue, Message } from "../types.js";

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The last message with role "user", or undefined. */
export function lastUserMessage(request: ConverseRequest): Message | undefined {
  const messages = request.messages ?? [];
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === "user") return messages[i];
  return undefined;
}

/** Text of the `text` blocks of a content list, joined by newlines and trimmed. */
export function textOfBlocks(blocks: JsonObject[]): string {
  return blocks
    .map((b) => (typeof b.text === "string" ? b.text : ""))
    .filter((t) => t.length > 0)
    .join("\n")
    .trim();
}

/** Text of guardContent blocks (`{guardContent: {text: {text}}}`) in a content list. */
export function guardTextOfBlocks(blocks: JsonObject[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    const g = b.guardContent;
    if (isObject(g) && isObject(g.text) && typeof g.text.text === "string") out.push(g.text.text);
  }
  return out;
}

/** The text the user typed in the last user turn: text and guardContent blocks, in order (the model sees both). */
export function lastUserText(request: ConverseRequest): string {
  const m = lastUserMessage(request);
  if (!m) return "";
  const pieces: string[] = [];
  for (const b of m.content) {
    if (typeof b.text === "string") pieces.push(b.text);
    else pieces.push(...guardTextOfBlocks([b]));
  }
  return pieces
    .filter((t) => t.length > 0)
    .join("\n")
    .trim();
}

/** System prompt text (text and guardContent blocks), joined by newlines. */
export function systemText(request: ConverseRequest): string {
  const sys = request.system ?? [];
  return [textOfBlocks(sys), ...guardTextOfBlocks(sys)].filter(Boolean).join("\n");
}

/** Size in bytes of a base64 blob (without decoding it). */
function base64ByteLength(b64: string): number {
  const clean = b64.replace(/[^A-Za-z0-9+/_-]/g, "");
  return Math.floor((clean.length * 3) / 4);
}

/** A media source: bytes (base64) or an S3 location, as sent on the wire. */
export function describeSource(source: JsonValue | undefined): { bytes?: number; uri?: string; text?: string } {
  if (!isObject(source)) return {};
  if (typeof source.bytes === "string") return { bytes: base64ByteLength(source.bytes) };
  if (isObject(source.s3Location) && typeof source.s3Location.uri === "string") return { uri: source.s3Location.uri };
  if (typeof source.text === "string") return { text: source.text };
  if (Array.isArray(source.content)) {
    return { text: source.content.map((c) => (isObject(c) && typeof c.text === "string" ? c.text : "")).join("\n") };
  }
  return {};
}

/** A tool spec from toolConfig.tools. */
export interface ToolSpec {
  name: string;
  description: string;
  schema: JsonObject;
}

export function toolSpecs(request: ConverseRequest): ToolSpec[] {
  const out: ToolSpec[] = [];
  for (const t of request.toolConfig?.tools ?? []) {
    const spec = t.toolSpec;
    if (!isObject(spec) || typeof spec.name !== "string") continue;
    const schema = isObject(spec.inputSchema) && isObject(spec.inputSchema.json) ? spec.inputSchema.json : { type: "object" };
    out.push({ name: spec.name, description: typeof spec.description === "string" ? spec.description : "", schema });
  }
  return out;
}

/** Name of the tool an earlier assistant turn called with this toolUseId. */
export function toolNameForId(request: ConverseRequest, toolUseId: string): string | undefined {
  for (const m of request.messages ?? []) {
    if (m.role !== "assistant") continue;
    for (const b of m.content) {
      const u = b.toolUse;
      if (isObject(u) && u.toolUseId === toolUseId && typeof u.name === "string") return u.name;
    }
  }
  return undefined;
}

/** Stable JSON text: object keys sorted, so equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
