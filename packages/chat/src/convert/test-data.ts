/**
 * Hand-written Converse responses and stream event sequences for the converter tests, shaped like real
 * Bedrock traffic (text, reasoning with signature, tool use, citations, redacted reasoning, guardrails).
 */
import type { ConverseCommandOutput, ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";

export const SIGNATURE = "EqQBCkYIBxABGAIqQLx9+signature/bytes==";
export const REDACTED = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 7, 8, 9, 10]);

export function response(content: unknown[], extra: Record<string, unknown> = {}): ConverseCommandOutput {
  return {
    $metadata: { httpStatusCode: 200, requestId: "req-123", attempts: 1, totalRetryDelay: 0 },
    output: { message: { role: "assistant", content } },
    stopReason: "end_turn",
    usage: { inputTokens: 12, outputTokens: 7, totalTokens: 19 },
    metrics: { latencyMs: 321 },
    ...extra,
  } as unknown as ConverseCommandOutput;
}

export const ev = {
  start: (): ConverseStreamOutput => ({ messageStart: { role: "assistant" } }),
  text: (index: number, text: string): ConverseStreamOutput => ({ contentBlockDelta: { contentBlockIndex: index, delta: { text } } }),
  blockStart: (index: number, start: Record<string, unknown>): ConverseStreamOutput =>
    ({ contentBlockStart: { contentBlockIndex: index, start } }) as unknown as ConverseStreamOutput,
  toolStart: (index: number, id: string, name: string): ConverseStreamOutput => ({
    contentBlockStart: { contentBlockIndex: index, start: { toolUse: { toolUseId: id, name } } },
  }),
  toolInput: (index: number, input: string): ConverseStreamOutput => ({
    contentBlockDelta: { contentBlockIndex: index, delta: { toolUse: { input } } },
  }),
  reasoning: (index: number, text: string): ConverseStreamOutput => ({
    contentBlockDelta: { contentBlockIndex: index, delta: { reasoningContent: { text } } },
  }),
  signature: (index: number, signature: string): ConverseStreamOutput => ({
    contentBlockDelta: { contentBlockIndex: index, delta: { reasoningContent: { signature } } },
  }),
  redacted: (index: number, bytes: Uint8Array): ConverseStreamOutput => ({
    contentBlockDelta: { contentBlockIndex: index, delta: { reasoningContent: { redactedContent: bytes } } },
  }),
  citation: (index: number, citation: Record<string, unknown>): ConverseStreamOutput =>
    ({ contentBlockDelta: { contentBlockIndex: index, delta: { citation } } }) as ConverseStreamOutput,
  stop: (index: number): ConverseStreamOutput => ({ contentBlockStop: { contentBlockIndex: index } }),
  messageStop: (stopReason = "end_turn", additional?: Record<string, unknown>): ConverseStreamOutput =>
    ({ messageStop: { stopReason, ...(additional ? { additionalModelResponseFields: additional } : {}) } }) as ConverseStreamOutput,
  metadata: (usage: Record<string, unknown>, latencyMs: number, extra: Record<string, unknown> = {}): ConverseStreamOutput =>
    ({ metadata: { usage, metrics: { latencyMs }, ...extra } }) as unknown as ConverseStreamOutput,
};
