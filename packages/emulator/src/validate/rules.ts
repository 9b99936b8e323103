// Conversation and model rules applied after the request's shape is known to be valid. Like Bedrock,
// the first failing rule decides the error. Order: Bedrock's own conversation checks, then content
// limits, tools, model capabilities, output config, and last the checks the model provider makes
// (sent with the "The model returned the following errors: " prefix).
//
// Paths in these messages are Bedrock's plain style: 0-based, no ".member" (`messages.1.content.0`).
import type { AwsErrorSpec, ConverseRequest, JsonObject, JsonValue, Operation } from "../types.js";
import type { ModelInfo } from "../model/catalog.js";
import { acceptsSignature } from "../model/signature.js";
import { claudeGeneration, forcedToolChoiceAllowedWithThinking } from "../model/families.js";
import { modelError, providerMessages, serviceMessages, validation } from "./messages.js";
import { checkAnthropic, checkFamily, checkMistral } from "./family-rules.js";

type Block = Record<string, unknown>;
interface Msg {
  role: string;
  content: Block[];
}

/** Image limits: 3.75 MB raw is 5 MiB once base64-encoded, which is what Anthropic measures [reported]. */
const MAX_IMAGE_BASE64_CHARS = 5 * 1024 * 1024;
const MAX_IMAGE_BYTES = 3.75 * 1024 * 1024;
const MAX_IMAGES = 20;
const MAX_DOCUMENT_BYTES = 4.5 * 1024 * 1024;
const MAX_DOCUMENTS = 5;
/** Inline video: Amazon Nova takes up to 25 MB as bytes; larger videos must come from S3. */
const MAX_VIDEO_BYTES = 25 * 1024 * 1024;
const MAX_CACHE_POINTS = 4;
const MIN_THINKING_BUDGET = 1024;

/** Document names: ASCII letters and digits, spaces, hyphens, parentheses, square brackets; underscores are
 *  accepted by the live service although not documented [reported]; tabs and non-ASCII spaces are not. */
const DOCUMENT_NAME = /^[A-Za-z0-9 _\-()[\]]+$/;

const kindOf = (b: Block): string => Object.keys(b)[0] ?? "";
const base64Bytes = (s: string): number => {
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  return (s.length / 4) * 3 - pad;
};

/** Anthropic block type names, for the provider's messages. */
function anthropicType(b: Block): string {
  switch (kindOf(b)) {
    case "toolUse":
      return "tool_use";
    case "toolResult":
      return "tool_result";
    case "reasoningContent":
      return "redactedContent" in (b.reasoningContent as Block) ? "redacted_thinking" : "thinking";
    case "image":
      return "image";
    case "document":
      return "document";
    case "searchResult":
      return "search_result";
    default:
      return "text";
  }
}

/** Index of a block in the Anthropic request: cachePoint blocks become cache_control on the previous block. */
function anthropicIndex(content: Block[], j: number): number {
  let n = 0;
  for (let k = 0; k < j; k++) if (kindOf(content[k]) !== "cachePoint") n++;
  return n;
}

interface Thinking {
  enabled: boolean;
  budget?: unknown;
}
function thinkingOf(fields: JsonValue | undefined): Thinking | undefined {
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) return undefined;
  const t = (fields as JsonObject).thinking;
  if (t === undefined) return undefined;
  if (!t || typeof t !== "object" || Array.isArray(t)) return { enabled: false };
  return { enabled: t.type === "enabled", budget: t.budget_tokens };
}

/** The interleaved-thinking beta (`anthropic_beta: ["interleaved-thinking-2025-05-14"]`) on Claude 4 or later. */
function interleavedThinking(req: ConverseRequest, model: ModelInfo): boolean {
  const fields = req.additionalModelRequestFields;
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) return false;
  const beta = (fields as JsonObject).anthropic_beta;
  const betas = Array.isArray(beta) ? beta : [beta];
  if (!betas.some((b) => typeof b === "string" && b.startsWith("interleaved-thinking-"))) return false;
  const g = claudeGeneration(model.baseModelId.replace(/^anthropic\./, ""));
  return g !== undefined && g.major >= 4;
}

export interface RuleContext {
  operation: Operation;
  model: ModelInfo;
  /** refuse reasoning signatures the emulator did not issue (`--strict-signatures`) */
  strictSignatures?: boolean;
}

/**
 * Applies the conversation rules to a shape-valid request (for CountTokens: its `input.converse`).
 * Returns the first error, or undefined when the request is acceptable.
 */
export function checkRules(req: ConverseRequest, ctx: RuleContext): AwsErrorSpec | undefined {
  return (
    conversation(req) ??
    blocks(req) ??
    content(req, ctx) ??
    documentsNeedText(req) ??
    tools(req, ctx) ??
    capabilities(req, ctx) ??
    checkFamily(req, ctx.model) ??
    outputConfig(req) ??
    provider(req, ctx) ??
    (ctx.model.provider === "mistral" ? checkMistral(req) : undefined)
  );
}

// ---- conversation structure -------------------------------------------------------------------------

function conversation(req: ConverseRequest): AwsErrorSpec | undefined {
  const messages = (req.messages ?? []) as Msg[];
  // UNVERIFIED: an empty or missing conversation is answered like one that does not start with the user.
  if (messages.length === 0) return validation(serviceMessages.firstMessageUser);
  const sys = messages.findIndex((m) => m.role === "system");
  if (sys >= 0) return validation(serviceMessages.systemRoleEnum(sys + 1)); // Coral-style path, 1-based [reported]
  if (messages[0].role !== "user") return validation(serviceMessages.firstMessageUser);
  for (let i = 1; i < messages.length; i++) if (messages[i].role === messages[i - 1].role) return validation(serviceMessages.alternate);

  for (let i = 0; i < messages.length; i++) {
    const c = messages[i].content;
    if (c.length === 0) return validation(serviceMessages.emptyContent(i));
    for (let j = 0; j < c.length; j++) {
      const t = c[j].text;
      if (typeof t === "string" && t.trim() === "") return validation(serviceMessages.blankText(`messages.${i}.content.${j}`));
    }
  }
  for (let j = 0; j < (req.system ?? []).length; j++) {
    const t = (req.system as Block[])[j].text;
    if (typeof t === "string" && t.trim() === "") return validation(serviceMessages.blankSystemText(`system.${j}`));
  }

  const usesTools = messages.some((m) => m.content.some((b) => "toolUse" in b || "toolResult" in b));
  if (usesTools && !req.toolConfig) return validation(serviceMessages.toolConfigRequired);

  // Every toolUse of an assistant turn must be answered in the next user turn, and nothing else.
  for (let i = 0; i < messages.length; i++) {
    if (messages[i].role !== "user") continue;
    const uses = i === 0 ? [] : messages[i - 1].content.filter((b) => "toolUse" in b).map((b) => (b.toolUse as Block).toolUseId as string);
    const results = messages[i].content.filter((b) => "toolResult" in b).map((b) => (b.toolResult as Block).toolUseId as string);
    if (results.length > uses.length) return validation(serviceMessages.tooManyToolResults(i));
    const missing = uses.filter((id) => !results.includes(id));
    if (missing.length) return validation(serviceMessages.expectedToolResults(i, missing));
  }
  return undefined;
}

// ---- blocks Bedrock checks for every model -------------------------------------------------------------

function blocks(req: ConverseRequest): AwsErrorSpec | undefined {
  const messages = (req.messages ?? []) as Msg[];
  for (let i = 0; i < messages.length; i++) {
    const { role, content: c } = messages[i];
    for (let j = 0; j < c.length; j++) {
      const b = c[j];
      const path = `messages.${i}.content.${j}`;
      // RSN-2: reasoning belongs to the assistant
      if (role === "user" && "reasoningContent" in b) return validation(serviceMessages.userReasoning);
      // STR-3: toolUse.input is a JSON object ("" from a no-argument streamed call is not)
      const use = b.toolUse as Block | undefined;
      if (use) {
        const input = use.input;
        if (input === null || typeof input !== "object" || Array.isArray(input))
          return validation(serviceMessages.toolUseInputNotObject(path));
      }
      const result = b.toolResult as Block | undefined;
      if (result) {
        const inner = (result.content ?? []) as Block[];
        // TOOL-7: an error result says what went wrong
        if (result.status === "error" && inner.length === 0) return validation(serviceMessages.toolResultErrorEmpty(path));
        for (let k = 0; k < inner.length; k++) {
          // TXT-1: an empty text anywhere, tool results included
          if (inner[k].text === "") return validation(serviceMessages.blankText(path));
          // TOOL-6: json results are objects
          if ("json" in inner[k]) {
            const json = inner[k].json;
            if (json === null || typeof json !== "object" || Array.isArray(json))
              return validation(serviceMessages.toolResultJsonNotObject(`${path}.toolResult.content.${k}`));
          }
        }
      }
    }
  }
  return undefined;
}

/** DOC-3: a message with documents asks something about them. */
function documentsNeedText(req: ConverseRequest): AwsErrorSpec | undefined {
  for (const { content: c } of (req.messages ?? []) as Msg[]) {
    if (c.some((b) => "document" in b) && !c.some((b) => typeof b.text === "string" && b.text.trim() !== ""))
      return validation(serviceMessages.documentNeedsText);
  }
  return undefined;
}

// ---- content limits -------------------------------------------------------------------------------------

function content(req: ConverseRequest, ctx: RuleContext): AwsErrorSpec | undefined {
  const messages = (req.messages ?? []) as Msg[];
  const { model } = ctx;
  const names = new Set<string>();
  let documents = 0;
  let images = 0;
  for (let i = 0; i < messages.length; i++) {
    const { role, content: c } = messages[i];
    for (let j = 0; j < c.length; j++) {
      const b = c[j];
      const path = `messages.${i}.content.${j}`;
      // blocks nested in a toolResult count as the same turn's content
      const nested = "toolResult" in b ? ((b.toolResult as Block).content as Block[]) : [];
      for (const x of [b, ...nested]) {
        const kind = kindOf(x);
        if (kind === "image") {
          if (!model.supportsImages) return validation(serviceMessages.blockUnsupported("image", role));
          images++;
          const bytes = ((x.image as Block).source as Block).bytes;
          if (typeof bytes === "string" && model.provider !== "anthropic" && base64Bytes(bytes) > MAX_IMAGE_BYTES)
            return validation(serviceMessages.imageTooLarge(path));
        } else if (kind === "document") {
          if (!model.supportsDocuments) return validation(serviceMessages.blockUnsupported("document", role));
          const d = x.document as Block;
          // DOC-4: text and content sources only serve citations
          const src = d.source as Block;
          if (("text" in src || "content" in src) && (d.citations as Block | undefined)?.enabled !== true)
            return validation(serviceMessages.documentSourceNeedsBytes(path));
          const name = d.name as string;
          if (!DOCUMENT_NAME.test(name) || /\s\s/.test(name)) return validation(serviceMessages.documentName);
          if (names.has(name)) return validation(serviceMessages.duplicateDocumentNames);
          names.add(name);
          if (++documents > MAX_DOCUMENTS) return validation(serviceMessages.tooManyDocuments);
          const bytes = (d.source as Block).bytes;
          if (typeof bytes === "string" && base64Bytes(bytes) > MAX_DOCUMENT_BYTES)
            return validation(serviceMessages.documentTooLarge(path));
        } else if (kind === "video") {
          if (!model.supportsVideo) return validation(serviceMessages.blockUnsupported("video", role));
          const bytes = ((x.video as Block).source as Block).bytes;
          if (typeof bytes === "string" && base64Bytes(bytes) > MAX_VIDEO_BYTES) return validation(serviceMessages.videoTooLarge(path));
        }
      }
    }
  }
  if (images > MAX_IMAGES && model.provider !== "anthropic") return validation(serviceMessages.tooManyImages);
  return undefined;
}

// ---- tools ---------------------------------------------------------------------------------------------

function toolNames(req: ConverseRequest): string[] {
  return (req.toolConfig?.tools ?? []).flatMap((t) => {
    const spec = (t as Block).toolSpec as Block | undefined;
    const sys = (t as Block).systemTool as Block | undefined;
    return spec ? [spec.name as string] : sys ? [sys.name as string] : [];
  });
}

function tools(req: ConverseRequest, ctx: RuleContext): AwsErrorSpec | undefined {
  const cfg = req.toolConfig;
  if (!cfg) return undefined;
  const { model, operation } = ctx;
  if (!model.supportsTools) return validation(serviceMessages.toolsUnsupported);
  if (operation === "converse-stream" && !model.supportsToolStreaming) return validation(serviceMessages.toolStreamingUnsupported);

  for (let i = 0; i < cfg.tools.length; i++) {
    const spec = (cfg.tools[i] as Block).toolSpec as Block | undefined;
    if (!spec) continue;
    const json = (spec.inputSchema as Block).json;
    if (!json || typeof json !== "object" || Array.isArray(json)) return validation(serviceMessages.inputSchemaNotObject(i));
    // TOOL-8: the root of an input schema is an object schema
    if ((json as Block).type !== "object") return validation(serviceMessages.inputSchemaRootType(i));
  }
  const names = toolNames(req);
  if (new Set(names).size !== names.length) {
    return model.provider === "anthropic" ? modelError(serviceMessages.duplicateToolNames) : validation(serviceMessages.duplicateToolNames);
  }

  const choice = cfg.toolChoice as Block | undefined;
  if (choice) {
    const kind = kindOf(choice);
    if (names.length === 0) return validation(serviceMessages.toolChoiceWithoutTools);
    if (!model.toolChoice.includes(kind as "auto")) return validation(serviceMessages.toolChoiceUnsupported(kind));
    if (kind === "tool") {
      const wanted = (choice.tool as Block).name as string;
      if (!names.includes(wanted)) return validation(serviceMessages.toolChoiceUnknownTool(wanted));
    }
  }
  // A toolUse in the history may name a tool the current toolConfig no longer lists: the service
  // answers 200, and clients rely on it when the tool set changes between turns.
  return undefined;
}

// ---- model capabilities --------------------------------------------------------------------------------

function capabilities(req: ConverseRequest, ctx: RuleContext): AwsErrorSpec | undefined {
  const { model } = ctx;
  if (req.system && req.system.length > 0 && !model.supportsSystem) return validation(serviceMessages.systemUnsupported);
  const max = req.inferenceConfig?.maxTokens;
  if (max !== undefined && max > model.maxOutputTokens) return validation(serviceMessages.maxTokensExceeded(model.maxOutputTokens));
  return undefined;
}

// ---- output config ---------------------------------------------------------------------------------------

function outputConfig(req: ConverseRequest): AwsErrorSpec | undefined {
  const fmt = (req.outputConfig as Block | undefined)?.textFormat as Block | undefined;
  if (!fmt) return undefined;
  const schema = ((fmt.structure as Block).jsonSchema as Block | undefined)?.schema;
  if (typeof schema !== "string") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(schema);
  } catch {
    return validation(serviceMessages.outputSchemaFormat);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return validation(serviceMessages.outputSchemaFormat);
  if ((parsed as Block).type !== "object") return validation(serviceMessages.outputSchemaNotObjectType);
  return undefined;
}

// ---- provider (Anthropic) checks ---------------------------------------------------------------------------

function provider(req: ConverseRequest, ctx: RuleContext): AwsErrorSpec | undefined {
  const { model } = ctx;
  if (model.provider !== "anthropic") return undefined;
  const messages = (req.messages ?? []) as Msg[];

  // images: size per image (base64 length), then count of images and documents
  let images = 0;
  let documents = 0;
  for (let i = 0; i < messages.length; i++) {
    const c = messages[i].content;
    for (let j = 0; j < c.length; j++) {
      const nested = "toolResult" in c[j] ? ((c[j].toolResult as Block).content as Block[]) : [];
      for (const x of [c[j], ...nested]) {
        if ("document" in x) documents++;
        if (!("image" in x)) continue;
        images++;
        const bytes = ((x.image as Block).source as Block).bytes;
        if (typeof bytes === "string" && bytes.length > MAX_IMAGE_BASE64_CHARS)
          return modelError(providerMessages.imageTooLarge(`messages.${i}.content.${anthropicIndex(c, j)}`, bytes.length));
      }
    }
  }
  if (images > MAX_IMAGES) return modelError(providerMessages.tooManyImages(images, documents));

  // cache points across tools, system and messages
  const cachePoints =
    (req.toolConfig?.tools ?? []).filter((t) => "cachePoint" in t).length +
    (req.system ?? []).filter((s) => "cachePoint" in s).length +
    messages.reduce((n, m) => n + m.content.filter((b) => "cachePoint" in b).length, 0);
  if (cachePoints > MAX_CACHE_POINTS) return modelError(providerMessages.tooManyCachePoints(cachePoints));

  // reasoning blocks sent back must carry a signature (schema-level in the provider, so it comes first)
  for (let i = 0; i < messages.length; i++) {
    const c = messages[i].content;
    for (let j = 0; j < c.length; j++) {
      const rt = (c[j].reasoningContent as Block | undefined)?.reasoningText as Block | undefined;
      if (rt && (typeof rt.signature !== "string" || rt.signature === ""))
        return modelError(providerMessages.signatureRequired(i, anthropicIndex(c, j)));
    }
  }

  const thinking = thinkingOf(req.additionalModelRequestFields);
  if (thinking?.enabled) {
    if (!model.supportsReasoning) return modelError(providerMessages.extraInput("thinking"));
    if (thinking.budget === undefined || thinking.budget === null) return modelError(providerMessages.budgetRequired);
    if (typeof thinking.budget !== "number" || thinking.budget < MIN_THINKING_BUDGET) return modelError(providerMessages.budgetMinimum);
    // budget_tokens < max_tokens, except: CountTokens has no maxTokens; without maxTokens the service
    // picks its own (not known, so not second-guessed); interleaved thinking on Claude 4+ lets the
    // budget span the whole turn (Anthropic allows budget_tokens >= max_tokens there).
    const maxTokens = req.inferenceConfig?.maxTokens;
    if (ctx.operation !== "count-tokens" && maxTokens !== undefined && maxTokens <= thinking.budget && !interleavedThinking(req, model)) {
      return modelError(providerMessages.maxTokensVsBudget);
    }
    const temperature = req.inferenceConfig?.temperature;
    if (temperature !== undefined && temperature !== 1) return modelError(providerMessages.temperatureWithThinking);
    const choice = req.toolConfig?.toolChoice as Block | undefined;
    if (choice && ("any" in choice || "tool" in choice) && !forcedToolChoiceAllowedWithThinking(model.baseModelId))
      return modelError(providerMessages.forcedToolWithThinking);

    // The last assistant turn, when it calls tools, must open with its reasoning.
    let last = -1;
    for (let i = messages.length - 1; i >= 0; i--)
      if (messages[i].role === "assistant") {
        last = i;
        break;
      }
    if (last >= 0) {
      const c = messages[last].content.filter((b) => kindOf(b) !== "cachePoint");
      if (c.some((b) => "toolUse" in b) && c.length > 0 && !("reasoningContent" in c[0]))
        return modelError(providerMessages.thinkingFirst(last, anthropicType(c[0])));
    }
  }

  const familyError = checkAnthropic(req, model);
  if (familyError) return familyError;

  // signatures: the emulator's own must match; foreign ones are accepted unless strict (model/signature.ts)
  for (let i = 0; i < messages.length; i++) {
    const c = messages[i].content;
    for (let j = 0; j < c.length; j++) {
      const rt = (c[j].reasoningContent as Block | undefined)?.reasoningText as Block | undefined;
      if (rt && !acceptsSignature(rt.text as string, rt.signature as string, ctx.strictSignatures ?? false))
        return modelError(providerMessages.signatureInvalid(i, anthropicIndex(c, j)));
    }
  }
  return undefined;
}
