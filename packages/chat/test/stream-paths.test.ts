// model.stream() and invoke() with and without observers: the same chunks and messages either way,
// and the stream still behaves like a LangChain stream (ReadableStream API, errors at
// `await stream()`, aborts). observers.test.ts compares the paths with core's own, observer by observer.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { InMemoryCache } from "@langchain/core/caches";
import { AIMessage, AIMessageChunk } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import type { Emulator, ScriptReply } from "bedrock-runtime-emulator";
import { BedrockConverseError } from "langchain-bedrock-converse";
import { emulator, model, runtimeRequests } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

const reply = {
  output: { message: { role: "assistant" as const, content: [{ text: "one two three four five" }] } },
  stopReason: "end_turn",
  usage: { inputTokens: 3, outputTokens: 5, totalTokens: 8 },
  chunkSize: 4,
};

class Recorder extends BaseCallbackHandler {
  name = "recorder";
  tokens: string[] = [];
  starts = 0;
  ends: LLMResult[] = [];
  override handleChatModelStart(): void {
    this.starts++;
  }
  override handleLLMNewToken(token: string): void {
    this.tokens.push(token);
  }
  override handleLLMEnd(output: LLMResult): void {
    this.ends.push(output);
  }
}

/** Chunks as plain data, without what differs per request (ids, headers, latency). */
function shape(chunks: AIMessageChunk[]): unknown[] {
  return chunks.map((c) => {
    const { ResponseMetadata, metrics, ...meta } = c.response_metadata as Record<string, unknown>;
    return {
      content: c.content,
      meta,
      hasResponseMetadata: ResponseMetadata !== undefined,
      hasMetrics: metrics !== undefined,
      usage: c.usage_metadata,
    };
  });
}

describe("stream() paths", () => {
  test("with and without callbacks the chunks are the same, and callbacks still see every token and the end", async () => {
    emu.setScript([reply, reply]);
    const m = model(emu);
    const direct: AIMessageChunk[] = [];
    for await (const c of await m.stream("hi")) direct.push(c);
    const recorder = new Recorder();
    const observed: AIMessageChunk[] = [];
    for await (const c of await m.stream("hi", { callbacks: [recorder] })) observed.push(c);
    assert.deepEqual(shape(direct), shape(observed));
    assert.equal(direct.map((c) => c.text).join(""), "one two three four five");
    assert.equal(recorder.tokens.join(""), "one two three four five");
    assert.equal(recorder.ends.length, 1);
    const final = recorder.ends[0].generations[0][0] as unknown as { message: AIMessageChunk };
    assert.deepEqual(final.message.usage_metadata, {
      input_tokens: 3,
      output_tokens: 5,
      total_tokens: 8,
      input_token_details: {},
      output_token_details: {},
    });
  });

  test("the direct stream is a ReadableStream: getReader() reads the same chunks", async () => {
    emu.setScript([reply]);
    const stream = await model(emu).stream("hi");
    assert.ok(stream instanceof ReadableStream);
    const reader = stream.getReader();
    let text = "";
    let chunks = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      assert.ok(value instanceof AIMessageChunk);
      text += value.text;
      chunks++;
    }
    assert.equal(text, "one two three four five");
    assert.ok(chunks > 3, `several chunks (${chunks})`);
  });

  test("a refused request rejects `await model.stream()` itself, as core's stream does", async () => {
    const m = model(emu, { model: "not-a-real-model-id" });
    await assert.rejects(m.stream("hi"), (e: unknown) => {
      assert.ok(e instanceof BedrockConverseError, String(e));
      assert.equal(e.name, "ValidationException");
      assert.equal(e.status, 400);
      return true;
    });
    assert.equal(runtimeRequests(emu).length, 1);
  });

  test("an aborted signal rejects the next read with the signal's reason", async () => {
    emu.setScript([reply]);
    const controller = new AbortController();
    const stream = await model(emu).stream("hi", { signal: controller.signal });
    const first = await stream.next();
    assert.equal(first.done, false);
    controller.abort(new Error("stopped by the test"));
    await assert.rejects(stream.next(), /stopped by the test/);
  });

  test("bindTools() and pipes stream the same text as the model itself", async () => {
    emu.setScript([reply, reply]);
    const m = model(emu);
    const bound = m.bindTools([{ name: "noop", description: "does nothing", schema: { type: "object", properties: {} } }]);
    let boundText = "";
    for await (const c of await bound.stream("hi")) boundText += c.text;
    assert.equal(boundText, "one two three four five");
    const piped = m.pipe((c: AIMessageChunk) => c.text);
    let pipedText = "";
    for await (const t of await piped.stream("hi")) pipedText += t;
    assert.equal(pipedText, "one two three four five");
  });
});

describe("invoke() paths", () => {
  test("with and without callbacks the message is the same, and callbacks see the start and the end", async () => {
    emu.setScript([reply, reply]);
    const m = model(emu);
    const direct = await m.invoke("hi");
    const recorder = new Recorder();
    const observed = await m.invoke("hi", { callbacks: [recorder] });
    assert.equal(AIMessage.isInstance(direct), true);
    assert.deepEqual(direct.content, [{ type: "text", text: "one two three four five" }]);
    assert.deepEqual(direct.content, observed.content);
    assert.deepEqual(direct.usage_metadata, observed.usage_metadata);
    assert.deepEqual(Object.keys(direct.response_metadata).sort(), Object.keys(observed.response_metadata).sort());
    assert.equal(recorder.starts, 1);
    assert.equal(recorder.ends.length, 1);
    assert.equal(recorder.ends[0].generations[0][0].text, "one two three four five");
  });

  test("a model with a cache goes through core's cache: the second identical call sends nothing", async () => {
    emu.setScript([reply]);
    const m = model(emu, { cache: new InMemoryCache() });
    const first = await m.invoke("cache me");
    const second = await m.invoke("cache me");
    assert.deepEqual(second.content, first.content);
    assert.equal(runtimeRequests(emu).length, 1);
  });

  test("batch() and a model called inside a RunnableLambda keep working", async () => {
    emu.setScript([reply, reply, reply]);
    const m = model(emu);
    const out = await m.batch(["a", "b"]);
    assert.equal(out.length, 2);
    for (const o of out) assert.deepEqual(o.content, [{ type: "text", text: "one two three four five" }]);
    const recorder = new Recorder();
    const { RunnableLambda } = await import("@langchain/core/runnables");
    // What LangGraph and `langchain` do on Node: give core a real AsyncLocalStorage for run context.
    const { AsyncLocalStorageProviderSingleton } = await import("@langchain/core/singletons");
    const { AsyncLocalStorage } = await import("node:async_hooks");
    AsyncLocalStorageProviderSingleton.initializeGlobalInstance(new AsyncLocalStorage());
    const wrapped = RunnableLambda.from(async (q: string) => (await m.invoke(q)).text);
    // The lambda's callbacks reach the inner model through the run context, so core's path runs.
    assert.equal(await wrapped.invoke("c", { callbacks: [recorder] }), "one two three four five");
    assert.equal(recorder.starts, 1);
    assert.equal(recorder.ends.filter((e) => e.generations[0][0].text === "one two three four five").length, 1);
    // Streaming inside the lambda: the tokens reach the outer callbacks too.
    const streamed = RunnableLambda.from(async (q: string) => {
      let text = "";
      for await (const c of await m.stream(q)) text += c.text;
      return text;
    });
    emu.setScript([reply]);
    const tokens = new Recorder();
    assert.equal(await streamed.invoke("d", { callbacks: [tokens] }), "one two three four five");
    assert.equal(tokens.tokens.join(""), "one two three four five");
  });
});

describe("event stream decoding", () => {
  /**
   * Events as comparable data: blobs (Uint8Array from the SDK, base64 from our decoder) as base64, and
   * without Bedrock's `p` padding member, which the SDK drops and our decoder leaves (the converter
   * never reads it).
   */
  const normalize = (events: unknown[]) =>
    (
      JSON.parse(JSON.stringify(events, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v))) as Record<
        string,
        Record<string, unknown>
      >[]
    ).map((e) =>
      Object.fromEntries(Object.entries(e).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([m]) => m !== "p"))])),
    );

  test("our decoder yields the same events as the SDK's own deserializer, exception frames included", async () => {
    const redacted = Buffer.from("opaque redacted bytes").toString("base64");
    const rich = {
      output: {
        message: {
          role: "assistant" as const,
          content: [
            { reasoningContent: { reasoningText: { text: "Let me think.", signature: "c2lnbmF0dXJl" } } },
            { reasoningContent: { redactedContent: redacted } },
            { text: "Héllo wörld, ✓ done." },
            { toolUse: { toolUseId: "tooluse_abc", name: "get_weather", input: { city: "Paris", days: 2 } } },
          ],
        },
      },
      stopReason: "tool_use",
      usage: { inputTokens: 11, outputTokens: 22, totalTokens: 33 },
      additionalModelResponseFields: { note: "extra" },
      chunkSize: 2,
    };
    const failing = { error: { type: "modelStreamErrorException", message: "the model stopped" } };
    const client = model(emu).client;
    const { ConverseStreamCommand } = await import("@aws-sdk/client-bedrock-runtime");
    const { rawEventStreams } = await import("../src/client.js");
    const { decodeConverseEventStream } = await import("../src/convert/event-stream.js");
    const input = () => ({
      modelId: "anthropic.claude-3-haiku-20240307-v1:0",
      messages: [{ role: "user" as const, content: [{ text: "hi" }] }],
    });

    const viaSdk = async (): Promise<{ events: unknown[]; error?: string }> => {
      const events: unknown[] = [];
      try {
        const out = await client.send(new ConverseStreamCommand(input()));
        for await (const e of out.stream!) events.push(e);
      } catch (e) {
        return { events, error: `${(e as Error).name}: ${(e as Error).message}` };
      }
      return { events };
    };
    const viaOurs = async (): Promise<{ events: unknown[]; error?: string }> => {
      const events: unknown[] = [];
      const req = input();
      const slot: { body?: AsyncIterable<Uint8Array> } = {};
      rawEventStreams.set(req, slot);
      try {
        const out = await client.send(new ConverseStreamCommand(req));
        assert.ok(slot.body, "the middleware handed over the raw body");
        for await (const e of out.stream!) assert.fail(`the SDK got an event: ${JSON.stringify(e)}`);
        for await (const e of decodeConverseEventStream(slot.body)) events.push(e);
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        return { events, error: `${(e as Error).name}: ${(e as Error).message}` };
      }
      return { events };
    };

    for (const reply of [rich, failing] as ScriptReply[]) {
      emu.setScript([reply, reply]);
      const sdk = await viaSdk();
      const ours = await viaOurs();
      assert.ok(sdk.events.length > 3 || sdk.error, "the SDK saw the stream");
      const strip = (r: { events: unknown[]; error?: string }) => ({
        // metrics.latencyMs is the emulator's timing; everything else must match exactly.
        events: normalize(r.events).map((e: Record<string, { metrics?: unknown }>) =>
          e.metadata ? { metadata: { ...e.metadata, metrics: "-" } } : e,
        ),
        error: r.error,
      });
      assert.deepEqual(strip(ours), strip(sdk));
    }
  });
});
