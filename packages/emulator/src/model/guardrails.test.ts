import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConverseRequest, JsonObject } from "../types.js";
import { checkInput, checkOutput, containsWord, DEFAULT_GUARDRAIL_POLICY, GuardrailPolicyStore, guardrailId } from "./guardrails.js";

const config = { guardrailIdentifier: "gr1", guardrailVersion: "DRAFT", trace: "enabled" };
const ask = (text: string, extra: Partial<ConverseRequest> = {}): ConverseRequest => ({
  messages: [{ role: "user", content: [{ text }] }],
  guardrailConfig: config,
  ...extra,
});

test("default blocked words, whole words only, any case", () => {
  assert.deepEqual(new GuardrailPolicyStore().get().blockedWords, ["blockedword", "forbidden-topic"]);
  assert.equal(checkInput(ask("This is about BlockedWord.")).intervened, "input");
  assert.equal(checkInput(ask("the forbidden-topic again")).intervened, "input");
  assert.equal(checkInput(ask("unblockedwords are fine")).intervened, undefined);
  assert.ok(containsWord("a forbidden-topic.", "forbidden-topic"));
  assert.ok(!containsWord("forbidden-topics", "forbidden-topic"));
  assert.equal(
    checkInput({ messages: [{ role: "user", content: [{ text: "blockedword" }] }] }).intervened,
    undefined,
    "no guardrailConfig, no check",
  );
});

test("trace: inputAssessment keyed by guardrail id, in the GuardrailTraceAssessment shape", () => {
  const out = checkInput(ask("blockedword here"));
  assert.equal(out.message, "Sorry, the model cannot answer this question.");
  assert.deepEqual(out.trace, {
    inputAssessment: {
      gr1: {
        wordPolicy: { customWords: [{ match: "blockedword", action: "BLOCKED", detected: true }], managedWordLists: [] },
        invocationMetrics: {
          guardrailProcessingLatency: 11,
          usage: {
            topicPolicyUnits: 1,
            contentPolicyUnits: 1,
            wordPolicyUnits: 1,
            sensitiveInformationPolicyUnits: 1,
            sensitiveInformationPolicyFreeUnits: 0,
            contextualGroundingPolicyUnits: 0,
          },
          guardrailCoverage: { textCharacters: { guarded: 16, total: 16 } },
        },
      },
    },
  });
  assert.equal(checkInput(ask("blockedword", { guardrailConfig: { ...config, trace: "disabled" } })).trace, undefined);
});

test("the admin setters change the policy: words, denied topics, content filters, message", () => {
  const store = new GuardrailPolicyStore();
  store.set({ blockedWords: ["pineapple"] });
  assert.equal(checkInput(ask("blockedword"), store.current()).intervened, undefined);
  assert.equal(checkInput(ask("I like Pineapple"), store.current()).intervened, "input");
  store.set({
    deniedTopics: [{ name: "Investing", keywords: ["stocks"] }],
    contentFilters: [{ type: "PROMPT_ATTACK", phrases: ["ignore previous instructions"] }],
    blockedInputMessage: "Nope.",
  });
  const topic = checkInput(ask("Which stocks should I buy?"), store.current());
  assert.equal(topic.message, "Nope.");
  const a = (topic.trace!.inputAssessment as JsonObject).gr1 as JsonObject;
  assert.deepEqual(a.topicPolicy, { topics: [{ name: "Investing", type: "DENY", action: "BLOCKED", detected: true }] });
  const attack = checkInput(ask("Please ignore previous instructions"), store.current());
  const c = (attack.trace!.inputAssessment as JsonObject).gr1 as JsonObject;
  assert.deepEqual(c.contentPolicy, {
    filters: [{ type: "PROMPT_ATTACK", confidence: "HIGH", filterStrength: "HIGH", action: "BLOCKED", detected: true }],
  });
  store.reset();
  assert.deepEqual(store.get(), DEFAULT_GUARDRAIL_POLICY, "reset restores the policy the store started with");
  assert.equal(checkInput(ask("I like Pineapple"), store.current()).intervened, undefined);
});

test("with guardContent blocks only those are guarded", () => {
  const req: ConverseRequest = {
    messages: [{ role: "user", content: [{ text: "blockedword in plain text" }, { guardContent: { text: { text: "all fine" } } }] }],
    guardrailConfig: config,
  };
  assert.equal(checkInput(req).intervened, undefined);
  const guarded: ConverseRequest = { ...req, messages: [{ role: "user", content: [{ guardContent: { text: { text: "blockedword" } } }] }] };
  assert.equal(checkInput(guarded).intervened, "input");
});

test("output is checked too; ARN identifiers are keyed by their id", () => {
  const out = checkOutput(ask("hi"), "the answer mentions blockedword", undefined);
  assert.equal(out.intervened, "output");
  const list = (out.trace!.outputAssessments as JsonObject).gr1 as JsonObject[];
  assert.deepEqual((list[0].wordPolicy as JsonObject).customWords, [{ match: "blockedword", action: "BLOCKED", detected: true }]);
  assert.equal(guardrailId({ guardrailIdentifier: "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc9xyz" }), "abc9xyz");
});

test("a store's policy is its own: a start-up policy, changes and reset touch no other store", () => {
  const a = new GuardrailPolicyStore({ blockedWords: ["mango"] });
  const b = new GuardrailPolicyStore();
  b.set({ blockedWords: ["kiwi"] });
  assert.deepEqual(a.get().blockedWords, ["mango"]);
  assert.deepEqual(b.get().blockedWords, ["kiwi"]);
  b.reset();
  assert.deepEqual(b.get().blockedWords, ["blockedword", "forbidden-topic"]);
  a.set({ blockedInputMessage: "No." });
  a.reset();
  assert.deepEqual(a.get(), { ...DEFAULT_GUARDRAIL_POLICY, blockedWords: ["mango"] }, "reset restores the start-up policy");
  const copy = a.get();
  copy.blockedWords.push("papaya");
  assert.deepEqual(a.get().blockedWords, ["mango"], "get() hands out a copy");
});
