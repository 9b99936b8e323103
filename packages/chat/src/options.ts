// Constructor and call option types, their aliases, environment fallbacks, and Python's
// `build_extra` (unknown constructor args move into additionalModelRequestFields).
import type {
  BedrockRuntimeClient,
  BedrockRuntimeClientConfig,
  Message,
  OutputConfig,
  PerformanceConfiguration,
  SystemContentBlock,
} from "@aws-sdk/client-bedrock-runtime";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import type { BaseChatModelCallOptions, BaseChatModelParams } from "@langchain/core/language_models/chat_models";
import type { BindToolsInput } from "@langchain/core/language_models/chat_models";

import type { ReasoningEffort, ToolChoiceValue } from "./capabilities.js";

export type { ReasoningEffort };
export type ServiceTierName = "priority" | "default" | "flex" | "reserved";

/** Guardrail settings; snake_case keys (Python style) are accepted and camelized at send time. */
export interface GuardrailConfigInput {
  guardrailIdentifier?: string;
  guardrailVersion?: string;
  trace?: "enabled" | "disabled" | "enabled_full";
  streamProcessingMode?: "sync" | "async";
  guardrail_identifier?: string;
  guardrail_version?: string;
  stream_processing_mode?: "sync" | "async";
}

/** Cache point auto-placement, as Python's `cache_control` call kwarg. */
export interface CacheControl {
  type?: "default" | "ephemeral";
  ttl?: "5m" | "1h";
}

/** Python's `response_format` call kwarg. */
export interface ResponseFormat {
  type: "json_schema";
  json_schema?: { schema: string | Record<string, unknown>; name?: string; description?: string };
  jsonSchema?: { schema: string | Record<string, unknown>; name?: string; description?: string };
}

/** Everything that can be set per call as well as (mostly) on the constructor. */
export interface BedrockRequestSettings {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  additionalModelRequestFields?: Record<string, unknown>;
  additionalModelResponseFieldPaths?: string[];
  guardrailConfig?: GuardrailConfigInput;
  performanceConfig?: PerformanceConfiguration;
  serviceTier?: ServiceTierName;
  outputConfig?: OutputConfig;
  requestMetadata?: Record<string, string>;
  reasoningEffort?: ReasoningEffort;
}

export interface ChatBedrockConverseInput extends BaseChatModelParams, BedrockRequestSettings {
  /** Model id, geo inference profile id (`us.anthropic...`) or ARN. Python: `model_id` / `model`. */
  model?: string;
  /** Alias of `model`. */
  modelId?: string;
  /** Base model used for capability detection (Python `base_model_id`). */
  baseModelId?: string;
  /** Alias of `baseModelId` (Python `base_model`). */
  baseModel?: string;
  /** Model provider; inferred from the model id, required for ARNs. */
  provider?: string;
  stopSequences?: string[];
  /** Alias of `stopSequences`. */
  stop?: string[];
  /** System prompt blocks prepended to every call: strings become `{text}`, objects are sent verbatim. */
  system?: Array<string | SystemContentBlock | Record<string, unknown>>;
  regionName?: string;
  /** Alias of `regionName`. */
  region?: string;
  endpointUrl?: string;
  /** Alias of `endpointUrl`. */
  baseUrl?: string;
  credentialsProfileName?: string;
  awsAccessKeyId?: string;
  awsSecretAccessKey?: string;
  awsSessionToken?: string;
  /** Bedrock API key (bearer token); env `AWS_BEARER_TOKEN_BEDROCK`. */
  bedrockApiKey?: string;
  /** Alias of `bedrockApiKey` (Python `api_key`). */
  apiKey?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** A ready BedrockRuntimeClient; region, endpoint and credential args are then not used for it. */
  client?: BedrockRuntimeClient;
  /** Control-plane (`bedrock`) client, used only for GetInferenceProfile. */
  bedrockClient?: unknown;
  defaultHeaders?: Record<string, string>;
  /** Extra BedrockRuntimeClient config merged under the settings above. */
  config?: BedrockRuntimeClientConfig;
  /**
   * Per-attempt limit in milliseconds on connecting and on silence from the server (no bytes: the wait
   * for a Converse answer, each gap between stream events), like botocore's connect and read timeouts.
   * Default 60000. Applies to clients this package builds (not to a `client` or `config.requestHandler` you pass).
   */
  timeout?: number;
  /** Retries after the first attempt (SDK `maxAttempts` = maxRetries + 1). */
  maxRetries?: number;
  /** Alias of `guardrailConfig` (Python `guardrails`). */
  guardrails?: GuardrailConfigInput;
  supportsToolChoiceValues?: ToolChoiceValue[];
  guardLastTurnOnly?: boolean;
  /** Bedrock messages sent verbatim instead of the converted input (Python `raw_blocks`). */
  rawBlocks?: Message[];
  /** `true`: stream() falls back to invoke; `"tool_calling"`: only when tools are bound. */
  disableStreaming?: boolean;
  /** Route invoke through the stream API and aggregate. */
  streaming?: boolean;
  /** A stream that sends nothing for this long (ms) fails with a typed error. 0 disables. Default 60000, or `timeout` if larger. */
  streamIdleTimeout?: number;
}

export interface ChatBedrockConverseCallOptions extends BaseChatModelCallOptions, BedrockRequestSettings {
  stop?: string[];
  tools?: BindToolsInput[];
  /** camelCase alias of `tool_choice`. */
  toolChoice?: BaseChatModelCallOptions["tool_choice"];
  strict?: boolean;
  responseFormat?: ResponseFormat;
  cacheControl?: CacheControl;
  streamIdleTimeout?: number;
}

/** Keys every BaseChatModel accepts, which build_extra must leave alone. */
const BASE_KEYS = new Set([
  "callbacks",
  "callbackManager",
  "tags",
  "metadata",
  "verbose",
  "maxConcurrency",
  "cache",
  "onFailedAttempt",
  "outputVersion",
  "disableStreaming",
  "concurrency",
]);

const KNOWN_KEYS = new Set<string>([
  ...BASE_KEYS,
  "model",
  "modelId",
  "baseModelId",
  "baseModel",
  "provider",
  "temperature",
  "maxTokens",
  "topP",
  "stopSequences",
  "stop",
  "system",
  "regionName",
  "region",
  "endpointUrl",
  "baseUrl",
  "credentialsProfileName",
  "awsAccessKeyId",
  "awsSecretAccessKey",
  "awsSessionToken",
  "bedrockApiKey",
  "apiKey",
  "credentials",
  "client",
  "bedrockClient",
  "defaultHeaders",
  "config",
  "timeout",
  "maxRetries",
  "guardrailConfig",
  "guardrails",
  "additionalModelRequestFields",
  "additionalModelResponseFieldPaths",
  "supportsToolChoiceValues",
  "performanceConfig",
  "serviceTier",
  "outputConfig",
  "requestMetadata",
  "guardLastTurnOnly",
  "rawBlocks",
  "reasoningEffort",
  "streaming",
  "streamIdleTimeout",
]);

/** Whether a (camelCase) constructor arg is one the class knows; the rest go through build_extra. */
export function isKnownInitArg(key: string): boolean {
  return KNOWN_KEYS.has(key);
}

/**
 * Python's build_extra: unknown constructor args (e.g. `thinking`, `top_k`) are moved into
 * additionalModelRequestFields with a warning; explicit additionalModelRequestFields keys win.
 */
export function buildExtra(fields: Record<string, unknown>, warn: (message: string) => void): Record<string, unknown> | undefined {
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (KNOWN_KEYS.has(key) || value === undefined) continue;
    extras[key] = value;
  }
  const explicit = fields.additionalModelRequestFields as Record<string, unknown> | undefined;
  const names = Object.keys(extras);
  if (names.length === 0) return explicit;
  warn(
    `ChatBedrockConverse: ${names.map((n) => `"${n}"`).join(", ")} ${names.length === 1 ? "is not a" : "are not"} ` +
      `known constructor argument${names.length === 1 ? "" : "s"}; ` +
      `transferred to additionalModelRequestFields. Pass it there explicitly to silence this warning.`,
  );
  return { ...extras, ...(explicit ?? {}) };
}

/** First defined value, for aliases. */
export function firstDefined<T>(...values: (T | undefined)[]): T | undefined {
  for (const v of values) if (v !== undefined) return v;
  return undefined;
}

/** Camelize guardrail keys (Python accepts snake_case). */
export function normalizeGuardrailConfig(config: GuardrailConfigInput | undefined): Record<string, string> | undefined {
  if (!config) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined || value === null) continue;
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    out[camel] = String(value);
  }
  return out;
}

/** Environment values the model reads, in one place so tests can pass their own. */
export interface EnvSource {
  [key: string]: string | undefined;
}

export function regionFromEnv(env: EnvSource): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}
