// Guardrails over real HTTP: guardrailConfig on the wire (streamProcessingMode only on streams),
// guard_content input blocks, guardLastTurnOnly, the trace in response_metadata (invoke) and in the
// metadata chunk (stream), and stopReason "guardrail_intervened" from the emulator's word policy.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AIMessage, type AIMessageChunk, HumanMessage, ToolMessage } from "@langchain/core/messages";
import type { Emulator } from "bedrock-runtime-emulator";
import { BedrockConfigError } from "langchain-bedrock-converse";
import { emulator, lastBody, model } from "./helpers.js";

const GUARDRAIL = {
  guardrailIdentifier: "abc123xyz",
  guardrailVersion: "1",
  trace: "enabled" as const,
  streamProcessingMode: "async" as const,
};
const BLOCKED = "Sorry, the model cannot answer this question.";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  emu.setGuardrailPolicy({ blockedWords: ["blockedword", "forbidden-topic"] });
  await emu.close();
});
beforeEach(() => emu.reset());

const usageUnits = {
  topicPolicyUnits: 1,
  contentPolicyUnits: 1,
  wordPolicyUnits: 1,
  sensitiveInformationPolicyUnits: 1,
  sensitiveInformationPolicyFreeUnits: 0,
  contextualGroundingPolicyUnits: 0,
};
const metrics = (chars: number) => ({
  guardrailProcessingLatency: 11,
  usage: usageUnits,
  guardrailCoverage: { textCharacters: { guarded: chars, total: chars } },
});
const blockedTrace = (word: string, chars: number) => ({
  guardrail: {
    inputAssessment: {
      abc123xyz: {
        wordPolicy: { customWords: [{ match: word, action: "BLOCKED", detected: true }], managedWordLists: [] },
        invocationMetrics: metrics(chars),
      },
    },
  },
});

describe("guardrailConfig", () => {
  test("invoke: blocked input → the blocked message, guardrail_intervened and the trace in response_metadata", async () => {
    const msg = await model(emu, { guardrailConfig: GUARDRAIL }).invoke("Tell me about blockedword please");
    assert.deepEqual(lastBody(emu).guardrailConfig, { guardrailIdentifier: "abc123xyz", guardrailVersion: "1", trace: "enabled" });
    assert.deepEqual(msg.content, [{ type: "text", text: BLOCKED }]);
    assert.equal(msg.response_metadata.stopReason, "guardrail_intervened");
    assert.deepEqual(msg.response_metadata.trace, blockedTrace("blockedword", 32));
    assert.deepEqual(msg.usage_metadata, {
      input_tokens: 0,
      output_tokens: 0,
      total_tokens: 0,
      input_token_details: { cache_read: 0, cache_creation: 0 },
    });
  });

  test("stream: streamProcessingMode goes on the wire; the trace is in the metadata chunk", async () => {
    const chunks: AIMessageChunk[] = [];
    for await (const c of await model(emu, { guardrails: GUARDRAIL }).stream("Tell me about blockedword please")) chunks.push(c);
    assert.deepEqual(lastBody(emu).guardrailConfig, GUARDRAIL);
    const text = chunks
      .flatMap((c) => c.content as any[])
      .filter((b) => b.type === "text")
      .map((b) => b.text)
      .join("");
    assert.equal(text, BLOCKED);
    const stop = chunks.find((c) => c.response_metadata.stopReason !== undefined)!;
    assert.equal(stop.response_metadata.stopReason, "guardrail_intervened");
    const last = chunks[chunks.length - 1];
    assert.deepEqual(last.response_metadata.trace, blockedTrace("blockedword", 32));
    assert.equal(chunks.filter((c) => c.response_metadata.trace !== undefined).length, 1);
  });

  test("snake_case keys (Python style) and a call-time config; a clean prompt passes with input and output assessments", async () => {
    const msg = await model(emu).invoke("Tell me about cats", {
      guardrailConfig: {
        guardrail_identifier: "abc123xyz",
        guardrail_version: "DRAFT",
        trace: "enabled_full",
        stream_processing_mode: "sync",
      },
    });
    assert.deepEqual(lastBody(emu).guardrailConfig, { guardrailIdentifier: "abc123xyz", guardrailVersion: "DRAFT", trace: "enabled_full" });
    assert.deepEqual(msg.content, [{ type: "text", text: "You said: Tell me about cats" }]);
    assert.equal(msg.response_metadata.stopReason, "end_turn");
    assert.deepEqual(msg.response_metadata.trace, {
      guardrail: {
        inputAssessment: { abc123xyz: { invocationMetrics: metrics(18) } },
        outputAssessments: { abc123xyz: [{ invocationMetrics: metrics(28) }] },
      },
    });
  });

  test("trace disabled: no trace; the word list is configurable", async () => {
    emu.setGuardrailPolicy({ blockedWords: ["pineapple"] });
    try {
      const llm = model(emu, { guardrailConfig: { ...GUARDRAIL, trace: "disabled" } });
      const msg = await llm.invoke("I like pineapple on pizza");
      assert.deepEqual(msg.content, [{ type: "text", text: BLOCKED }]);
      assert.equal(msg.response_metadata.stopReason, "guardrail_intervened");
      assert.equal(msg.response_metadata.trace, undefined);
      const ok = await llm.invoke("Tell me about blockedword");
      assert.equal(ok.response_metadata.stopReason, "end_turn");
    } finally {
      emu.setGuardrailPolicy({ blockedWords: ["blockedword", "forbidden-topic"] });
    }
  });
});

describe("guard_content blocks", () => {
  test("only guard_content is checked: blocked inside, allowed outside", async () => {
    const llm = model(emu, { guardrailConfig: GUARDRAIL });
    const blocked = await llm.invoke([
      new HumanMessage({
        content: [
          { type: "text", text: "Background: the weather is nice." },
          { type: "guard_content", text: "Is blockedword allowed?" } as never,
        ],
      }),
    ]);
    assert.deepEqual((lastBody(emu).messages as any[])[0].content, [
      { text: "Background: the weather is nice." },
      { guardContent: { text: { text: "Is blockedword allowed?" } } },
    ]);
    assert.equal(blocked.response_metadata.stopReason, "guardrail_intervened");
    assert.deepEqual(blocked.response_metadata.trace, blockedTrace("blockedword", 23));

    const allowed = await llm.invoke([
      new HumanMessage({
        content: [
          { type: "text", text: "Some blockedword context." },
          { type: "guard_content", guard_content: { text: "Is this fine?", qualifiers: ["query"] } } as never,
        ],
      }),
    ]);
    assert.deepEqual((lastBody(emu).messages as any[])[0].content, [
      { text: "Some blockedword context." },
      { guardContent: { text: { text: "Is this fine?", qualifiers: ["query"] } } },
    ]);
    // the input passes, but the answer repeats the word: the output assessment blocks it
    assert.deepEqual(allowed.content, [{ type: "text", text: BLOCKED }]);
    assert.equal(allowed.response_metadata.stopReason, "guardrail_intervened");
    assert.deepEqual(allowed.response_metadata.trace, {
      guardrail: {
        inputAssessment: { abc123xyz: { invocationMetrics: metrics(13) } },
        outputAssessments: {
          abc123xyz: [
            {
              wordPolicy: { customWords: [{ match: "blockedword", action: "BLOCKED", detected: true }], managedWordLists: [] },
              invocationMetrics: metrics(49),
            },
          ],
        },
      },
    });

    const clean = await llm.invoke([
      new HumanMessage({
        content: [
          { type: "text", text: "Some background context." },
          { type: "guard_content", guard_content: { text: "Is this fine?" } } as never,
        ],
      }),
    ]);
    assert.equal(clean.response_metadata.stopReason, "end_turn");
    assert.deepEqual(clean.content, [{ type: "text", text: "You said: Some background context.\nIs this fine?" }]);
  });

  test("native guardContent blocks pass through unchanged", async () => {
    await model(emu, { guardrailConfig: GUARDRAIL }).invoke([
      new HumanMessage({ content: [{ guardContent: { text: { text: "Hello", qualifiers: ["guard_content"] } } } as never] }),
    ]);
    assert.deepEqual((lastBody(emu).messages as any[])[0].content, [
      { guardContent: { text: { text: "Hello", qualifiers: ["guard_content"] } } },
    ]);
  });
});

describe("guardLastTurnOnly", () => {
  test("needs guardrailConfig", () => {
    assert.throws(() => model(emu, { guardLastTurnOnly: true }), BedrockConfigError);
  });

  test("wraps only the last user turn: an earlier blocked word no longer blocks", async () => {
    const history = [
      new HumanMessage("Tell me about blockedword"),
      new AIMessage("I cannot."),
      new HumanMessage("Then tell me about cats"),
    ];
    const guarded = model(emu, { guardrailConfig: GUARDRAIL, guardLastTurnOnly: true });
    const msg = await guarded.invoke(history);
    assert.deepEqual(lastBody(emu).messages, [
      { role: "user", content: [{ text: "Tell me about blockedword" }] },
      { role: "assistant", content: [{ text: "I cannot." }] },
      { role: "user", content: [{ guardContent: { text: { text: "Then tell me about cats" } } }] },
    ]);
    assert.equal(msg.response_metadata.stopReason, "end_turn");
    // without it the whole conversation is checked
    const whole = await model(emu, { guardrailConfig: GUARDRAIL }).invoke(history);
    assert.equal(whole.response_metadata.stopReason, "guardrail_intervened");
    // streamed the same way
    for await (const _ of await guarded.stream(history)) void _;
    assert.deepEqual((lastBody(emu).messages as any[])[2], {
      role: "user",
      content: [{ guardContent: { text: { text: "Then tell me about cats" } } }],
    });
  });

  test("a tool continuation gets a [tool_result] guard block", async () => {
    const tool = { name: "lookup", description: "Look things up", schema: { type: "object", properties: { q: { type: "string" } } } };
    await model(emu, { guardrailConfig: GUARDRAIL, guardLastTurnOnly: true })
      .bindTools([tool])
      .invoke([
        new HumanMessage("Look up cats"),
        new AIMessage({ content: "", tool_calls: [{ id: "tooluse_1", name: "lookup", args: { q: "cats" } }] }),
        new ToolMessage({ content: "cats are small", tool_call_id: "tooluse_1" }),
      ]);
    assert.deepEqual((lastBody(emu).messages as any[])[2], {
      role: "user",
      content: [
        { toolResult: { toolUseId: "tooluse_1", content: [{ text: "cats are small" }], status: "success" } },
        { guardContent: { text: { text: "[tool_result]" } } },
      ],
    });
  });
});
