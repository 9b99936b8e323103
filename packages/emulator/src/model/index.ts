// The emulator's deterministic default model: entry points the server calls.
// Same request (and same cache state) -> same response. See README "The default model".
import type { ConverseRequest, ConverseResponse, JsonObject, JsonValue, ModelCall, TokenUsage } from "../types.js";
import { applyCache, type CacheStore, defaultCache } from "./cache.js";
import { resolveModel } from "./catalog.js";
import { mistralToolUseId } from "./ids.js";
import { citationBlocks, citedDocuments } from "./citations.js";
import { isObject, lastUserText } from "./conversation.js";
import { checkInput, checkOutput, DEFAULT_GUARDRAIL_POLICY, type GuardrailPolicy } from "./guardrails.js";
import { modelCanReason, reasoningBlock, reasoningText, thinkingRequested } from "./reasoning.js";
import { continuePrefill, prefillOf } from "./prefill.js";
import { applyStops } from "./stop.js";
import { requestedJsonSchema, structuredReply } from "./structured-output.js";
import { textReply, toolResultsReply } from "./text-reply.js";
import { planToolCalls } from "./tool-calls.js";
import { countConverseInputTokens, countOutputTokens } from "./usage.js";

export { countConverseInputTokens, countOutputTokens, countTokens } from "./usage.js";
export { CacheStore } from "./cache.js";
export { checkGuardrailPolicyUpdate, GuardrailPolicyStore, type GuardrailPolicy } from "./guardrails.js";

export interface ModelOptions {
  /** Prompt-cache state; the module's default store when omitted. */
  cache?: CacheStore;
  /** The guardrail policy of the emulator serving the call; DEFAULT_GUARDRAIL_POLICY when omitted. */
  guardrailPolicy?: Readonly<GuardrailPolicy>;
}

/** Does the model behind this id reason? The catalog decides; unknown ids use a name pattern. */
function canReason(modelId: string): boolean {
  const info = resolveModel(modelId);
  return info ? info.supportsReasoning : modelCanReason(modelId);
}

/** The answer blocks (before reasoning, stops and limits) and the stop reason they imply. */
function answer(
  request: ConverseRequest,
  modelId: string,
): {
  content: JsonObject[];
  stopReason: string;
  plan: Parameters<typeof reasoningText>[0];
} {
  const userText = lastUserText(request);
  const prefill = prefillOf(request);
  if (prefill !== undefined) return { content: [{ text: continuePrefill(request, prefill) }], stopReason: "end_turn", plan: { userText } };
  const calls = planToolCalls(request, modelId);
  if (calls) {
    const info = resolveModel(modelId);
    const content: JsonObject[] = [];
    // Meta and Mistral refuse text and tool use in one turn, so their replies never mix them.
    if (calls.preamble && (info?.mixedToolTurns ?? true)) content.push({ text: calls.preamble });
    for (const c of calls.calls) {
      // Mistral takes tool call ids of exactly nine letters and digits.
      const toolUseId = info?.provider === "mistral" ? mistralToolUseId(c.toolUseId) : c.toolUseId;
      content.push({ toolUse: { toolUseId, name: c.name, input: c.input } });
    }
    return { content, stopReason: "tool_use", plan: { userText, toolCalls: calls.calls } };
  }
  const cited = citationBlocks(request);
  if (cited.length) return { content: cited, stopReason: "end_turn", plan: { userText, citing: citedDocuments(request).length } };
  const schema = requestedJsonSchema(request);
  if (schema !== undefined) {
    return { content: [{ text: structuredReply(request, schema) }], stopReason: "end_turn", plan: { userText, structured: true } };
  }
  const results = toolResultsReply(request);
  if (results) return { content: [{ text: results }], stopReason: "end_turn", plan: { userText, answeringToolResults: true } };
  return { content: [{ text: textReply(request) }], stopReason: "end_turn", plan: { userText } };
}

function outputText(content: JsonObject[]): string {
  const parts: string[] = [];
  for (const b of content) {
    if (typeof b.text === "string") parts.push(b.text);
    else if (isObject(b.citationsContent) && Array.isArray(b.citationsContent.content)) {
      for (const c of b.citationsContent.content) if (isObject(c) && typeof c.text === "string") parts.push(c.text);
    } else if (isObject(b.toolUse)) parts.push(JSON.stringify(b.toolUse.input ?? {}));
  }
  return parts.join("\n");
}

/** Sign reasoning blocks (after any cut, so the signature matches the text sent). */
function signAll(content: JsonObject[]): JsonObject[] {
  return content.map((b) => {
    const r = b.reasoningContent;
    if (isObject(r) && isObject(r.reasoningText) && typeof r.reasoningText.text === "string") return reasoningBlock(r.reasoningText.text);
    return b;
  });
}

function finish(
  call: ModelCall,
  content: JsonObject[],
  stopReason: string,
  inputTokens: number,
  outputTokens: number,
  cache: ReturnType<typeof applyCache>,
  extra: { trace?: JsonObject; additional?: JsonValue },
): ConverseResponse {
  const req = call.request;
  const usage: TokenUsage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (cache) {
    usage.cacheReadInputTokens = cache.cacheReadInputTokens;
    usage.cacheWriteInputTokens = cache.cacheWriteInputTokens;
    usage.totalTokens += cache.cacheReadInputTokens + cache.cacheWriteInputTokens;
    if (cache.cacheDetails.length) usage.cacheDetails = cache.cacheDetails;
  }
  const response: ConverseResponse = {
    output: { message: { role: "assistant", content } },
    stopReason,
    usage,
    metrics: { latencyMs: 10 + outputTokens },
  };
  if (extra.additional !== undefined) response.additionalModelResponseFields = extra.additional;
  if (extra.trace) response.trace = { guardrail: extra.trace };
  if (req.performanceConfig) response.performanceConfig = { latency: req.performanceConfig.latency ?? "standard" };
  if (req.serviceTier) response.serviceTier = { type: req.serviceTier.type };
  return response;
}

/** The model's reply to one Converse / ConverseStream call. Deterministic. */
export function generateResponse(call: ModelCall, options: ModelOptions = {}): ConverseResponse {
  const req = call.request;
  const totalInput = countConverseInputTokens(req, call.modelId);

  const policy = options.guardrailPolicy ?? DEFAULT_GUARDRAIL_POLICY;
  const guard = checkInput(req, policy);
  if (guard.intervened) {
    return finish(call, [{ text: guard.message ?? "" }], "guardrail_intervened", 0, 0, undefined, { trace: guard.trace });
  }

  const cache = applyCache(req, call.modelId, options.cache ?? defaultCache);
  const inputTokens = cache ? Math.max(0, totalInput - cache.cacheReadInputTokens - cache.cacheWriteInputTokens) : totalInput;

  const drafted = answer(req, call.modelId);
  let content = drafted.content;
  const thinking = thinkingRequested(req);
  if (thinking && canReason(call.modelId)) {
    content = [{ reasoningContent: { reasoningText: { text: reasoningText(drafted.plan, thinking) } } }, ...content];
  }
  const stops = applyStops(content, req.inferenceConfig?.stopSequences ?? [], req.inferenceConfig?.maxTokens);
  content = signAll(stops.content);
  const stopReason = stops.stopReason ?? drafted.stopReason;

  const wantsStopSequence = (req.additionalModelResponseFieldPaths ?? []).includes("/stop_sequence");
  const additional = wantsStopSequence ? { stop_sequence: stops.stopSequence ?? null } : undefined;

  const out = checkOutput(req, outputText(content), guard.trace, policy);
  if (out.intervened) {
    return finish(call, [{ text: out.message ?? "" }], "guardrail_intervened", inputTokens, 0, cache, { trace: out.trace });
  }
  const outputTokens = countOutputTokens(content);
  return finish(call, content, stopReason, inputTokens, outputTokens, cache, { trace: out.trace, additional });
}
