/**
 * ChatBedrockConverse: Amazon Bedrock's Converse API as a LangChain.js chat model.
 * @packageDocumentation
 * @module langchain-bedrock-converse
 */
export { ChatBedrockConverse, createCachePoint, estimateTokens, type CachePointBlock } from "./chat-model.js";
export type {
  ChatBedrockConverseInput,
  ChatBedrockConverseCallOptions,
  CacheControl,
  GuardrailConfigInput,
  ReasoningEffort,
  ResponseFormat,
  ServiceTierName,
} from "./options.js";
export type { ChatBedrockConverseArgs, SnakeCaseInitArgs } from "./init-args.js";
export {
  BedrockConfigError,
  BedrockConnectionError,
  BedrockConverseError,
  BedrockInputError,
  BedrockResponseError,
  BedrockStreamError,
  BedrockTimeoutError,
  StreamIncompleteError,
} from "./errors.js";
export { BedrockToolChoiceError, BedrockToolFormatError } from "./tools.js";
export { ResponseFormatError, StructuredOutputMethodError, StructuredOutputSchemaError } from "./structured.js";
export { BedrockCapabilityError } from "./capabilities.js";
