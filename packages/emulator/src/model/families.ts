// Capabilities of foundation models the catalog does not list, inferred from the id's provider, family
// and generation. Bedrock adds models every few weeks (`anthropic.claude-sonnet-4-6`,
// `us.anthropic.claude-sonnet-5`, `mistral.magistral-small-2509-v1:0`, ...); refusing them with "The
// provided model identifier is invalid." would block users of the newest models completely, while a
// slightly too permissive capability only misses a refusal. So the rules here lean permissive where
// the family's behaviour is not known, and follow the family where it is (Llama never streams tool
// use, Mistral 7B has no system prompt, Claude 3.7+ thinks, Opus 4.7+ refuses `temperature`, ...).
//
// | provider      | family rule (id after `provider.`)                        | inferred                                             |
// |---------------|-----------------------------------------------------------|------------------------------------------------------|
// | anthropic     | claude-<family>-<major>[-<minor>] or claude-<M>[-<m>]-<f> | by generation: output limit, thinking (3.7+), images |
// |               |                                                           | (not 3.5 Haiku), temperature rules (4.5+, Opus 4.7+) |
// | amazon        | nova-micro / nova-* / nova-2-* / titan-*                  | Micro text only; Nova multimodal; Titan no system    |
// | meta          | llama<M>[-<m>]-<size>b                                    | tools from 3.1 (3.2 only 11b/90b), images 3.2 11b+  |
// |               |                                                           | and 4+, never tool use in a stream                   |
// | mistral       | mistral-7b / mixtral: no system, no tools                 | large: any; pixtral: images; never streamed tools    |
// | cohere        | command-r*: tools, no streamed tools; other: no tools     |                                                      |
// | ai21          | jamba-instruct: no tools; other jamba: streamed tools     |                                                      |
// | deepseek      | r1, r2..: no tools; other: tools, streamed                      |                                                      |
// | openai, qwen, | tools, streamed tool use (Writer: not streamed)           | qwen *-vl*: images                                  |
// | writer, moonshot(ai) |                                                    |                                                      |
// | google, minimax, nvidia, zai, xai, twelvelabs, stability, luma | nothing known: everything accepted          |
import type { ModelCapabilities, Provider, TemperatureRule, ToolChoiceKind } from "./catalog.js";

/** Model providers Bedrock serves (the segment before the first dot of a foundation-model id). */
export const KNOWN_PROVIDERS: readonly string[] = Object.freeze([
  "anthropic",
  "amazon",
  "meta",
  "mistral",
  "cohere",
  "ai21",
  "deepseek",
  "openai",
  "qwen",
  "writer",
  "moonshot",
  "moonshotai",
  "google",
  "minimax",
  "nvidia",
  "zai",
  "xai",
  "twelvelabs",
  "stability",
  "luma",
]);

const ALL: readonly ToolChoiceKind[] = ["auto", "any", "tool"];

export interface ClaudeGeneration {
  /** opus / sonnet / haiku / ... ("" for claude-v2 and claude-instant) */
  family: string;
  major: number;
  minor: number;
}

/**
 * The Claude generation of an id after `anthropic.`: `claude-3-5-sonnet-20240620-v1:0` (old naming),
 * `claude-sonnet-4-20250514-v1:0` (4.0: the date is not a minor), `claude-opus-4-6-v1`,
 * `claude-sonnet-5`, `claude-v2:1`, `claude-instant-v1`.
 */
export function claudeGeneration(name: string): ClaudeGeneration | undefined {
  const modern = /^claude-([a-z]+)-(\d+)(?:-(\d{1,2})(?!\d))?/.exec(name);
  if (modern && modern[1] !== "v" && modern[1] !== "instant") {
    return { family: modern[1], major: Number(modern[2]), minor: Number(modern[3] ?? 0) };
  }
  const legacy = /^claude-(\d+)(?:-(\d{1,2}))?-([a-z]+)/.exec(name);
  if (legacy) return { family: legacy[3], major: Number(legacy[1]), minor: Number(legacy[2] ?? 0) };
  if (/^claude-(v2|instant)/.test(name)) return { family: "", major: 2, minor: 0 };
  return undefined;
}

const atLeast = (g: ClaudeGeneration, major: number, minor: number) => g.major > major || (g.major === major && g.minor >= minor);

interface Traits {
  name: string;
  maxOut: number;
  system?: boolean;
  tools?: boolean;
  streamTools?: boolean;
  choice?: readonly ToolChoiceKind[];
  reasoning?: boolean;
  images?: boolean;
  documents?: boolean;
  video?: boolean;
  countTokens?: boolean;
  global?: boolean;
  temperature?: TemperatureRule;
  mixedToolTurns?: boolean;
}

function build(provider: Provider, t: Traits): ModelCapabilities {
  const tools = t.tools ?? true;
  return {
    provider,
    name: t.name,
    maxOutputTokens: t.maxOut,
    defaultMaxTokens: Math.min(4096, t.maxOut),
    supportsSystem: t.system ?? true,
    supportsTools: tools,
    supportsToolStreaming: tools && (t.streamTools ?? true),
    toolChoice: tools ? (t.choice ?? ALL) : [],
    supportsReasoning: t.reasoning ?? false,
    supportsImages: t.images ?? true,
    supportsDocuments: t.documents ?? true,
    supportsVideo: t.video ?? false,
    supportsCountTokens: t.countTokens ?? false,
    requiresInferenceProfile: false,
    globalProfile: t.global ?? true,
    temperature: t.temperature ?? "any",
    mixedToolTurns: t.mixedToolTurns ?? true,
    inferred: true,
  };
}

function anthropic(name: string): ModelCapabilities | undefined {
  const g = claudeGeneration(name);
  if (!g) return build("anthropic", { name: `Claude (${name})`, maxOut: 64000, reasoning: true, countTokens: true });
  const label = `Claude ${g.family ? `${g.family} ` : ""}${g.major}${g.minor ? `.${g.minor}` : ""}`.replace(/\b[a-z]/g, (c) =>
    c.toUpperCase(),
  );
  if (g.major < 3) return build("anthropic", { name: label, maxOut: 4096, tools: false, images: false, global: false });
  let maxOut = 64000;
  if (g.major === 3) maxOut = g.minor >= 7 ? 64000 : g.minor >= 5 ? 8192 : 4096;
  else if (g.family === "opus") maxOut = atLeast(g, 4, 6) ? 128000 : atLeast(g, 4, 5) ? 64000 : 32000;
  else if (g.major >= 5) maxOut = 128000;
  const temperature: TemperatureRule =
    g.family === "opus" && atLeast(g, 4, 7) ? "rejected" : atLeast(g, 4, 5) ? "exclusive-with-top-p" : "any";
  return build("anthropic", {
    name: label,
    maxOut,
    reasoning: atLeast(g, 3, 7),
    images: !(g.major === 3 && g.minor === 5 && g.family === "haiku"),
    countTokens: true,
    global: g.major >= 4,
    temperature,
  });
}

function amazon(name: string): ModelCapabilities {
  if (name.startsWith("titan"))
    return build("amazon", { name: `Titan (${name})`, maxOut: 8192, system: false, tools: false, images: false, global: false });
  if (name.startsWith("nova-micro"))
    return build("amazon", { name: "Nova Micro", maxOut: 10000, images: false, documents: false, global: false });
  const nova2 = /^nova-(\d+)/.exec(name);
  const maxOut = nova2 ? 65536 : name.startsWith("nova-premier") ? 32000 : 10000;
  return build("amazon", { name: `Nova (${name})`, maxOut, video: true });
}

function meta(name: string): ModelCapabilities {
  const m = /^llama(\d+)(?:-(\d+))?-(\d+)b/.exec(name);
  const major = m ? Number(m[1]) : 99;
  const minor = m ? Number(m[2] ?? 0) : 0;
  const size = m ? Number(m[3]) : 0;
  const label = `Llama (${name})`;
  const common = { streamTools: false, choice: ["auto"] as const, mixedToolTurns: false, global: false };
  if (major === 3 && minor === 0) return build("meta", { ...common, name: label, maxOut: 2048, tools: false, images: false });
  if (major === 3 && minor === 2) {
    const vision = size >= 11;
    return build("meta", { ...common, name: label, maxOut: 2048, tools: vision, images: vision });
  }
  if (major === 3) return build("meta", { ...common, name: label, maxOut: 2048, images: false });
  return build("meta", { ...common, name: label, maxOut: 8192 });
}

function mistral(name: string): ModelCapabilities {
  const label = `Mistral (${name})`;
  const common = { streamTools: false, mixedToolTurns: false, global: false, choice: ["auto"] as const };
  if (/^(mistral-7b|mixtral)/.test(name))
    return build("mistral", { ...common, name: label, maxOut: 8192, system: false, tools: false, images: false });
  if (name.startsWith("mistral-large"))
    return build("mistral", { ...common, name: label, maxOut: 8192, choice: ["auto", "any"], images: false });
  return build("mistral", { ...common, name: label, maxOut: 8192, images: !/^(mistral-large-24|mistral-small-24)/.test(name) });
}

function other(provider: Provider, name: string): ModelCapabilities {
  const label = `${provider} (${name})`;
  switch (provider) {
    case "cohere":
      return name.startsWith("command-r")
        ? build("cohere", { name: label, maxOut: 4000, streamTools: false, choice: ["auto"], images: false, global: false })
        : build("cohere", { name: label, maxOut: 4000, tools: false, system: false, images: false, global: false });
    case "ai21":
      return name.startsWith("jamba-instruct")
        ? build("ai21", { name: label, maxOut: 4096, tools: false, images: false, global: false })
        : build("ai21", { name: label, maxOut: 4096, choice: ["auto"], images: false, global: false });
    case "deepseek":
      return /^r\d/.test(name)
        ? build("deepseek", { name: label, maxOut: 32768, tools: false, images: false, global: false })
        : build("deepseek", { name: label, maxOut: 8192, images: false, global: false });
    case "openai":
      return build("openai", { name: label, maxOut: 32768, choice: ["auto"], documents: false, images: false, global: false });
    case "qwen":
      return build("qwen", { name: label, maxOut: 16384, choice: ["auto"], documents: false, images: name.includes("-vl"), global: false });
    case "writer":
      return build("writer", {
        name: label,
        maxOut: 8192,
        streamTools: false,
        choice: ["auto"],
        documents: false,
        images: false,
        global: false,
      });
    default:
      return build(provider, { name: label, maxOut: 32768, video: true });
  }
}

/**
 * Capabilities of `provider.name` (a bare foundation-model id without geo prefix), inferred by family
 * and generation; undefined when the provider is not one Bedrock serves.
 */
export function inferCapabilities(baseModelId: string): ModelCapabilities | undefined {
  const dot = baseModelId.indexOf(".");
  if (dot <= 0 || dot === baseModelId.length - 1) return undefined;
  const provider = baseModelId.slice(0, dot);
  if (!KNOWN_PROVIDERS.includes(provider)) return undefined;
  const name = baseModelId.slice(dot + 1);
  switch (provider) {
    case "anthropic":
      return anthropic(name);
    case "amazon":
      return amazon(name);
    case "meta":
      return meta(name);
    case "mistral":
      return mistral(name);
    default:
      return other(provider as Provider, name);
  }
}

/**
 * Claude 3.7 and 4.x refuse a forced tool choice while thinking ("Thinking may not be enabled when
 * tool_choice forces tool use."); Claude Opus 4.8 and Claude 5 accept it.
 */
export function forcedToolChoiceAllowedWithThinking(baseModelId: string): boolean {
  const g = claudeGeneration(baseModelId.replace(/^anthropic\./, ""));
  if (!g) return false;
  return g.major >= 5 || (g.family === "opus" && g.major === 4 && g.minor >= 8);
}
