// Shared types between the emulator's layers: routing -> validation -> model -> wire.
// Wire JSON is kept loosely typed (JsonValue) at the edges; the validation layer is what
// turns "unknown" into the shapes below.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The three runtime operations the emulator serves. */
export type Operation = "converse" | "converse-stream" | "count-tokens";

/** An AWS error as Bedrock sends it: HTTP status, x-amzn-errortype and {"message"}. */
export interface AwsErrorSpec {
  /** e.g. "ValidationException" */
  type: AwsErrorType;
  status: number;
  message: string;
  /** extra body members, e.g. originalStatusCode/resourceName for ModelErrorException */
  extra?: JsonObject;
}

export type AwsErrorType =
  | "ValidationException"
  | "AccessDeniedException"
  | "ResourceNotFoundException"
  | "ModelTimeoutException"
  | "ModelErrorException"
  | "ThrottlingException"
  | "ServiceQuotaExceededException"
  | "InternalServerException"
  | "ServiceUnavailableException"
  | "ModelNotReadyException"
  | "UnrecognizedClientException"
  | "UnknownOperationException"
  | "SerializationException";

/** Converse request body after shape validation (modelId comes from the path). */
export interface ConverseRequest {
  messages?: Message[];
  system?: JsonObject[];
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: { tools: JsonObject[]; toolChoice?: JsonObject };
  guardrailConfig?: JsonObject;
  additionalModelRequestFields?: JsonValue;
  promptVariables?: JsonObject;
  additionalModelResponseFieldPaths?: string[];
  requestMetadata?: { [key: string]: string };
  performanceConfig?: { latency?: string };
  serviceTier?: { type: string };
  outputConfig?: JsonObject;
}

export interface Message {
  role: "user" | "assistant" | "system";
  content: JsonObject[];
}

/** CountTokens request body. */
export interface CountTokensRequest {
  input: { converse?: ConverseRequest; invokeModel?: { body: string } };
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  cacheDetails?: { ttl: string; inputTokens: number }[];
  /** legacy duplicates of the two counters above (Claude responses carry both spellings) */
  cacheReadInputTokenCount?: number;
  cacheWriteInputTokenCount?: number;
  /** server-side tool invocations by tool name (Claude: `{}` when none) */
  serverToolUsage?: Record<string, number>;
}

/** ConverseResponse as sent on the wire (the stream form is derived from it). */
export interface ConverseResponse {
  output: { message: { role: "assistant"; content: JsonObject[] } };
  stopReason: string;
  usage: TokenUsage;
  metrics: { latencyMs: number };
  additionalModelResponseFields?: JsonValue;
  trace?: JsonObject;
  performanceConfig?: { latency: string };
  serviceTier?: { type: string };
}

/** What the model layer is given for one call. */
export interface ModelCall {
  operation: Operation;
  modelId: string;
  request: ConverseRequest;
}
