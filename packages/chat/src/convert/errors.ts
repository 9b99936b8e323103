/**
 * Typed errors raised by the pure conversion layer. Every message says what was wrong and how to fix it.
 */

/** Machine-readable reason codes of {@link BedrockInputError}. */
import { BedrockConverseError } from "../errors.js";

export type BedrockInputErrorCode =
  | "UNSUPPORTED_MESSAGE_TYPE"
  | "UNSUPPORTED_CONTENT_BLOCK"
  | "UNSUPPORTED_MIME_TYPE"
  | "INVALID_MIME_TYPE"
  | "MISSING_MIME_TYPE"
  | "UNSUPPORTED_SOURCE"
  | "INVALID_BLOCK"
  | "INVALID_DOCUMENT_NAME"
  | "DUPLICATE_DOCUMENT_NAME"
  | "PREFILL_WITH_TOOLS"
  | "IMAGE_TOO_LARGE";

/** A LangChain message or content block that cannot be expressed as a Bedrock Converse request. */
export class BedrockInputError extends BedrockConverseError {
  override readonly name = "BedrockInputError";
  readonly code: BedrockInputErrorCode;
  constructor(code: BedrockInputErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** A Converse response that cannot be turned into an AIMessage (for example no `output`). */
export class BedrockResponseError extends BedrockConverseError {
  override readonly name = "BedrockResponseError";
  readonly code: "MISSING_OUTPUT";
  constructor(code: "MISSING_OUTPUT", message: string) {
    super(message);
    this.code = code;
  }
}
