import type { ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import type { AIMessageChunk } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import assert from "node:assert/strict";
import { test } from "node:test";
import { aiMessageChunk } from "./chunk-fields.js";
import { ReplyAccumulator } from "./reply-accumulator.js";
import { ConverseStreamConverter } from "./stream.js";
import { REDACTED, SIGNATURE, ev } from "./test-data.js";

const MODEL = "anthropic.claude-sonnet-4-5-20250929-v1:0";

function generations(events: ConverseStreamOutput[], messageId: string | undefined = "run-1"): ChatGenerationChunk[] {
  const converter = new ConverseStreamConverter({
    modelName: MODEL,
    responseMetadata: { httpStatusCode: 200, requestId: "r", attempts: 1 },
    messageId,
  });
  const chunks = [converter.start()];
  for (const e of events) chunks.push(...converter.convert(e));
  return chunks.map((message) => {
    const text = (message.content as Array<Record<string, unknown>>)
      .map((b) => (b.type === "text" && typeof b.text === "string" ? b.text : ""))
      .join("");
    return new ChatGenerationChunk({ text, message });
  });
}

/** Everything an observer can read of a fold result. */
function view(g: ChatGenerationChunk): unknown {
  const m = g.message as AIMessageChunk;
  return {
    text: g.text,
    generationInfo: g.generationInfo,
    json: JSON.parse(JSON.stringify(m)),
    content: m.content,
    id: m.id,
    tool_calls: m.tool_calls,
    invalid_tool_calls: m.invalid_tool_calls,
    tool_call_chunks: m.tool_call_chunks,
    usage_metadata: m.usage_metadata,
    response_metadata: m.response_metadata,
    additional_kwargs: m.additional_kwargs,
  };
}

function assertSameAsCoreFold(chunks: ChatGenerationChunk[]): void {
  const core = chunks.reduce((a, b) => a.concat(b));
  const acc = new ReplyAccumulator();
  for (const c of chunks) acc.add(c);
  assert.deepEqual(view(acc.result()!), view(core));
}

const usage = { inputTokens: 5, outputTokens: 9, totalTokens: 14 };
const texts = (index: number, n: number) => Array.from({ length: n }, (_, i) => ev.text(index, i === 0 ? "Hello" : ` w${i}`));

const cases: Record<string, ConverseStreamOutput[]> = {
  "text only": [...texts(0, 40), ev.stop(0), ev.messageStop(), ev.metadata(usage, 10)],
  "one delta": [ev.text(0, "Hi"), ev.stop(0), ev.messageStop(), ev.metadata(usage, 10)],
  "text, tool call, more text": [
    ...texts(0, 5),
    ev.stop(0),
    ev.toolStart(1, "tooluse_1", "get_weather"),
    ev.toolInput(1, '{"ci'),
    ev.toolInput(1, 'ty":"Paris"}'),
    ev.stop(1),
    ev.toolStart(2, "tooluse_2", "get_time"),
    ev.toolInput(2, "{}"),
    ev.stop(2),
    ...texts(3, 3),
    ev.stop(3),
    ev.messageStop("tool_use"),
    ev.metadata(usage, 10),
  ],
  "reasoning, signature, redacted, text": [
    ev.reasoning(0, "Let me"),
    ev.reasoning(0, " think"),
    ev.signature(0, SIGNATURE),
    ev.stop(0),
    ev.redacted(1, REDACTED),
    ev.stop(1),
    ...texts(2, 6),
    ev.stop(2),
    ev.messageStop("end_turn", { x: 1 }),
    ev.metadata(usage, 10),
  ],
  "citations between text deltas": [
    ...texts(0, 3),
    ev.citation(0, {
      title: "doc",
      sourceContent: [{ text: "quoted" }],
      location: { documentChar: { documentIndex: 0, start: 0, end: 5 } },
    }),
    ...texts(0, 3),
    ev.stop(0),
    ...texts(1, 2),
    ev.messageStop(),
    ev.metadata(usage, 10),
  ],
  "text deltas interleaved across blocks": [
    ev.text(0, "a"),
    ev.text(1, "b"),
    ev.text(0, "c"),
    ev.text(1, "d"),
    ev.text(1, "e"),
    ev.messageStop(),
  ],
};

for (const [name, events] of Object.entries(cases)) {
  test(`ReplyAccumulator equals core's concat fold: ${name}`, () => {
    assertSameAsCoreFold(generations(events));
    assertSameAsCoreFold(generations(events, undefined));
  });
}

test("ReplyAccumulator equals core's fold when the first chunk is itself a text delta and ids differ", () => {
  const chunk = (text: string, id?: string, index = 0) =>
    new ChatGenerationChunk({
      text,
      message: aiMessageChunk({
        content: [{ type: "text", text, index }] as never,
        response_metadata: { model_provider: "bedrock-converse" },
        id,
      }),
    });
  assertSameAsCoreFold([chunk("a", "x"), chunk("b", "x"), chunk("c", "y"), chunk("d", "y"), chunk("e")]);
  assertSameAsCoreFold([chunk("a"), chunk("b"), chunk("c")]);
});

test("ReplyAccumulator: nothing added, nothing returned", () => {
  assert.equal(new ReplyAccumulator().result(), undefined);
});
