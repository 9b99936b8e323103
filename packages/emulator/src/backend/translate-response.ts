// OpenAI Chat Completions answers -> Converse (pure): a whole response, or a stream of chunks
// turned into Bedrock's stream events as they arrive.
import { randomBytes } from "node:crypto";
import type { AwsErrorSpec, ConverseResponse, JsonObject, TokenUsage } from "../types.js";
import { awsError } from "../wire/errors.js";
import type { StreamEvent } from "../wire/stream-events.js";
import type { ChatResponse, ChatResponseMessage, ChatStreamChunk, ChatUsage } from "./openai-types.js";

/** Bedrock stop reason for an OpenAI finish reason. */
export function stopReasonOf(finish: string | null | undefined, hasToolCalls: boolean): string {
  switch (finish) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "content_filtered";
    default:
      // Some servers (Ollama among them) say "stop" after tool calls.
      return hasToolCalls ? "tool_use" : "end_turn";
  }
}

/** Bedrock-style tool use id for servers that send none. */
function newToolUseId(): string {
  return `tooluse_${randomBytes(16).toString("base64url").slice(0, 22)}`;
}

/** The backend's usage, or the emulator's own count when the server sends none. */
function usageOf(usage: ChatUsage | null | undefined, fallback: () => { input: number; output: number }): TokenUsage {
  let input = usage?.prompt_tokens;
  let output = usage?.completion_tokens;
  if (input === undefined || output === undefined) {
    const counted = fallback();
    input ??= counted.input;
    output ??= counted.output;
  }
  return { inputTokens: input, outputTokens: output, totalTokens: input + output };
}

export class BackendError extends Error {
  constructor(readonly spec: AwsErrorSpec) {
    super(spec.message);
  }
}

function textOf(content: ChatResponseMessage["content"]): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p?.text === "string" ? p.text : "")).join("");
  return "";
}

function parseArguments(name: string, args: string | object | undefined): JsonObject {
  if (args !== undefined && typeof args === "object") return args as JsonObject; // Ollama's native form
  if (args === undefined || args.trim() === "") return {};
  try {
    const parsed = JSON.parse(args) as unknown;
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as JsonObject;
  } catch {
    // reported below
  }
  throw new BackendError(
    awsError("ModelErrorException", `The backend model called ${name} with arguments that are not a JSON object: ${args.slice(0, 200)}`),
  );
}

/** A whole Chat Completions response as a ConverseResponse. Throws BackendError for an unusable answer. */
export function chatToConverse(
  response: ChatResponse,
  latencyMs: number,
  fallbackUsage: (outputText: string) => { input: number; output: number },
): ConverseResponse {
  const choice = response.choices?.[0];
  if (!choice?.message) throw new BackendError(awsError("ModelErrorException", "The backend model returned no choices."));
  const message = choice.message;
  const content: JsonObject[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (reasoning) content.push({ reasoningContent: { reasoningText: { text: reasoning } } });
  const text = textOf(message.content);
  const calls = message.tool_calls ?? [];
  if (text || calls.length === 0) content.push({ text });
  for (const call of calls) {
    const name = call.function?.name ?? "";
    content.push({ toolUse: { toolUseId: call.id || newToolUseId(), name, input: parseArguments(name, call.function?.arguments) } });
  }
  const outputText = [reasoning ?? "", text, ...calls.map((c) => `${c.function?.name ?? ""} ${String(c.function?.arguments ?? "")}`)]
    .filter(Boolean)
    .join(" ");
  return {
    output: { message: { role: "assistant", content } },
    stopReason: stopReasonOf(choice.finish_reason, calls.length > 0),
    usage: usageOf(response.usage, () => fallbackUsage(outputText)),
    metrics: { latencyMs },
  };
}

type OpenBlock = { kind: "text" | "reasoning"; index: number } | { kind: "tool"; index: number; toolIndex: number };

/**
 * Chat Completions stream chunks -> Bedrock stream events. Text and reasoning get deltas only (no
 * contentBlockStart, as Bedrock sends them); each tool call gets contentBlockStart with its id and
 * name, then its argument fragments as toolUse input deltas. A block stops when the next begins.
 */
export class ChatStreamTranslator {
  private started = false;
  private open: OpenBlock | undefined;
  private nextIndex = 0;
  private readonly toolBlocks = new Map<number, number>();
  private finish: string | undefined;
  private usage: ChatUsage | undefined;
  private outputText = "";

  /** The events `chunk` completes. Throws BackendError for an error chunk. */
  push(chunk: ChatStreamChunk): StreamEvent[] {
    if (chunk.error !== undefined) {
      const message = typeof chunk.error === "string" ? chunk.error : (chunk.error.message ?? "The backend model failed mid-stream.");
      throw new BackendError(awsError("ModelErrorException", message));
    }
    const events: StreamEvent[] = [];
    this.start(events);
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return events;
    const delta = choice.delta ?? {};
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (reasoning) {
      this.enter("reasoning", events);
      events.push(this.delta({ reasoningContent: { text: reasoning } }));
      this.outputText += reasoning;
    }
    if (delta.content) {
      this.enter("text", events);
      events.push(this.delta({ text: delta.content }));
      this.outputText += delta.content;
    }
    for (const call of delta.tool_calls ?? []) {
      const toolIndex = call.index ?? 0;
      let index = this.toolBlocks.get(toolIndex);
      if (index === undefined) {
        this.close(events);
        index = this.nextIndex++;
        this.toolBlocks.set(toolIndex, index);
        this.open = { kind: "tool", index, toolIndex };
        const name = call.function?.name ?? "";
        events.push({
          type: "contentBlockStart",
          payload: { contentBlockIndex: index, start: { toolUse: { toolUseId: call.id || newToolUseId(), name } } },
        });
        this.outputText += ` ${name} `;
      }
      const fragment = call.function?.arguments;
      if (fragment) {
        events.push({ type: "contentBlockDelta", payload: { contentBlockIndex: index, delta: { toolUse: { input: fragment } } } });
        this.outputText += fragment;
      }
    }
    if (choice.finish_reason) {
      this.close(events);
      this.finish = choice.finish_reason;
      events.push({ type: "messageStop", payload: { stopReason: stopReasonOf(this.finish, this.toolBlocks.size > 0) } });
    }
    return events;
  }

  /** The closing events (metadata last). Throws BackendError when the stream ended without a finish reason. */
  end(latencyMs: number, fallbackUsage: (outputText: string) => { input: number; output: number }): StreamEvent[] {
    if (this.finish === undefined) {
      throw new BackendError(awsError("ModelErrorException", "The backend model's stream ended without a finish reason."));
    }
    const usage = usageOf(this.usage, () => fallbackUsage(this.outputText));
    return [{ type: "metadata", payload: { usage: usage as unknown as JsonObject, metrics: { latencyMs } } }];
  }

  private start(events: StreamEvent[]): void {
    if (this.started) return;
    this.started = true;
    events.push({ type: "messageStart", payload: { role: "assistant" } });
  }

  private enter(kind: "text" | "reasoning", events: StreamEvent[]): void {
    if (this.open?.kind === kind) return;
    this.close(events);
    this.open = { kind, index: this.nextIndex++ };
  }

  private close(events: StreamEvent[]): void {
    if (!this.open) return;
    events.push({ type: "contentBlockStop", payload: { contentBlockIndex: this.open.index } });
    this.open = undefined;
  }

  private delta(delta: JsonObject): StreamEvent {
    return { type: "contentBlockDelta", payload: { contentBlockIndex: this.open!.index, delta } };
  }
}
