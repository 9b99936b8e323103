// The emulator's deterministic default model: entry points the server calls.
import type { ConverseRequest, ConverseResponse, CountTokensRequest, JsonObject, ModelCall } from "../types.js";
import { countJsonTokens, countTextTokens } from "./tokenizer.js";

export function countConverseInputTokens(request: ConverseRequest): number {
  let n = 0;
  for (const s of request.system ?? []) if (typeof s.text === "string") n += countTextTokens(s.text);
  for (const m of request.messages ?? []) {
    for (const b of m.content) {
      if (typeof b.text === "string") n += countTextTokens(b.text);
      else n += countJsonTokens(b);
    }
  }
  for (const t of request.toolConfig?.tools ?? []) n += countJsonTokens(t);
  return n;
}

export function countTokens(request: CountTokensRequest, _modelId: string): number {
  if (request.input.converse) return countConverseInputTokens(request.input.converse);
  return countTextTokens(Buffer.from(request.input.invokeModel?.body ?? "", "base64").toString("utf8"));
}

export function generateResponse(call: ModelCall): ConverseResponse {
  const messages = call.request.messages ?? [];
  let last = "";
  for (let i = messages.length - 1; i >= 0 && !last; i--) {
    if (messages[i].role !== "user") continue;
    last = messages[i].content.map((b: JsonObject) => (typeof b.text === "string" ? b.text : "")).join(" ").trim();
  }
  const text = last ? `You said: ${last}` : "Hello! How can I help you today?";
  const inputTokens = countConverseInputTokens(call.request);
  const outputTokens = countTextTokens(text);
  return {
    output: { message: { role: "assistant", content: [{ text }] } },
    stopReason: "end_turn",
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    metrics: { latencyMs: 10 + outputTokens },
  };
}
