import assert from "node:assert/strict";
import { test } from "node:test";
import { ChatBedrockConverse } from "./chat-model.js";
import { REQUEST_SETTING_KEYS, resolveRequestSettings } from "./settings.js";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

test("settings: aliases resolved once (stop → stopSequences, guardrails → guardrailConfig)", () => {
  const s = resolveRequestSettings({ stop: ["END"], guardrails: { guardrailIdentifier: "g", guardrailVersion: "1" } } as never, { k: 1 });
  assert.deepEqual(s.stopSequences, ["END"]);
  assert.deepEqual(s.guardrailConfig, { guardrailIdentifier: "g", guardrailVersion: "1" });
  assert.deepEqual(s.additionalModelRequestFields, { k: 1 });
  assert.equal(s.guardLastTurnOnly, false);
});

test("settings: the model's public fields read and write the one object requests are built from", () => {
  const model = new ChatBedrockConverse({ model: MODEL, region: "us-east-1", temperature: 0.2, maxTokens: 50 });
  assert.equal(model.temperature, 0.2);
  assert.equal(model.maxTokens, 50);
  model.temperature = 0.7;
  model.stopSequences = ["STOP"];
  const request = model.buildRequest([], {});
  assert.equal(request.inferenceConfig?.temperature, 0.7);
  assert.deepEqual(request.inferenceConfig?.stopSequences, ["STOP"]);
  assert.equal(request.inferenceConfig?.maxTokens, 50);
  // Each setting is a field a user can see, as before.
  for (const key of REQUEST_SETTING_KEYS) assert.ok(key in model, key);
  assert.ok(Object.keys(Object.getPrototypeOf(model)).includes("temperature"));
});
