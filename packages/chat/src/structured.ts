/**
 * The pieces of `withStructuredOutput`, kept out of the model class:
 *
 * - `resolveStructuredMethod`: the method name (camelCase or Python snake_case).
 * - `schemaToJsonSchema`: zod v3 / v4, standard schema, JSON schema or an OpenAI function dict →
 *   JSON schema, name and description.
 * - `withAdditionalPropertiesFalse`, `buildJsonSchemaOutputConfig`, `responseFormatToOutputConfig`:
 *   native structured output (`outputConfig.textFormat`, method `jsonSchema`).
 * - `promptPrefillInstructions`, `applyPromptPrefill`, `prefillStopSequences`: method
 *   `promptPrefill` (Nova).
 * - Parsers (Runnables): `ToolCallStructuredOutputParser` (functionCalling) and
 *   `JsonTextStructuredOutputParser` (jsonSchema / promptPrefill), both raising
 *   `OutputParserException` naming the failing field; `buildStructuredOutputRunnable` composes
 *   `llm | parser`, or the `{raw, parsed, parsingError}` form for `includeRaw`.
 */
import { contentText } from "./convert/content-text.js";
import { ResponseFormatError, StructuredOutputMethodError, StructuredOutputSchemaError } from "./errors.js";
import type { OutputConfig } from "@aws-sdk/client-bedrock-runtime";
import { BaseLLMOutputParser, OutputParserException } from "@langchain/core/output_parsers";
import type { ChatGeneration, Generation } from "@langchain/core/outputs";
import {
  getSchemaDescription,
  interopSafeParse,
  isInteropZodSchema,
  type InteropZodIssue,
  type InteropZodType,
} from "@langchain/core/utils/types";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { RunnableLambda, type Runnable } from "@langchain/core/runnables";
import type { BaseLanguageModelInput, StructuredOutputMethodOptions } from "@langchain/core/language_models/base";
import { AIMessage, SystemMessage, coerceMessageLikeToMessage, type BaseMessage, type BaseMessageLike } from "@langchain/core/messages";
import { dropSafeIntegerBounds } from "./tools.js";
// The shared plain-object check, under the name this module has always used.
import { isPlainObject as isRecord } from "./convert/objects.js";

type JsonObject = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Method
// ---------------------------------------------------------------------------------------------

export type StructuredOutputMethod = "functionCalling" | "jsonSchema" | "promptPrefill";

/** Accepted spellings → method. `jsonMode` maps to `jsonSchema`: a schema is always given, and
 * Bedrock's native JSON-schema output is strictly stronger than "some JSON". */
const METHOD_ALIASES: Readonly<Record<string, StructuredOutputMethod>> = Object.freeze({
  functionCalling: "functionCalling",
  function_calling: "functionCalling",
  jsonSchema: "jsonSchema",
  json_schema: "jsonSchema",
  jsonMode: "jsonSchema",
  json_mode: "jsonSchema",
  promptPrefill: "promptPrefill",
  prompt_prefill: "promptPrefill",
});

const STRUCTURED_OUTPUT_METHODS: readonly string[] = Object.freeze(Object.keys(METHOD_ALIASES));

/** Undefined → `functionCalling` (Python's default). Unknown → `StructuredOutputMethodError`. */
export function resolveStructuredMethod(method?: string): StructuredOutputMethod {
  if (method === undefined || method === null) return "functionCalling";
  const resolved = Object.hasOwn(METHOD_ALIASES, method) ? METHOD_ALIASES[method] : undefined;
  if (!resolved) {
    throw new StructuredOutputMethodError(
      `Unknown structured output method ${JSON.stringify(method)}. Valid methods: ${STRUCTURED_OUTPUT_METHODS.join(", ")}.`,
    );
  }
  return resolved;
}

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

export interface StructuredSchemaInfo {
  /** A fresh JSON schema object (the caller may change it), without `$schema`. */
  jsonSchema: JsonObject;
  name: string;
  description?: string;
  /** The zod schema to validate parsed output with, when one was given. */
  zodSchema?: InteropZodType;
  /** True when the input was a zod schema (v3 or v4); then `zodSchema` is that schema. */
  isZod: boolean;
}

export interface SchemaToJsonSchemaOptions {
  /** Explicit name (the `name` option of withStructuredOutput); wins over everything. */
  name?: string;
  /**
   * Name used when the schema has none. Defaults by method: `"extract"` for functionCalling (the
   * LangChain.js convention), `"output_schema"` for jsonSchema / promptPrefill (Python).
   */
  defaultName?: string;
  method?: StructuredOutputMethod;
}

function defaultNameFor(options: SchemaToJsonSchemaOptions): string {
  if (options.defaultName) return options.defaultName;
  return options.method === undefined || options.method === "functionCalling" ? "extract" : "output_schema";
}

const nonEmpty = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

/**
 * Any accepted schema → `{jsonSchema, name, description, zodSchema?}`.
 *
 * - zod v3 / v4: converted with core's `toJsonSchema` (zod 4's safe-integer bounds on `.int()`
 *   dropped, see `dropSafeIntegerBounds`); name from `.meta({title})`, description from `.describe()`.
 * - OpenAI function dict `{name, description?, parameters}`: its parameters.
 * - JSON schema: deep-copied; name from `title`, else a top-level `name`; description from
 *   `description`.
 * Anything else → `StructuredOutputSchemaError`.
 */
export function schemaToJsonSchema(schema: unknown, options: SchemaToJsonSchemaOptions = {}): StructuredSchemaInfo {
  const fallback = defaultNameFor(options);
  if (isInteropZodSchema(schema)) {
    const json = dropSafeIntegerBounds(structuredClone(toJsonSchema(schema) as JsonObject));
    delete json["$schema"];
    return {
      jsonSchema: json,
      name: nonEmpty(options.name) ?? nonEmpty(json["title"]) ?? fallback,
      description: nonEmpty(getSchemaDescription(schema)) ?? nonEmpty(json["description"]),
      zodSchema: schema,
      isZod: true,
    };
  }
  if (isRecord(schema) && "~standard" in schema) {
    const json = structuredClone(toJsonSchema(schema as never) as JsonObject);
    delete json["$schema"];
    return {
      jsonSchema: json,
      name: nonEmpty(options.name) ?? nonEmpty(json["title"]) ?? fallback,
      description: nonEmpty(json["description"]),
      isZod: false,
    };
  }
  if (isRecord(schema)) {
    if (typeof schema["name"] === "string" && isRecord(schema["parameters"])) {
      const json = structuredClone(schema["parameters"]);
      delete json["$schema"];
      return {
        jsonSchema: json,
        name: nonEmpty(options.name) ?? nonEmpty(schema["name"]) ?? fallback,
        description: nonEmpty(schema["description"]) ?? nonEmpty(json["description"]),
        isZod: false,
      };
    }
    const json = structuredClone(schema);
    delete json["$schema"];
    return {
      jsonSchema: json,
      name: nonEmpty(options.name) ?? nonEmpty(json["title"]) ?? nonEmpty(json["name"]) ?? fallback,
      description: nonEmpty(json["description"]),
      isZod: false,
    };
  }
  throw new StructuredOutputSchemaError("withStructuredOutput needs a zod schema (v3 or v4), a standard schema, or a JSON schema object.");
}

/** Keys holding one sub-schema, maps of sub-schemas, or lists of sub-schemas. */
const ONE_SCHEMA_KEYS = ["items", "additionalItems", "contains", "not", "if", "then", "else", "propertyNames", "unevaluatedItems"];
const SCHEMA_MAP_KEYS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
const SCHEMA_LIST_KEYS = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];

function isObjectSchema(node: JsonObject): boolean {
  const type = node["type"];
  return type === "object" || (Array.isArray(type) && type.includes("object")) || isRecord(node["properties"]);
}

function closeObjects(node: unknown): unknown {
  if (!isRecord(node)) return node;
  const out: JsonObject = { ...node };
  for (const key of ONE_SCHEMA_KEYS) if (isRecord(out[key])) out[key] = closeObjects(out[key]);
  for (const key of SCHEMA_LIST_KEYS) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.map(closeObjects);
  }
  for (const key of SCHEMA_MAP_KEYS) {
    const map = out[key];
    if (isRecord(map)) out[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, closeObjects(v)]));
  }
  if (isObjectSchema(out)) out["additionalProperties"] = false;
  return out;
}

/**
 * A deep copy of `jsonSchema` with `additionalProperties: false` on every object schema: the root,
 * `properties`, `items` / `prefixItems`, `$defs`, `definitions`, `allOf` / `anyOf` / `oneOf`, and the
 * other sub-schema keys (Python `_set_additional_properties_false`; Bedrock's structured output
 * requires closed objects). The caller's schema is never touched.
 */
export function withAdditionalPropertiesFalse<T>(jsonSchema: T): T {
  return closeObjects(structuredClone(jsonSchema)) as T;
}

/**
 * `outputConfig.textFormat` for native structured output. The schema travels as a JSON **string**
 * (`JSON.stringify`, so non-ASCII characters are kept as they are); name and description are
 * omitted when empty.
 */
export function buildJsonSchemaOutputConfig(jsonSchema: JsonObject, name?: string, description?: string): OutputConfig {
  const definition: { schema: string; name?: string; description?: string } = { schema: JSON.stringify(jsonSchema) };
  if (name) definition.name = name;
  if (description) definition.description = description;
  return { textFormat: { type: "json_schema", structure: { jsonSchema: definition } } };
}

/**
 * Python's `response_format` call option → `outputConfig`. Accepts
 * `{type: "json_schema", json_schema | jsonSchema: {schema, name?, description?}}` where `schema` is
 * a JSON string (sent unchanged) or an object (stringified). Anything else → `ResponseFormatError`.
 * The schema is not rewritten: the caller asked for exactly this one. (Python: an explicit
 * `outputConfig` wins over `response_format`; that merge is the request builder's.)
 */
export function responseFormatToOutputConfig(responseFormat: unknown): OutputConfig {
  if (!isRecord(responseFormat)) {
    throw new ResponseFormatError(`response_format must be an object like {type: "json_schema", json_schema: {...}}.`);
  }
  if (responseFormat["type"] !== "json_schema") {
    throw new ResponseFormatError(
      `Unsupported response_format type ${JSON.stringify(responseFormat["type"])}: only "json_schema" is supported.`,
    );
  }
  const spec = responseFormat["json_schema"] ?? responseFormat["jsonSchema"];
  if (!isRecord(spec) || spec["schema"] === undefined || spec["schema"] === null) {
    throw new ResponseFormatError(`response_format of type "json_schema" needs json_schema.schema (a JSON string or object).`);
  }
  const schema = spec["schema"];
  if (typeof schema !== "string" && !isRecord(schema)) {
    throw new ResponseFormatError(`response_format json_schema.schema must be a JSON string or an object.`);
  }
  const definition: { schema: string; name?: string; description?: string } = {
    schema: typeof schema === "string" ? schema : JSON.stringify(schema),
  };
  if (nonEmpty(spec["name"])) definition.name = spec["name"] as string;
  if (nonEmpty(spec["description"])) definition.description = spec["description"] as string;
  return { textFormat: { type: "json_schema", structure: { jsonSchema: definition } } };
}

// ---------------------------------------------------------------------------------------------
// Prompt prefill (Nova)
// ---------------------------------------------------------------------------------------------

const PREFILL_OPENING = "```json";
const PREFILL_STOP = "```";

export interface PromptPrefillDetails {
  /** Appended to the system prompt (after a blank line when the prompt is non-empty). */
  systemText: string;
  /** Content of the AI message appended last; the model continues from it. */
  prefill: string;
  /** Stop sequences to merge into the call's (see `prefillStopSequences`). */
  stop: string[];
}

/** The system instructions, the "```json" prefill and the "```" stop sequence. */
export function promptPrefillInstructions(jsonSchema: JsonObject): PromptPrefillDetails {
  const systemText =
    "Answer with one JSON value that conforms to the JSON schema below, and nothing else: no prose, " +
    "no comments. Close the JSON code block with ``` when the value is complete.\n\n" +
    `JSON schema:\n${JSON.stringify(jsonSchema, null, 2)}`;
  return { systemText, prefill: PREFILL_OPENING, stop: [PREFILL_STOP] };
}

/** The union of stop sequence lists (first occurrence order) plus "```". */
export function prefillStopSequences(...lists: Array<readonly string[] | undefined>): string[] {
  const out: string[] = [];
  for (const s of [...lists.flatMap((l) => l ?? []), PREFILL_STOP]) if (!out.includes(s)) out.push(s);
  return out;
}

/**
 * Python's prompt_prefill message edit, on a copy (the input messages are not changed): the
 * instructions are appended to the first SystemMessage (to its string, or to its last text block
 * for list content, so a trailing cachePoint block stays last), or a new SystemMessage is put
 * first; then an AIMessage holding the prefill is appended.
 */
export function applyPromptPrefill(messages: readonly BaseMessage[], details: PromptPrefillDetails): BaseMessage[] {
  const out = [...messages];
  const index = out.findIndex((m) => SystemMessage.isInstance(m));
  if (index === -1) {
    out.unshift(new SystemMessage(details.systemText));
  } else {
    const system = out[index]!;
    const content = system.content;
    let next: SystemMessage["content"];
    if (typeof content === "string") {
      next = content.trim().length > 0 ? `${content}\n\n${details.systemText}` : details.systemText;
    } else {
      const blocks = content.map((b) => ({ ...b })) as Array<Record<string, unknown>>;
      let last = -1;
      blocks.forEach((b, i) => {
        if (b["type"] === "text" && typeof b["text"] === "string") last = i;
      });
      if (last === -1) blocks.push({ type: "text", text: details.systemText });
      else blocks[last]!["text"] = `${blocks[last]!["text"] as string}\n\n${details.systemText}`;
      next = blocks as SystemMessage["content"];
    }
    out[index] = new SystemMessage({ content: next, additional_kwargs: system.additional_kwargs, id: system.id, name: system.name });
  }
  out.push(new AIMessage(details.prefill));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsers
// ---------------------------------------------------------------------------------------------

function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return "(root)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** "field `a.b[0]`: message; field `c`: message" from zod issues. */
function describeZodIssues(issues: readonly InteropZodIssue[]): string {
  return issues.map((i) => `field \`${formatPath(i.path ?? [])}\`: ${i.message}`).join("; ");
}

function validate<T>(value: unknown, zodSchema: InteropZodType<T> | undefined, what: string, llmOutput: string): T {
  if (!zodSchema) return value as T;
  const result = interopSafeParse(zodSchema, value);
  if (result.success) return result.data;
  throw new OutputParserException(
    `Structured output from ${what} does not match the schema: ${describeZodIssues(result.error.issues)}`,
    llmOutput,
  );
}

function messageOf(generations: Generation[] | ChatGeneration[]): BaseMessage | undefined {
  const first = generations[0] as ChatGeneration | undefined;
  return first?.message;
}

/** The text of an AI message: a string, or its text blocks joined (reasoning etc. skipped). */
function messageText(message: BaseMessage | undefined, fallback = ""): string {
  return message ? contentText(message.content) : fallback;
}

export interface StructuredParserOptions<T> {
  /** The tool name (functionCalling) / schema name (for messages). */
  name: string;
  /** Validates and shapes the parsed value. Without it the plain JSON value is returned. */
  zodSchema?: InteropZodType<T>;
}

/**
 * functionCalling: the args of the first tool call named `name`, validated with the zod schema
 * when there is one. No such tool call → OutputParserException (Python, when tool choice could not
 * be forced).
 */
export class ToolCallStructuredOutputParser<T = Record<string, unknown>> extends BaseLLMOutputParser<T> {
  static override lc_name(): string {
    return "ToolCallStructuredOutputParser";
  }
  lc_namespace = ["langchain_bedrock_converse", "output_parsers"];
  readonly toolName: string;
  readonly zodSchema?: InteropZodType<T>;

  constructor(options: StructuredParserOptions<T>) {
    super(options);
    this.toolName = options.name;
    this.zodSchema = options.zodSchema;
  }

  async parseResult(generations: Generation[] | ChatGeneration[]): Promise<T> {
    const message = messageOf(generations);
    const calls = (message as AIMessage | undefined)?.tool_calls ?? [];
    const call = calls.find((c) => c.name === this.toolName);
    const llmOutput = message ? JSON.stringify({ content: message.content, tool_calls: calls }) : (generations[0]?.text ?? "");
    if (!call) {
      const seen = calls.map((c) => c.name).join(", ");
      throw new OutputParserException(
        `The model did not call the tool "${this.toolName}"` +
          (seen ? ` (it called: ${seen}).` : ". It answered without a tool call.") +
          " If tool choice cannot be forced for this model (e.g. Claude with thinking), ask for the tool in the prompt or use method jsonSchema.",
        llmOutput,
      );
    }
    return validate(call.args, this.zodSchema, `tool "${this.toolName}"`, llmOutput);
  }
}

/** The JSON inside a text: the body of a ``` fence if there is one, else the trimmed text. */
export function extractJsonText(text: string): string {
  const fenced = /```(?:[a-zA-Z0-9_-]*)?[ \t]*\r?\n?([\s\S]*?)(?:```|$)/.exec(text);
  const body = fenced ? fenced[1]! : text;
  return body.trim();
}

function parseJsonLoosely(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const candidates = [extractJsonText(text)];
  const start = text.search(/[{[]/);
  const end = Math.max(text.lastIndexOf("}"), text.lastIndexOf("]"));
  if (start !== -1 && end > start) candidates.push(text.slice(start, end + 1));
  let error = "empty output";
  for (const c of candidates) {
    if (!c) continue;
    try {
      return { ok: true, value: JSON.parse(c) };
    } catch (e) {
      error = (e as Error).message;
    }
  }
  return { ok: false, error };
}

/**
 * jsonSchema / promptPrefill: parses the text of the message (text blocks joined; ``` fences
 * stripped; for prefill the text is the continuation after "```json"), validated with the zod
 * schema when there is one.
 */
export class JsonTextStructuredOutputParser<T = Record<string, unknown>> extends BaseLLMOutputParser<T> {
  static override lc_name(): string {
    return "JsonTextStructuredOutputParser";
  }
  lc_namespace = ["langchain_bedrock_converse", "output_parsers"];
  readonly schemaName?: string;
  readonly zodSchema?: InteropZodType<T>;

  constructor(options: Partial<StructuredParserOptions<T>> = {}) {
    super(options);
    this.schemaName = options.name;
    this.zodSchema = options.zodSchema;
  }

  async parseResult(generations: Generation[] | ChatGeneration[]): Promise<T> {
    const message = messageOf(generations);
    const text = messageText(message, generations[0]?.text ?? "");
    const parsed = parseJsonLoosely(text);
    if (!parsed.ok) {
      throw new OutputParserException(`The model output is not valid JSON (${parsed.error}).`, text);
    }
    return validate(parsed.value, this.zodSchema, this.schemaName ? `"${this.schemaName}"` : "the model", text);
  }
}

// ---------------------------------------------------------------------------------------------
// Composition
// ---------------------------------------------------------------------------------------------

export interface StructuredOutputWithRaw<T> {
  raw: BaseMessage;
  parsed: T | null;
  /** The parse error (then `parsed` is null); `null` when parsing succeeded (Python's parsing_error=None). */
  parsingError: unknown;
}

export type StructuredOutputResult<T> = T | StructuredOutputWithRaw<T>;

/**
 * `llm | parser`, or with `includeRaw` a runnable returning `{raw, parsed, parsingError}` that never
 * throws for parse failures (Python's include_raw; errors of the model call itself still throw).
 */
export function buildStructuredOutputRunnable<T>(
  llm: Runnable<BaseLanguageModelInput, BaseMessage>,
  parser: Runnable<BaseMessage, T>,
  includeRaw: false,
): Runnable<BaseLanguageModelInput, T>;
export function buildStructuredOutputRunnable<T>(
  llm: Runnable<BaseLanguageModelInput, BaseMessage>,
  parser: Runnable<BaseMessage, T>,
  includeRaw: true,
): Runnable<BaseLanguageModelInput, StructuredOutputWithRaw<T>>;
export function buildStructuredOutputRunnable<T>(
  llm: Runnable<BaseLanguageModelInput, BaseMessage>,
  parser: Runnable<BaseMessage, T>,
  includeRaw: boolean,
): Runnable<BaseLanguageModelInput, StructuredOutputResult<T>>;
export function buildStructuredOutputRunnable<T>(
  llm: Runnable<BaseLanguageModelInput, BaseMessage>,
  parser: Runnable<BaseMessage, T>,
  includeRaw: boolean,
): Runnable<BaseLanguageModelInput, StructuredOutputResult<T>> {
  if (!includeRaw) {
    return llm.pipe(parser).withConfig({ runName: "StructuredOutput" }) as Runnable<BaseLanguageModelInput, T>;
  }
  const parseKeepingRaw = RunnableLambda.from(async (raw: BaseMessage, config): Promise<StructuredOutputWithRaw<T>> => {
    try {
      return { raw, parsed: await parser.invoke(raw, config), parsingError: null };
    } catch (parsingError) {
      return { raw, parsed: null, parsingError };
    }
  });
  return llm.pipe(parseKeepingRaw).withConfig({ runName: "StructuredOutput" });
}

/** withStructuredOutput options: LangChain's, plus `strict` for the functionCalling tool. */
export type StructuredOutputOptions<IncludeRaw extends boolean = false> = StructuredOutputMethodOptions<IncludeRaw> & { strict?: boolean };

type ModelRunnable = Runnable<BaseLanguageModelInput, BaseMessage>;

/** What withStructuredOutput needs of the chat model. */
export interface StructuredOutputModel {
  /** The base model, for messages. */
  modelName: string;
  supportsToolChoiceValues: readonly string[];
  stopSequences?: string[];
  thinkingEnabled: boolean;
  bindTools(tools: Record<string, unknown>[], kwargs: Record<string, unknown>): Runnable<BaseLanguageModelInput, unknown>;
  withConfig(config: Record<string, unknown>): Runnable<BaseLanguageModelInput, unknown>;
  warn(message: string): void;
}

/**
 * withStructuredOutput: the model bound for the method (one forced tool, a native JSON schema output
 * format, or a Nova prompt prefill), piped into the matching parser.
 */
export function structuredOutputRunnable<RunOutput>(
  model: StructuredOutputModel,
  outputSchema: unknown,
  config?: StructuredOutputOptions<boolean>,
): Runnable<BaseLanguageModelInput, StructuredOutputResult<RunOutput>> {
  const method = resolveStructuredMethod(config?.method);
  const includeRaw = config?.includeRaw === true;
  const info = schemaToJsonSchema(outputSchema, { name: config?.name });
  const zodSchema = info.isZod ? (outputSchema as InteropZodType<RunOutput>) : undefined;
  // What tracers record, as LangChain.js's integrations and its standard tests spell it.
  const lsFormat = { kwargs: { method }, schema: toJsonSchema(outputSchema as never) };
  let llm: ModelRunnable;
  let parser: Runnable<BaseMessage, RunOutput>;
  if (method === "functionCalling") {
    const tool = { name: info.name, description: info.description ?? info.name, schema: info.jsonSchema };
    // supportsToolChoiceValues already drops forced choices where thinking forbids them.
    let toolChoice: string | undefined;
    if (model.supportsToolChoiceValues.includes("tool")) toolChoice = info.name;
    else if (model.supportsToolChoiceValues.includes("any")) toolChoice = "any";
    else if (model.thinkingEnabled) {
      model.warn(
        `withStructuredOutput: ${model.modelName} does not allow a forced tool choice while thinking is enabled; ` +
          'the tool is offered with tool_choice auto, and a reply without the tool call raises an OutputParserException. Disable thinking or use method "jsonSchema" to force the format.',
      );
    }
    llm = model.bindTools([tool], {
      ...(toolChoice ? { tool_choice: toolChoice } : {}),
      ...(config?.strict !== undefined ? { strict: config.strict } : {}),
      ls_structured_output_format: lsFormat,
    }) as ModelRunnable;
    parser = new ToolCallStructuredOutputParser<RunOutput>({ name: info.name, zodSchema }) as unknown as Runnable<BaseMessage, RunOutput>;
  } else if (method === "jsonSchema") {
    const outputConfig = buildJsonSchemaOutputConfig(withAdditionalPropertiesFalse(info.jsonSchema), info.name, info.description);
    llm = model.withConfig({ outputConfig, ls_structured_output_format: lsFormat }) as ModelRunnable;
    parser = new JsonTextStructuredOutputParser<RunOutput>({ name: info.name, zodSchema }) as unknown as Runnable<BaseMessage, RunOutput>;
  } else {
    const details = promptPrefillInstructions(info.jsonSchema);
    const stop = prefillStopSequences(model.stopSequences, details.stop);
    const prefill = RunnableLambda.from((input: BaseLanguageModelInput) => applyPromptPrefill(toMessages(input), details));
    llm = prefill.pipe(model.withConfig({ stop, ls_structured_output_format: lsFormat })) as ModelRunnable;
    parser = new JsonTextStructuredOutputParser<RunOutput>({ name: info.name, zodSchema }) as unknown as Runnable<BaseMessage, RunOutput>;
  }
  return buildStructuredOutputRunnable(llm, parser, includeRaw);
}

function toMessages(input: BaseLanguageModelInput): BaseMessage[] {
  if (typeof input === "string") return [coerceMessageLikeToMessage(["human", input])];
  if (Array.isArray(input)) return input.map((m) => coerceMessageLikeToMessage(m as BaseMessageLike));
  return (input as { toChatMessages(): BaseMessage[] }).toChatMessages();
}
