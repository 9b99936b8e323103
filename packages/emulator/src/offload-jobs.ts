// The CPU-heavy steps of a large request (JSON parsing, validation, the default model, token
// counting, serialising the answer), as pure functions of plain data. The server runs them on a
// worker thread for large bodies, so one 20 MB request does not stall every other client, and
// in-thread otherwise. Both paths call the same functions.
import { parseJsonBody } from "./body.js";
import { countTokens, generateResponse, type GuardrailPolicy } from "./model/index.js";
import { pickResponseFields } from "./response-fields.js";
import type { AwsErrorSpec, ConverseRequest, ConverseResponse, CountTokensRequest, Operation } from "./types.js";
import { withFamilyFields } from "./model/family-fields.js";
import { validateRequestDetailed } from "./validate/index.js";

export type ParseResult = { ok: true; json: unknown } | { ok: false; error: AwsErrorSpec };

export function runParse(raw: Uint8Array, contentType: string | undefined): ParseResult {
  const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const r = parseJsonBody(buf, contentType);
  return r.ok ? { ok: true, json: r.json } : { ok: false, error: r.error };
}

/** Applies the parts of the request that shape any response: picked additional fields, a latency. */
export function finishResponse(response: ConverseResponse, request: ConverseRequest, started: number): ConverseResponse {
  if (request.additionalModelResponseFieldPaths?.length) {
    const picked = pickResponseFields(response.additionalModelResponseFields, request.additionalModelResponseFieldPaths);
    if (picked) response.additionalModelResponseFields = picked;
    else delete response.additionalModelResponseFields;
  }
  if (response.metrics === undefined) response.metrics = { latencyMs: Date.now() - started };
  return response;
}

/** What the worker needs to answer a parsed body the way the server would with no script and no prompt cache. */
export interface AnswerArgs {
  operation: Operation;
  /** As in the path (validation sees it as sent). */
  modelId: string;
  /** The base model behind a known inference profile, else modelId. */
  resolvedModelId: string;
  /** What the server's profile store maps modelId to, if anything. */
  profileTarget: string | undefined;
  /** The guardrail policy of the emulator that received the request. */
  policy: GuardrailPolicy;
  strictModels?: boolean;
  strictSignatures?: boolean;
}

/** The answer: an error, a CountTokens count, Converse JSON bytes, or the response to stream. */
export type Answer = { error: AwsErrorSpec } | { inputTokens: number } | { bytes: Uint8Array } | { response: ConverseResponse };

export function runAnswer(json: unknown, args: AnswerArgs): Answer {
  const started = Date.now();
  const resolveProfile = (arn: string) => (arn === args.modelId ? args.profileTarget : undefined);
  const validated = validateRequestDetailed(args.operation, args.modelId, json, {
    resolveProfile,
    strictModels: args.strictModels,
    strictSignatures: args.strictSignatures,
  });
  if (!validated.ok) return { error: validated.error };
  if (args.operation === "count-tokens") return { inputTokens: countTokens(validated.value as CountTokensRequest, args.modelId) };
  const request = validated.value as ConverseRequest;
  const generated = withFamilyFields(
    generateResponse({ operation: args.operation, modelId: args.resolvedModelId, request }, { guardrailPolicy: args.policy }),
    validated.model.provider,
    args.operation,
  );
  const response = finishResponse(generated, request, started);
  return args.operation === "converse" ? { bytes: Buffer.from(JSON.stringify(response), "utf8") } : { response };
}
