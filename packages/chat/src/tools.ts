/**
 * Tool definitions in every dialect LangChain users bring → Bedrock Converse `Tool`s, and
 * LangChain's `tool_choice` → Bedrock `ToolChoice`.
 *
 * Accepted tool forms (first match wins):
 * 1. `"nova_grounding"` / `"nova_code_interpreter"` → `{systemTool: {name}}`
 * 2. `{cachePoint: {...}}`, `{systemTool: {...}}` → passed through
 * 3. `{toolSpec: {...}}` → passed through (description defaulted, nulls stripped, `strict` applied
 *    when the option is given and the spec has none)
 * 4. OpenAI `{type: "function", function: {name, description, parameters, strict?}}`
 * 5. a zod schema (v3 or v4) whose JSON schema has a `title` (zod 4: `.meta({title})`)
 * 6. LangChain tools: `tool()`, `StructuredTool`, `DynamicStructuredTool`, `RunnableLambda.asTool()`,
 *    and `{name, description?, schema}` objects (zod or any JSON schema object)
 * 7. Anthropic `{name, description?, input_schema}`
 * 8. a plain JSON schema with a `title` (the title becomes the name; Python `convert_to_openai_tool`)
 *
 * The produced `toolSpec` is `{name, description, inputSchema: {json}, strict?}`: the description
 * defaults to the name (Bedrock requires at least one character), `strict` appears only when
 * `true`/`false` was given, and `null` branches are removed from `anyOf` and `type` arrays (Python
 * `_strip_null_anyof`; Bedrock rejects them). Inputs are never mutated. Conversions of object
 * inputs are cached per object (and `strict` value) and returned frozen: binding the same tools on
 * every call costs one lookup.
 */
import { BedrockToolChoiceError, BedrockToolFormatError } from "./errors.js";
import type { Tool, ToolChoice } from "@aws-sdk/client-bedrock-runtime";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { isLangChainTool } from "@langchain/core/utils/function_calling";
import { isInteropZodSchema } from "@langchain/core/utils/types";
import type { ToolChoiceValue } from "./capabilities.js";
import { isPlainObject } from "./convert/objects.js";

/** Names of the Nova system tools Bedrock runs server-side. */
const NOVA_SYSTEM_TOOLS: readonly string[] = Object.freeze(["nova_grounding", "nova_code_interpreter"]);

/** Anything `formatToolsForBedrock` accepts (see the module comment); checked at run time. */
export type BedrockToolInput = unknown;

export interface FormatToolsOptions {
  /** Sent as `toolSpec.strict` when given (true or false); absent otherwise. */
  strict?: boolean;
}

type JsonObject = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// JSON schema clean-up
// ---------------------------------------------------------------------------------------------

/** Keys whose values are data, not sub-schemas: never rewritten. */
const DATA_KEYS = new Set(["enum", "const", "default", "examples", "example"]);

function isNullSchema(v: unknown): boolean {
  return isPlainObject(v) && v["type"] === "null" && Object.keys(v).every((k) => k === "type" || k === "description" || k === "title");
}

/**
 * Returns a copy of `schema` without `null` alternatives, recursively (Python `_strip_null_anyof`):
 * `{anyOf: [X, {type: "null"}]}` → X merged with the remaining keys of the parent (the parent's keys
 * win), `{anyOf: [X, Y, {type: "null"}]}` → `{anyOf: [X, Y]}`, `type: ["string", "null"]` →
 * `type: "string"`. A schema that is *only* null is left alone. The input is not mutated.
 */
export function stripNullFromSchema<T>(schema: T): T {
  return stripNode(schema) as T;
}

function stripNode(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripNode);
  if (!isPlainObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = DATA_KEYS.has(key) ? value : stripNode(value);
  }
  const type = out["type"];
  if (Array.isArray(type) && type.includes("null")) {
    const rest = type.filter((t) => t !== "null");
    if (rest.length === 1) out["type"] = rest[0];
    else if (rest.length > 1) out["type"] = rest;
  }
  const anyOf = out["anyOf"];
  if (Array.isArray(anyOf) && anyOf.some(isNullSchema)) {
    const rest = anyOf.filter((s) => !isNullSchema(s));
    if (rest.length === 1 && isPlainObject(rest[0])) {
      const { anyOf: _dropped, ...parent } = out;
      void _dropped;
      return { ...rest[0], ...parent };
    }
    if (rest.length > 0) out["anyOf"] = rest;
  }
  return out;
}

/**
 * Returns a copy of `schema` without the bounds zod 4 writes for every `.int()`
 * (`minimum: Number.MIN_SAFE_INTEGER`, `maximum: Number.MAX_SAFE_INTEGER`), recursively. They add
 * nothing (Python's pydantic `int` has no bounds), and models whose structured output does not
 * accept numeric constraints (Claude) would reject them. Other bounds are kept. Not mutated.
 */
export function dropSafeIntegerBounds<T>(schema: T): T {
  return dropBounds(schema) as T;
}

function dropBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropBounds);
  if (!isPlainObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "minimum" && value === Number.MIN_SAFE_INTEGER && node["type"] === "integer") continue;
    if (key === "maximum" && value === Number.MAX_SAFE_INTEGER && node["type"] === "integer") continue;
    out[key] = DATA_KEYS.has(key) ? value : dropBounds(value);
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** The JSON schema of a tool's `schema` (zod v3/v4, standard schema or JSON schema), copied. */
function schemaOf(schema: unknown): JsonObject {
  const json = toJsonSchema(schema as Parameters<typeof toJsonSchema>[0]) as unknown;
  if (!isPlainObject(json)) throw new BedrockToolFormatError("A tool's input schema must be a JSON object schema.");
  return isInteropZodSchema(schema) ? dropSafeIntegerBounds(json) : json;
}

/** Input schema as Bedrock wants it: no `$schema`, no null branches. Returns a fresh object. */
function cleanInputSchema(schema: JsonObject | undefined): JsonObject {
  if (!schema) return { type: "object", properties: {} };
  const { $schema: _ignored, ...rest } = schema;
  void _ignored;
  return stripNullFromSchema(rest);
}

function toolSpec(name: unknown, description: unknown, schema: JsonObject | undefined, strict: boolean | undefined): Tool {
  if (typeof name !== "string" || name.length === 0) {
    throw new BedrockToolFormatError("Every tool needs a non-empty name.");
  }
  const desc = typeof description === "string" && description.length > 0 ? description : name;
  const spec: Tool.ToolSpecMember["toolSpec"] = {
    name,
    description: desc,
    inputSchema: { json: cleanInputSchema(schema) as never },
  };
  if (typeof strict === "boolean") spec.strict = strict;
  return { toolSpec: spec };
}

// ---------------------------------------------------------------------------------------------
// Tool conversion
// ---------------------------------------------------------------------------------------------

const cache = new WeakMap<object, Map<string, Tool>>();

/** Converts tool definitions to Bedrock `Tool`s. Throws `BedrockToolFormatError` on unknown forms. */
export function formatToolsForBedrock(tools: readonly BedrockToolInput[], options: FormatToolsOptions = {}): Tool[] {
  return tools.map((t) => formatTool(t, options.strict));
}

/** One tool; see `formatToolsForBedrock`. Object inputs are cached; the result is frozen. */
export function formatTool(input: BedrockToolInput, strict?: boolean): Tool {
  if (typeof input === "string") {
    if (NOVA_SYSTEM_TOOLS.includes(input)) return deepFreeze({ systemTool: { name: input } });
    throw new BedrockToolFormatError(
      `Unknown tool "${input}": the only tools accepted by name are the Nova system tools ${NOVA_SYSTEM_TOOLS.join(", ")}.`,
    );
  }
  if (input === null || (typeof input !== "object" && typeof input !== "function")) {
    throw new BedrockToolFormatError(`Cannot use ${input === null ? "null" : typeof input} as a tool definition.`);
  }
  const key = strict === undefined ? "" : String(strict);
  let perStrict = cache.get(input);
  const hit = perStrict?.get(key);
  if (hit) return hit;
  const converted = deepFreeze(convertObjectTool(input as JsonObject, strict));
  if (!perStrict) {
    perStrict = new Map();
    cache.set(input, perStrict);
  }
  perStrict.set(key, converted);
  return converted;
}

function convertObjectTool(t: JsonObject, strict: boolean | undefined): Tool {
  if (isPlainObject(t["cachePoint"]))
    return { cachePoint: structuredClone(t["cachePoint"]) as unknown as Tool.CachePointMember["cachePoint"] };
  if (isPlainObject(t["systemTool"])) return { systemTool: { ...(t["systemTool"] as { name: string }) } };
  if (isPlainObject(t["toolSpec"])) {
    const spec = t["toolSpec"];
    const inputSchema = isPlainObject(spec["inputSchema"]) ? spec["inputSchema"] : undefined;
    const json = inputSchema && isPlainObject(inputSchema["json"]) ? inputSchema["json"] : undefined;
    const explicitStrict = typeof spec["strict"] === "boolean" ? (spec["strict"] as boolean) : strict;
    return toolSpec(spec["name"], spec["description"], json, explicitStrict);
  }
  if (t["type"] === "function" && isPlainObject(t["function"])) {
    const fn = t["function"];
    const parameters = isPlainObject(fn["parameters"]) ? fn["parameters"] : undefined;
    const fnStrict = strict ?? (typeof fn["strict"] === "boolean" ? (fn["strict"] as boolean) : undefined);
    return toolSpec(fn["name"], fn["description"], parameters, fnStrict);
  }
  if (isInteropZodSchema(t)) {
    const json = schemaOf(t);
    return fromTitledJsonSchema(json, strict, "zod schema");
  }
  if (isLangChainTool(t)) {
    const lc = t as unknown as { name: string; description?: string; schema: unknown };
    return toolSpec(lc.name, lc.description, schemaOf(lc.schema), strict);
  }
  if (typeof t["name"] === "string" && isPlainObject(t["schema"])) {
    // {name, schema} whose JSON schema has no string `type` (core's isStructuredToolParams skips it)
    return toolSpec(t["name"], t["description"], schemaOf(t["schema"]), strict);
  }
  if (typeof t["name"] === "string" && isPlainObject(t["input_schema"])) {
    return toolSpec(t["name"], t["description"], t["input_schema"], strict);
  }
  if (typeof t["title"] === "string" && (t["type"] === "object" || isPlainObject(t["properties"]))) {
    return fromTitledJsonSchema(t, strict, "JSON schema");
  }
  throw new BedrockToolFormatError(
    "Unsupported tool definition. Use a LangChain tool, {name, description, schema}, an OpenAI " +
      '{type: "function", function}, an Anthropic {name, input_schema}, a Bedrock {toolSpec}, a ' +
      "{cachePoint}, a Nova system tool name, or a JSON/zod schema with a title. Got keys: " +
      Object.keys(t).join(", "),
  );
}

/** JSON schema whose title names the tool; title and description move out of the parameters. */
function fromTitledJsonSchema(json: JsonObject, strict: boolean | undefined, what: string): Tool {
  const { title, description, ...parameters } = json;
  if (typeof title !== "string" || title.length === 0) {
    throw new BedrockToolFormatError(
      `A ${what} used as a tool needs a name: give it a title (zod 4: .meta({ title: "my_tool" })) ` +
        `or pass { name, description, schema }.`,
    );
  }
  return toolSpec(title, description, parameters, strict);
}

// ---------------------------------------------------------------------------------------------
// Inspection helpers
// ---------------------------------------------------------------------------------------------

/** True when any tool is a Bedrock system tool (the model class then binds disableStreaming: true). */
export function hasSystemTools(tools: readonly Tool[]): boolean {
  return tools.some((t) => t.systemTool !== undefined);
}

/** True when there are system tools and no custom `toolSpec`s (cache points don't count). */
export function hasOnlySystemTools(tools: readonly Tool[]): boolean {
  return hasSystemTools(tools) && !tools.some((t) => t.toolSpec !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Tool choice
// ---------------------------------------------------------------------------------------------

/**
 * What callers may pass: `"auto"`, `"any"`, `"required"` (= any), `"none"`, a tool name, or a Bedrock
 * `ToolChoice` object (`{auto: {}}`, `{any: {}}`, `{tool: {name}}`).
 */
export type ToolChoiceInput = string | ToolChoice | Record<string, unknown>;

export interface ToolChoiceOptions {
  /** `thinking.type` is enabled/adaptive: an unsupported forced choice downgrades to auto. */
  thinkingEnabled?: boolean;
  /** Named in error messages. */
  modelId?: string;
  /** Only Nova system tools are bound: forced choices downgrade to auto (Python, with a warning). */
  systemToolsOnly?: boolean;
}

export interface ResolvedToolChoice {
  /** Undefined: send no toolChoice (the service default, auto). */
  toolChoice?: ToolChoice;
  /** `"none"` was requested: the request builder should send no tools this call. */
  omitTools: boolean;
  warnings: string[];
}

const TOOL_CHOICE_DOCS = "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolChoice.html";

function choiceType(choice: ToolChoice): string {
  return Object.keys(choice).find((k) => k !== "$unknown") ?? "";
}

/**
 * Maps a LangChain tool_choice to Bedrock and checks it against the model's supported values
 * (from `supportedToolChoiceValues`):
 *
 * - `"auto"` → `{auto: {}}`; `"any"` and `"required"` → `{any: {}}` (Python passes "required" as a
 *   tool name, a quirk we do not copy: LangChain defines it as "call some tool");
 * - `"none"` → no toolChoice and `omitTools: true`. Converse has no "none"; LangChain's meaning is
 *   "do not call tools", which only withholding the tools guarantees (vercel does the same). The
 *   request builder then treats the call as tool-less (history tool blocks become text, Python's
 *   fallback). `"none"` is always accepted;
 * - another string → `{tool: {name}}`; a Bedrock ToolChoice object → itself;
 * - type not supported → if thinking is on (or only system tools are bound) and auto is supported,
 *   `{auto: {}}` plus the warning "Downgrading to tool_choice='auto'"; else `BedrockToolChoiceError`
 *   with Python's text naming the supported types.
 */
export function resolveToolChoice(
  choice: ToolChoiceInput | undefined | null,
  supported: readonly (ToolChoiceValue | string)[],
  options: ToolChoiceOptions = {},
): ResolvedToolChoice {
  const warnings: string[] = [];
  if (choice === undefined || choice === null || choice === "") return { omitTools: false, warnings };
  if (choice === "none") return { omitTools: true, warnings };

  let formatted: ToolChoice;
  if (typeof choice === "string") {
    if (choice === "auto") formatted = { auto: {} };
    else if (choice === "any" || choice === "required") formatted = { any: {} };
    else formatted = { tool: { name: choice } };
  } else if (isPlainObject(choice)) {
    formatted = choice as unknown as ToolChoice;
  } else {
    throw new BedrockToolChoiceError(`Unsupported tool_choice ${JSON.stringify(choice)}.`, String(choice), supported);
  }
  const type = choiceType(formatted);
  if (type !== "auto" && type !== "any" && type !== "tool") {
    throw new BedrockToolChoiceError(
      `Unsupported tool_choice ${JSON.stringify(choice)}: a Bedrock ToolChoice has one of the keys auto, any, tool.`,
      type,
      supported,
    );
  }
  if (supported.includes(type)) {
    if (options.systemToolsOnly && type !== "auto" && supported.includes("auto")) {
      warnings.push(`tool_choice "${type}" cannot force Nova system tools. Downgrading to tool_choice='auto'.`);
      return { toolChoice: { auto: {} }, omitTools: false, warnings };
    }
    return { toolChoice: formatted, omitTools: false, warnings };
  }
  if ((options.thinkingEnabled || options.systemToolsOnly) && supported.includes("auto")) {
    warnings.push(
      options.thinkingEnabled
        ? `Model ${options.modelId ?? ""} does not support tool_choice of type ${type} while thinking is enabled. ` +
            `Downgrading to tool_choice='auto'. Disable thinking to force a tool call.`
        : `tool_choice "${type}" cannot force Nova system tools. Downgrading to tool_choice='auto'.`,
    );
    return { toolChoice: { auto: {} }, omitTools: false, warnings };
  }
  const model = options.modelId ?? "this model";
  const head =
    supported.length > 0
      ? `Model ${model} does not currently support tool_choice of type ${type}. ` +
        `The following tool_choice types are supported: ${supported.join(", ")}.`
      : `Model ${model} does not currently support tool_choice.`;
  throw new BedrockToolChoiceError(
    `${head} Please see ${TOOL_CHOICE_DOCS} for the latest documentation on models that support tool choice.`,
    type,
    supported,
  );
}
