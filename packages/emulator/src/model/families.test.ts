import { test } from "node:test";
import assert from "node:assert/strict";
import { claudeGeneration, inferCapabilities, KNOWN_PROVIDERS } from "./families.js";
import { FOUNDATION_MODELS, resolveModel } from "./catalog.js";
import { validateRequest } from "../validate/index.js";

const ACCOUNT = "123456789012";
const body = { messages: [{ role: "user", content: [{ text: "hi" }] }] };
const invalid = { ok: false, error: { type: "ValidationException", status: 400, message: "The provided model identifier is invalid." } };

test("claudeGeneration reads both naming styles", () => {
  assert.deepEqual(claudeGeneration("claude-3-5-sonnet-20240620-v1:0"), { family: "sonnet", major: 3, minor: 5 });
  assert.deepEqual(claudeGeneration("claude-3-haiku-20240307-v1:0"), { family: "haiku", major: 3, minor: 0 });
  assert.deepEqual(claudeGeneration("claude-sonnet-4-20250514-v1:0"), { family: "sonnet", major: 4, minor: 0 });
  assert.deepEqual(claudeGeneration("claude-opus-4-6-v1"), { family: "opus", major: 4, minor: 6 });
  assert.deepEqual(claudeGeneration("claude-sonnet-4-6"), { family: "sonnet", major: 4, minor: 6 });
  assert.deepEqual(claudeGeneration("claude-sonnet-5"), { family: "sonnet", major: 5, minor: 0 });
  assert.deepEqual(claudeGeneration("claude-v2:1"), { family: "", major: 2, minor: 0 });
  assert.equal(claudeGeneration("something-else"), undefined);
});

test("ids newer than the catalog are accepted in every form", () => {
  const forms = (id: string) => [
    id,
    `us.${id}`,
    `eu.${id}`,
    `apac.${id}`,
    `global.${id}`,
    `jp.${id}`,
    `arn:aws:bedrock:us-east-1::foundation-model/${id}`,
    `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.${id}`,
    `arn:aws:bedrock:eu-west-1:${ACCOUNT}:inference-profile/global.${id}`,
  ];
  for (const id of [
    "anthropic.claude-sonnet-5",
    "anthropic.claude-sonnet-4-6",
    "anthropic.claude-opus-4-6-v1",
    "anthropic.claude-opus-4-7",
    "amazon.nova-2-pro-v1:0",
    "meta.llama4-behemoth-288b-instruct-v1:0",
    "mistral.magistral-small-2509-v1:0",
    "cohere.command-r7-v1:0",
    "deepseek.v3-2-v1:0",
    "openai.gpt-oss-safeguard-20b-v1:0",
    "qwen.qwen3-vl-235b-a22b-v1:0",
    "writer.palmyra-x6-v1:0",
    "ai21.jamba-2-v1:0",
    "moonshotai.kimi-k2.5",
    "google.gemma-3-27b-it",
    "minimax.minimax-m2",
  ]) {
    for (const form of forms(id)) {
      const r = validateRequest("converse", form, body);
      assert.equal(r.ok, true, `${form}: ${JSON.stringify(r)}`);
      assert.equal(validateRequest("converse-stream", form, body).ok, true, form);
    }
    assert.deepEqual(validateRequest("converse", id, body, { strictModels: true }), invalid, `${id} is not in the catalog`);
  }
  // an application inference profile wrapping a new model
  const app = `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/x1y2z3a4b5c6`;
  const resolveProfile = () => "global.anthropic.claude-opus-5";
  assert.equal(validateRequest("converse", app, body, { resolveProfile }).ok, true);
  assert.deepEqual(validateRequest("converse", app, body, { resolveProfile, strictModels: true }), invalid);
});

test("every catalog id keeps its catalog row (inference never overrides it)", () => {
  for (const [id, caps] of FOUNDATION_MODELS) {
    const m = resolveModel(id);
    assert.equal(m?.inferred, false, id);
    assert.equal(m?.maxOutputTokens, caps.maxOutputTokens, id);
  }
});

test("ids naming no known provider are invalid", () => {
  for (const id of [
    "gpt-4",
    "foo.bar-v1:0",
    "xx.anthropic.claude-sonnet-5",
    "us.nope.model-v1:0",
    "claude-sonnet-4-5",
    "anthropic.",
    `arn:aws:bedrock:us-east-1::foundation-model/acme.model-v1:0`,
    `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/anthropic.claude-sonnet-5`,
  ]) {
    assert.deepEqual(validateRequest("converse", id, body), invalid, id);
  }
});

test("ids failing the service model's modelId pattern get the Coral constraint error", () => {
  const r = validateRequest("converse", "anthropic claude", body);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.error.type, "ValidationException");
    assert.match(
      r.error.message,
      /^1 validation error detected: Value 'anthropic claude' at 'modelId' failed to satisfy constraint: Member must satisfy regular expression pattern: \(arn:aws/,
    );
  }
  const long = validateRequest("converse", `anthropic.${"a".repeat(2100)}`, body);
  assert.equal(long.ok, false);
  if (!long.ok) assert.match(long.error.message, /Member must have length less than or equal to 2048/);
});

test("family and generation decide the inferred capabilities", () => {
  const caps = (id: string) => resolveModel(id)!;
  // Claude
  assert.equal(caps("anthropic.claude-sonnet-4-6").supportsReasoning, true);
  assert.equal(caps("anthropic.claude-sonnet-4-6").temperature, "exclusive-with-top-p");
  assert.equal(caps("anthropic.claude-opus-4-7").temperature, "rejected");
  assert.equal(caps("us.anthropic.claude-opus-5").temperature, "rejected");
  assert.equal(caps("us.anthropic.claude-sonnet-5").maxOutputTokens, 128000);
  assert.equal(caps("anthropic.claude-sonnet-5").supportsCountTokens, true);
  assert.equal(caps("anthropic.claude-sonnet-5").requiresInferenceProfile, false);
  assert.equal(caps("anthropic.claude-3-5-haiku-20991231-v9:0").supportsImages, false);
  assert.equal(caps("anthropic.claude-3-5-haiku-20991231-v9:0").supportsReasoning, false);
  assert.equal(caps("anthropic.claude-v2:1").supportsTools, false);
  // others
  assert.equal(caps("meta.llama4-behemoth-288b-instruct-v1:0").supportsToolStreaming, false);
  assert.equal(caps("meta.llama4-behemoth-288b-instruct-v1:0").mixedToolTurns, false);
  assert.equal(caps("meta.llama3-2-5b-instruct-v1:0").supportsTools, false);
  assert.equal(caps("mistral.mixtral-8x22b-instruct-v0:1").supportsSystem, false);
  assert.deepEqual(caps("mistral.mistral-large-2411-v1:0").toolChoice, ["auto", "any"]);
  assert.equal(caps("cohere.command-r7-v1:0").supportsToolStreaming, false);
  assert.equal(caps("amazon.nova-micro-v2").supportsImages, false);
  assert.equal(caps("amazon.nova-2-pro-v1:0").supportsVideo, true);
  assert.equal(caps("deepseek.r2-v1:0").supportsTools, false);
  assert.equal(caps("openai.gpt-oss-safeguard-20b-v1:0").supportsToolStreaming, true);
  assert.equal(caps("writer.palmyra-x6-v1:0").supportsToolStreaming, false);
  assert.equal(caps("qwen.qwen3-vl-235b-a22b-v1:0").supportsImages, true);
  // a provider Bedrock serves but whose models nothing is known about: nothing refused
  const g = caps("google.gemma-3-27b-it");
  assert.equal(g.supportsTools && g.supportsToolStreaming && g.supportsImages && g.supportsVideo, true);
  assert.deepEqual(g.toolChoice, ["auto", "any", "tool"]);
});

test("inferCapabilities: exactly the known providers", () => {
  for (const p of KNOWN_PROVIDERS) assert.ok(inferCapabilities(`${p}.some-model-v1:0`), p);
  assert.equal(inferCapabilities("acme.some-model-v1:0"), undefined);
  assert.equal(inferCapabilities("nodot"), undefined);
});

test("count-tokens: a new Claude id works by bare id, not by profile", () => {
  const countBody = { input: { converse: body } };
  assert.equal(validateRequest("count-tokens", "anthropic.claude-sonnet-5", countBody).ok, true);
  assert.deepEqual(validateRequest("count-tokens", "us.anthropic.claude-sonnet-5", countBody), {
    ok: false,
    error: { type: "ValidationException", status: 400, message: "The provided model doesn't support counting tokens." },
  });
});

test("a version of a catalog model that the catalog does not list is invalid", () => {
  for (const id of ["anthropic.claude-3-haiku-20240307-v1", "anthropic.claude-3-haiku-20240307-v2:0", "meta.llama3-2-1b-instruct-v1"]) {
    assert.deepEqual(validateRequest("converse", id, body), invalid, id);
  }
});
