import { test } from "node:test";
import assert from "node:assert/strict";
import { FOUNDATION_MODELS, resolveModel } from "./catalog.js";
import { validateRequest } from "../validate/index.js";

const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
const SONNET45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";
const ACCOUNT = "123456789012";
const body = { messages: [{ role: "user", content: [{ text: "hi" }] }] };
const countBody = { input: { converse: body } };

test("catalog: the ids named in the brief are all known", () => {
  for (const id of [
    HAIKU,
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "anthropic.claude-3-5-sonnet-20241022-v2:0",
    "anthropic.claude-3-7-sonnet-20250219-v1:0",
    "anthropic.claude-sonnet-4-20250514-v1:0",
    SONNET45,
    "anthropic.claude-haiku-4-5-20251001-v1:0",
    "anthropic.claude-opus-4-1-20250805-v1:0",
    "amazon.nova-micro-v1:0",
    "amazon.nova-lite-v1:0",
    "amazon.nova-pro-v1:0",
    "amazon.nova-premier-v1:0",
    "amazon.nova-2-lite-v1:0",
    "meta.llama3-1-70b-instruct-v1:0",
    "meta.llama4-scout-17b-instruct-v1:0",
    "mistral.mistral-large-2407-v1:0",
    "mistral.mistral-small-2402-v1:0",
    "cohere.command-r-v1:0",
    "cohere.command-r-plus-v1:0",
    "ai21.jamba-1-5-large-v1:0",
    "deepseek.r1-v1:0",
    "deepseek.v3-v1:0",
    "openai.gpt-oss-20b-1:0",
    "openai.gpt-oss-120b-1:0",
    "qwen.qwen3-32b-v1:0",
    "writer.palmyra-x5-v1:0",
    "amazon.titan-text-express-v1",
  ])
    assert.equal(FOUNDATION_MODELS.has(id), true, id);
});

test("resolve: bare foundation-model id", () => {
  const m = resolveModel(HAIKU);
  assert.equal(m?.baseModelId, HAIKU);
  assert.equal(m?.address, "foundation-model");
  assert.equal(m?.maxOutputTokens, 4096);
  assert.equal(m?.requiresInferenceProfile, false);
});

test("resolve: geo inference profiles", () => {
  for (const geo of ["us", "eu", "apac", "us-gov", "jp", "au"]) {
    const m = resolveModel(`${geo}.${SONNET45}`);
    assert.equal(m?.baseModelId, SONNET45, geo);
    assert.equal(m?.address, "inference-profile");
    assert.equal(m?.geo, geo);
  }
  assert.equal(resolveModel(`global.${SONNET45}`)?.geo, "global");
  assert.equal(resolveModel(`global.${HAIKU}`), undefined); // the catalog knows: no global profile for Claude 3 Haiku
  assert.equal(resolveModel(`xx.${SONNET45}`), undefined);
  assert.equal(resolveModel("us.anthropic.claude-unknown-v1:0", { strict: true }), undefined);
  assert.equal(resolveModel("us.anthropic.claude-unknown-v1:0")?.inferred, true);
});

test("resolve: foundation-model and inference-profile ARNs", () => {
  const fm = resolveModel(`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`);
  assert.equal(fm?.address, "foundation-model-arn");
  assert.equal(fm?.baseModelId, HAIKU);
  const ip = resolveModel(`arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.${SONNET45}`);
  assert.equal(ip?.address, "inference-profile-arn");
  assert.equal(ip?.baseModelId, SONNET45);
  assert.equal(ip?.geo, "us");
  assert.equal(resolveModel(`arn:aws-us-gov:bedrock:us-gov-west-1:${ACCOUNT}:inference-profile/us-gov.${SONNET45}`)?.geo, "us-gov");
  assert.equal(resolveModel(`arn:aws:bedrock:us-east-1::foundation-model/anthropic.nope-v1:0`, { strict: true }), undefined);
  assert.equal(resolveModel(`arn:aws:bedrock:us-east-1::foundation-model/nope.nope-v1:0`), undefined);
  assert.equal(resolveModel(`arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/${SONNET45}`), undefined); // profile ids carry a geo prefix
});

test("resolve: application inference profiles go through the resolver", () => {
  const arn = `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/a1b2c3d4e5f6`;
  const seen: string[] = [];
  const m = resolveModel(arn, (a) => {
    seen.push(a);
    return `us.${SONNET45}`;
  });
  assert.deepEqual(seen, [arn]);
  assert.equal(m?.address, "application-inference-profile");
  assert.equal(m?.baseModelId, SONNET45);
  assert.equal(m?.requestedId, arn);
  assert.equal(resolveModel(arn), undefined); // no resolver
  assert.equal(
    resolveModel(arn, () => undefined),
    undefined,
  ); // not registered
  // a registered profile wrapping a model newer than the catalog
  assert.equal(resolveModel(arn, () => "us.anthropic.claude-sonnet-5")?.baseModelId, "anthropic.claude-sonnet-5");
  assert.equal(resolveModel(arn, { strict: true, resolveProfile: () => "us.anthropic.claude-sonnet-5" }), undefined);
});

test("resolve: provisioned and custom model ARNs are generic models", () => {
  const p = resolveModel(`arn:aws:bedrock:us-east-1:${ACCOUNT}:provisioned-model/abcdef012345`);
  assert.equal(p?.address, "provisioned-model");
  assert.equal(p?.provider, "custom");
  const c = resolveModel(`arn:aws:bedrock:us-east-1:${ACCOUNT}:custom-model-deployment/abcdef012345`);
  assert.equal(c?.address, "custom-model");
  assert.equal(resolveModel(`arn:aws:bedrock:us-east-1:${ACCOUNT}:imported-model/abcdef012345`)?.address, "custom-model");
});

test("resolve: unknown ids", () => {
  for (const id of ["gpt-4", "anthropic.claude-3-haiku-20240307-v1", "arn:aws:bedrock:us-east-1:123:prompt/ABCDEFGHIJ", ""])
    assert.equal(resolveModel(id), undefined, id);
});

// ---- the model-id stage of validation -------------------------------------------------------------------

const err = (message: string) => ({ ok: false, error: { type: "ValidationException", status: 400, message } });

test("model id: an unknown provider is invalid; an unknown model of a known provider only under strictModels", () => {
  assert.deepEqual(
    validateRequest("converse", "anthropic.claude-9-v1:0", body, { strictModels: true }),
    err("The provided model identifier is invalid."),
  );
  assert.equal(validateRequest("converse", "anthropic.claude-9-v1:0", body).ok, true);
  assert.deepEqual(validateRequest("converse-stream", "us.nope.nope-v1:0", body), err("The provided model identifier is invalid."));
});

test("model id: profile-only models refuse on-demand bare ids and foundation-model ARNs", () => {
  const msg = (id: string) =>
    `Invocation of model ID ${id} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`;
  const v2 = "anthropic.claude-3-5-sonnet-20241022-v2:0";
  assert.deepEqual(validateRequest("converse", v2, body), err(msg(v2)));
  assert.deepEqual(validateRequest("converse-stream", `arn:aws:bedrock:us-west-2::foundation-model/${SONNET45}`, body), err(msg(SONNET45)));
  assert.equal(validateRequest("converse", `us.${v2}`, body).ok, true);
  assert.equal(validateRequest("converse", `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/global.${SONNET45}`, body).ok, true);
  assert.equal(validateRequest("converse", HAIKU, body).ok, true);
  assert.equal(validateRequest("converse", "anthropic.claude-3-5-sonnet-20240620-v1:0", body).ok, true);
});

test("model id: application profiles are resolved through the option", () => {
  const arn = `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/abc123def456`;
  assert.deepEqual(validateRequest("converse", arn, body), err("The provided model identifier is invalid."));
  assert.equal(validateRequest("converse", arn, body, { resolveProfile: () => `us.${SONNET45}` }).ok, true);
});

test("count-tokens: only bare Claude ids and foundation-model ARNs", () => {
  const unsupported = err("The provided model doesn't support counting tokens.");
  assert.equal(validateRequest("count-tokens", SONNET45, countBody).ok, true);
  assert.equal(validateRequest("count-tokens", `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`, countBody).ok, true);
  assert.deepEqual(validateRequest("count-tokens", `us.${SONNET45}`, countBody), unsupported);
  assert.deepEqual(
    validateRequest("count-tokens", `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.${SONNET45}`, countBody),
    unsupported,
  );
  assert.deepEqual(validateRequest("count-tokens", "amazon.nova-lite-v1:0", countBody), unsupported);
  assert.deepEqual(
    validateRequest("count-tokens", "anthropic.nope-v1:0", countBody, { strictModels: true }),
    err("The provided model identifier is invalid."),
  );
  assert.deepEqual(validateRequest("count-tokens", "nope.nope-v1:0", countBody), err("The provided model identifier is invalid."));
});

test("validateRequest returns the cleaned request", () => {
  assert.deepEqual(validateRequest("converse", HAIKU, { ...body, extra: 1 }), { ok: true, value: body });
});
