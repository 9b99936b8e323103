// Converse, ConverseStream and CountTokens through the real JS SDK, over h2c (the SDK default)
// and HTTP/1.1 (NodeHttpHandler), against one emulator port.
import { ConverseCommand, ConverseStreamCommand, CountTokensCommand } from "@aws-sdk/client-bedrock-runtime";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { decodeFrames, startEmulator, type Emulator } from "bedrock-runtime-emulator";
import { countTokens, generateResponse } from "../src/model/index.js";
import { withFamilyFields } from "../src/model/family-fields.js";
import { client, collect, kinds, MODEL, TIMEOUT, TRANSPORTS, userMessage } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ port: 0, host: "127.0.0.1" });
});
after(() => emu.close());

for (const transport of TRANSPORTS) {
  describe(`runtime operations over ${transport}`, () => {
    test("Converse answers with the default model's reply and a request id", TIMEOUT, async () => {
      const c = client(emu.url, transport);
      try {
        const messages = userMessage("What is the capital of France?");
        const out = await c.send(new ConverseCommand({ modelId: MODEL, messages }));
        const expected = withFamilyFields(
          generateResponse({ operation: "converse", modelId: MODEL, request: { messages } }),
          "anthropic",
          "converse",
        );
        assert.deepEqual(out.output, expected.output);
        assert.equal(out.stopReason, expected.stopReason);
        // the SDK keeps the usage members its model knows (not the legacy *Count spellings or serverToolUsage)
        const { cacheReadInputTokenCount: _rc, cacheWriteInputTokenCount: _wc, serverToolUsage: _s, ...sdkUsage } = expected.usage;
        assert.deepEqual(out.usage, sdkUsage);
        assert.equal(out.usage!.totalTokens, out.usage!.inputTokens! + out.usage!.outputTokens!);
        assert.equal(out.$metadata.httpStatusCode, 200);
        assert.equal(out.$metadata.attempts, 1);
        const logged = emu.requests().at(-1)!;
        assert.match(out.$metadata.requestId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(logged.id, out.$metadata.requestId);
        assert.equal(logged.protocol, transport === "h2" ? "h2" : "http/1.1");
        assert.equal(logged.operation, "converse");
        assert.equal(logged.modelId, MODEL);
      } finally {
        c.destroy();
      }
    });

    test("ConverseStream sends the same reply as Converse, as events in Bedrock's order", TIMEOUT, async () => {
      const c = client(emu.url, transport);
      try {
        const messages = userMessage("Tell me a short story about a lighthouse keeper and a storm.");
        const whole = await c.send(new ConverseCommand({ modelId: MODEL, messages }));
        const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages }));
        assert.equal(out.$metadata.httpStatusCode, 200);
        const events = await collect(out.stream);
        const k = kinds(events);
        assert.equal(k[0], "messageStart");
        assert.deepEqual(events[0].messageStart, { role: "assistant" });
        assert.deepEqual(k.slice(-2), ["messageStop", "metadata"]);
        const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? "").join("");
        const wholeText = (whole.output!.message!.content ?? []).map((b) => b.text ?? "").join("");
        assert.equal(text, wholeText);
        assert.equal(events.at(-2)!.messageStop!.stopReason, whole.stopReason);
        // Claude: the stream's usage has serverToolUsage but not the cache counters Converse carries
        const {
          cacheReadInputTokens: _r,
          cacheWriteInputTokens: _w,
          cacheReadInputTokenCount: _rc,
          cacheWriteInputTokenCount: _wc,
          ...streamed
        } = whole.usage as unknown as Record<string, unknown>;
        assert.deepEqual(events.at(-1)!.metadata!.usage, streamed);
        const logged = emu.requests().at(-1)!;
        assert.equal(logged.id, out.$metadata.requestId);
        assert.deepEqual(logged.streamEvents, k);
        assert.equal(logged.aborted, undefined);
      } finally {
        c.destroy();
      }
    });

    test("CountTokens returns inputTokens as the model counts them", TIMEOUT, async () => {
      const c = client(emu.url, transport);
      try {
        const converse = { messages: userMessage("Count the tokens in this sentence, please."), system: [{ text: "Be brief." }] };
        const out = await c.send(new CountTokensCommand({ modelId: MODEL, input: { converse } }));
        assert.equal(out.inputTokens, countTokens({ input: { converse } }, MODEL));
        assert.equal(out.$metadata.requestId, emu.requests().at(-1)!.id);
      } finally {
        c.destroy();
      }
    });
  });
}

describe("stream event sequences derived from a reply", () => {
  test("text: deltas of chunkSize words, then stop; no contentBlockStart", TIMEOUT, async () => {
    emu.setScript([{ text: "one two three four five six seven", chunkSize: 3 }]);
    const c = client(emu.url);
    try {
      const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("count") }));
      const events = await collect(out.stream);
      assert.deepEqual(kinds(events), [
        "messageStart",
        "contentBlockDelta",
        "contentBlockDelta",
        "contentBlockDelta",
        "contentBlockStop",
        "messageStop",
        "metadata",
      ]);
      assert.deepEqual(
        events.slice(1, 5).map((e) => e.contentBlockDelta ?? e.contentBlockStop),
        [
          { contentBlockIndex: 0, delta: { text: "one two three" } },
          { contentBlockIndex: 0, delta: { text: " four five six" } },
          { contentBlockIndex: 0, delta: { text: " seven" } },
          { contentBlockIndex: 0 },
        ],
      );
      assert.deepEqual(events[5].messageStop, { stopReason: "end_turn" });
    } finally {
      c.destroy();
    }
  });

  test("tool use: text block, then contentBlockStart(toolUse), input fragments, stop, messageStop tool_use", TIMEOUT, async () => {
    const input = { city: "Paris", units: "celsius", days: [1, 2, 3] };
    emu.setScript([
      {
        output: {
          message: {
            content: [{ text: "Let me check." }, { toolUse: { toolUseId: "tooluse_abc123", name: "get_weather", input } }],
          },
        },
      },
    ]);
    const c = client(emu.url, "http1");
    try {
      const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("weather in Paris?") }));
      const events = await collect(out.stream);
      const k = kinds(events);
      const toolDeltas = events.filter((e) => e.contentBlockDelta?.delta?.toolUse);
      assert.deepEqual(k, [
        "messageStart",
        "contentBlockDelta",
        "contentBlockStop",
        "contentBlockStart",
        ...toolDeltas.map(() => "contentBlockDelta"),
        "contentBlockStop",
        "messageStop",
        "metadata",
      ]);
      assert.ok(toolDeltas.length > 1, "tool input arrives in several fragments");
      assert.deepEqual(events[3].contentBlockStart, {
        contentBlockIndex: 1,
        start: { toolUse: { toolUseId: "tooluse_abc123", name: "get_weather" } },
      });
      assert.deepEqual(JSON.parse(toolDeltas.map((e) => e.contentBlockDelta!.delta!.toolUse!.input).join("")), input);
      assert.equal(events.at(-2)!.messageStop!.stopReason, "tool_use");
    } finally {
      c.destroy();
    }
  });

  test("reasoning: reasoning text deltas, one signature delta, stop, then the answer", TIMEOUT, async () => {
    emu.setScript([
      {
        output: {
          message: {
            content: [
              { reasoningContent: { reasoningText: { text: "The user greets me so I greet back", signature: "c2lnbmF0dXJl" } } },
              { reasoningContent: { redactedContent: "cmVkYWN0ZWQ=" } },
              { text: "Hello!" },
            ],
          },
        },
      },
    ]);
    const c = client(emu.url);
    try {
      const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("hi") }));
      const events = await collect(out.stream);
      const deltas = events.map((e) => e.contentBlockDelta ?? e.contentBlockStop ?? e.contentBlockStart);
      assert.deepEqual(kinds(events), [
        "messageStart",
        "contentBlockDelta",
        "contentBlockDelta",
        "contentBlockDelta",
        "contentBlockDelta",
        "contentBlockStop",
        "contentBlockDelta",
        "contentBlockStop",
        "contentBlockDelta",
        "contentBlockStop",
        "messageStop",
        "metadata",
      ]);
      assert.deepEqual(deltas.slice(1, 11), [
        { contentBlockIndex: 0, delta: { reasoningContent: { text: "The user greets" } } },
        { contentBlockIndex: 0, delta: { reasoningContent: { text: " me so I" } } },
        { contentBlockIndex: 0, delta: { reasoningContent: { text: " greet back" } } },
        { contentBlockIndex: 0, delta: { reasoningContent: { signature: "c2lnbmF0dXJl" } } },
        { contentBlockIndex: 0 },
        { contentBlockIndex: 1, delta: { reasoningContent: { redactedContent: new Uint8Array(Buffer.from("redacted")) } } },
        { contentBlockIndex: 1 },
        { contentBlockIndex: 2, delta: { text: "Hello!" } },
        { contentBlockIndex: 2 },
        undefined,
      ]);
    } finally {
      c.destroy();
    }
  });

  test("citations: text deltas then citation deltas", TIMEOUT, async () => {
    const citation = {
      title: "Doc",
      sourceContent: [{ text: "Paris is the capital." }],
      location: { documentChar: { documentIndex: 0, start: 0, end: 21 } },
    };
    emu.setScript([
      { output: { message: { content: [{ citationsContent: { content: [{ text: "It is Paris." }], citations: [citation] } }] } } },
    ]);
    const c = client(emu.url);
    try {
      const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("capital?") }));
      const events = await collect(out.stream);
      assert.deepEqual(
        events.filter((e) => e.contentBlockDelta).map((e) => e.contentBlockDelta!.delta),
        [{ text: "It is Paris." }, { citation }],
      );
    } finally {
      c.destroy();
    }
  });
});

describe("response fields per model family", () => {
  const tools = {
    tools: [{ toolSpec: { name: "get_weather", inputSchema: { json: { type: "object", properties: { city: { type: "string" } } } } } }],
  };
  const ask = userMessage("What is the weather in Paris?");

  test(
    "Claude: toolUse blocks carry type tool_use; usage carries cache counters (both spellings) and serverToolUsage",
    TIMEOUT,
    async () => {
      const c = client(emu.url);
      try {
        const out = await c.send(
          new ConverseCommand({ modelId: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages: ask, toolConfig: tools }),
        );
        const use = out.output!.message!.content!.find((b) => b.toolUse)!.toolUse!;
        assert.equal((use as { type?: string }).type, "tool_use");
        const raw = await rawConverse(emu.url, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", { messages: ask });
        const { inputTokens, outputTokens } = raw.usage;
        assert.deepEqual(raw.usage, {
          inputTokens,
          outputTokens,
          totalTokens: inputTokens + outputTokens,
          cacheReadInputTokens: 0,
          cacheWriteInputTokens: 0,
          cacheReadInputTokenCount: 0,
          cacheWriteInputTokenCount: 0,
          serverToolUsage: {},
        });
        assert.equal(out.usage!.cacheReadInputTokens, 0);

        const frames = await rawStream(emu.url, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", { messages: ask });
        const metadata = frames.find((f) => f.headers[":event-type"] === "metadata")!.payload as { usage: Record<string, unknown> };
        assert.deepEqual(Object.keys(metadata.usage).sort(), ["inputTokens", "outputTokens", "serverToolUsage", "totalTokens"]);
        assert.deepEqual(metadata.usage.serverToolUsage, {});
      } finally {
        c.destroy();
      }
    },
  );

  test("Nova: no Claude-only members", TIMEOUT, async () => {
    const raw = await rawConverse(emu.url, "amazon.nova-pro-v1:0", { messages: ask, toolConfig: tools });
    assert.deepEqual(Object.keys(raw.usage).sort(), ["inputTokens", "outputTokens", "totalTokens"]);
    const use = raw.output.message.content.find((b: { toolUse?: unknown }) => b.toolUse).toolUse;
    assert.equal(use.type, undefined);
  });
});

/** The decoded event-stream frames as sent. */
async function rawStream(url: string, modelId: string, body: unknown) {
  const res = await fetch(`${url}/model/${encodeURIComponent(modelId)}/converse-stream`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200);
  return decodeFrames(new Uint8Array(await res.arrayBuffer()));
}

/** The JSON body as sent (the SDK drops members its model does not know). */
async function rawConverse(url: string, modelId: string, body: unknown) {
  const res = await fetch(`${url}/model/${encodeURIComponent(modelId)}/converse`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200);
  return res.json() as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
