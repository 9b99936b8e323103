// Request validation entry point: the server calls validateRequest() with the already-parsed JSON body.
// Order (as Bedrock does): shape first, then the model id, then the conversation rules. The first
// failing stage decides the error; within the shape stage all violations are reported together.
import type { AwsErrorSpec, ConverseRequest, CountTokensRequest, Operation } from "../types.js";

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; error: AwsErrorSpec };

function validationError(message: string): AwsErrorSpec {
  return { type: "ValidationException", status: 400, message };
}

export function validateRequest(
  operation: Operation,
  modelId: string,
  body: unknown,
): ValidationResult<ConverseRequest | CountTokensRequest> {
  void modelId;
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, error: { type: "SerializationException", status: 400, message: "Start of structure or map found where not expected." } };
  }
  const b = body as Record<string, unknown>;
  const messages = operation === "count-tokens"
    ? ((b.input as Record<string, unknown> | undefined)?.converse as Record<string, unknown> | undefined)?.messages
    : b.messages;
  if (messages !== undefined && !Array.isArray(messages)) {
    return { ok: false, error: validationError("1 validation error detected: Value at 'messages' failed to satisfy constraint: Member must be a list") };
  }
  return { ok: true, value: body as ConverseRequest | CountTokensRequest };
}
