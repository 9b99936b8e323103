/**
 * Limits of the real service that depend on the model family and that only the final request shows
 * (tools, system and messages together). Each rule names its trap of the field reference
 * (bedrock-traps.md): what the service would refuse, this module refuses first with a typed error
 * that says how to fix it, or repairs with a warning where a repair loses nothing the user relies on.
 *
 * Pure: the caller's request is never mutated (system blocks and tools may be the user's own objects);
 * a new request is returned. Family facts come from capabilities.ts.
 */
import type { ContentBlock, ConverseRequest, Message, SystemContentBlock, Tool } from "@aws-sdk/client-bedrock-runtime";
import { isAnthropicModel, isArn, isNovaModel } from "../capabilities.js";
import { BedrockInputError } from "../errors.js";
import { isCachePoint } from "./cache-points.js";
import { isPlainObject } from "./objects.js";

type Dict = Record<string, unknown>;
export type ModelFamily = "claude" | "nova" | "other";

/** MED-2: 5 MiB of base64 (what Claude measures) is 3.75 MiB of raw bytes (Bedrock's limit for the others). */
const MAX_IMAGE_BASE64_CHARS = 5 * 1024 * 1024;
const MAX_IMAGE_BYTES = (MAX_IMAGE_BASE64_CHARS / 4) * 3;
/** MED-3: Claude takes at most 20 images and documents per request, the whole replayed history counted. */
const MAX_CLAUDE_MEDIA = 20;
/** CACHE-3: cache points over tools + system + messages. */
const MAX_CACHE_POINTS = 4;

type CacheLocation = "tools" | "system" | "messages";

/**
 * CACHE-4: where each family accepts a cachePoint. Nova refuses points in toolConfig.tools ("extraneous
 * key [cachePoint]"). Reports conflict on Nova message points (one Nova Pro report refuses them, AWS's
 * prompt-caching docs and other reports accept them): we keep them, because the documented behaviour is
 * the one the current models follow and dropping them would silently cost users their cache hits.
 * Every other family (Llama, Mistral, Titan, DeepSeek, unknown models) has no prompt caching on Bedrock and
 * refuses the key anywhere, so points are dropped with a warning rather than derived from pricing data.
 */
const CACHE_LOCATIONS: Record<ModelFamily, ReadonlySet<CacheLocation>> = {
  claude: new Set(["tools", "system", "messages"]),
  nova: new Set(["system", "messages"]),
  other: new Set(),
};

/**
 * The family the limits below are keyed on. An opaque ARN (application inference profile without
 * `baseModelId`) is classified by its provider: `anthropic` is Claude, `amazon` is taken for Nova (the
 * Amazon models with Converse tools and media), so a Nova profile is never refused for S3 sources.
 */
export function modelFamily(baseModelId: string, provider?: string): ModelFamily {
  if (isAnthropicModel(baseModelId, provider)) return "claude";
  if (isNovaModel(baseModelId)) return "nova";
  if (isArn(baseModelId) && (provider ?? "").toLowerCase() === "amazon") return "nova";
  return "other";
}

const kindOf = (b: unknown): string => (isPlainObject(b) ? (Object.keys(b)[0] ?? "") : "");
const MEDIA_KINDS = ["image", "document", "video"] as const;

/** One content block of the messages, top-level or inside a toolResult, with its Bedrock path. */
interface Located {
  block: Dict;
  path: string;
  /** Replaces the block in the (copied) request. */
  replace: (next: Dict) => void;
}

/** Applies every rule below; throws {@link BedrockInputError}, reports repairs through `warn`. */
export function applyFamilyLimits(
  request: ConverseRequest,
  model: { baseModelId: string; provider?: string },
  warn: (message: string) => void,
): ConverseRequest {
  const family = modelFamily(model.baseModelId, model.provider);
  const out: ConverseRequest = {
    ...request,
    messages: (request.messages ?? []).map((m): Message => ({ ...m, content: [...(m.content ?? [])] })),
  };
  if (request.system) out.system = [...request.system];
  if (request.toolConfig?.tools) out.toolConfig = { ...request.toolConfig, tools: [...request.toolConfig.tools] };

  const blocks = locateBlocks(out.messages!);
  refuseS3Sources(blocks, family, model.baseModelId);
  refuseLargeImages(blocks, family);
  if (family === "claude") dropOldImages(out.messages!, warn);
  if (family === "other") dropToolResultStatus(blocks, model.baseModelId, warn);
  dropUnsupportedCachePoints(out, family, model.baseModelId, warn);
  keepLastCachePoints(out, warn);
  return out;
}

/** Every block of the messages in order; a toolResult's content blocks follow the toolResult. */
function locateBlocks(messages: Message[]): Located[] {
  const found: Located[] = [];
  messages.forEach((m, i) => {
    const content = m.content as unknown as Dict[];
    content.forEach((block, j) => {
      const path = `messages.${i}.content.${j}`;
      found.push({
        block,
        path,
        replace: (next) => {
          content[j] = next;
        },
      });
      const result = block["toolResult"];
      if (!isPlainObject(result) || !Array.isArray(result["content"])) return;
      (result["content"] as Dict[]).forEach((inner, k) => {
        found.push({
          block: inner,
          path: `${path}.toolResult.content.${k}`,
          // Copy the toolResult before changing its content: it may be shared with the caller.
          replace: (next) => {
            const current = content[j]!["toolResult"] as Dict;
            const innerContent = [...(current["content"] as Dict[])];
            innerContent[k] = next;
            content[j] = { ...content[j], toolResult: { ...current, content: innerContent } };
          },
        });
      });
    });
  });
  return found;
}

/**
 * MED-5: only Nova reads `s3Location` sources; Claude (and Llama, Mistral, Cohere) fail with a misleading
 * "source.type: Field required" because the S3 member is lost in translation.
 */
function refuseS3Sources(blocks: Located[], family: ModelFamily, baseModelId: string): void {
  if (family === "nova") return;
  for (const { block, path } of blocks) {
    const kind = kindOf(block);
    if (!(MEDIA_KINDS as readonly string[]).includes(kind)) continue;
    const source = (block[kind] as Dict | undefined)?.["source"];
    if (!isPlainObject(source) || !isPlainObject(source["s3Location"])) continue;
    const uri = (source["s3Location"] as Dict)["uri"];
    throw new BedrockInputError(
      "UNSUPPORTED_SOURCE",
      `The ${kind} at ${path} comes from Amazon S3 (${String(uri)}), but only Amazon Nova models read s3Location ` +
        `sources; "${baseModelId}" would fail with a misleading "source.type: Field required". ` +
        `Download the object and pass its bytes (base64 data) instead, or use a Nova model.`,
    );
  }
}

/** The raw byte count and the base64 length of an image source's bytes (Uint8Array or base64 text). */
function imageSizes(bytes: unknown): { raw: number; base64: number } | undefined {
  if (bytes instanceof Uint8Array) return { raw: bytes.byteLength, base64: Math.ceil(bytes.byteLength / 3) * 4 };
  if (typeof bytes === "string") return { raw: Buffer.byteLength(bytes, "base64"), base64: bytes.length };
  return undefined;
}

/**
 * MED-2: the 5 MB image limit is measured on the base64 text (Claude: "image exceeds 5 MB maximum:
 * 6737924 bytes > 5242880 bytes"), so the real budget is 3.75 MiB of image bytes; Bedrock applies the
 * same 3.75 MB to the other families (Nova). Refused here with both numbers, before the upload.
 */
function refuseLargeImages(blocks: Located[], family: ModelFamily): void {
  for (const { block, path } of blocks) {
    if (kindOf(block) !== "image") continue;
    const size = imageSizes(((block["image"] as Dict)["source"] as Dict | undefined)?.["bytes"]);
    if (!size || size.base64 <= MAX_IMAGE_BASE64_CHARS) continue;
    const measured =
      family === "claude"
        ? `${size.base64} bytes once base64-encoded, over Claude's 5 MB maximum (${MAX_IMAGE_BASE64_CHARS})`
        : `${size.raw} bytes, over Bedrock's 3.75 MB maximum (${MAX_IMAGE_BYTES})`;
    throw new BedrockInputError(
      "IMAGE_TOO_LARGE",
      `The image at ${path} is ${measured}. An image may have at most ${MAX_IMAGE_BYTES} bytes ` +
        `(${MAX_IMAGE_BASE64_CHARS} in base64): downscale it or recompress it (JPEG or WebP) before sending.`,
    );
  }
}

/**
 * MED-3: Claude refuses more than 20 images and documents in one request ("too many images and
 * documents: 21 + 0 > 20"), counted over the whole replayed history, which is how agents that keep
 * screenshots break after a while. The oldest images are replaced by a text note (documents are kept:
 * Bedrock caps them at 5 anyway), with a warning. This also keeps Claude's 2000 px per-side cap for
 * requests with more than 20 images from ever applying: at most 20 images are sent.
 */
function dropOldImages(messages: Message[], warn: (message: string) => void): void {
  const media = locateBlocks(messages).filter(({ block }) => kindOf(block) === "image" || kindOf(block) === "document");
  const excess = media.length - MAX_CLAUDE_MEDIA;
  if (excess <= 0) return;
  // The oldest images go first; documents stay (Bedrock caps them at 5, so images make up the excess).
  const victims = media.filter(({ block }) => kindOf(block) === "image").slice(0, excess);
  if (victims.length === 0) return;
  for (const victim of victims) {
    victim.replace({ text: `[image omitted: Claude accepts at most ${MAX_CLAUDE_MEDIA} images and documents per request]` });
  }
  warn(
    `The request carried ${media.length} images and documents; Claude accepts at most ${MAX_CLAUDE_MEDIA}. ` +
      `The ${victims.length} oldest image(s) were replaced by a text note (${victims.map((v) => v.path).join(", ")}). ` +
      `Trim old images from the history to keep control over which ones the model sees.`,
  );
}

/**
 * TOOL-7: toolResult `status` is documented for Claude and accepted by Nova; other models (Writer
 * Palmyra, marketplace Mistral) refuse the field, so it is left out for them. An `error` status is
 * reported in a warning: the result's text still carries the error for the model to read.
 */
function dropToolResultStatus(blocks: Located[], baseModelId: string, warn: (message: string) => void): void {
  let errors = 0;
  for (const located of blocks) {
    const result = located.block["toolResult"];
    if (!isPlainObject(result) || !("status" in result)) continue;
    if (result["status"] === "error") errors++;
    const { status: _status, ...rest } = result;
    located.replace({ ...located.block, toolResult: rest });
  }
  if (errors > 0) {
    warn(
      `Model "${baseModelId}" does not accept a toolResult status, so ${errors} tool result(s) marked as errors were ` +
        `sent without status "error"; their content still tells the model what went wrong.`,
    );
  }
}

/** CACHE-4: cache points in locations the family refuses are dropped, with a warning naming them. */
function dropUnsupportedCachePoints(
  request: ConverseRequest,
  family: ModelFamily,
  baseModelId: string,
  warn: (message: string) => void,
): void {
  const allowed = CACHE_LOCATIONS[family];
  const dropped: string[] = [];
  if (!allowed.has("tools") && request.toolConfig?.tools?.some(isCachePoint)) {
    request.toolConfig.tools = request.toolConfig.tools.filter((t) => !isCachePoint(t));
    dropped.push("toolConfig.tools");
  }
  if (!allowed.has("system") && request.system?.some(isCachePoint)) {
    request.system = request.system.filter((b) => !isCachePoint(b));
    dropped.push("system");
  }
  if (!allowed.has("messages") && request.messages!.some((m) => m.content!.some(isCachePoint))) {
    for (const m of request.messages!) m.content = m.content!.filter((b) => !isCachePoint(b));
    dropped.push("messages");
  }
  if (dropped.length === 0) return;
  const why = family === "nova" ? "Amazon Nova does not accept cache points there" : `"${baseModelId}" has no prompt caching on Bedrock`;
  warn(`Cache points in ${dropped.join(", ")} were left out of the request: ${why}.`);
}

/**
 * CACHE-3: at most four cache points over tools + system + messages ("A maximum of 4 blocks with
 * cache_control may be provided. Found 5."). The cached prefix runs tools → system → messages, and the
 * last points cover the longest prefixes, so the last four are kept and the earlier ones dropped.
 */
function keepLastCachePoints(request: ConverseRequest, warn: (message: string) => void): void {
  const points: Array<{ path: string; remove: () => void }> = [];
  const tools = request.toolConfig?.tools ?? [];
  const system = request.system ?? [];
  const removedTools = new Set<number>();
  const removedSystem = new Set<number>();
  const removedMessages = new Map<number, Set<number>>();
  tools.forEach((t, i) => {
    if (isCachePoint(t)) points.push({ path: `toolConfig.tools.${i}`, remove: () => removedTools.add(i) });
  });
  system.forEach((b, i) => {
    if (isCachePoint(b)) points.push({ path: `system.${i}`, remove: () => removedSystem.add(i) });
  });
  request.messages!.forEach((m, i) => {
    m.content!.forEach((b, j) => {
      if (!isCachePoint(b)) return;
      points.push({
        path: `messages.${i}.content.${j}`,
        remove: () => removedMessages.set(i, (removedMessages.get(i) ?? new Set()).add(j)),
      });
    });
  });
  if (points.length <= MAX_CACHE_POINTS) return;
  const excess = points.slice(0, points.length - MAX_CACHE_POINTS);
  for (const p of excess) p.remove();
  if (request.toolConfig?.tools) request.toolConfig.tools = tools.filter((_, i) => !removedTools.has(i)) as Tool[];
  if (request.system) request.system = system.filter((_, i) => !removedSystem.has(i)) as SystemContentBlock[];
  request.messages!.forEach((m, i) => {
    const gone = removedMessages.get(i);
    if (gone) m.content = m.content!.filter((_, j) => !gone.has(j)) as ContentBlock[];
  });
  warn(
    `The request had ${points.length} cache points; Bedrock accepts at most ${MAX_CACHE_POINTS} over tools, system and ` +
      `messages. The last ${MAX_CACHE_POINTS} were kept; dropped: ${excess.map((p) => p.path).join(", ")}.`,
  );
}
