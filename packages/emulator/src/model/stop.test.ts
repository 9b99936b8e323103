import { test } from "node:test";
import assert from "node:assert/strict";
import { applyStops } from "./stop.js";

const reasoning = (text: string) => ({ reasoningContent: { reasoningText: { text } } });
const tool = { toolUse: { toolUseId: "tooluse_x", name: "f", input: { a: 1 } } }; // f (1) + {"a":1} (7) = 8 tokens

test("nothing to stop: blocks unchanged, no stop reason", () => {
  assert.deepEqual(applyStops([{ text: "a b c" }], ["zzz"], 100), { content: [{ text: "a b c" }] });
});

test("the earliest stop sequence wins and later blocks are dropped", () => {
  assert.deepEqual(applyStops([{ text: "alpha END beta STOP" }, tool], ["STOP", "END"]), {
    content: [{ text: "alpha " }],
    stopReason: "stop_sequence",
    stopSequence: "END",
  });
  assert.deepEqual(applyStops([{ text: "END first" }], ["END"]), { content: [], stopReason: "stop_sequence", stopSequence: "END" });
});

test("maxTokens counts reasoning, text and tool input; cuts text exactly, drops a tool that does not fit", () => {
  // "one two thirteen" is one, two, thirt, een = 4 tokens
  assert.deepEqual(applyStops([reasoning("one two thirteen"), { text: "four five" }], [], 5), {
    content: [reasoning("one two thirteen"), { text: "four" }],
    stopReason: "max_tokens",
  });
  assert.deepEqual(applyStops([reasoning("one two three four")], [], 2), { content: [reasoning("one two")], stopReason: "max_tokens" });
  assert.deepEqual(applyStops([{ text: "hi" }, tool], [], 8), { content: [{ text: "hi" }], stopReason: "max_tokens" });
  assert.deepEqual(applyStops([{ text: "hi" }, tool], [], 9), { content: [{ text: "hi" }, tool] });
});

test("a stop sequence that is reached within maxTokens is reported as stop_sequence", () => {
  assert.deepEqual(applyStops([{ text: "a b. c d e f" }], ["."], 3), {
    content: [{ text: "a b" }],
    stopReason: "stop_sequence",
    stopSequence: ".",
  });
  assert.deepEqual(applyStops([{ text: "a b c d. e" }], ["."], 2), { content: [{ text: "a b" }], stopReason: "max_tokens" });
});
