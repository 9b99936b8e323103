/**
 * A local Amazon Bedrock Runtime server, wire-exact for Converse, ConverseStream and CountTokens.
 * @packageDocumentation
 * @module bedrock-runtime-emulator
 */
// Public API of bedrock-runtime-emulator.
export type * from "./types.js";
export { startEmulator, type Emulator, type EmulatorOptions } from "./server.js";
export type { ScriptReply } from "./script.js";
export { parseScript } from "./script.js";
export type { Fault, FaultKind, FaultSpec } from "./faults.js";
export { FAULT_KINDS } from "./faults.js";
export type { LoggedRequest } from "./request-log.js";
export { redactHeaders } from "./request-log.js";
export {
  DEFAULT_INFERENCE_PROFILES,
  type InferenceProfile,
  type InferenceProfileConfig,
} from "./control-plane.js";
export { responseToStreamEvents, type StreamEvent, type StreamEventOptions } from "./wire/stream-events.js";
export { encodeEventFrame, encodeExceptionFrame, decodeFrames, EVENTSTREAM_CONTENT_TYPE } from "./wire/eventstream.js";
export { awsError, encodeErrorResponse, AWS_ERROR_TYPES, STREAM_EXCEPTION_TYPES } from "./wire/errors.js";
export { pickResponseFields } from "./response-fields.js";
export type { GuardrailPolicy } from "./model/index.js";
export { useCassette, type CassetteMode, type CassetteSession, type UseCassetteOptions } from "./cassette/use-cassette.js";
export { ACCOUNT_PLACEHOLDER } from "./cassette/scrub.js";
export {
  CASSETTE_VERSION,
  type Cassette,
  type Interaction,
  type RecordedEvent,
  type RecordedRequest,
  type RecordedResponse,
} from "./cassette/format.js";
export { DEFAULT_MATCH_IGNORE } from "./cassette/match.js";
export type { CassetteOptions } from "./cassette/index.js";
export type { BackendOptions } from "./backend/index.js";
export {
  FOUNDATION_MODELS,
  GEO_PREFIXES,
  resolveModel,
  type ModelCapabilities as EmulatedModelCapabilities,
  type ModelInfo as EmulatedModelInfo,
  type ResolveOptions,
  type TemperatureRule,
} from "./model/catalog.js";
export { KNOWN_PROVIDERS, claudeGeneration, forcedToolChoiceAllowedWithThinking } from "./model/families.js";
