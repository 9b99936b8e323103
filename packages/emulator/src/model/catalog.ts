// The foundation models the emulator knows, their capabilities, and how a request's modelId resolves
// to one of them (bare ids, geo inference profiles, ARNs, application inference profiles, provisioned
// and custom model ARNs).
//
// Sources: the AWS "Supported models and model features" table for Converse (system prompts, vision,
// document chat, tool use, streaming tool use), model cards for output limits, and users' reports of
// the on-demand error for models that Bedrock only serves through inference profiles. Values marked
// (u) in the table below are best estimates that could not be confirmed.
//
// | id (bare)                                   | max out | sys | tools | stream tools | toolChoice any/tool | thinking | vision/doc/video | on-demand bare id |
// |---------------------------------------------|---------|-----|-------|--------------|---------------------|----------|------------------|-------------------|
// | anthropic.claude-3-haiku-20240307-v1:0      | 4096    | yes | yes   | yes          | yes                 | no       | yes/yes/no       | yes               |
// | anthropic.claude-3-sonnet-20240229-v1:0     | 4096    | yes | yes   | yes          | yes                 | no       | yes/yes/no       | yes               |
// | anthropic.claude-3-opus-20240229-v1:0       | 4096    | yes | yes   | yes          | yes                 | no       | yes/yes/no       | yes               |
// | anthropic.claude-3-5-sonnet-20240620-v1:0   | 8192    | yes | yes   | yes          | yes                 | no       | yes/yes/no       | yes               |
// | anthropic.claude-3-5-sonnet-20241022-v2:0   | 8192    | yes | yes   | yes          | yes                 | no       | yes/yes/no       | no (profile)      |
// | anthropic.claude-3-5-haiku-20241022-v1:0    | 8192    | yes | yes   | yes          | yes                 | no       | no/yes/no        | yes (u)           |
// | anthropic.claude-3-7-sonnet-20250219-v1:0   | 64000   | yes | yes   | yes          | yes                 | yes      | yes/yes/no       | no (profile)      |
// | anthropic.claude-sonnet-4-20250514-v1:0     | 64000   | yes | yes   | yes          | yes                 | yes      | yes/yes/no       | no (profile)      |
// | anthropic.claude-opus-4-20250514-v1:0       | 32000   | yes | yes   | yes          | yes                 | yes      | yes/yes/no       | no (profile)      |
// | anthropic.claude-opus-4-1-20250805-v1:0     | 32000   | yes | yes   | yes          | yes                 | yes      | yes/yes/no       | no (profile)      |
// | anthropic.claude-sonnet-4-5-20250929-v1:0   | 64000   | yes | yes   | yes          | yes                 | yes      | yes/yes/no       | no (profile)      |
// | anthropic.claude-haiku-4-5-20251001-v1:0    | 64000   | yes | yes   | yes          | yes                 | yes      | yes/yes/no       | no (profile)      |
// | anthropic.claude-opus-4-5-20251101-v1:0     | 64000   | yes | yes   | yes          | yes                 | yes      | yes/yes/no       | no (profile)      |
// | amazon.nova-micro-v1:0                      | 10000   | yes | yes   | yes          | yes                 | no       | no/no/no         | yes               |
// | amazon.nova-lite-v1:0                       | 10000   | yes | yes   | yes          | yes                 | no       | yes/yes/yes      | yes               |
// | amazon.nova-pro-v1:0                        | 10000   | yes | yes   | yes          | yes                 | no       | yes/yes/yes      | yes               |
// | amazon.nova-premier-v1:0                    | 32000   | yes | yes   | yes          | yes                 | no       | yes/yes/yes      | no (profile)      |
// | amazon.nova-2-lite-v1:0                     | 65536(u)| yes | yes   | yes          | yes                 | no       | yes/yes/yes      | no (profile)      |
// | amazon.titan-text-express-v1                | 8192    | no  | no    | no           | no                  | no       | no/yes/no        | yes               |
// | amazon.titan-text-lite-v1                   | 4096    | no  | no    | no           | no                  | no       | no/yes/no        | yes               |
// | amazon.titan-text-premier-v1:0              | 3072    | no  | no    | no           | no                  | no       | no/no/no         | yes               |
// | meta.llama3-8b-instruct-v1:0                | 2048    | yes | no    | no           | no                  | no       | no/yes/no        | yes               |
// | meta.llama3-70b-instruct-v1:0               | 2048    | yes | no    | no           | no                  | no       | no/yes/no        | yes               |
// | meta.llama3-1-8b-instruct-v1:0              | 2048    | yes | yes   | no           | no                  | no       | no/yes/no        | yes               |
// | meta.llama3-1-70b-instruct-v1:0             | 2048    | yes | yes   | no           | no                  | no       | no/yes/no        | yes               |
// | meta.llama3-1-405b-instruct-v1:0            | 2048    | yes | yes   | no           | no                  | no       | no/yes/no        | yes               |
// | meta.llama3-2-1b-instruct-v1:0              | 2048    | yes | no    | no           | no                  | no       | no/yes/no        | no (profile)      |
// | meta.llama3-2-3b-instruct-v1:0              | 2048    | yes | no    | no           | no                  | no       | no/yes/no        | no (profile)      |
// | meta.llama3-2-11b-instruct-v1:0             | 2048    | yes | yes   | no           | no                  | no       | yes/yes/no       | no (profile)      |
// | meta.llama3-2-90b-instruct-v1:0             | 2048    | yes | yes   | no           | no                  | no       | yes/yes/no       | no (profile)      |
// | meta.llama3-3-70b-instruct-v1:0             | 2048    | yes | yes   | no           | no                  | no       | no/yes/no        | no (profile)      |
// | meta.llama4-scout-17b-instruct-v1:0         | 8192(u) | yes | yes   | no (u)       | no                  | no       | yes/yes/no       | no (profile)      |
// | meta.llama4-maverick-17b-instruct-v1:0      | 8192(u) | yes | yes   | no (u)       | no                  | no       | yes/yes/no       | no (profile)      |
// | mistral.mistral-7b-instruct-v0:2            | 8192    | no  | no    | no           | no                  | no       | no/yes/no        | yes               |
// | mistral.mixtral-8x7b-instruct-v0:1          | 4096    | no  | no    | no           | no                  | no       | no/yes/no        | yes               |
// | mistral.mistral-large-2402-v1:0             | 8192    | yes | yes   | no           | any only            | no       | no/yes/no        | yes               |
// | mistral.mistral-large-2407-v1:0             | 8192    | yes | yes   | no           | any only            | no       | no/yes/no        | yes               |
// | mistral.mistral-small-2402-v1:0             | 8192    | yes | yes   | no           | no                  | no       | no/yes/no        | yes               |
// | mistral.pixtral-large-2502-v1:0             | 8192(u) | yes | yes   | no (u)       | no                  | no       | yes/yes/no       | no (profile)      |
// | cohere.command-r-v1:0                       | 4000    | yes | yes   | no           | no                  | no       | no/yes/no        | yes               |
// | cohere.command-r-plus-v1:0                  | 4000    | yes | yes   | no           | no                  | no       | no/yes/no        | yes               |
// | ai21.jamba-1-5-mini-v1:0                    | 4096    | yes | yes   | yes          | no                  | no       | no/yes/no        | yes               |
// | ai21.jamba-1-5-large-v1:0                   | 4096    | yes | yes   | yes          | no                  | no       | no/yes/no        | yes               |
// | deepseek.r1-v1:0                            | 32768   | yes | no    | no           | no                  | no       | no/yes/no        | no (profile)      |
// | deepseek.v3-v1:0                            | 8192(u) | yes | yes   | yes (u)      | auto, any           | no       | no/yes/no        | yes (u)           |
// | openai.gpt-oss-20b-1:0                      | 32768(u)| yes | yes   | yes (u)      | no                  | no       | no/no/no         | yes               |
// | openai.gpt-oss-120b-1:0                     | 32768(u)| yes | yes   | yes (u)      | no                  | no       | no/no/no         | yes               |
// | qwen.qwen3-32b-v1:0                         | 16384(u)| yes | yes   | yes (u)      | no                  | no       | no/no/no         | yes               |
// | qwen.qwen3-coder-30b-a3b-v1:0               | 16384(u)| yes | yes   | yes (u)      | no                  | no       | no/no/no         | yes               |
// | writer.palmyra-x4-v1:0                      | 8192(u) | yes | yes   | no           | no                  | no       | no/no/no         | no (profile)      |
// | writer.palmyra-x5-v1:0                      | 8192(u) | yes | yes   | no           | no                  | no       | no/no/no         | no (profile)      |
//
// CountTokens: Anthropic Claude models addressed by a bare id or a foundation-model ARN only
// (reference §5); geo profiles, profile ARNs and every non-Claude model are rejected.
// Geo inference profiles: every model above that lists "no (profile)", plus the Claude 3 / 3.5 models,
// Nova micro/lite/pro and Llama 3.1, under the prefixes `us.`, `eu.`, `apac.`, `us-gov.`, `jp.`, `au.`,
// `ca.`; `global.` only for Claude Sonnet 4 / 4.5, Haiku 4.5, Opus 4.5 and Nova 2 Lite.

import { inferCapabilities } from "./families.js";

export type Provider =
  | "anthropic"
  | "amazon"
  | "meta"
  | "mistral"
  | "cohere"
  | "ai21"
  | "deepseek"
  | "openai"
  | "qwen"
  | "writer"
  | "custom"
  // providers known only to the family inference (./families.ts)
  | (string & {});
/**
 * Sampling rules of the model: "exclusive-with-top-p" refuses `temperature` together with `topP`
 * (Claude 4.5 and later), "rejected" refuses `temperature` and `topP` altogether (Claude Opus 4.7+).
 */
export type TemperatureRule = "any" | "exclusive-with-top-p" | "rejected";
export type ToolChoiceKind = "auto" | "any" | "tool";

/** How the request addressed the model. */
type ModelAddress =
  | "foundation-model" // bare id, e.g. anthropic.claude-3-haiku-20240307-v1:0
  | "foundation-model-arn"
  | "inference-profile" // geo profile id, e.g. us.anthropic...
  | "inference-profile-arn"
  | "application-inference-profile"
  | "provisioned-model"
  | "custom-model";

export interface ModelCapabilities {
  provider: Provider;
  /** display name */
  name: string;
  /** the largest maxTokens the model accepts */
  maxOutputTokens: number;
  /** max_tokens used when inferenceConfig.maxTokens is unset (UNVERIFIED for most models) */
  defaultMaxTokens: number;
  supportsSystem: boolean;
  supportsTools: boolean;
  /** tool use on ConverseStream */
  supportsToolStreaming: boolean;
  /** accepted toolChoice members ("auto" is always accepted where tools are) */
  toolChoice: readonly ToolChoiceKind[];
  /** Anthropic extended thinking via additionalModelRequestFields.thinking */
  supportsReasoning: boolean;
  supportsImages: boolean;
  supportsDocuments: boolean;
  supportsVideo: boolean;
  /** CountTokens when addressed by bare id / foundation-model ARN */
  supportsCountTokens: boolean;
  /** on-demand invocation by bare id / foundation-model ARN is refused */
  requiresInferenceProfile: boolean;
  /** a `global.` profile exists */
  globalProfile: boolean;
  /** trap PRM-1 */
  temperature: TemperatureRule;
  /** text and toolUse may share an assistant turn (Meta and Mistral refuse it) */
  mixedToolTurns: boolean;
  /** true when the capabilities were inferred from the id (./families.ts), not read from the table above */
  inferred: boolean;
}

export interface ModelInfo extends ModelCapabilities {
  /** the foundation model id behind whatever was requested */
  baseModelId: string;
  /** the modelId exactly as requested */
  requestedId: string;
  address: ModelAddress;
  /** geo prefix of an inference profile (us, eu, apac, global, ...) */
  geo?: string;
}

type Row = [id: string, caps: ModelCapabilities];

const ALL_CHOICES: readonly ToolChoiceKind[] = ["auto", "any", "tool"];

interface ClaudeOpts {
  reasoning?: boolean;
  profile?: boolean;
  global?: boolean;
  images?: boolean;
  temperature?: TemperatureRule;
}
function claude(name: string, maxOut: number, o: ClaudeOpts = {}): ModelCapabilities {
  return {
    provider: "anthropic",
    name,
    maxOutputTokens: maxOut,
    defaultMaxTokens: Math.min(4096, maxOut),
    supportsSystem: true,
    supportsTools: true,
    supportsToolStreaming: true,
    toolChoice: ALL_CHOICES,
    supportsReasoning: o.reasoning ?? false,
    supportsImages: o.images ?? true,
    supportsDocuments: true,
    supportsVideo: false,
    supportsCountTokens: true,
    requiresInferenceProfile: o.profile ?? false,
    globalProfile: o.global ?? false,
    temperature: o.temperature ?? "any",
    mixedToolTurns: true,
    inferred: false,
  };
}

interface OtherOpts {
  system?: boolean;
  tools?: boolean;
  streamTools?: boolean;
  choice?: readonly ToolChoiceKind[];
  images?: boolean;
  documents?: boolean;
  video?: boolean;
  profile?: boolean;
  global?: boolean;
}
function other(provider: Provider, name: string, maxOut: number, o: OtherOpts = {}): ModelCapabilities {
  const tools = o.tools ?? false;
  return {
    provider,
    name,
    maxOutputTokens: maxOut,
    defaultMaxTokens: Math.min(4096, maxOut),
    supportsSystem: o.system ?? true,
    supportsTools: tools,
    supportsToolStreaming: tools && (o.streamTools ?? false),
    toolChoice: tools ? (o.choice ?? ["auto"]) : [],
    supportsReasoning: false,
    supportsImages: o.images ?? false,
    supportsDocuments: o.documents ?? true,
    supportsVideo: o.video ?? false,
    supportsCountTokens: false,
    requiresInferenceProfile: o.profile ?? false,
    globalProfile: o.global ?? false,
    temperature: "any",
    mixedToolTurns: provider !== "meta" && provider !== "mistral",
    inferred: false,
  };
}

const nova = (name: string, maxOut: number, o: OtherOpts = {}) =>
  other("amazon", name, maxOut, { tools: true, streamTools: true, choice: ALL_CHOICES, images: true, video: true, ...o });

const ROWS: Row[] = [
  ["anthropic.claude-3-haiku-20240307-v1:0", claude("Claude 3 Haiku", 4096)],
  ["anthropic.claude-3-sonnet-20240229-v1:0", claude("Claude 3 Sonnet", 4096)],
  ["anthropic.claude-3-opus-20240229-v1:0", claude("Claude 3 Opus", 4096)],
  ["anthropic.claude-3-5-sonnet-20240620-v1:0", claude("Claude 3.5 Sonnet", 8192)],
  ["anthropic.claude-3-5-sonnet-20241022-v2:0", claude("Claude 3.5 Sonnet v2", 8192, { profile: true })],
  ["anthropic.claude-3-5-haiku-20241022-v1:0", claude("Claude 3.5 Haiku", 8192, { images: false })],
  ["anthropic.claude-3-7-sonnet-20250219-v1:0", claude("Claude 3.7 Sonnet", 64000, { reasoning: true, profile: true })],
  ["anthropic.claude-sonnet-4-20250514-v1:0", claude("Claude Sonnet 4", 64000, { reasoning: true, profile: true, global: true })],
  ["anthropic.claude-opus-4-20250514-v1:0", claude("Claude Opus 4", 32000, { reasoning: true, profile: true })],
  ["anthropic.claude-opus-4-1-20250805-v1:0", claude("Claude Opus 4.1", 32000, { reasoning: true, profile: true })],
  [
    "anthropic.claude-sonnet-4-5-20250929-v1:0",
    claude("Claude Sonnet 4.5", 64000, { reasoning: true, profile: true, global: true, temperature: "exclusive-with-top-p" }),
  ],
  [
    "anthropic.claude-haiku-4-5-20251001-v1:0",
    claude("Claude Haiku 4.5", 64000, { reasoning: true, profile: true, global: true, temperature: "exclusive-with-top-p" }),
  ],
  [
    "anthropic.claude-opus-4-5-20251101-v1:0",
    claude("Claude Opus 4.5", 64000, { reasoning: true, profile: true, global: true, temperature: "exclusive-with-top-p" }),
  ],

  ["amazon.nova-micro-v1:0", nova("Nova Micro", 10000, { images: false, documents: false, video: false })],
  ["amazon.nova-lite-v1:0", nova("Nova Lite", 10000)],
  ["amazon.nova-pro-v1:0", nova("Nova Pro", 10000)],
  ["amazon.nova-premier-v1:0", nova("Nova Premier", 32000, { profile: true })],
  ["amazon.nova-2-lite-v1:0", nova("Nova 2 Lite", 65536, { profile: true, global: true })],
  ["amazon.titan-text-express-v1", other("amazon", "Titan Text G1 - Express", 8192, { system: false })],
  ["amazon.titan-text-lite-v1", other("amazon", "Titan Text G1 - Lite", 4096, { system: false })],
  ["amazon.titan-text-premier-v1:0", other("amazon", "Titan Text G1 - Premier", 3072, { system: false, documents: false })],

  ["meta.llama3-8b-instruct-v1:0", other("meta", "Llama 3 8B Instruct", 2048)],
  ["meta.llama3-70b-instruct-v1:0", other("meta", "Llama 3 70B Instruct", 2048)],
  ["meta.llama3-1-8b-instruct-v1:0", other("meta", "Llama 3.1 8B Instruct", 2048, { tools: true })],
  ["meta.llama3-1-70b-instruct-v1:0", other("meta", "Llama 3.1 70B Instruct", 2048, { tools: true })],
  ["meta.llama3-1-405b-instruct-v1:0", other("meta", "Llama 3.1 405B Instruct", 2048, { tools: true })],
  ["meta.llama3-2-1b-instruct-v1:0", other("meta", "Llama 3.2 1B Instruct", 2048, { profile: true })],
  ["meta.llama3-2-3b-instruct-v1:0", other("meta", "Llama 3.2 3B Instruct", 2048, { profile: true })],
  ["meta.llama3-2-11b-instruct-v1:0", other("meta", "Llama 3.2 11B Vision Instruct", 2048, { tools: true, images: true, profile: true })],
  ["meta.llama3-2-90b-instruct-v1:0", other("meta", "Llama 3.2 90B Vision Instruct", 2048, { tools: true, images: true, profile: true })],
  ["meta.llama3-3-70b-instruct-v1:0", other("meta", "Llama 3.3 70B Instruct", 2048, { tools: true, profile: true })],
  ["meta.llama4-scout-17b-instruct-v1:0", other("meta", "Llama 4 Scout 17B Instruct", 8192, { tools: true, images: true, profile: true })],
  [
    "meta.llama4-maverick-17b-instruct-v1:0",
    other("meta", "Llama 4 Maverick 17B Instruct", 8192, { tools: true, images: true, profile: true }),
  ],

  ["mistral.mistral-7b-instruct-v0:2", other("mistral", "Mistral 7B Instruct", 8192, { system: false })],
  ["mistral.mixtral-8x7b-instruct-v0:1", other("mistral", "Mixtral 8x7B Instruct", 4096, { system: false })],
  ["mistral.mistral-large-2402-v1:0", other("mistral", "Mistral Large (24.02)", 8192, { tools: true, choice: ["auto", "any"] })],
  ["mistral.mistral-large-2407-v1:0", other("mistral", "Mistral Large (24.07)", 8192, { tools: true, choice: ["auto", "any"] })],
  ["mistral.mistral-small-2402-v1:0", other("mistral", "Mistral Small (24.02)", 8192, { tools: true })],
  ["mistral.pixtral-large-2502-v1:0", other("mistral", "Pixtral Large (25.02)", 8192, { tools: true, images: true, profile: true })],

  ["cohere.command-r-v1:0", other("cohere", "Command R", 4000, { tools: true })],
  ["cohere.command-r-plus-v1:0", other("cohere", "Command R+", 4000, { tools: true })],
  ["ai21.jamba-1-5-mini-v1:0", other("ai21", "Jamba 1.5 Mini", 4096, { tools: true, streamTools: true })],
  ["ai21.jamba-1-5-large-v1:0", other("ai21", "Jamba 1.5 Large", 4096, { tools: true, streamTools: true })],

  ["deepseek.r1-v1:0", other("deepseek", "DeepSeek-R1", 32768, { profile: true })],
  // DeepSeek V3 accepts a forced `any` (langchain-aws forces it when no choice is given).
  ["deepseek.v3-v1:0", other("deepseek", "DeepSeek-V3.1", 8192, { tools: true, streamTools: true, choice: ["auto", "any"] })],
  ["openai.gpt-oss-20b-1:0", other("openai", "gpt-oss-20b", 32768, { tools: true, streamTools: true, documents: false })],
  ["openai.gpt-oss-120b-1:0", other("openai", "gpt-oss-120b", 32768, { tools: true, streamTools: true, documents: false })],
  ["qwen.qwen3-32b-v1:0", other("qwen", "Qwen3 32B", 16384, { tools: true, streamTools: true, documents: false })],
  ["qwen.qwen3-coder-30b-a3b-v1:0", other("qwen", "Qwen3 Coder 30B A3B", 16384, { tools: true, streamTools: true, documents: false })],
  ["writer.palmyra-x4-v1:0", other("writer", "Palmyra X4", 8192, { tools: true, streamTools: false, documents: false, profile: true })],
  ["writer.palmyra-x5-v1:0", other("writer", "Palmyra X5", 8192, { tools: true, streamTools: false, documents: false, profile: true })],
];

/** Known foundation models by bare id. */
export const FOUNDATION_MODELS: ReadonlyMap<string, ModelCapabilities> = new Map(ROWS);

/** Geo prefixes of system-defined (cross-region) inference profiles. */
export const GEO_PREFIXES = ["us", "eu", "apac", "us-gov", "jp", "au", "ca", "sa", "amer", "global"] as const;

/** Capabilities of a provisioned / custom / imported model: nothing is known, so nothing is refused. */
const GENERIC: ModelCapabilities = {
  provider: "custom",
  name: "Custom or provisioned model",
  maxOutputTokens: 1_000_000,
  defaultMaxTokens: 4096,
  supportsSystem: true,
  supportsTools: true,
  supportsToolStreaming: true,
  toolChoice: ALL_CHOICES,
  supportsReasoning: false,
  supportsImages: true,
  supportsDocuments: true,
  supportsVideo: true,
  supportsCountTokens: false,
  requiresInferenceProfile: false,
  globalProfile: false,
  temperature: "any",
  mixedToolTurns: true,
  inferred: true,
};

/** Maps an application-inference-profile ARN to the model id (bare or geo profile) it wraps. */
export type ProfileResolver = (arn: string) => string | undefined;

export interface ResolveOptions {
  /** maps application-inference-profile ARNs (registered with the server) to the id they wrap */
  resolveProfile?: ProfileResolver;
  /**
   * Only the catalog above (`--strict-models`): ids it does not list are invalid, as are geo
   * profiles it does not list for the model and unregistered application inference profiles.
   * Default: ids of every known provider are accepted with capabilities inferred by family.
   */
  strict?: boolean;
}

const ARN = /^arn:aws(?:-[^:]+)?:bedrock:([a-z0-9-]{1,20}):([0-9]{12})?:([a-z-]+)\/(.+)$/;

// Object.assign rather than `{ ...caps, more }` (same object, same member order): V8 in Node 20 takes
// several microseconds to add members to a spread copy of these objects, on every request.
const extend = <T extends object, U extends object>(base: T, more: U): T & U => Object.assign({}, base, more);

/** A model id without its version suffix: `anthropic.claude-3-haiku-20240307-v1:0` -> `anthropic.claude-3-haiku-20240307`. */
const stem = (id: string) => id.replace(/(-v\d+)?(:\d+)?$/, "");
const CATALOG_STEMS: ReadonlyMap<string, string> = new Map([...FOUNDATION_MODELS.keys()].map((id) => [stem(id), id]));
const major = (id: string) => /-v(\d+)(?::\d+)?$/.exec(id)?.[1];

/**
 * A misspelt version of a catalog model (`...-20240307-v1`, `...-20240307-v2:0`, `...-v1` for `...-v1:0`)
 * does not exist: a dated release keeps its versions, and a release's major version is listed with its
 * minor. A new major of an undated model (`amazon.nova-micro-v2`) may be new, so it is inferred.
 */
function misspeltCatalogVersion(id: string): boolean {
  const s = stem(id);
  const known = CATALOG_STEMS.get(s);
  return known !== undefined && (/\d{8}/.test(s) || major(known) === major(id));
}

// Inference runs a few regular expressions; clients send the same handful of ids over and over.
const inferredCache = new Map<string, ModelCapabilities | undefined>();
function inferred(baseModelId: string): ModelCapabilities | undefined {
  if (inferredCache.has(baseModelId)) return inferredCache.get(baseModelId);
  const caps = misspeltCatalogVersion(baseModelId) ? undefined : inferCapabilities(baseModelId);
  if (inferredCache.size >= 1000) inferredCache.clear();
  inferredCache.set(baseModelId, caps);
  return caps;
}

/** The capabilities of a bare foundation-model id: the catalog's row, else (unless strict) inferred. */
function foundationModel(baseModelId: string, strict = false): ModelCapabilities | undefined {
  return FOUNDATION_MODELS.get(baseModelId) ?? (strict ? undefined : inferred(baseModelId));
}

function fromGeoId(id: string, requestedId: string, address: ModelAddress, strict: boolean): ModelInfo | undefined {
  const dot = id.indexOf(".");
  if (dot < 0) return undefined;
  const geo = id.slice(0, dot);
  if (!(GEO_PREFIXES as readonly string[]).includes(geo)) return undefined;
  const baseModelId = id.slice(dot + 1);
  const caps = foundationModel(baseModelId, strict);
  if (!caps) return undefined;
  // The catalog knows which models have a global profile; for inferred ones nothing is refused.
  if (geo === "global" && !caps.globalProfile && !caps.inferred) return undefined;
  return extend(caps, { baseModelId, requestedId, address, geo });
}

/**
 * Resolves a modelId (already percent-decoded) to the model behind it, or undefined when Bedrock would
 * answer "The provided model identifier is invalid." (no provider Bedrock serves, an ARN of a kind or
 * shape that names no model, or, with `strict`, anything the catalog does not list).
 */
export function resolveModel(modelId: string, options: ResolveOptions | ProfileResolver = {}): ModelInfo | undefined {
  const { resolveProfile, strict = false } = typeof options === "function" ? { resolveProfile: options } : options;
  const m = ARN.exec(modelId);
  if (!m) {
    const bare = foundationModel(modelId, strict);
    if (bare) return extend(bare, { baseModelId: modelId, requestedId: modelId, address: "foundation-model" as const });
    return fromGeoId(modelId, modelId, "inference-profile", strict);
  }
  const [, , account, resourceType, resource] = m;
  switch (resourceType) {
    case "foundation-model": {
      if (account) return undefined; // foundation-model ARNs carry no account
      const caps = foundationModel(resource, strict);
      return caps ? extend(caps, { baseModelId: resource, requestedId: modelId, address: "foundation-model-arn" as const }) : undefined;
    }
    case "inference-profile":
      return account ? fromGeoId(resource, modelId, "inference-profile-arn", strict) : undefined;
    case "application-inference-profile": {
      if (!account) return undefined;
      // Like the real account, the emulator knows which application profiles exist (the server's
      // registry, shared with GetInferenceProfile); one it does not know is invalid there too.
      const target = resolveProfile?.(modelId);
      if (target === undefined || target.startsWith("arn:")) return undefined;
      const inner = resolveModel(target, { strict });
      return inner ? extend(inner, { requestedId: modelId, address: "application-inference-profile" as const }) : undefined;
    }
    case "provisioned-model":
      return account ? extend(GENERIC, { baseModelId: modelId, requestedId: modelId, address: "provisioned-model" as const }) : undefined;
    case "custom-model":
    case "custom-model-deployment":
    case "imported-model":
      return account ? extend(GENERIC, { baseModelId: modelId, requestedId: modelId, address: "custom-model" as const }) : undefined;
    default:
      return undefined;
  }
}
