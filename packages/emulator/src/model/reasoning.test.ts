import { test } from "node:test";
import assert from "node:assert/strict";
import { modelCanReason, reasoningBlock, reasoningText, thinkingRequested } from "./reasoning.js";
import { verifyReasoningSignature } from "./signature.js";
import { countTextTokens } from "./tokenizer.js";

test("thinking requests: enabled with budget, adaptive, Nova reasoningConfig; nothing otherwise", () => {
  assert.deepEqual(thinkingRequested({ additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 2048 } } }), {
    budgetTokens: 2048,
  });
  assert.deepEqual(thinkingRequested({ additionalModelRequestFields: { thinking: { type: "adaptive" } } }), {});
  assert.deepEqual(
    thinkingRequested({ additionalModelRequestFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "low" } } }),
    {},
  );
  assert.equal(thinkingRequested({ additionalModelRequestFields: { thinking: { type: "disabled" } } }), undefined);
  assert.equal(thinkingRequested({}), undefined);
});

test("reasoning text follows the plan and respects the budget", () => {
  assert.equal(reasoningText({ userText: "Hi" }, {}), 'The user wrote: "Hi". I will restate what they said.');
  assert.equal(
    reasoningText({ userText: "x", answeringToolResults: true }, {}),
    'The user wrote: "x". The tool results are in, so I can answer from them now.',
  );
  assert.equal(
    reasoningText({ userText: "x", structured: true }, {}),
    'The user wrote: "x". I must answer with JSON that matches the requested schema.',
  );
  assert.equal(
    reasoningText({ userText: "x", citing: 2 }, {}),
    'The user wrote: "x". I will quote the 2 documents and cite where each quote comes from.',
  );
  const cut = reasoningText({ userText: "Hi" }, { budgetTokens: 11 });
  assert.equal(cut, 'The user wrote: "Hi". I will resta'); // restate = resta + te
  assert.equal(countTextTokens(cut), 11);
});

test("blocks are signed so the validator accepts them back", () => {
  const block = reasoningBlock("Some thought.");
  const r = (block.reasoningContent as { reasoningText: { text: string; signature: string } }).reasoningText;
  assert.equal(r.text, "Some thought.");
  assert.ok(verifyReasoningSignature(r.text, r.signature));
});

test("fallback capability check by model name", () => {
  assert.ok(modelCanReason("anthropic.claude-3-7-sonnet-20250219-v1:0"));
  assert.ok(modelCanReason("us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
  assert.ok(!modelCanReason("anthropic.claude-3-haiku-20240307-v1:0"));
  assert.ok(!modelCanReason("amazon.nova-pro-v1:0"));
});
