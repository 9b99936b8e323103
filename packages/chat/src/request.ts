// One pure request builder used by invoke, stream and CountTokens: constructor settings merged
// with call options (the call wins; additionalModelRequestFields are merged key by key).
import type {
  ContentBlock,
  ConverseRequest,
  CountTokensRequest,
  InferenceConfiguration,
  Message,
  OutputConfig,
  SystemContentBlock,
  Tool,
  ToolChoice,
} from "@aws-sdk/client-bedrock-runtime";
import { applyReasoningEffort, isAnthropicModel, isNovaModel, supportsTemperature, validateNova2ReasoningConfig } from "./capabilities.js";
import type { BedrockRequestSettings, CacheControl, ResponseFormat } from "./options.js";
import { normalizeGuardrailConfig } from "./options.js";
import { responseFormatToOutputConfig } from "./structured.js";
import { cachePointBlock, isCachePoint } from "./convert/cache-points.js";

/** Constructor-level settings after aliases and env fallbacks. */
export interface InstanceSettings extends BedrockRequestSettings {
  stopSequences?: string[];
}

interface CallSettings extends BedrockRequestSettings {
  stop?: string[];
  responseFormat?: ResponseFormat;
  cacheControl?: CacheControl;
}

export interface BuildRequestInput {
  /** What goes on the wire as modelId (the id or ARN the user gave). */
  modelId: string;
  baseModelId: string;
  provider: string;
  messages: Message[];
  system: SystemContentBlock[];
  instance: InstanceSettings;
  call: CallSettings;
  tools?: Tool[];
  toolChoice?: ToolChoice;
  stream: boolean;
}

export interface BuiltRequest {
  request: ConverseRequest & { modelId: string };
  warnings: string[];
}

export function buildConverseRequest(input: BuildRequestInput): BuiltRequest {
  const { instance, call } = input;
  const warnings: string[] = [];

  let additional: Record<string, unknown> | undefined =
    instance.additionalModelRequestFields || call.additionalModelRequestFields
      ? { ...(instance.additionalModelRequestFields ?? {}), ...(call.additionalModelRequestFields ?? {}) }
      : undefined;

  let outputConfig: OutputConfig | undefined = call.outputConfig ?? instance.outputConfig;
  if (call.responseFormat && !outputConfig) outputConfig = responseFormatToOutputConfig(call.responseFormat);

  const effort = call.reasoningEffort ?? instance.reasoningEffort;
  const omit = new Set<string>();
  if (effort) {
    const r = applyReasoningEffort(effort, input.baseModelId, input.provider, additional, outputConfig);
    additional = r.additionalModelRequestFields;
    outputConfig = r.outputConfig;
    for (const key of r.inferenceConfigPatch.omit) omit.add(key);
    warnings.push(...r.warnings);
  }
  validateNova2ReasoningConfig(input.baseModelId, additional);

  const inference: InferenceConfiguration = {};
  const maxTokens = call.maxTokens ?? instance.maxTokens;
  if (maxTokens !== undefined && !omit.has("maxTokens")) inference.maxTokens = maxTokens;
  let temperature = call.temperature ?? instance.temperature;
  let topP = call.topP ?? instance.topP;
  if ((temperature !== undefined || topP !== undefined) && !supportsTemperature(input.baseModelId)) {
    warnings.push(`${input.baseModelId} does not accept temperature or topP; they were left out of the request.`);
    temperature = undefined;
    topP = undefined;
  }
  if (temperature !== undefined && !omit.has("temperature")) inference.temperature = temperature;
  if (topP !== undefined && !omit.has("topP")) inference.topP = topP;
  const stop = call.stop ?? instance.stopSequences;
  if (stop && stop.length > 0) inference.stopSequences = [...stop];

  const request: ConverseRequest & { modelId: string } = { modelId: input.modelId, messages: input.messages };
  if (input.system.length > 0) request.system = input.system;
  if (Object.keys(inference).length > 0) request.inferenceConfig = inference;
  if (input.tools && input.tools.length > 0) {
    request.toolConfig = { tools: input.tools, ...(input.toolChoice ? { toolChoice: input.toolChoice } : {}) };
  }
  if (additional && Object.keys(additional).length > 0) request.additionalModelRequestFields = additional as never;
  const paths = call.additionalModelResponseFieldPaths ?? instance.additionalModelResponseFieldPaths;
  if (paths && paths.length > 0) request.additionalModelResponseFieldPaths = [...paths];

  const guardrail = normalizeGuardrailConfig(call.guardrailConfig ?? instance.guardrailConfig);
  if (guardrail) {
    // streamProcessingMode exists only on ConverseStream's guardrail config.
    if (!input.stream) delete guardrail.streamProcessingMode;
    request.guardrailConfig = guardrail as never;
  }
  const performance = call.performanceConfig ?? instance.performanceConfig;
  if (performance) request.performanceConfig = performance;
  const tier = call.serviceTier ?? instance.serviceTier;
  if (tier) request.serviceTier = { type: tier };
  if (outputConfig) request.outputConfig = outputConfig;
  const metadata = call.requestMetadata ?? instance.requestMetadata;
  if (metadata && Object.keys(metadata).length > 0) request.requestMetadata = metadata;

  if (call.cacheControl) {
    applyCacheControl(request, call.cacheControl, {
      nova: isNovaModel(input.baseModelId),
      anthropic: isAnthropicModel(input.baseModelId, input.provider),
    });
  }
  return { request, warnings };
}

const MAX_CACHE_POINTS = 4;

function countCachePoints(request: ConverseRequest): number {
  let n = (request.system ?? []).filter(isCachePoint).length;
  for (const m of request.messages ?? []) n += (m.content ?? []).filter(isCachePoint).length;
  n += (request.toolConfig?.tools ?? []).filter(isCachePoint).length;
  return n;
}

function hasToolBlock(message: Message): boolean {
  return (message.content ?? []).some((b) => "toolUse" in b || "toolResult" in b);
}

/**
 * Python's cache_control: place cache points automatically within Bedrock's budget of four,
 * counting the ones the user placed: end of system, end of the last message, end of the tools
 * (not Nova), and for Anthropic with no manual points the penultimate message too.
 */
export function applyCacheControl(request: ConverseRequest, control: CacheControl, family: { nova: boolean; anthropic: boolean }): void {
  const manual = countCachePoints(request);
  let budget = MAX_CACHE_POINTS - manual;
  const ttl = control.ttl && control.ttl !== "5m" && !family.nova ? control.ttl : undefined;
  const system = request.system;
  if (budget > 0 && system && system.length > 0 && !system.some(isCachePoint)) {
    request.system = [...system, cachePointBlock(ttl) as SystemContentBlock];
    budget--;
  }
  const messages = request.messages ?? [];
  const last = messages[messages.length - 1];
  if (budget > 0 && last && !(family.nova && hasToolBlock(last)) && !last.content?.some(isCachePoint)) {
    messages[messages.length - 1] = { ...last, content: [...(last.content ?? []), cachePointBlock(ttl) as ContentBlock] };
    budget--;
  }
  const tools = request.toolConfig?.tools;
  if (budget > 0 && tools && tools.length > 0 && !family.nova && !tools.some(isCachePoint)) {
    request.toolConfig = { ...request.toolConfig, tools: [...tools, cachePointBlock(ttl) as Tool] };
    budget--;
  }
  if (budget > 0 && family.anthropic && manual === 0 && messages.length >= 2) {
    const i = messages.length - 2;
    const m = messages[i];
    messages[i] = { ...m, content: [...(m.content ?? []), cachePointBlock(ttl) as ContentBlock] };
  }
}

/**
 * CountTokens' request: the converted messages and system prompt as Converse would send them, for a
 * bare base model id (CountTokens takes no inference profile). Tools are not counted by the API.
 */
export function buildCountTokensRequest(baseModelId: string, messages: Message[], system: SystemContentBlock[]): CountTokensRequest {
  return { modelId: baseModelId, input: { converse: { messages, ...(system.length > 0 ? { system } : {}) } } };
}
