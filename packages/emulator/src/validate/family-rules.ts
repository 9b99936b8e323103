// Checks that depend on the model family, beyond the capability flags of the catalog: what the
// service (or the provider behind it) refuses for one family and accepts for another. Each check
// names the trap of the field reference it reproduces (docs: README "Validation"). Returns the first
// error, or undefined. Bedrock-layer texts go out as they are; provider texts with the prefix
// "The model returned the following errors: ".
import type { AwsErrorSpec, ConverseRequest, JsonObject, JsonValue } from "../types.js";
import type { ModelInfo } from "../model/catalog.js";
import { claudeGeneration } from "../model/families.js";
import { countTextTokens } from "../model/tokenizer.js";
import { imageDimensions } from "./image-size.js";
import { modelError, providerMessages, serviceMessages, validation } from "./messages.js";

type Block = Record<string, unknown>;
interface Msg {
  role: string;
  content: Block[];
}

const MAX_STOP_SEQUENCES = 4;
const CLAUDE_CONTEXT_TOKENS = 200_000;
const MAX_IMAGE_SIDE = 8000;
const MAX_MANY_IMAGE_SIDE = 2000;

const kindOf = (b: Block): string => Object.keys(b)[0] ?? "";
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Keys of additionalModelRequestFields Anthropic's Messages API (as Bedrock passes it on) knows. */
const ANTHROPIC_KEYS = new Set([
  "thinking",
  "top_k",
  "top_p",
  "temperature",
  "max_tokens",
  "stop_sequences",
  "anthropic_beta",
  "anthropic_version",
  "output_config",
  "output_format",
  "context_management",
  "tool_choice",
  "tools",
  "metadata",
  "service_tier",
  "container",
  "mcp_servers",
  "inference_geo",
  "reasoning_config",
  "reasoningConfig",
  "system",
  "messages",
]);
/** Keys Amazon Nova's native request takes. */
const NOVA_KEYS = new Set(["inferenceConfig", "reasoningConfig", "schemaVersion", "toolConfig", "system", "messages"]);
/** Keys Llama, Mistral, DeepSeek and Jamba are known to refuse (top_k) or that only Anthropic knows. */
const FOREIGN_KEYS = new Set(["top_k", "thinking", "anthropic_beta", "anthropic_version"]);
/** Families without prompt caching: a cachePoint anywhere is an extraneous key. */
const noCaching = (m: ModelInfo) =>
  m.provider === "meta" || m.provider === "mistral" || (m.provider === "amazon" && m.baseModelId.includes("titan"));
const isNova = (m: ModelInfo) => m.provider === "amazon" && m.baseModelId.includes("nova");
const isNova2 = (m: ModelInfo) => isNova(m) && /nova-\d/.test(m.baseModelId);

/** Bedrock-layer family checks (no prefix). */
export function checkFamily(req: ConverseRequest, model: ModelInfo): AwsErrorSpec | undefined {
  const messages = (req.messages ?? []) as Msg[];

  // PRM-4: at most four stop sequences
  const stops = req.inferenceConfig?.stopSequences;
  if (stops && stops.length > MAX_STOP_SEQUENCES)
    return validation(serviceMessages.tooManyStopSequences(`[${stops.join(", ")}]`, MAX_STOP_SEQUENCES));

  // TOOL-5: Meta and Mistral keep tool use and tool results in turns of their own
  if (!model.mixedToolTurns) {
    for (let i = 0; i < messages.length; i++) {
      const kinds = messages[i].content.map(kindOf).filter((k) => k !== "cachePoint" && k !== "reasoningContent");
      const conversational = kinds.some((k) => k !== "toolUse" && k !== "toolResult");
      if (conversational && kinds.includes("toolUse")) return validation(serviceMessages.mixedToolUseTurn(i));
      if (conversational && kinds.includes("toolResult")) return validation(serviceMessages.mixedToolResultTurn(i));
    }
  }

  // CACHE-2: a cache point may not follow a reasoning block
  for (const m of messages) {
    for (let j = 1; j < m.content.length; j++) {
      if (kindOf(m.content[j]) === "cachePoint" && kindOf(m.content[j - 1]) === "reasoningContent")
        return validation(serviceMessages.cachePointAfterReasoning);
    }
  }

  // CACHE-4: where cache points are extraneous keys
  const tools = (req.toolConfig?.tools ?? []) as Block[];
  if (isNova(model) || noCaching(model)) {
    const t = tools.findIndex((b) => "cachePoint" in b);
    if (t >= 0) return validation(serviceMessages.extraneousKey(`#/toolConfig/tools/${t}`, "cachePoint"));
  }
  if (noCaching(model)) {
    const s = ((req.system ?? []) as Block[]).findIndex((b) => "cachePoint" in b);
    if (s >= 0) return validation(serviceMessages.extraneousKey(`#/system/${s}`, "cachePoint"));
    for (let i = 0; i < messages.length; i++) {
      const j = messages[i].content.findIndex((b) => "cachePoint" in b);
      if (j >= 0) return validation(serviceMessages.extraneousKey(`#/messages/${i}/content/${j}`, "cachePoint"));
    }
  }

  // RSN-5 and PRM-2: additionalModelRequestFields per family (Anthropic: see checkAnthropic)
  const fields = req.additionalModelRequestFields;
  if (isObject(fields)) {
    if (isNova(model) && !isNova2(model) && fields.reasoningConfig !== undefined) return validation(serviceMessages.invalidReasoningConfig);
    const keys = Object.keys(fields);
    if (isNova(model)) {
      const extra = keys.find((k) => !NOVA_KEYS.has(k));
      if (extra) return validation(serviceMessages.extraneousKey("#", extra));
    } else if (["meta", "mistral", "deepseek", "ai21"].includes(model.provider)) {
      const extra = keys.find((k) => FOREIGN_KEYS.has(k));
      if (extra) return validation(serviceMessages.extraneousKey("#", extra));
    }
  }
  return undefined;
}

/** Anthropic model-layer checks that come after the existing ones in rules.ts. */
export function checkAnthropic(req: ConverseRequest, model: ModelInfo): AwsErrorSpec | undefined {
  const messages = (req.messages ?? []) as Msg[];

  // PRM-2: Anthropic refuses keys it does not know
  const fields = req.additionalModelRequestFields;
  if (isObject(fields)) {
    const extra = Object.keys(fields).find((k) => !ANTHROPIC_KEYS.has(k));
    if (extra) return modelError(providerMessages.extraInput(extra));
  }

  // PRM-1: sampling parameters of the newest Claude models
  const cfg = req.inferenceConfig;
  if (model.temperature === "rejected") {
    if (cfg?.temperature !== undefined) return modelError(providerMessages.temperatureDeprecated);
    if (cfg?.topP !== undefined) return modelError(providerMessages.topPDeprecated);
  } else if (model.temperature === "exclusive-with-top-p" && cfg?.temperature !== undefined && cfg.topP !== undefined) {
    return modelError(providerMessages.temperatureAndTopP);
  }

  // MSG-4, TXT-2: a final assistant turn (prefill)
  const last = messages[messages.length - 1];
  if (last?.role === "assistant") {
    if (req.toolConfig) return modelError(providerMessages.prefillWithTools);
    const texts = last.content.filter((b) => typeof b.text === "string");
    const lastText = texts[texts.length - 1]?.text as string | undefined;
    if (lastText !== undefined && /\s$/.test(lastText)) return modelError(providerMessages.trailingWhitespace);
  }

  let images = 0;
  for (const m of messages) for (const b of m.content) images += "image" in b ? 1 : 0;
  for (let i = 0; i < messages.length; i++) {
    const c = messages[i].content;
    for (let j = 0; j < c.length; j++) {
      const b = c[j];
      const path = `messages.${i}.content.${j}`;
      const kind = kindOf(b);
      // MED-5: S3 sources are dropped in the translation to Anthropic's format
      if (
        (kind === "image" || kind === "document" || kind === "video") &&
        isObject((b[kind] as Block).source) &&
        "s3Location" in ((b[kind] as Block).source as Block)
      ) {
        return modelError(providerMessages.s3SourceUnsupported(path, kind));
      }
      // MED-3: pixel limits per side (2000 px once a request carries more than 20 images)
      if (kind === "image") {
        const bytes = ((b.image as Block).source as Block).bytes;
        const dims = typeof bytes === "string" ? imageDimensions(Buffer.from(bytes, "base64")) : undefined;
        if (dims) {
          const side = Math.max(dims.width, dims.height);
          if (images > 20 && side > MAX_MANY_IMAGE_SIDE) return modelError(providerMessages.manyImagePixels(path, MAX_MANY_IMAGE_SIDE));
          if (side > MAX_IMAGE_SIDE) return modelError(providerMessages.imagePixels(path, MAX_IMAGE_SIDE));
        }
      }
      // CACHE-1: a cache point needs a cacheable block before it (text, image, PDF, tool blocks)
      if (kind === "cachePoint") {
        const prev = j > 0 ? c[j - 1] : undefined;
        const nonPdfDocument = prev !== undefined && kindOf(prev) === "document" && (prev.document as Block).format !== "pdf";
        if (prev === undefined || nonPdfDocument) return modelError(providerMessages.cachePointMisplaced(path));
      }
      // TXT-1: whitespace-only text inside a tool result
      if (kind === "toolResult") {
        for (const x of ((b.toolResult as Block).content ?? []) as Block[]) {
          if (typeof x.text === "string" && x.text.trim() === "") return modelError(providerMessages.whitespaceText);
        }
      }
    }
  }

  // SO-1: every object schema of native structured output closes with additionalProperties: false
  const schema = ((req.outputConfig as Block | undefined)?.textFormat as Block | undefined)?.structure as Block | undefined;
  const text = (schema?.jsonSchema as Block | undefined)?.schema;
  if (typeof text === "string") {
    try {
      if (!objectsClosed(JSON.parse(text) as JsonValue)) return modelError(providerMessages.additionalPropertiesFalse);
    } catch {
      /* an unparsable schema is refused earlier */
    }
  }

  // ERR-3: the context window, over the conversation's text (media have their own limits above;
  // counted only when the text could possibly exceed it)
  const texts = textsOf(req);
  if (texts.reduce((n, t) => n + t.length, 0) > CLAUDE_CONTEXT_TOKENS) {
    const tokens = texts.reduce((n, t) => n + countTextTokens(t), 0);
    if (tokens > CLAUDE_CONTEXT_TOKENS) {
      const g = claudeGeneration(model.baseModelId.replace(/^anthropic\./, ""));
      return modelError(g && g.major >= 4 ? providerMessages.promptTooLong(tokens, CLAUDE_CONTEXT_TOKENS) : providerMessages.inputTooLong);
    }
  }
  return undefined;
}

/** Mistral model-layer checks. */
export function checkMistral(req: ConverseRequest): AwsErrorSpec | undefined {
  // TOOL-2: tool call ids of exactly nine letters and digits
  for (const m of (req.messages ?? []) as Msg[]) {
    for (const b of m.content) {
      const id = (b.toolUse as Block | undefined)?.toolUseId ?? (b.toolResult as Block | undefined)?.toolUseId;
      if (typeof id === "string" && !/^[a-zA-Z0-9]{9}$/.test(id)) return modelError(providerMessages.mistralToolCallId(id));
    }
  }
  return undefined;
}

function objectsClosed(node: JsonValue): boolean {
  if (Array.isArray(node)) return node.every(objectsClosed);
  if (!isObject(node)) return true;
  const n = node as JsonObject;
  const types = Array.isArray(n.type) ? n.type : [n.type];
  if (types.includes("object") && n.additionalProperties !== false) return false;
  return Object.values(n).every((v) => objectsClosed(v as JsonValue));
}

/** Every `text` string of the system prompt and the messages (tool results and reasoning included). */
function textsOf(req: ConverseRequest): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (typeof x !== "string") walk(x);
        else if (k === "text") out.push(x);
      }
    }
  };
  walk(req.system);
  walk(req.messages);
  return out;
}
