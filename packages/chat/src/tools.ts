/** Tool formats -> Bedrock `Tool`; LangChain tool_choice -> Bedrock `ToolChoice`. (Skeleton.) */
import type { Tool, ToolChoice } from "@aws-sdk/client-bedrock-runtime";
import type { ToolChoiceValue } from "./capabilities.js";

export const NOVA_SYSTEM_TOOLS: readonly string[] = ["nova_grounding", "nova_code_interpreter"];
export type BedrockToolInput = unknown;
export interface FormatToolsOptions { strict?: boolean }
export function formatToolsForBedrock(tools: readonly BedrockToolInput[], options: FormatToolsOptions = {}): Tool[] { void tools; void options; return []; }
export function stripNullFromSchema<T>(schema: T): T { return schema; }
export function hasSystemTools(tools: readonly Tool[]): boolean { return tools.some((t) => t.systemTool !== undefined); }
export function hasToolBlocks(messages: readonly unknown[]): boolean { void messages; return false; }
export class BedrockToolChoiceError extends Error {
  override name = "BedrockToolChoiceError";
  constructor(message: string, readonly requested: string, readonly supported: readonly string[]) { super(message); }
}
export type ToolChoiceInput = string | ToolChoice | Record<string, unknown>;
export interface ToolChoiceOptions { thinkingEnabled?: boolean; modelId?: string; systemToolsOnly?: boolean; onWarning?: (message: string) => void }
export interface ResolvedToolChoice { toolChoice?: ToolChoice; omitTools: boolean; warnings: string[] }
export function resolveToolChoice(choice: ToolChoiceInput | undefined, supported: readonly ToolChoiceValue[] | readonly string[], options: ToolChoiceOptions = {}): ResolvedToolChoice { void choice; void supported; void options; return { omitTools: false, warnings: [] }; }
export function formatToolChoice(choice: ToolChoiceInput | undefined, supported: readonly ToolChoiceValue[] | readonly string[], options: ToolChoiceOptions = {}): ToolChoice | undefined {
  const r = resolveToolChoice(choice, supported, options);
  for (const w of r.warnings) options.onWarning?.(w);
  return r.toolChoice;
}
