// The settings every request starts from, resolved once from the constructor's args (aliases and
// environment applied). The model keeps them in one object that request building reads as it is;
// the model's public fields of the same names (`model.temperature`, ...) read and write that object,
// so nothing is copied per call and nothing can drift between two copies.
import type { Message } from "@aws-sdk/client-bedrock-runtime";
import { firstDefined, type ChatBedrockConverseInput } from "./options.js";
import type { InstanceSettings } from "./request.js";

export interface RequestSettings extends InstanceSettings {
  /** System prompt blocks put before any system message. */
  system?: Array<string | Record<string, unknown>>;
  /** Guard only the last user turn (guardContent), Python's guard_last_turn_only. */
  guardLastTurnOnly: boolean;
  /** Messages sent exactly as given, no conversion. */
  rawBlocks?: Message[];
}

/** Every key of RequestSettings; the type below fails to compile when one is missing. */
export const REQUEST_SETTING_KEYS = [
  "temperature",
  "maxTokens",
  "topP",
  "stopSequences",
  "system",
  "additionalModelRequestFields",
  "additionalModelResponseFieldPaths",
  "guardrailConfig",
  "guardLastTurnOnly",
  "performanceConfig",
  "serviceTier",
  "outputConfig",
  "requestMetadata",
  "reasoningEffort",
  "rawBlocks",
] as const satisfies readonly (keyof RequestSettings)[];
type MissingKeys = Exclude<keyof RequestSettings, (typeof REQUEST_SETTING_KEYS)[number]>;
const allKeysListed: MissingKeys extends never ? true : MissingKeys = true;
void allKeysListed;

/** `additionalModelRequestFields` comes already merged with the unknown args Python moves there (build_extra). */
export function resolveRequestSettings(
  fields: ChatBedrockConverseInput,
  additionalModelRequestFields?: Record<string, unknown>,
): RequestSettings {
  return {
    temperature: fields.temperature,
    maxTokens: fields.maxTokens,
    topP: fields.topP,
    stopSequences: firstDefined(fields.stopSequences, fields.stop),
    system: fields.system as RequestSettings["system"],
    additionalModelRequestFields,
    additionalModelResponseFieldPaths: fields.additionalModelResponseFieldPaths,
    guardrailConfig: firstDefined(fields.guardrailConfig, fields.guardrails),
    guardLastTurnOnly: fields.guardLastTurnOnly ?? false,
    performanceConfig: fields.performanceConfig,
    serviceTier: fields.serviceTier,
    outputConfig: fields.outputConfig,
    requestMetadata: fields.requestMetadata,
    reasoningEffort: fields.reasoningEffort,
    rawBlocks: fields.rawBlocks,
  };
}

/**
 * Public fields on `proto` (one per setting) that read and write `this[slot]`. Enumerable, like
 * the plain fields they replace.
 */
export function exposeSettings(proto: object, slot: symbol): void {
  for (const key of REQUEST_SETTING_KEYS) {
    Object.defineProperty(proto, key, {
      configurable: true,
      enumerable: true,
      get(this: Record<symbol, RequestSettings>) {
        return this[slot][key];
      },
      set(this: Record<symbol, Record<string, unknown>>, value: unknown) {
        this[slot][key] = value;
      },
    });
  }
}
