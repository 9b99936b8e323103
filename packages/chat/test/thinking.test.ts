// Extended thinking over real HTTP: reasoning blocks out (invoke and stream), signatures and redacted
// reasoning sent back byte-exact, a multi-turn conversation with tools that the emulator accepts only
// when the signatures come back intact, and the other reasoning dialects accepted as input.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AIMessage, type AIMessageChunk, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import type { Emulator, ScriptReply } from "bedrock-runtime-emulator";
import { BedrockConverseError } from "langchain-bedrock-converse";
import { emulator, lastBody, model, runtimeRequests, collect } from "./helpers.js";

const THINKING_MODEL = "us.anthropic.claude-sonnet-4-20250514-v1:0";
const thinking = { thinking: { type: "enabled", budget_tokens: 2000 } };
const SIGNATURE = /^[A-Za-z0-9+/]{43}=$/;

const weatherTool = {
  name: "get_weather",
  description: "Get the current weather for a city",
  schema: { type: "object", properties: { city: { type: "string", description: "The city" } }, required: ["city"] },
};

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

function thinker(fields: Record<string, unknown> = {}) {
  return model(emu, { model: THINKING_MODEL, maxTokens: 5000, additionalModelRequestFields: thinking, ...fields });
}

/** The same signature with its first character changed. */
const tamper = (signature: string) => (signature[0] === "A" ? "B" : "A") + signature.slice(1);

const withoutIndex = (content: unknown) => (content as Array<Record<string, unknown>>).map(({ index: _i, ...rest }) => rest);

function assertError(e: unknown, name: string, message: RegExp): true {
  assert.ok(e instanceof Error);
  assert.equal(e.name, name);
  assert.match(e.message, message);
  return true;
}

describe("extended thinking: output", () => {
  test("invoke: a signed reasoning_content block, then the text", async () => {
    const msg = await thinker().invoke("What is the cube root of 50.653?");
    const body = lastBody(emu);
    assert.deepEqual(body.additionalModelRequestFields, thinking);
    assert.deepEqual(body.inferenceConfig, { maxTokens: 5000 });
    const content = msg.content as any[];
    assert.equal(content.length, 2);
    assert.deepEqual(Object.keys(content[0]), ["type", "reasoning_content"]);
    assert.equal(content[0].type, "reasoning_content");
    const { type, text, signature } = content[0].reasoning_content;
    assert.equal(type, "text");
    assert.equal(text, 'The user wrote: "What is the cube root of 50.653?". I will restate what they said.');
    assert.match(signature, SIGNATURE);
    assert.deepEqual(content[0].reasoning_content, { type: "text", text, signature });
    assert.deepEqual(content[1], { type: "text", text: "You said: What is the cube root of 50.653?" });
    assert.equal(msg.response_metadata.stopReason, "end_turn");
    // model_name keeps the id as configured (Python); model is the base model behind it
    assert.equal(msg.response_metadata.model_name, "us.anthropic.claude-sonnet-4-20250514-v1:0");
    assert.equal(msg.response_metadata.model, "anthropic.claude-sonnet-4-20250514-v1:0");
  });

  test("stream: reasoning deltas, then the signature; the concatenation equals invoke", async () => {
    const llm = thinker();
    const invoked = await llm.invoke("What is the cube root of 50.653?");
    const { chunks, full } = await collect(await llm.stream("What is the cube root of 50.653?"));
    const reasoningChunks = chunks.flatMap((c) => (c.content as any[]).filter((b) => b.type === "reasoning_content"));
    assert.ok(reasoningChunks.length >= 3, "several reasoning deltas");
    const last = reasoningChunks[reasoningChunks.length - 1];
    assert.deepEqual(Object.keys(last.reasoning_content).sort(), ["signature", "type"]);
    for (const b of reasoningChunks.slice(0, -1)) {
      assert.deepEqual(Object.keys(b.reasoning_content).sort(), ["text", "type"]);
      assert.equal(b.index, 0);
    }
    // the text deltas come only after the signature
    const flat = chunks.flatMap((c) => c.content as any[]);
    const sigAt = flat.indexOf(last);
    assert.ok(flat.slice(0, sigAt).every((b) => b.type !== "text"));
    assert.deepEqual(withoutIndex(full.content), invoked.content);
  });

  test("contentBlocks gives v1 reasoning blocks with the signature", async () => {
    const msg = await thinker().invoke("Hi there");
    const r = (msg.content as any[])[0].reasoning_content;
    assert.deepEqual(msg.contentBlocks, [
      { type: "reasoning", reasoning: r.text, signature: r.signature },
      { type: "text", text: "You said: Hi there" },
    ]);
  });

  test("redacted reasoning (scripted) stays an opaque base64 block, invoke and stream", async () => {
    const secret = Buffer.from("opaque-encrypted-thinking-bytes:".repeat(8));
    const reply: ScriptReply = {
      output: {
        message: {
          role: "assistant",
          content: [{ reasoningContent: { redactedContent: secret.toString("base64") } }, { text: "The answer is 3.7." }],
        },
      },
    };
    emu.setScript([reply, reply]);
    const llm = thinker();
    const msg = await llm.invoke("cube root of 50.653");
    assert.deepEqual(msg.content, [
      { type: "reasoning_content", reasoning_content: { type: "redacted", redacted_content: secret.toString("base64") } },
      { type: "text", text: "The answer is 3.7." },
    ]);
    const { chunks, full } = await collect(await llm.stream("cube root of 50.653"));
    // the emulator splits long redacted content over several deltas; one block comes out per index
    const logged = runtimeRequests(emu)[1].streamEvents ?? [];
    assert.ok(logged.filter((e) => e === "contentBlockDelta").length >= 3);
    const redactedChunks = chunks.flatMap((c) => (c.content as any[]).filter((b) => b.type === "reasoning_content"));
    assert.equal(redactedChunks.length, 1);
    assert.deepEqual(withoutIndex(full.content), msg.content);
  });
});

describe("extended thinking: sending reasoning back", () => {
  test("signed reasoning goes back byte-exact; redacted reasoning goes back as the same bytes", async () => {
    const secret = Buffer.from([0, 1, 2, 250, 251, 252, 10, 13, 255]);
    emu.setScript([
      {
        output: {
          message: {
            role: "assistant",
            content: [{ reasoningContent: { redactedContent: secret.toString("base64") } }, { text: "Noted." }],
          },
        },
      },
    ]);
    const llm = thinker();
    const first = await llm.invoke("Remember the number 7.");
    await llm.invoke([new HumanMessage("Remember the number 7."), first, new HumanMessage("Which number?")]);
    const body = lastBody(emu) as any;
    assert.deepEqual(body.messages[1], {
      role: "assistant",
      content: [{ reasoningContent: { redactedContent: secret.toString("base64") } }, { text: "Noted." }],
    });

    const second = await llm.invoke("Say something.");
    const sig = (second.content as any[])[0].reasoning_content;
    await llm.invoke([new HumanMessage("Say something."), second, new HumanMessage("Again.")]);
    assert.deepEqual((lastBody(emu) as any).messages[1], {
      role: "assistant",
      content: [
        { reasoningContent: { reasoningText: { text: sig.text, signature: sig.signature } } },
        { text: "You said: Say something." },
      ],
    });
  });

  test("unsigned reasoning is not sent back", async () => {
    const ai = new AIMessage({
      content: [
        { type: "reasoning_content", reasoning_content: { type: "text", text: "private thought" } },
        { type: "reasoning_content", reasoning_content: { type: "text", text: "empty sig", signature: "" } },
        { type: "text", text: "Visible answer." },
      ] as any,
    });
    await model(emu).invoke([new HumanMessage("q"), ai, new HumanMessage("next")]);
    assert.deepEqual((lastBody(emu) as any).messages[1], { role: "assistant", content: [{ text: "Visible answer." }] });
  });

  test("a stream-concatenated AI message goes back with its reasoning and signature intact", async () => {
    const llm = thinker();
    const { full } = await collect(await llm.stream("Tell me about Paris."));
    const r = (full.content as any[])[0].reasoning_content;
    const msg = await llm.invoke([new HumanMessage("Tell me about Paris."), full, new HumanMessage("And Rome?")]);
    assert.deepEqual((lastBody(emu) as any).messages[1].content, [
      { reasoningContent: { reasoningText: { text: r.text, signature: r.signature } } },
      { text: "You said: Tell me about Paris." },
    ]);
    assert.equal((msg.content as any[])[1].text, "You said: And Rome?");
  });

  test("a stream-concatenated AI message sends its redacted reasoning back as the same bytes", async () => {
    // Bytes of every value, long enough that the emulator splits them over several deltas.
    const secret = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 256));
    emu.setScript([
      {
        output: {
          message: {
            role: "assistant",
            content: [{ reasoningContent: { redactedContent: secret.toString("base64") } }, { text: "Noted." }],
          },
        },
      },
    ]);
    const llm = thinker();
    const { full } = await collect(await llm.stream("Remember the number 7."));
    assert.ok((runtimeRequests(emu)[0].streamEvents ?? []).filter((e) => e === "contentBlockDelta").length >= 3);
    await llm.invoke([new HumanMessage("Remember the number 7."), full, new HumanMessage("Which number?")]);
    assert.deepEqual((lastBody(emu) as any).messages[1], {
      role: "assistant",
      content: [{ reasoningContent: { redactedContent: secret.toString("base64") } }, { text: "Noted." }],
    });
  });

  test("the other dialects: Anthropic thinking / redacted_thinking and v1 reasoning blocks", async () => {
    const llm = thinker();
    const first = await llm.invoke("Tell me a fact.");
    const { text, signature } = (first.content as any[])[0].reasoning_content;
    const redacted = Buffer.from("redacted-bytes").toString("base64");
    const anthropic = new AIMessage({
      content: [
        { type: "thinking", thinking: text, signature },
        { type: "redacted_thinking", data: redacted },
        { type: "text", text: "You said: Tell me a fact." },
      ] as any,
    });
    await llm.invoke([new HumanMessage("Tell me a fact."), anthropic, new HumanMessage("Another.")]);
    const expected = [
      { reasoningContent: { reasoningText: { text, signature } } },
      { reasoningContent: { redactedContent: redacted } },
      { text: "You said: Tell me a fact." },
    ];
    assert.deepEqual((lastBody(emu) as any).messages[1].content, expected);

    const v1 = new AIMessage({
      content: [
        { type: "reasoning", reasoning: text, signature },
        { type: "text", text: "You said: Tell me a fact." },
      ] as any,
      response_metadata: { output_version: "v1", model_provider: "bedrock-converse" },
    });
    await llm.invoke([new HumanMessage("Tell me a fact."), v1, new HumanMessage("Another.")]);
    assert.deepEqual((lastBody(emu) as any).messages[1].content, [expected[0], expected[2]]);

    // the v1 output of this model (outputVersion "v1") goes back the same way
    const v1Model = thinker({ outputVersion: "v1" });
    const v1Reply = await v1Model.invoke("Tell me a fact.");
    assert.deepEqual(v1Reply.content, [
      { type: "reasoning", reasoning: text, signature },
      { type: "text", text: "You said: Tell me a fact." },
    ]);
    await v1Model.invoke([new HumanMessage("Tell me a fact."), v1Reply, new HumanMessage("Another.")]);
    assert.deepEqual((lastBody(emu) as any).messages[1].content, [expected[0], expected[2]]);
  });
});

describe("extended thinking with tools: multi-turn, signatures checked by the emulator", () => {
  async function firstTurn(stream: boolean): Promise<{ history: BaseMessage[]; ai: AIMessage | AIMessageChunk }> {
    const llm = thinker().bindTools([weatherTool]);
    const question = new HumanMessage("What is the weather in Paris?");
    const ai = stream ? (await collect(await llm.stream([question]))).full : await llm.invoke([question]);
    return { history: [question], ai };
  }

  for (const stream of [false, true]) {
    test(`intact signatures pass (${stream ? "first turn streamed" : "invoke"})`, async () => {
      const { history, ai } = await firstTurn(stream);
      const content = ai.content as any[];
      assert.equal(content[0].type, "reasoning_content");
      assert.equal(
        content[0].reasoning_content.text,
        'The user wrote: "What is the weather in Paris?". I need tools for this: I will call get_weather with {"city":"Paris"}.',
      );
      assert.match(content[0].reasoning_content.signature, SIGNATURE);
      assert.equal(ai.tool_calls!.length, 1);
      const call = ai.tool_calls![0];
      assert.equal(call.name, "get_weather");
      assert.deepEqual(call.args, { city: "Paris" });
      const body = lastBody(emu) as any;
      assert.equal(body.toolConfig.toolChoice, undefined, "no forced tool choice with thinking");

      const llm = thinker().bindTools([weatherTool]);
      const final = await llm.invoke([...history, ai, new ToolMessage({ content: "sunny, 22C", tool_call_id: call.id! })]);
      const sent = (lastBody(emu) as any).messages[1].content;
      assert.deepEqual(sent[0], {
        reasoningContent: { reasoningText: { text: content[0].reasoning_content.text, signature: content[0].reasoning_content.signature } },
      });
      assert.deepEqual(sent[sent.length - 1], { toolUse: { toolUseId: call.id, name: "get_weather", input: { city: "Paris" } } });
      const finalContent = final.content as any[];
      assert.equal(finalContent[0].type, "reasoning_content");
      assert.equal(
        finalContent[0].reasoning_content.text,
        "The user sent no text. The tool results are in, so I can answer from them now.",
      );
      assert.deepEqual(finalContent[1], { type: "text", text: 'Based on the tool results: get_weather returned "sunny, 22C".' });

      // a third turn keeps every earlier signature
      await llm.invoke([
        ...history,
        ai,
        new ToolMessage({ content: "sunny, 22C", tool_call_id: call.id! }),
        final,
        new HumanMessage("Thanks!"),
      ]);
      assert.equal(runtimeRequests(emu).at(-1)!.status, 200);
    });
  }

  test("a tampered signature is rejected with a ValidationException", async () => {
    const { history, ai } = await firstTurn(false);
    const content = (ai.content as any[]).map((b) =>
      b.type === "reasoning_content"
        ? { ...b, reasoning_content: { ...b.reasoning_content, signature: tamper(b.reasoning_content.signature) } }
        : b,
    );
    const tampered = new AIMessage({ content, tool_calls: ai.tool_calls });
    const llm = thinker().bindTools([weatherTool]);
    await assert.rejects(
      llm.invoke([...history, tampered, new ToolMessage({ content: "sunny", tool_call_id: ai.tool_calls![0].id! })]),
      (e: unknown) => {
        assert.ok(e instanceof BedrockConverseError);
        return assertError(e, "ValidationException", /messages\.1\.content\.0: Invalid `signature` in `thinking` block/);
      },
    );
    assert.equal(runtimeRequests(emu).at(-1)!.status, 400);
  });

  test("a tampered reasoning text is rejected too", async () => {
    const { history, ai } = await firstTurn(false);
    const content = (ai.content as any[]).map((b) =>
      b.type === "reasoning_content" ? { ...b, reasoning_content: { ...b.reasoning_content, text: `${b.reasoning_content.text} ` } } : b,
    );
    const llm = thinker().bindTools([weatherTool]);
    await assert.rejects(
      llm.invoke([
        ...history,
        new AIMessage({ content, tool_calls: ai.tool_calls }),
        new ToolMessage({ content: "sunny", tool_call_id: ai.tool_calls![0].id! }),
      ]),
      (e: unknown) => assertError(e, "ValidationException", /Invalid `signature` in `thinking` block/),
    );
  });

  test("a missing signature drops the reasoning, and the emulator refuses the tool turn", async () => {
    const { history, ai } = await firstTurn(false);
    const content = (ai.content as any[]).map((b) =>
      b.type === "reasoning_content"
        ? { type: "reasoning_content", reasoning_content: { type: "text", text: b.reasoning_content.text } }
        : b,
    );
    const llm = thinker().bindTools([weatherTool]);
    await assert.rejects(
      llm.invoke([
        ...history,
        new AIMessage({ content, tool_calls: ai.tool_calls }),
        new ToolMessage({ content: "sunny", tool_call_id: ai.tool_calls![0].id! }),
      ]),
      (e: unknown) =>
        assertError(
          e,
          "ValidationException",
          /messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `text`/,
        ),
    );
    const sent = (runtimeRequests(emu).at(-1)!.body as any).messages[1].content;
    assert.ok(sent.every((b: any) => !("reasoningContent" in b)));
  });
});
