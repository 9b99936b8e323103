// Scripted replies: a queue of ConverseResponse-shaped entries the emulator answers with instead of
// the default model. One entry serves Converse and ConverseStream alike (the stream is derived).
import type { AwsErrorType, ConverseRequest, ConverseResponse, JsonObject, JsonValue, TokenUsage } from "./types.js";
import { isAwsErrorType, toStreamExceptionType } from "./wire/errors.js";

export interface ScriptReply {
  /** The reply, as in ConverseResponse. `role` defaults to "assistant". */
  output?: { message: { role?: "assistant"; content: JsonObject[] } };
  /** Shorthand for output.message.content = [{text}]. */
  text?: string;
  /** Default: "tool_use" when the content has a toolUse block, else "end_turn". */
  stopReason?: string;
  /** Missing members are counted like CountTokens counts them. */
  usage?: Partial<TokenUsage>;
  metrics?: { latencyMs: number };
  additionalModelResponseFields?: JsonValue;
  trace?: JsonObject;
  performanceConfig?: { latency: string };
  serviceTier?: { type: string };
  /** Only used for a request whose last user message contains this text. */
  match?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Words per streamed text delta for this reply. */
  chunkSize?: number;
  /**
   * Answer with an AWS error instead. `modelStreamErrorException` (stream-only) becomes an exception
   * frame after messageStart on ConverseStream and a 424 ModelErrorException on Converse.
   */
  error?: { type: string; message?: string; status?: number };
}

/** Deepest nesting a scripted reply may have; deeper replies could not be serialised when answered. */
const MAX_SCRIPT_DEPTH = 64;
/** Largest scripted reply, as compact JSON. */
const MAX_SCRIPT_REPLY_BYTES = 16 * 1024 * 1024;
/** Most replies queued at once. */
export const MAX_SCRIPT_REPLIES = 10_000;

/** Is `value` nested deeper than `limit` levels? Recursion stops at the limit, so any input is safe to check. */
function deeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (limit <= 0) return true;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (deeperThan(v, limit - 1)) return true;
  return false;
}

/** Checks an entry from an untrusted source (admin API, CLI file, the JS API). */
function parseScriptReply(input: unknown, index = 0): { ok: true; reply: ScriptReply } | { ok: false; message: string } {
  const where = `Script entry ${index}`;
  if (input === null || typeof input !== "object" || Array.isArray(input)) return { ok: false, message: `${where} must be a JSON object.` };
  if (deeperThan(input, MAX_SCRIPT_DEPTH)) {
    return { ok: false, message: `${where} is nested deeper than ${MAX_SCRIPT_DEPTH} levels; flatten its content.` };
  }
  let size: number;
  try {
    size = Buffer.byteLength(JSON.stringify(input) ?? "");
  } catch (err) {
    return { ok: false, message: `${where} cannot be serialised as JSON (${err instanceof Error ? err.message : String(err)}).` };
  }
  if (size > MAX_SCRIPT_REPLY_BYTES) {
    return { ok: false, message: `${where} is ${size} bytes as JSON; a scripted reply may be at most ${MAX_SCRIPT_REPLY_BYTES} bytes.` };
  }
  const r = input as Record<string, unknown>;
  if (r.error !== undefined) {
    const e = r.error as Record<string, unknown> | null;
    if (!e || typeof e !== "object" || typeof e.type !== "string" || !(isAwsErrorType(e.type) || toStreamExceptionType(e.type))) {
      return { ok: false, message: `${where}: error.type must be an AWS error type such as ThrottlingException.` };
    }
    if (e.message !== undefined && typeof e.message !== "string")
      return { ok: false, message: `${where}: error.message must be a string.` };
  } else if (r.text !== undefined) {
    if (typeof r.text !== "string") return { ok: false, message: `${where}: text must be a string.` };
  } else {
    const content = (r.output as { message?: { content?: unknown } } | undefined)?.message?.content;
    if (!Array.isArray(content) || !content.every((b) => b !== null && typeof b === "object" && !Array.isArray(b))) {
      return { ok: false, message: `${where} needs output.message.content (a list of content blocks), text, or error.` };
    }
  }
  if (r.match !== undefined && typeof r.match !== "string") return { ok: false, message: `${where}: match must be a string.` };
  for (const key of ["delayMs", "chunkSize"]) {
    const v = r[key];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0))
      return { ok: false, message: `${where}: ${key} must be a non-negative number.` };
  }
  return { ok: true, reply: input as ScriptReply };
}

export function parseScript(input: unknown): { ok: true; replies: ScriptReply[] } | { ok: false; message: string } {
  const list = Array.isArray(input) ? input : (input as { replies?: unknown } | null)?.replies;
  if (!Array.isArray(list)) return { ok: false, message: 'A script must be a JSON array of replies (or {"replies": [...]}).' };
  if (list.length > MAX_SCRIPT_REPLIES)
    return { ok: false, message: `A script may queue at most ${MAX_SCRIPT_REPLIES} replies; this one has ${list.length}.` };
  const replies: ScriptReply[] = [];
  for (let i = 0; i < list.length; i++) {
    const parsed = parseScriptReply(list[i], i);
    if (!parsed.ok) return parsed;
    replies.push(parsed.reply);
  }
  return { ok: true, replies };
}

/** Text of the last user message (text blocks and tool result texts), what `match` is tested against. */
function lastUserText(request: ConverseRequest): string {
  const messages = request.messages ?? [];
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role !== "user") continue;
    const parts: string[] = [];
    for (const block of messages[i].content ?? []) {
      if (typeof block.text === "string") parts.push(block.text);
      const result = block.toolResult as { content?: JsonObject[] } | undefined;
      for (const c of result?.content ?? []) if (typeof c.text === "string") parts.push(c.text);
    }
    return parts.join("\n");
  }
  return "";
}

/** FIFO of replies; an entry with `match` waits for a request it matches. */
export class ScriptQueue {
  private replies: ScriptReply[] = [];

  set(replies: ScriptReply[]): void {
    this.replies = [...replies];
  }
  push(replies: ScriptReply[]): void {
    this.replies.push(...replies);
  }
  clear(): void {
    this.replies = [];
  }
  list(): ScriptReply[] {
    return [...this.replies];
  }
  /** Removes and returns the first entry usable for this request, if any. */
  take(request: ConverseRequest): ScriptReply | undefined {
    const text = lastUserText(request);
    const index = this.replies.findIndex((r) => r.match === undefined || text.includes(r.match));
    if (index < 0) return undefined;
    return this.replies.splice(index, 1)[0];
  }
}

/** Counts tokens of a content list the way CountTokens counts a message. */
export type ContentTokenCounter = (content: JsonObject[], role: "user" | "assistant") => number;

/** The ConverseResponse a (non-error) scripted reply stands for, with missing usage counted. */
export function scriptReplyToResponse(reply: ScriptReply, inputTokens: number, countContent: ContentTokenCounter): ConverseResponse {
  const content = reply.output?.message.content ?? (reply.text !== undefined ? [{ text: reply.text }] : []);
  const stopReason = reply.stopReason ?? (content.some((b) => b.toolUse !== undefined) ? "tool_use" : "end_turn");
  const input = reply.usage?.inputTokens ?? inputTokens;
  const output = reply.usage?.outputTokens ?? countContent(content, "assistant");
  const usage: TokenUsage = {
    ...reply.usage,
    inputTokens: input,
    outputTokens: output,
    totalTokens: reply.usage?.totalTokens ?? input + output,
  };
  const response: ConverseResponse = {
    output: { message: { role: "assistant", content } },
    stopReason,
    usage,
    // Same rule as the default model (10 + output tokens), plus any scripted delay: never a bare 0.
    metrics: reply.metrics ?? { latencyMs: Math.round(reply.delayMs ?? 0) + 10 + output },
  };
  if (reply.additionalModelResponseFields !== undefined) response.additionalModelResponseFields = reply.additionalModelResponseFields;
  if (reply.trace !== undefined) response.trace = reply.trace;
  if (reply.performanceConfig !== undefined) response.performanceConfig = reply.performanceConfig;
  if (reply.serviceTier !== undefined) response.serviceTier = reply.serviceTier;
  return response;
}

/** The error a scripted error entry stands for on an operation's HTTP path. */
export function scriptErrorType(reply: ScriptReply): AwsErrorType {
  const type = reply.error?.type ?? "InternalServerException";
  if (isAwsErrorType(type)) return type;
  return "ModelErrorException"; // the stream-only modelStreamErrorException, seen from Converse
}
