/**
 * Errors raised while decoding a ConverseStream. The content that arrived before the error has already
 * been yielded (hence `partial: true`).
 */

/** The exception members a ConverseStream event can carry. */
import { BedrockConverseError } from "../errors.js";

export const STREAM_EXCEPTION_MEMBERS = [
  "internalServerException",
  "modelStreamErrorException",
  "serviceUnavailableException",
  "throttlingException",
  "validationException",
] as const;
export type StreamExceptionMember = (typeof STREAM_EXCEPTION_MEMBERS)[number];

const AWS_ERROR_TYPES: Record<StreamExceptionMember, string> = {
  internalServerException: "InternalServerException",
  modelStreamErrorException: "ModelStreamErrorException",
  serviceUnavailableException: "ServiceUnavailableException",
  throttlingException: "ThrottlingException",
  validationException: "ValidationException",
};

/** An exception frame received in the middle of a ConverseStream. */
export class BedrockStreamError extends BedrockConverseError {
  override readonly name: string = "BedrockStreamError";
  /** AWS error type, e.g. "ThrottlingException". */
  override readonly awsErrorType: string;
  /** Always true: content received before the exception was already delivered. */
  readonly partial = true as const;
  /** The raw exception payload of the event. */
  readonly details: Record<string, unknown>;
  /** Retrying the whole call may succeed (throttling, internal and availability errors). */
  override readonly retryable: boolean;
  constructor(awsErrorType: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.awsErrorType = awsErrorType;
    this.details = details;
    this.retryable = awsErrorType !== "ValidationException" && awsErrorType !== "ModelStreamErrorException";
  }

  /** Builds the error from a stream event member such as `throttlingException: {message}`. */
  static fromEvent(member: StreamExceptionMember, payload: unknown): BedrockStreamError {
    const details = payload && typeof payload === "object" ? (payload as Record<string, unknown>) : {};
    const type = AWS_ERROR_TYPES[member];
    const text = typeof details.message === "string" && details.message ? details.message : "no message";
    return new BedrockStreamError(
      type,
      `Bedrock ConverseStream sent ${type} after the stream started: ${text}. ` +
        `The content received so far was already yielded; ` +
        (type === "ValidationException" ? "fix the request before retrying." : "retry the call."),
      details,
    );
  }
}

/** The stream ended (the connection closed) before Bedrock sent `messageStop`. */
export class StreamIncompleteError extends BedrockConverseError {
  override readonly name = "StreamIncompleteError";
  readonly partial = true as const;
  constructor(
    message = "The Bedrock ConverseStream ended before messageStop; the reply is incomplete. " +
      "The content received so far was already yielded; retry the call to get a complete reply.",
  ) {
    // A cut-off stream is transient: calling again can give the whole reply.
    super(message, { retryable: true });
  }
}
