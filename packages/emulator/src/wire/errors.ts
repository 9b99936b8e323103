// AWS error responses as Bedrock sends them: status, x-amzn-errortype and a JSON {"message"} body,
// plus the in-stream exception names. One table so the HTTP and the stream forms never disagree.
import type { AwsErrorSpec, AwsErrorType, JsonObject } from "../types.js";

/** Errors raised by Bedrock itself carry this suffix on x-amzn-errortype. */
const BEDROCK_ERROR_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.bedrock/";
/** Errors raised by the Coral front door (auth, routing, parsing) carry this one and a capital "Message". */
const CORAL_ERROR_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.coral.service/";

interface ErrorInfo {
  status: number;
  message: string;
  /** true when the error comes from the Coral layer rather than Bedrock (changes namespace and body key) */
  coral?: boolean;
}

// Default texts are the ones users quote from the real service (reference §4.3/§4.4) where one exists.
const ERRORS: Record<AwsErrorType, ErrorInfo> = {
  ValidationException: { status: 400, message: "The provided request is not valid." },
  AccessDeniedException: { status: 403, message: "You don't have access to the model with the specified model ID." },
  ResourceNotFoundException: { status: 404, message: "The specified resource could not be found." },
  ModelTimeoutException: { status: 408, message: "Model has timed out in processing the request. Try your request again." },
  ModelErrorException: { status: 424, message: "The model encountered an error." },
  ThrottlingException: { status: 429, message: "Too many requests, please wait before trying again." },
  ModelNotReadyException: { status: 429, message: "Model is not ready to serve inference requests. Try your request again." },
  ServiceQuotaExceededException: { status: 400, message: "Too many tokens per day, please wait before trying again." },
  InternalServerException: {
    status: 500,
    message: "The system encountered an unexpected error during processing. Try your request again.",
  },
  ServiceUnavailableException: { status: 503, message: "Bedrock is unable to process your request." },
  UnrecognizedClientException: { status: 403, message: "The security token included in the request is invalid.", coral: true },
  UnknownOperationException: { status: 404, message: "The requested operation is not recognized by the service.", coral: true },
  SerializationException: { status: 400, message: "The request body could not be parsed as JSON.", coral: true },
};

export const AWS_ERROR_TYPES = Object.keys(ERRORS) as AwsErrorType[];

export function isAwsErrorType(value: unknown): value is AwsErrorType {
  return typeof value === "string" && Object.hasOwn(ERRORS, value);
}

/** Builds an error spec with the table's status and default message. */
export function awsError(type: AwsErrorType, message?: string, extra?: JsonObject): AwsErrorSpec {
  const info = ERRORS[type];
  return { type, status: info.status, message: message ?? info.message, ...(extra ? { extra } : {}) };
}

function isCoralError(type: string): boolean {
  return isAwsErrorType(type) && ERRORS[type].coral === true;
}

/** The headers and body bytes of an HTTP error response (request id and date are added by the sender). */
export function encodeErrorResponse(spec: AwsErrorSpec): { status: number; headers: Record<string, string>; body: Buffer } {
  const coral = isCoralError(spec.type);
  const namespace = coral ? CORAL_ERROR_NAMESPACE : BEDROCK_ERROR_NAMESPACE;
  // Coral-layer errors use "Message"; both SDKs read either spelling.
  const payload: JsonObject = { ...(spec.extra ?? {}), [coral ? "Message" : "message"]: spec.message };
  const body = Buffer.from(JSON.stringify(payload), "utf8");
  return {
    status: spec.status,
    headers: {
      "content-type": "application/json",
      "content-length": String(body.length),
      "x-amzn-errortype": `${spec.type}:${namespace}`,
    },
    body,
  };
}

/** Exceptions the ConverseStream output union can carry, by their lowerCamel member name. */
export const STREAM_EXCEPTION_TYPES = [
  "internalServerException",
  "modelStreamErrorException",
  "validationException",
  "throttlingException",
  "serviceUnavailableException",
] as const;
export type StreamExceptionType = (typeof STREAM_EXCEPTION_TYPES)[number];

const STREAM_DEFAULT_MESSAGES: Record<StreamExceptionType, string> = {
  internalServerException: ERRORS.InternalServerException.message,
  modelStreamErrorException:
    "Model produced invalid sequence as part of ToolUse. Please refer to the model tool use troubleshooting guide.",
  validationException: ERRORS.ValidationException.message,
  throttlingException: ERRORS.ThrottlingException.message,
  serviceUnavailableException: ERRORS.ServiceUnavailableException.message,
};

/** Accepts "ThrottlingException" or "throttlingException"; undefined when the stream union has no such member. */
export function toStreamExceptionType(name: string): StreamExceptionType | undefined {
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  return (STREAM_EXCEPTION_TYPES as readonly string[]).includes(lower) ? (lower as StreamExceptionType) : undefined;
}

export function defaultStreamExceptionMessage(type: StreamExceptionType): string {
  return STREAM_DEFAULT_MESSAGES[type];
}
