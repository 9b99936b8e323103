/**
 * Every per-model-family rule of ChatBedrockConverse, as named predicates and small tables.
 * (Skeleton: signatures first; bodies follow.)
 */
import type { OutputConfig } from "@aws-sdk/client-bedrock-runtime";

export type ToolChoiceValue = "auto" | "any" | "tool";
export type ReasoningEffort = "low" | "medium" | "high" | "xhigh" | "max";
export type DisableStreaming = boolean | "tool_calling";
export type AdditionalFields = Record<string, unknown>;

export class BedrockCapabilityError extends Error {
  override name = "BedrockCapabilityError";
}

export const GEO_PREFIXES: readonly string[] = ["eu", "us", "us-gov", "apac", "sa", "amer", "global", "jp", "au", "ca"];

export function isArn(modelId: string): boolean { return modelId.startsWith("arn:"); }
export function isApplicationInferenceProfile(modelId: string): boolean { return modelId.includes("application-inference-profile"); }
export function baseModelFromInferenceProfileArn(modelArn: string): string { return modelArn.slice(modelArn.lastIndexOf("/") + 1); }
export function inferProvider(modelId: string, provider?: string): string { void modelId; return provider ?? ""; }
export function inferBaseModelId(modelId: string, baseModelId?: string): string { return baseModelId ?? modelId; }
export function isThinkingEnabled(additionalModelRequestFields?: AdditionalFields): boolean { void additionalModelRequestFields; return false; }
export function supportedToolChoiceValues(baseModelId: string, additionalModelRequestFields?: AdditionalFields): ToolChoiceValue[] { void baseModelId; void additionalModelRequestFields; return []; }
export function defaultToolChoice(baseModelId: string): ToolChoiceValue | undefined { void baseModelId; return undefined; }
export interface DisableStreamingDecision { value: DisableStreaming; warning?: string }
export function disableStreamingDecision(provider: string, baseModelId: string): DisableStreamingDecision { void provider; void baseModelId; return { value: true }; }
export function defaultDisableStreaming(provider: string, baseModelId: string): DisableStreaming { return disableStreamingDecision(provider, baseModelId).value; }
export function supportsCountTokens(baseModelId: string): boolean { void baseModelId; return false; }
export function reasoningEffortLevels(baseModelId: string): readonly ReasoningEffort[] | undefined { void baseModelId; return undefined; }
export interface ReasoningEffortResult {
  additionalModelRequestFields?: AdditionalFields;
  outputConfig?: OutputConfig;
  inferenceConfigPatch: { omit: Array<"maxTokens" | "temperature" | "topP"> };
  warnings: string[];
}
export function applyReasoningEffort(
  effort: string | undefined, baseModelId: string, provider: string,
  additionalModelRequestFields?: AdditionalFields, outputConfig?: OutputConfig,
): ReasoningEffortResult {
  void effort; void baseModelId; void provider;
  return { additionalModelRequestFields, outputConfig, inferenceConfigPatch: { omit: [] }, warnings: [] };
}
export function validateNova2ReasoningConfig(baseModelId: string, additionalModelRequestFields?: AdditionalFields): void { void baseModelId; void additionalModelRequestFields; }
export function omitsMaxTokens(baseModelId: string, additionalModelRequestFields?: AdditionalFields): boolean { void baseModelId; void additionalModelRequestFields; return false; }
export function supportsTemperature(baseModelId: string): boolean { void baseModelId; return true; }
export function isAnthropicModel(provider: string, baseModelId: string): boolean { void provider; void baseModelId; return false; }
export function isNovaModel(provider: string, baseModelId: string): boolean { void provider; void baseModelId; return false; }
export function isNova2Model(baseModelId: string): boolean { void baseModelId; return false; }
export function hasInlineThinkingTags(provider: string, baseModelId: string): boolean { void provider; void baseModelId; return false; }
