/**
 * Every per-model-family rule of ChatBedrockConverse lives here, as named predicates over a model id
 * and small tables. Nothing else in the package may test a model id for a substring: it asks this
 * module. Each table names the rule of Python `langchain_aws.ChatBedrockConverse` (1.7.3) it mirrors,
 * and says so where we deliberately differ.
 *
 * Vocabulary:
 * - `modelId`: what the user passed (foundation model id, geo inference profile id such as
 *   `us.anthropic.claude-sonnet-4-5-...`, or an ARN).
 * - `provider`: the vendor segment (`anthropic`, `amazon`, `meta`, ...), lower case.
 * - `baseModelId`: the id the capability tables are keyed on (geo prefix stripped, or the model an
 *   application inference profile resolves to, or the user's explicit `baseModelId`).
 *
 * Everything here is pure: no I/O, no warnings emitted. Functions that have something to warn about
 * return the warning text; the caller decides how to surface it.
 */
import { BedrockCapabilityError } from "./errors.js";
import type { OutputConfig } from "@aws-sdk/client-bedrock-runtime";
import { isPlainObject } from "./convert/objects.js";

export type ToolChoiceValue = "auto" | "any" | "tool";
export type ReasoningEffort = "low" | "medium" | "high" | "xhigh" | "max";
export type DisableStreaming = boolean | "tool_calling";
export type AdditionalFields = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Model id anatomy
// ---------------------------------------------------------------------------------------------

/**
 * Cross-region (geo) inference profile prefixes. Python: `{eu, us, us-gov, apac, sa, amer, global,
 * jp, au}`; we add `ca` (Canada profiles, `ca.` ids exist on Bedrock and would otherwise be taken
 * for the provider).
 */
const GEO_PREFIXES: readonly string[] = Object.freeze(["eu", "us", "us-gov", "apac", "sa", "amer", "global", "jp", "au", "ca"]);

const lower = (s: string | undefined): string => (s ?? "").toLowerCase();

export function isArn(modelId: string): boolean {
  return modelId.startsWith("arn:");
}

/** Python: the substring `application-inference-profile` anywhere in the id. */
export function isApplicationInferenceProfile(modelId: string): boolean {
  return modelId.includes("application-inference-profile");
}

/**
 * The base model of an application inference profile: the last `/` segment of
 * `GetInferenceProfile().models[0].modelArn` (Python `_get_base_model`).
 * `arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`
 * → `anthropic.claude-3-haiku-20240307-v1:0`.
 */
export function baseModelFromInferenceProfileArn(modelArn: string): string {
  return modelArn.slice(modelArn.lastIndexOf("/") + 1);
}

function splitGeoPrefix(modelId: string): { geo?: string; rest: string } {
  const dot = modelId.indexOf(".");
  if (dot > 0) {
    const head = modelId.slice(0, dot);
    if (GEO_PREFIXES.includes(head)) return { geo: head, rest: modelId.slice(dot + 1) };
  }
  return { rest: modelId };
}

/**
 * Python `set_disable_streaming` / `_get_provider`: an explicit provider wins; an ARN without one is
 * an error (the vendor cannot be read from an ARN); otherwise the first "."-segment after an optional
 * geo prefix (`us.anthropic.claude-...` → `anthropic`, `my-model` → `my-model`).
 * An application inference profile is an ARN, so it needs `provider` too, unless the caller passes
 * the resolved base model id instead.
 */
export function inferProvider(modelId: string, provider?: string): string {
  if (provider) return provider.toLowerCase();
  if (!modelId) throw new BedrockCapabilityError("Either model_id or model must be specified");
  if (isArn(modelId)) {
    throw new BedrockCapabilityError("Model provider should be supplied when passing a model ARN as model_id.");
  }
  const { rest } = splitGeoPrefix(modelId);
  const dot = rest.indexOf(".");
  return (dot === -1 ? rest : rest.slice(0, dot)).toLowerCase();
}

/**
 * Python `_get_base_model`: explicit `baseModelId` wins; else the model id with a leading geo prefix
 * stripped; else unchanged (plain ARNs stay ARNs, and substring rules still see the vendor part).
 */
export function inferBaseModelId(modelId: string, baseModelId?: string): string {
  if (baseModelId) return baseModelId;
  return splitGeoPrefix(modelId).rest;
}

// ---------------------------------------------------------------------------------------------
// Families
// ---------------------------------------------------------------------------------------------

export interface ClaudeVersion {
  /** opus / sonnet / haiku / fable / ... ("" for claude-v2 / claude-instant) */
  family: string;
  major: number;
  minor: number;
}

/**
 * Reads the Claude generation from an id. Handles both naming styles:
 * `claude-3-7-sonnet-20250219`, `claude-3-haiku-...` (old) and `claude-opus-4-6-v1`,
 * `claude-opus-4-20250514` (4.0: the date is not a minor version), `claude-sonnet-5` (new).
 */
export function claudeVersion(baseModelId: string): ClaudeVersion | undefined {
  const id = lower(baseModelId);
  const modern = /claude-([a-z]+)-(\d+)(?:-(\d{1,2})(?!\d))?/.exec(id);
  if (modern && modern[1] !== "v" && modern[1] !== "instant") {
    return { family: modern[1]!, major: Number(modern[2]), minor: Number(modern[3] ?? 0) };
  }
  const legacy = /claude-(\d+)(?:-(\d{1,2}))?-([a-z]+)/.exec(id);
  if (legacy) return { family: legacy[3]!, major: Number(legacy[1]), minor: Number(legacy[2] ?? 0) };
  return undefined;
}

/** Anthropic models: provider `anthropic`, or `claude` in the (base) model id. */
export function isAnthropicModel(baseModelId: string, provider?: string): boolean {
  return lower(provider) === "anthropic" || lower(baseModelId).includes("claude");
}

/** Python uses the substring `nova` (tool choice, cache placement). */
export function isNovaModel(baseModelId: string): boolean {
  return lower(baseModelId).includes("nova");
}

/** Nova 2 (`amazon.nova-2-lite-v1:0`, ...). Python: `amazon.nova-2` prefix. */
export function isNova2Model(baseModelId: string): boolean {
  return lower(baseModelId).includes("nova-2");
}

function isGptOssModel(baseModelId: string): boolean {
  return lower(baseModelId).includes("gpt-oss");
}

/** Moonshot Kimi (`moonshot.kimi-k2-thinking`, `moonshotai.kimi-k2.5`). */
function isMoonshotModel(baseModelId: string, provider?: string): boolean {
  const p = lower(provider);
  const id = lower(baseModelId);
  return p === "moonshot" || p === "moonshotai" || id.includes("moonshot") || id.includes("kimi");
}

function isDeepSeekModel(baseModelId: string): boolean {
  return lower(baseModelId).includes("deepseek");
}

function isDeepSeekV3Model(baseModelId: string): boolean {
  const id = lower(baseModelId);
  return isDeepSeekModel(id) && id.includes("v3");
}

// ---------------------------------------------------------------------------------------------
// Thinking and tool choice
// ---------------------------------------------------------------------------------------------

const asRecord = (v: unknown): Record<string, unknown> | undefined => (isPlainObject(v) ? v : undefined);

/** Python: `additional_model_request_fields.thinking.type` is `enabled` or `adaptive`. */
export function isThinkingEnabled(additionalModelRequestFields?: AdditionalFields): boolean {
  const type = asRecord(additionalModelRequestFields?.["thinking"])?.["type"];
  return type === "enabled" || type === "adaptive";
}

/**
 * Claude models that reject a forced tool choice (`any` / `tool`) while thinking is on:
 * `claude-3-7-`, `claude-sonnet-4*`, `claude-opus-4*`, `claude-haiku-4*`, except `claude-opus-4-8`.
 * Claude 5 keeps forced choices (Python `test_claude_5_adaptive_thinking_forced_tool_choice_allowed`).
 */
export function thinkingForbidsForcedToolChoice(baseModelId: string): boolean {
  const id = lower(baseModelId);
  if (id.includes("claude-opus-4-8")) return false;
  return ["claude-3-7-", "claude-sonnet-4", "claude-opus-4", "claude-haiku-4"].some((s) => id.includes(s));
}

const ALL_TOOL_CHOICES: readonly ToolChoiceValue[] = ["auto", "any", "tool"];

/** One row of the tool-choice table. */
interface ToolChoiceRule {
  /** Each group must have one of its substrings in the (lower-case) base model id. */
  has: readonly (readonly string[])[];
  /** None of these substrings may appear. */
  lacks?: readonly string[];
  /** The row applies only while thinking is on for a family that then refuses forced choices. */
  whenThinkingForbidsForced?: true;
  values: readonly ToolChoiceValue[];
}

/**
 * Python `supports_tool_choice_values` inference, as substring rules on the base model id; the first
 * row that matches wins, and an id no row matches supports none:
 *
 * | base model contains                | and not | only when                          | supported       |
 * |------------------------------------|---------|------------------------------------|-----------------|
 * | `claude-v2` or `claude-instant`    |         |                                    | (none)          |
 * | `claude`                           |         | thinking on, forced-choice family  | auto            |
 * | `claude` (Claude 5 always)         |         |                                    | auto, any, tool |
 * | `llama4`                           |         |                                    | auto            |
 * | `llama3-1` or `llama3-3`           |         |                                    | auto            |
 * | `llama3-2`, and `11b` or `90b`     |         |                                    | auto            |
 * | `llama3`                           |         |                                    | (none)          |
 * | `mistral-large`                    |         |                                    | auto, any       |
 * | `nova`                             |         |                                    | auto, any, tool |
 * | `deepseek`, and `v3-v1`            | `r1`    |                                    | any             |
 * | `deepseek`                         | `r1`    |                                    | any, tool       |
 * | anything else (incl. DeepSeek R1)  |         |                                    | (none)          |
 *
 * Claude 2.x and Instant have no tool use on Bedrock (deliberately narrower than Python). DeepSeek
 * follows the 1.7.3 snapshot; a later upstream change (PR #1261) moved V3.x to auto, any.
 */
const TOOL_CHOICE_RULES: readonly ToolChoiceRule[] = [
  { has: [["claude-v2", "claude-instant"]], values: [] },
  { has: [["claude"]], whenThinkingForbidsForced: true, values: ["auto"] },
  { has: [["claude"]], values: ALL_TOOL_CHOICES },
  { has: [["llama4"]], values: ["auto"] },
  { has: [["llama3-1", "llama3-3"]], values: ["auto"] },
  { has: [["llama3-2"], ["11b", "90b"]], values: ["auto"] },
  { has: [["llama3"]], values: [] },
  { has: [["mistral-large"]], values: ["auto", "any"] },
  { has: [["nova"]], values: ALL_TOOL_CHOICES },
  { has: [["deepseek"], ["v3-v1"]], lacks: ["r1"], values: ["any"] },
  { has: [["deepseek"]], lacks: ["r1"], values: ["any", "tool"] },
];

/** The tool choice values the model accepts: the first matching row of `TOOL_CHOICE_RULES`. */
export function supportedToolChoiceValues(baseModelId: string, additionalModelRequestFields?: AdditionalFields): ToolChoiceValue[] {
  const id = lower(baseModelId);
  const rule = TOOL_CHOICE_RULES.find(
    (r) =>
      r.has.every((group) => group.some((s) => id.includes(s))) &&
      !(r.lacks ?? []).some((s) => id.includes(s)) &&
      (!r.whenThinkingForbidsForced || (thinkingForbidsForcedToolChoice(id) && isThinkingEnabled(additionalModelRequestFields))),
  );
  return [...(rule?.values ?? [])];
}

/**
 * The tool choice to send when the caller gave none. Python (1.7.3): DeepSeek V3 is forced to `any`
 * (it otherwise tends to answer in prose). Everything else: none (the service default, auto).
 */
export function defaultToolChoice(baseModelId: string): ToolChoiceValue | undefined {
  return isDeepSeekV3Model(baseModelId) ? "any" : undefined;
}

// ---------------------------------------------------------------------------------------------
// Streaming
// ---------------------------------------------------------------------------------------------

type FamilyRule = readonly [providers: readonly string[], substrings: readonly string[]];

/**
 * Python `set_disable_streaming`, first table: models that stream, tool calls included
 * (`disable_streaming=False`). Matched on provider, then a substring of the base model id.
 */
const STREAMS_WITH_TOOLS: readonly FamilyRule[] = [
  [["ai21"], ["jamba-1-5"]],
  [["amazon"], ["nova-lite", "nova-micro", "nova-pro", "nova-premier", "nova-2-lite"]],
  [["anthropic"], ["claude-3", "sonnet-4", "opus-4", "haiku-4", "fable-5", "opus-5", "sonnet-5"]],
  [["openai"], ["gpt-oss"]],
  [["deepseek"], ["v3"]],
  [["qwen"], ["qwen3"]],
  [["moonshot", "moonshotai"], ["kimi"]],
];

/**
 * Second table: models that stream text but not tool calls (`disable_streaming="tool_calling"`).
 * An empty substring means the whole provider.
 */
const STREAMS_WITHOUT_TOOLS: readonly FamilyRule[] = [
  [["ai21"], ["jamba-instruct"]],
  [["amazon"], ["titan-text"]],
  [["anthropic"], ["claude-v2", "claude-instant"]],
  // Python streams Command R tool calls; Bedrock's model-feature table says Command R and R+ have
  // tool use but not streaming tool use, and the service refuses it, so we do not.
  [["cohere"], ["command"]],
  [["meta"], [""]],
  [["mistral"], [""]],
  [["deepseek"], ["r1"]],
  [["writer"], ["palmyra"]],
];

function matchesRule(rules: readonly FamilyRule[], provider: string, id: string): boolean {
  return rules.some(([providers, subs]) => providers.includes(provider) && subs.some((s) => id.includes(s)));
}

export interface DisableStreamingDecision {
  value: DisableStreaming;
  /** Set when the model is unknown to the tables (Python warns and disables streaming). */
  warning?: string;
}

/**
 * Python `set_disable_streaming` (used unless the user set `disableStreaming`): `false` for models in
 * the first table, `"tool_calling"` for the second, otherwise `true` plus a warning suggesting
 * `disableStreaming: false`.
 */
export function disableStreamingDecision(provider: string, baseModelId: string): DisableStreamingDecision {
  const p = lower(provider);
  const id = lower(baseModelId);
  if (matchesRule(STREAMS_WITH_TOOLS, p, id)) return { value: false };
  if (matchesRule(STREAMS_WITHOUT_TOOLS, p, id)) return { value: "tool_calling" };
  return {
    value: true,
    warning:
      `Streaming support for model "${baseModelId}" (provider "${provider}") is unknown, so streaming ` +
      `is disabled and responses arrive in one piece. If the model supports ConverseStream, pass ` +
      `disableStreaming: false to stream.`,
  };
}

// ---------------------------------------------------------------------------------------------
// CountTokens, sampling parameters
// ---------------------------------------------------------------------------------------------

/**
 * Python `get_num_tokens_from_messages`: Bedrock CountTokens is used for base models containing
 * `claude-3-5-`, `claude-3-7-`, `opus-4-`, `sonnet-4-`, `haiku-4-`; others fall back to the core
 * approximation.
 */
export function supportsCountTokens(baseModelId: string): boolean {
  const id = lower(baseModelId);
  return ["claude-3-5-", "claude-3-7-", "opus-4-", "sonnet-4-", "haiku-4-"].some((s) => id.includes(s));
}

/**
 * Python reads this from the bundled models.dev profile: Claude Opus 4.7 and later reject
 * `temperature` / `topP` (both are dropped from inferenceConfig with a warning).
 */
export function supportsTemperature(baseModelId: string): boolean {
  const v = claudeVersion(baseModelId);
  if (v?.family !== "opus") return true;
  return !(v.major > 4 || (v.major === 4 && v.minor >= 7));
}

// ---------------------------------------------------------------------------------------------
// Reasoning effort
// ---------------------------------------------------------------------------------------------

const LOW_MEDIUM_HIGH: readonly ReasoningEffort[] = Object.freeze(["low", "medium", "high"]);
const UP_TO_MAX: readonly ReasoningEffort[] = Object.freeze(["low", "medium", "high", "max"]);
const ALL_EFFORTS: readonly ReasoningEffort[] = Object.freeze(["low", "medium", "high", "xhigh", "max"]);

/**
 * The `reasoningEffort` levels a model accepts, or undefined when it has no effort control (Python
 * reads `reasoning_effort_levels` from its models.dev profile; this is our table of the same facts):
 *
 * | model                                         | levels                        | translation            |
 * |-----------------------------------------------|-------------------------------|------------------------|
 * | Claude Opus/Sonnet 4.6                        | low medium high max           | adaptive thinking + outputConfig.effort |
 * | Claude Opus 4.7, 4.8; every Claude 5          | low medium high xhigh max     | same                   |
 * | older Claude (3.x, 4.0-4.5, Haiku 4.x)        | none (warn, ignore)           | -                      |
 * | Nova 2 (`nova-2`)                             | low medium high               | reasoningConfig        |
 * | gpt-oss                                       | low medium high               | flat reasoning_effort  |
 * | Moonshot Kimi                                 | low medium high               | flat reasoning_effort  |
 */
export function reasoningEffortLevels(baseModelId: string, provider?: string): readonly ReasoningEffort[] | undefined {
  const claude = claudeVersion(baseModelId);
  if (claude && isAnthropicModel(baseModelId, provider)) {
    if (claude.major >= 5) return ALL_EFFORTS;
    if (claude.major === 4 && claude.family !== "haiku") {
      if (claude.minor >= 7) return ALL_EFFORTS;
      if (claude.minor === 6) return UP_TO_MAX;
    }
    return undefined;
  }
  if (isNova2Model(baseModelId)) return LOW_MEDIUM_HIGH;
  if (isGptOssModel(baseModelId)) return LOW_MEDIUM_HIGH;
  if (isMoonshotModel(baseModelId, provider)) return LOW_MEDIUM_HIGH;
  return undefined;
}

type InferenceConfigField = "maxTokens" | "temperature" | "topP" | "stopSequences";

export interface ReasoningEffortResult {
  /** A new object (never the caller's); undefined when the input was undefined and nothing was added. */
  additionalModelRequestFields?: AdditionalFields;
  /** A new object when changed; the caller's otherwise. */
  outputConfig?: OutputConfig;
  /** inferenceConfig fields the request builder must leave out. */
  inferenceConfigPatch: { omit: InferenceConfigField[] };
  warnings: string[];
}

/**
 * Python: Nova `reasoningConfig` enabled with effort `high` leaves `maxTokens` out of
 * inferenceConfig (Nova rejects it there). Applies to explicit reasoningConfig too.
 */
export function omitsMaxTokens(baseModelId: string, additionalModelRequestFields?: AdditionalFields): boolean {
  if (!isNovaModel(baseModelId)) return false;
  const rc = asRecord(additionalModelRequestFields?.["reasoningConfig"]);
  return rc?.["type"] === "enabled" && rc["maxReasoningEffort"] === "high";
}

/**
 * Translates `reasoningEffort` (constructor field or call option; the call wins, the caller picks)
 * into request fields. Keys the user already set explicitly always win:
 *
 * - Claude with effort levels → `thinking: {type: "adaptive"}` in additionalModelRequestFields and
 *   `outputConfig.effort` (unless `thinking`, `outputConfig.effort`, or an Anthropic-native
 *   `output_config.effort` is already there).
 * - Nova 2 → `reasoningConfig: {type: "enabled", maxReasoningEffort}`; `high` also drops maxTokens.
 * - gpt-oss, Moonshot → flat `reasoning_effort`.
 * - Model without levels (incl. older Claude) → a warning, nothing translated.
 * - Level not offered by the model → BedrockCapabilityError listing the levels.
 *
 * Inputs are never mutated.
 */
export function applyReasoningEffort(
  effort: string | undefined,
  baseModelId: string,
  provider: string,
  additionalModelRequestFields?: AdditionalFields,
  outputConfig?: OutputConfig,
): ReasoningEffortResult {
  const warnings: string[] = [];
  let fields = additionalModelRequestFields;
  let config = outputConfig;
  if (effort !== undefined && effort !== null) {
    const levels = reasoningEffortLevels(baseModelId, provider);
    if (!levels) {
      warnings.push(
        `reasoningEffort is not supported for model "${baseModelId}" and was ignored. ` +
          `Configure reasoning through additionalModelRequestFields instead.`,
      );
    } else if (!(levels as readonly string[]).includes(effort)) {
      throw new BedrockCapabilityError(
        `reasoningEffort "${effort}" is not supported by model "${baseModelId}". ` + `Supported values: ${levels.join(", ")}.`,
      );
    } else if (isAnthropicModel(baseModelId, provider)) {
      const next: AdditionalFields = { ...(fields ?? {}) };
      if (next["thinking"] === undefined) next["thinking"] = { type: "adaptive" };
      fields = next;
      const nativeEffort = asRecord(next["output_config"])?.["effort"];
      if (config?.effort === undefined && nativeEffort === undefined) config = { ...(config ?? {}), effort };
    } else if (isNova2Model(baseModelId)) {
      const next: AdditionalFields = { ...(fields ?? {}) };
      if (next["reasoningConfig"] === undefined) next["reasoningConfig"] = { type: "enabled", maxReasoningEffort: effort };
      fields = next;
    } else {
      const next: AdditionalFields = { ...(fields ?? {}) };
      if (next["reasoning_effort"] === undefined) next["reasoning_effort"] = effort;
      fields = next;
    }
  }
  const omit: InferenceConfigField[] = omitsMaxTokens(baseModelId, fields) ? ["maxTokens"] : [];
  return { additionalModelRequestFields: fields, outputConfig: config, inferenceConfigPatch: { omit }, warnings };
}

const NOVA2_EFFORTS: readonly string[] = ["low", "medium", "high"];

/**
 * Python validator (only for Nova 2): `reasoningConfig` with `type: "enabled"` needs a string
 * `maxReasoningEffort` among low / medium / high. Disabled or absent config is fine.
 */
export function validateNova2ReasoningConfig(baseModelId: string, additionalModelRequestFields?: AdditionalFields): void {
  if (!isNova2Model(baseModelId)) return;
  const rc = asRecord(additionalModelRequestFields?.["reasoningConfig"]);
  if (rc?.["type"] !== "enabled") return;
  const effort = rc["maxReasoningEffort"];
  if (typeof effort !== "string" || !NOVA2_EFFORTS.includes(effort)) {
    throw new BedrockCapabilityError(
      `Nova 2 reasoningConfig with type "enabled" requires maxReasoningEffort to be one of ` +
        `${NOVA2_EFFORTS.join(", ")}; got ${JSON.stringify(effort) ?? "nothing"}.`,
    );
  }
}
