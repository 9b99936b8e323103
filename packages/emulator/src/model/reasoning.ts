// Extended thinking: when the request asks for it and the model can reason, the reply starts with
// a reasoningContent block whose text explains (deterministically) what the answer will be. The
// block is signed with signReasoning() so it verifies when a client sends it back.
//
// Requested by additionalModelRequestFields.thinking {type: "enabled", budget_tokens} or
// {type: "adaptive"}, or reasoningConfig {type: "enabled"} (Amazon Nova style). The text is cut to
// budget_tokens tokens when a budget is given.
import type { ConverseRequest, JsonObject } from "../types.js";
import { isObject } from "./conversation.js";
import { signReasoning } from "./signature.js";
import { truncateToTokens } from "./tokenizer.js";

export interface ThinkingRequest {
  budgetTokens?: number;
}

/** The thinking the request asks for, or undefined. */
export function thinkingRequested(request: ConverseRequest): ThinkingRequest | undefined {
  const extra = request.additionalModelRequestFields;
  if (!isObject(extra)) return undefined;
  const thinking = extra.thinking;
  if (isObject(thinking) && (thinking.type === "enabled" || thinking.type === "adaptive")) {
    return typeof thinking.budget_tokens === "number" ? { budgetTokens: thinking.budget_tokens } : {};
  }
  for (const key of ["reasoningConfig", "reasoning_config"]) {
    const cfg = extra[key];
    if (isObject(cfg) && cfg.type === "enabled") return {};
  }
  return undefined;
}

/**
 * Fallback capability check used until the catalog says otherwise: Claude 3.7 and Claude 4.x,
 * DeepSeek R1, Amazon Nova 2 and Nova Premier, OpenAI gpt-oss, Qwen3 reason.
 */
export function modelCanReason(modelId: string): boolean {
  return /claude-3-7|claude-(sonnet|opus|haiku)-4|claude-4|deepseek\.r1|nova-2|nova-premier|gpt-oss|qwen3/i.test(modelId);
}

/** What the model is about to do, in one clause each. */
export interface ReasoningPlan {
  userText: string;
  toolCalls?: { name: string; input: JsonObject }[];
  answeringToolResults?: boolean;
  structured?: boolean;
  citing?: number;
}

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length <= max ? one : `${one.slice(0, max - 3).trimEnd()}...`;
}

/** The reasoning text for a plan, cut to the budget if any. */
export function reasoningText(plan: ReasoningPlan, thinking: ThinkingRequest): string {
  const lines: string[] = [];
  lines.push(plan.userText ? `The user wrote: "${clip(plan.userText, 200)}".` : "The user sent no text.");
  if (plan.toolCalls?.length) {
    const calls = plan.toolCalls.map((c) => `${c.name} with ${JSON.stringify(c.input)}`);
    lines.push(`I need tools for this: I will call ${calls.join(", then ")}.`);
  } else if (plan.answeringToolResults) {
    lines.push("The tool results are in, so I can answer from them now.");
  } else if (plan.citing) {
    lines.push(`I will quote the ${plan.citing === 1 ? "document" : `${plan.citing} documents`} and cite where each quote comes from.`);
  } else if (plan.structured) {
    lines.push("I must answer with JSON that matches the requested schema.");
  } else {
    lines.push("I will restate what they said.");
  }
  const text = lines.join(" ");
  return thinking.budgetTokens !== undefined ? truncateToTokens(text, Math.max(1, thinking.budgetTokens)).text : text;
}

/** A signed reasoning block for this text. */
export function reasoningBlock(text: string): JsonObject {
  return { reasoningContent: { reasoningText: { text, signature: signReasoning(text) } } };
}
