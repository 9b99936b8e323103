// Request validation entry point: the server calls validateRequest() with the already-parsed JSON body
// and the percent-decoded modelId from the path. Stages, in Bedrock's order; the first failing stage
// decides the error:
//  1. shape: deserialization (SerializationException), Coral constraints including the modelId
//     pattern/length (all violations in one ValidationException), union cardinality;
//  2. model id: unknown id, on-demand invocation of a profile-only model, CountTokens support;
//  3. conversation and model rules (./rules.ts), first failing rule only.
import type { AwsErrorSpec, ConverseRequest, CountTokensRequest, Operation } from "../types.js";
import { resolveModel, type ModelInfo, type ProfileResolver } from "../model/catalog.js";
import { checkRequestShape } from "./shape.js";
import { checkRules } from "./rules.js";
import { serialization, serviceMessages, validation } from "./messages.js";

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; error: AwsErrorSpec };

export interface ValidateOptions {
  /** maps application-inference-profile ARNs (registered with the server) to the id they wrap */
  resolveProfile?: ProfileResolver;
  /** only the catalog's model ids are valid (`--strict-models`) */
  strictModels?: boolean;
  /** only reasoning signatures the emulator issued verify (`--strict-signatures`) */
  strictSignatures?: boolean;
}

export type DetailedValidationResult =
  | { ok: true; value: ConverseRequest | CountTokensRequest; model: ModelInfo }
  | { ok: false; error: AwsErrorSpec };

export function validateRequest(
  operation: Operation,
  modelId: string,
  body: unknown,
  options: ValidateOptions = {},
): ValidationResult<ConverseRequest | CountTokensRequest> {
  const r = validateRequestDetailed(operation, modelId, body, options);
  return r.ok ? { ok: true, value: r.value } : r;
}

/** Like validateRequest, and also returns the model the request resolved to. */
export function validateRequestDetailed(
  operation: Operation,
  modelId: string,
  body: unknown,
  options: ValidateOptions = {},
): DetailedValidationResult {
  // A JSON null body is an empty input, as Coral reads it (not a crash further down).
  const shape = checkRequestShape(operation, modelId, body === null ? {} : body);
  if (shape.serializationError !== undefined) return { ok: false, error: serialization(shape.serializationError) };
  if (shape.constraintError !== undefined) return { ok: false, error: validation(shape.constraintError) };
  if (shape.unionError !== undefined) return { ok: false, error: validation(shape.unionError) };

  const model = resolveModel(modelId, { resolveProfile: options.resolveProfile, strict: options.strictModels });
  const modelErr = checkModel(operation, model);
  if (modelErr) return { ok: false, error: modelErr };

  if (operation === "count-tokens") {
    const value = shape.value as CountTokensRequest;
    const converse = value.input.converse;
    const err = converse ? checkRules(converse, { operation, model: model!, strictSignatures: options.strictSignatures }) : undefined;
    return err ? { ok: false, error: err } : { ok: true, value, model: model! };
  }
  const value = shape.value as ConverseRequest;
  const err = checkRules(value, { operation, model: model!, strictSignatures: options.strictSignatures });
  return err ? { ok: false, error: err } : { ok: true, value, model: model! };
}

/** Model-id stage: known id, on-demand availability, CountTokens support. */
function checkModel(operation: Operation, model: ModelInfo | undefined): AwsErrorSpec | undefined {
  if (!model) return validation(serviceMessages.invalidModelId);
  const direct = model.address === "foundation-model" || model.address === "foundation-model-arn";
  if (operation === "count-tokens") {
    return direct && model.supportsCountTokens ? undefined : validation(serviceMessages.countTokensUnsupported);
  }
  if (direct && model.requiresInferenceProfile) return validation(serviceMessages.onDemandUnsupported(model.baseModelId));
  return undefined;
}
