// The chat package's capability table (src/capabilities.ts) and the emulator's model catalog and
// family inference describe the same models. Where they disagree, a user of the chat package gets
// a request the emulator refuses (the chat package streams tool calls the model cannot stream,
// forces a tool choice the model rejects, ...), or the emulator accepts what Bedrock refuses.
// This test walks every id either side knows and checks each fact both sides state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FOUNDATION_MODELS, forcedToolChoiceAllowedWithThinking, resolveModel } from "bedrock-runtime-emulator";
import {
  disableStreamingDecision,
  inferBaseModelId,
  inferProvider,
  isAnthropicModel,
  reasoningEffortLevels,
  supportedToolChoiceValues,
  supportsCountTokens,
  supportsTemperature,
  thinkingForbidsForcedToolChoice,
} from "../src/capabilities.js";

/** Ids the chat package's tables name (one per rule), beyond the emulator's catalog. */
const CHAT_IDS = [
  "anthropic.claude-v2:1",
  "anthropic.claude-instant-v1",
  "anthropic.claude-opus-4-6-v1",
  "anthropic.claude-sonnet-4-6",
  "anthropic.claude-opus-4-7",
  "anthropic.claude-opus-4-8",
  "anthropic.claude-sonnet-5",
  "anthropic.claude-opus-5",
  "anthropic.claude-fable-5",
  "amazon.titan-text-premier-v1:0",
  "ai21.jamba-instruct-v1:0",
  "cohere.command-text-v14",
  "deepseek.v3.2",
  "moonshot.kimi-k2-thinking",
  "moonshotai.kimi-k2.5",
  "openai.gpt-oss-safeguard-120b-v1:0",
  "qwen.qwen3-235b-a22b-2507-v1:0",
  "mistral.magistral-small-2509-v1:0",
  "meta.llama4-behemoth-288b-instruct-v1:0",
];
const THINKING = { thinking: { type: "enabled", budget_tokens: 2048 } };

/** What the chat package decides for a model id, from the same predicates the model class calls. */
function chatView(modelId: string) {
  const provider = inferProvider(modelId);
  const baseModelId = inferBaseModelId(modelId);
  return {
    provider,
    baseModelId,
    anthropic: isAnthropicModel(baseModelId, provider),
    toolChoiceValues: supportedToolChoiceValues(baseModelId),
    disableStreaming: disableStreamingDecision(provider, baseModelId),
    countTokens: supportsCountTokens(baseModelId),
    temperature: supportsTemperature(baseModelId),
    reasoningEffortLevels: reasoningEffortLevels(baseModelId, provider),
  };
}

const ids = [...new Set([...FOUNDATION_MODELS.keys(), ...CHAT_IDS])];

for (const id of ids) {
  test(`chat and emulator agree on ${id}`, () => {
    for (const form of [id, `us.${id}`]) {
      const emu = resolveModel(form);
      assert.ok(emu, `the emulator accepts ${form}`);
      const chat = chatView(form);
      assert.equal(chat.baseModelId, id);
      assert.equal(chat.provider, emu.provider, "provider");
      assert.equal(chat.anthropic, emu.provider === "anthropic", "Anthropic family");

      // every tool choice the chat package lets a user force, the emulator accepts
      for (const choice of chat.toolChoiceValues) {
        assert.ok(emu.supportsTools && emu.toolChoice.includes(choice), `toolChoice ${choice}`);
      }
      // streaming with tools: the chat package streams tool calls only where the emulator allows it
      if (chat.disableStreaming.value === false && emu.supportsTools) assert.equal(emu.supportsToolStreaming, true, "streams tool use");
      if (emu.supportsTools && !emu.supportsToolStreaming) assert.notEqual(chat.disableStreaming.value, false, "does not stream tool use");

      // CountTokens: the chat package calls it (by bare id) only where the emulator answers
      if (chat.countTokens && form === id) assert.equal(emu.supportsCountTokens, true, "CountTokens");

      // temperature: the chat package drops it exactly where the emulator refuses it
      assert.equal(chat.temperature, emu.temperature !== "rejected", "temperature accepted");

      // reasoning: effort levels for Claude mean the model thinks
      if (chat.anthropic && chat.reasoningEffortLevels) assert.equal(emu.supportsReasoning, true, "thinking");

      // forced tool choice under thinking: both sides draw the line at the same models
      if (chat.anthropic && emu.supportsReasoning) {
        const chatForbids = !supportedToolChoiceValues(id, THINKING).includes("any");
        assert.equal(chatForbids, thinkingForbidsForcedToolChoice(id));
        assert.equal(chatForbids, !forcedToolChoiceAllowedWithThinking(id), "forced tool choice with thinking");
      }
    }
  });
}
