/** Helpers for withStructuredOutput: methods, schemas, outputConfig, parsers. (Skeleton.) */
import type { OutputConfig } from "@aws-sdk/client-bedrock-runtime";

export type StructuredOutputMethod = "functionCalling" | "jsonSchema" | "promptPrefill";
export class StructuredOutputMethodError extends Error { override name = "StructuredOutputMethodError"; }
export class ResponseFormatError extends Error { override name = "ResponseFormatError"; }
export function resolveStructuredMethod(method?: string): StructuredOutputMethod { void method; return "functionCalling"; }
export interface StructuredSchemaInfo { jsonSchema: Record<string, unknown>; name: string; description?: string; isZod: boolean }
export function schemaToJsonSchema(schema: unknown, options: { name?: string; defaultName?: string } = {}): StructuredSchemaInfo { void schema; return { jsonSchema: {}, name: options.name ?? "extract", isZod: false }; }
export function withAdditionalPropertiesFalse<T>(jsonSchema: T): T { return jsonSchema; }
export function buildJsonSchemaOutputConfig(jsonSchema: Record<string, unknown>, name?: string, description?: string): OutputConfig { void jsonSchema; void name; void description; return {}; }
export function responseFormatToOutputConfig(responseFormat: unknown): OutputConfig { void responseFormat; return {}; }
export interface PromptPrefillDetails { systemText: string; prefill: string; stop: string[] }
export function promptPrefillInstructions(jsonSchema: Record<string, unknown>): PromptPrefillDetails { void jsonSchema; return { systemText: "", prefill: "```json", stop: ["```"] }; }

import { BaseLLMOutputParser } from "@langchain/core/output_parsers";
import type { ChatGeneration, Generation } from "@langchain/core/outputs";
import type { InteropZodType } from "@langchain/core/utils/types";
import type { Runnable } from "@langchain/core/runnables";
import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import type { BaseMessage } from "@langchain/core/messages";

export interface StructuredParserOptions<T> { name: string; zodSchema?: InteropZodType<T> }
export class ToolCallStructuredOutputParser<T = Record<string, unknown>> extends BaseLLMOutputParser<T> {
  lc_namespace = ["langchain_bedrock_converse", "output_parsers"];
  constructor(readonly options: StructuredParserOptions<T>) { super(); }
  async parseResult(generations: Generation[] | ChatGeneration[]): Promise<T> { void generations; throw new Error("not implemented"); }
}
export class JsonTextStructuredOutputParser<T = Record<string, unknown>> extends BaseLLMOutputParser<T> {
  lc_namespace = ["langchain_bedrock_converse", "output_parsers"];
  constructor(readonly options: Partial<StructuredParserOptions<T>> = {}) { super(); }
  async parseResult(generations: Generation[] | ChatGeneration[]): Promise<T> { void generations; throw new Error("not implemented"); }
}
export type StructuredOutputResult<T> = T | { raw: BaseMessage; parsed: T | null; parsingError?: unknown };
export function buildStructuredOutputRunnable<T>(llm: Runnable<BaseLanguageModelInput, BaseMessage>, parser: Runnable<BaseMessage, T>, includeRaw: boolean): Runnable<BaseLanguageModelInput, StructuredOutputResult<T>> {
  void includeRaw; return llm.pipe(parser) as Runnable<BaseLanguageModelInput, StructuredOutputResult<T>>;
}
