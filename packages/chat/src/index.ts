/**
 * ChatBedrockConverse: Amazon Bedrock's Converse API as a LangChain.js chat model.
 * @packageDocumentation
 * @module langchain-bedrock-converse
 */
export { ChatBedrockConverse, estimateTokens } from "./chat-model.js";
export { createCachePoint, type CachePointBlock } from "./convert/cache-points.js";
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
  BedrockCapabilityError,
  BedrockConfigError,
  BedrockConnectionError,
  BedrockConverseError,
  BedrockInputError,
  BedrockResponseError,
  BedrockStreamError,
  BedrockTimeoutError,
  BedrockToolChoiceError,
  BedrockToolFormatError,
  ResponseFormatError,
  StreamIncompleteError,
  StructuredOutputMethodError,
  StructuredOutputSchemaError,
} from "./errors.js";
