// Proof by difference: the same emulator replies through our call paths and through @langchain/core's
// own (`Runnable.stream` + `BaseChatModel._streamIterator` over our `_streamResponseChunks`), for every
// kind of observer. Chunks, ids, callback events, stream events, LangGraph's stream and the traced runs
// must be equal key by key once per-call randomness (uuids, request ids, times) is numbered in order.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type { ChatGenerationChunk, ChatResult } from "@langchain/core/outputs";
import { concat } from "@langchain/core/utils/stream";
import { Runnable } from "@langchain/core/runnables";
import { DynamicStructuredTool } from "@langchain/core/tools";
import { LangChainTracer } from "@langchain/core/tracers/tracer_langchain";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import type { Emulator, ScriptReply } from "bedrock-runtime-emulator";
import { ChatBedrockConverse, type ChatBedrockConverseInput } from "langchain-bedrock-converse";
import { z } from "zod";
import { emulator, FAKE_KEY_ID, FAKE_SECRET } from "./helpers.js";

const MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

/** @langchain/core's own stream path over our `_streamResponseChunks`: the reference. */
// Named like ours: core serializes a subclass under its JavaScript class name. With `streaming: true`
// its `_generate` folds the chunks with core's own `concat`, as an integration without our fold does.
const CoreReference = {
  ChatBedrockConverse: class extends ChatBedrockConverse {
    override async _generate(
      messages: BaseMessage[],
      options: this["ParsedCallOptions"],
      runManager?: CallbackManagerForLLMRun,
    ): Promise<ChatResult> {
      if (!this.streaming) return super._generate(messages, options, runManager);
      let full: ChatGenerationChunk | undefined;
      for await (const chunk of this._streamResponseChunks(messages, options, runManager)) full = full ? concat(full, chunk) : chunk;
      const m = full!.message as AIMessageChunk;
      const message = new AIMessage({
        content: m.content,
        tool_calls: m.tool_calls,
        invalid_tool_calls: m.invalid_tool_calls,
        usage_metadata: m.usage_metadata,
        response_metadata: m.response_metadata,
        additional_kwargs: m.additional_kwargs,
        id: m.id,
      });
      return { generations: [{ text: full!.text, message }] };
    }
  },
}.ChatBedrockConverse;
Object.defineProperty(CoreReference.prototype, "stream", { value: Runnable.prototype.stream, writable: true, configurable: true });
Object.defineProperty(CoreReference.prototype, "_streamIterator", {
  value: BaseChatModel.prototype._streamIterator,
  writable: true,
  configurable: true,
});

type PathKind = "ours" | "core";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

function build(kind: PathKind, fields: ChatBedrockConverseInput = {}): ChatBedrockConverse {
  const Ctor = kind === "ours" ? ChatBedrockConverse : CoreReference;
  return new Ctor({
    model: MODEL,
    endpointUrl: emu.url,
    region: "us-east-1",
    awsAccessKeyId: FAKE_KEY_ID,
    awsSecretAccessKey: FAKE_SECRET,
    maxRetries: 0,
    ...fields,
  });
}

// --- the replies ---------------------------------------------------------------------------------

const toolCallReply: ScriptReply = {
  output: {
    message: {
      content: [
        { text: "Let me check both." },
        { toolUse: { toolUseId: "tooluse_weather01", name: "get_weather", input: { city: "Paris" } } },
        { toolUse: { toolUseId: "tooluse_time0001", name: "get_time", input: { city: "Paris" } } },
      ],
    },
  },
  chunkSize: 1,
};
const answerReply: ScriptReply = { text: "It is sunny in Paris and noon.", chunkSize: 1 };

interface Scenario {
  replies: ScriptReply[];
  /** Adds a fault before the call (the error mid-stream). */
  fault?: (emu: Emulator) => void;
}

const SCENARIOS: Record<string, Scenario> = {
  text: { replies: [{ text: "one two three four five six", chunkSize: 1 }] },
  "tool calls": { replies: [toolCallReply, answerReply] },
  thinking: {
    replies: [
      {
        output: {
          message: {
            content: [
              { reasoningContent: { reasoningText: { text: "The user wants a short answer.", signature: "c2lnbmF0dXJl" } } },
              { text: "Short answer." },
            ],
          },
        },
        chunkSize: 1,
      },
    ],
  },
  citations: {
    replies: [
      {
        output: {
          message: {
            content: [
              {
                citationsContent: {
                  content: [{ text: "Paris is the capital of France." }],
                  citations: [
                    {
                      title: "atlas",
                      sourceContent: [{ text: "Paris is the capital of France." }],
                      location: { documentChar: { documentIndex: 0, start: 0, end: 31 } },
                    },
                  ],
                },
              },
            ],
          },
        },
      },
    ],
  },
  "error mid-stream": {
    replies: [{ text: "one two three four five six", chunkSize: 1 }],
    fault: (e) => e.addFault({ kind: "stream-exception", afterEvents: 4, times: 1 }),
  },
};

// --- normalising what differs per call -----------------------------------------------------------

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Keys whose values differ per request or per clock tick. */
const VARYING = new Set([
  "RequestId",
  "HTTPHeaders",
  "latencyMs",
  "start_time",
  "end_time",
  "time",
  "dotted_order",
  "execution_order",
  "child_execution_order",
  "requestId",
]);

/** A plain copy with every uuid replaced by its order of first appearance and varying values blanked. */
function normalize(value: unknown): unknown {
  const ids = new Map<string, string>();
  // Objects on the current path: a true cycle, not a shared reference, is cut.
  const open = new Set<object>();
  const walk = (v: unknown, key?: string): unknown => {
    if (key !== undefined && VARYING.has(key)) return "<varies>";
    // Stack traces name the frames of each path; the error's first line is what observers compare.
    if (typeof v === "string" && v.includes("\n    at ")) v = v.slice(0, v.indexOf("\n    at "));
    if (typeof v === "string")
      return v.replace(UUID, (u) => {
        const key = u.toLowerCase();
        if (!ids.has(key)) ids.set(key, `<id${ids.size}>`);
        return ids.get(key)!;
      });
    if (v instanceof Date) return "<date>";
    if (typeof v === "function") return "<function>";
    if (v instanceof Error) return { error: v.name, message: walk(v.message) };
    if (!v || typeof v !== "object") return v;
    if (open.has(v)) return "<cycle>";
    open.add(v);
    try {
      if (Array.isArray(v)) return v.map((x) => walk(x));
      const source =
        typeof (v as { toJSON?: unknown }).toJSON === "function" && (v as { lc_serializable?: unknown }).lc_serializable !== undefined
          ? (v as { toJSON(): unknown }).toJSON()
          : v;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(source as object).sort()) out[k] = walk((source as Record<string, unknown>)[k], k);
      return out;
    } finally {
      open.delete(v);
    }
  };
  return walk(value);
}

/** Everything a consumer reads off a chunk. */
function chunkView(c: AIMessageChunk): unknown {
  return {
    json: c.toJSON(),
    id: c.id,
    text: c.text,
    tool_calls: c.tool_calls,
    tool_call_chunks: c.tool_call_chunks,
    usage_metadata: c.usage_metadata,
    response_metadata: c.response_metadata,
    contentBlocks: c.contentBlocks,
  };
}

// --- observers -------------------------------------------------------------------------------------

/** Records every callback with its arguments, in order. */
class RecordingHandler extends BaseCallbackHandler {
  name = "RecordingHandler";
  events: unknown[] = [];
  override handleChatModelStart(...args: unknown[]): void {
    this.events.push(["handleChatModelStart", ...args]);
  }
  override handleLLMNewToken(...args: unknown[]): void {
    this.events.push(["handleLLMNewToken", ...args]);
  }
  override handleLLMEnd(...args: unknown[]): void {
    this.events.push(["handleLLMEnd", ...args]);
  }
  override handleLLMError(...args: unknown[]): void {
    this.events.push(["handleLLMError", ...args]);
  }
}

function plainObjectHandler(events: unknown[]) {
  return {
    handleChatModelStart: (...args: unknown[]) => void events.push(["handleChatModelStart", ...args]),
    handleLLMNewToken: (...args: unknown[]) => void events.push(["handleLLMNewToken", ...args]),
    handleLLMEnd: (...args: unknown[]) => void events.push(["handleLLMEnd", ...args]),
    handleLLMError: (...args: unknown[]) => void events.push(["handleLLMError", ...args]),
  };
}

/** A LangSmith client stand-in: the runs a tracer would send, kept in memory (no network). */
function capturingClient(runs: unknown[]) {
  return {
    createRun: async (run: unknown) => void runs.push(["create", structuredClone(run)]),
    updateRun: async (id: string, run: unknown) => void runs.push(["update", id, structuredClone(run)]),
    awaitPendingTraceBatches: async () => undefined,
  };
}

function tools() {
  return [
    new DynamicStructuredTool({
      name: "get_weather",
      description: "Weather in a city",
      schema: z.object({ city: z.string() }),
      func: async ({ city }) => `Sunny in ${city}`,
    }),
    new DynamicStructuredTool({
      name: "get_time",
      description: "Local time in a city",
      schema: z.object({ city: z.string() }),
      func: async ({ city }) => `Noon in ${city}`,
    }),
  ];
}

interface Outcome {
  chunks: unknown[];
  error?: unknown;
  observed: unknown;
}

async function capture<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error: { name: (error as Error).name, message: (error as Error).message, partial: (error as { partial?: unknown }).partial } };
  }
}

type ObserverName = "none" | "BaseCallbackHandler" | "plain object handler" | "streamEvents v2" | "LangChainTracer" | "LangGraph messages";

async function runWith(kind: PathKind, observer: ObserverName, scenario: Scenario): Promise<Outcome> {
  emu.reset();
  emu.setScript(scenario.replies);
  scenario.fault?.(emu);
  const m = build(kind);
  const input = [new HumanMessage("What is the weather and the time in Paris?")];
  const chunks: AIMessageChunk[] = [];
  const streamAll = async (callbacks?: unknown[]) => {
    for await (const c of await m.stream(input, callbacks ? { callbacks: callbacks as never } : undefined)) chunks.push(c);
  };
  let observed: unknown;
  let error: unknown;
  switch (observer) {
    case "none": {
      ({ error } = await capture(() => streamAll()));
      break;
    }
    case "BaseCallbackHandler": {
      const h = new RecordingHandler();
      ({ error } = await capture(() => streamAll([h])));
      await awaitAllCallbacks();
      observed = h.events;
      break;
    }
    case "plain object handler": {
      const events: unknown[] = [];
      ({ error } = await capture(() => streamAll([plainObjectHandler(events)])));
      await awaitAllCallbacks();
      observed = events;
      break;
    }
    case "streamEvents v2": {
      const events: unknown[] = [];
      ({ error } = await capture(async () => {
        for await (const e of m.streamEvents(input, { version: "v2" })) events.push(e);
      }));
      observed = events;
      break;
    }
    case "LangChainTracer": {
      const runs: unknown[] = [];
      const tracer = new LangChainTracer({ client: capturingClient(runs) as never, projectName: "matrix" });
      ({ error } = await capture(() => streamAll([tracer])));
      await awaitAllCallbacks();
      observed = runs;
      break;
    }
    case "LangGraph messages": {
      const agent = createReactAgent({ llm: m, tools: tools() });
      const events: unknown[] = [];
      ({ error } = await capture(async () => {
        const stream = await agent.stream({ messages: input }, { streamMode: ["messages", "updates", "values"] });
        for await (const e of stream) events.push(e);
      }));
      observed = events;
      break;
    }
  }
  return { chunks: chunks.map(chunkView), error, observed };
}

const OBSERVERS: ObserverName[] = [
  "none",
  "BaseCallbackHandler",
  "plain object handler",
  "streamEvents v2",
  "LangChainTracer",
  "LangGraph messages",
];

describe("our stream path equals core's reference path, observer by observer", () => {
  for (const [scenarioName, scenario] of Object.entries(SCENARIOS)) {
    for (const observer of OBSERVERS) {
      test(`${scenarioName} · ${observer}`, async () => {
        const ours = await runWith("ours", observer, scenario);
        const core = await runWith("core", observer, scenario);
        assert.deepEqual(normalize(ours), normalize(core));
        // The comparison means something: the reply came through.
        if (observer !== "LangGraph messages" && observer !== "streamEvents v2")
          assert.ok(ours.chunks.length > 2, `${ours.chunks.length} chunks`);
        if (scenarioName === "error mid-stream") assert.ok(ours.error, "the stream failed");
        else assert.equal(ours.error, undefined);
        if (observer !== "none") assert.ok(Array.isArray(ours.observed) && ours.observed.length > 0);
        // One reply, one id, in LangChain's run form.
        const ids = new Set((ours.chunks as { id?: string }[]).map((c) => c.id));
        if (ours.chunks.length) {
          assert.equal(ids.size, 1, `one id per reply: ${[...ids].join(", ")}`);
          assert.match([...ids][0]!, /^run-[0-9a-f-]{36}$/);
        }
      });
    }
  }
});

describe("invoke paths equal core's", () => {
  for (const streaming of [false, true]) {
    test(`invoke with a handler (streaming: ${streaming}) equals core's stream-and-concat reference, and the id is run-<runId>`, async () => {
      const results: unknown[] = [];
      for (const kind of ["ours", "core"] as const) {
        emu.reset();
        emu.setScript(SCENARIOS["tool calls"].replies);
        const h = new RecordingHandler();
        const m = build(kind, { streaming });
        const msg = await m.invoke("What is the weather?", { callbacks: [h] });
        await awaitAllCallbacks();
        const start = h.events.find((e) => (e as unknown[])[0] === "handleChatModelStart") as unknown[];
        const runId = start[3] as string;
        assert.equal(msg.id, `run-${runId}`);
        const tokens = h.events.filter((e) => (e as unknown[])[0] === "handleLLMNewToken");
        if (streaming) assert.ok(tokens.length > 5, "a streaming invoke reports every chunk");
        else assert.equal(tokens.length, 0);
        results.push({ msg: normalize(chunkView(msg as AIMessageChunk)), events: normalize(h.events) });
      }
      assert.deepEqual(results[0], results[1]);
    });
  }

  test("batch, disableStreaming and an unobserved invoke: one id per reply in the run form", async () => {
    emu.setScript([answerReply, answerReply, answerReply, answerReply]);
    const m = build("ours");
    const [a, b] = await m.batch(["one", "two"]);
    assert.match(a.id!, /^run-[0-9a-f-]{36}$/);
    assert.match(b.id!, /^run-[0-9a-f-]{36}$/);
    assert.notEqual(a.id, b.id);
    const plain = await m.invoke("three");
    assert.match(plain.id!, /^run-[0-9a-f-]{36}$/);
    const disabled = build("ours", { disableStreaming: true });
    const h = new RecordingHandler();
    const chunks: AIMessageChunk[] = [];
    for await (const c of await disabled.stream("four", { callbacks: [h] })) chunks.push(c);
    await awaitAllCallbacks();
    const runId = (h.events.find((e) => (e as unknown[])[0] === "handleChatModelStart") as unknown[])[3];
    assert.equal(chunks.length, 1);
    assert.equal(chunks[0]!.id, `run-${runId}`);
  });
});

describe("every chunk reaches the handlers exactly once", () => {
  test('handleLLMNewToken is called once per yielded chunk, in order, with the chunk and its text (or "")', async () => {
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      emu.reset();
      emu.setScript(scenario.replies);
      scenario.fault?.(emu);
      const h = new RecordingHandler();
      const yielded: AIMessageChunk[] = [];
      await capture(async () => {
        for await (const c of await build("ours").stream("hi", { callbacks: [h] })) yielded.push(c);
      });
      await awaitAllCallbacks();
      const tokens = h.events.filter((e) => (e as unknown[])[0] === "handleLLMNewToken") as unknown[][];
      assert.equal(tokens.length, yielded.length, `${name}: ${tokens.length} tokens for ${yielded.length} chunks`);
      tokens.forEach((t, i) => {
        const chunk = (t[6] as { chunk: { message: AIMessageChunk; text: string } }).chunk;
        assert.equal(chunk.message, yielded[i], `${name}: token ${i} carries the yielded chunk`);
        assert.equal(t[1], yielded[i]!.text, `${name}: token ${i} is the chunk's text`);
      });
      // Chunks without text (tool-call chunks, the stop and metadata chunks) are reported too.
      assert.ok(
        tokens.some((t) => t[1] === ""),
        `${name}: empty-text chunks are reported`,
      );
    }
  });
});

describe("a handler that raises", () => {
  test("its own error fails the stream, unchanged (not wrapped as a Bedrock error), on both paths", async () => {
    for (const kind of ["ours", "core"] as const) {
      emu.reset();
      emu.setScript([answerReply]);
      const boom = new Error("handler refused the token");
      const handler = BaseCallbackHandler.fromMethods({
        handleLLMNewToken(token: string) {
          if (token.includes("sunny")) throw boom;
        },
      });
      Object.assign(handler, { raiseError: true, awaitHandlers: true });
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const c of await build(kind).stream("hi", { callbacks: [handler] })) seen.push(c.text);
        })(),
        (e: unknown) => e === boom,
      );
      assert.ok(!seen.join("").includes("sunny"), `${kind}: the refused chunk was not yielded`);
    }
  });
});

describe('LangGraph createReactAgent, streamMode "messages"', () => {
  test("each token once, tool-call chunks streamed, one id per reply: the exact sequence", async () => {
    emu.setScript([toolCallReply, answerReply]);
    const agent = createReactAgent({ llm: build("ours"), tools: tools() });
    const seen: [string, string | undefined, string, string][] = [];
    for await (const [message, meta] of await agent.stream(
      { messages: [new HumanMessage("Weather and time in Paris?")] },
      { streamMode: "messages" },
    )) {
      const tcc = AIMessageChunk.isInstance(message) ? (message.tool_call_chunks ?? []) : [];
      seen.push([
        meta.langgraph_node as string,
        message.id,
        message.type === "tool" ? String(message.content) : message.text,
        JSON.stringify(tcc.map((c) => [c.index, c.id ?? null, c.name ?? null, c.args])),
      ]);
    }
    const agentIds = [...new Set(seen.filter((s) => s[0] === "agent").map((s) => s[1]))];
    assert.equal(agentIds.length, 2, `one id per reply: ${agentIds.join(", ")}`);
    for (const id of agentIds) assert.match(id!, /^run-[0-9a-f-]{36}$/);
    const [first, second] = agentIds;
    const rows = seen.map(([node, id, text, tcc]) => [node, id === first ? "reply1" : id === second ? "reply2" : "other", text, tcc]);
    // The emulator streams one word per delta (the space leads) and a tool input in two pieces.
    const words = (s: string) => s.split(/(?= )/);
    const expected = [
      ["agent", "reply1", "", "[]"],
      ...words("Let me check both.").map((w) => ["agent", "reply1", w, "[]"]),
      ["agent", "reply1", "", "[]"],
      ["agent", "reply1", "", '[[1,"tooluse_weather01","get_weather",""]]'],
      ["agent", "reply1", "", '[[1,null,null,"{\\"city\\":"]]'],
      ["agent", "reply1", "", '[[1,null,null,"\\"Paris\\"}"]]'],
      ["agent", "reply1", "", "[]"],
      ["agent", "reply1", "", '[[2,"tooluse_time0001","get_time",""]]'],
      ["agent", "reply1", "", '[[2,null,null,"{\\"city\\":"]]'],
      ["agent", "reply1", "", '[[2,null,null,"\\"Paris\\"}"]]'],
      ["agent", "reply1", "", "[]"],
      ["agent", "reply1", "", "[]"],
      ["agent", "reply1", "", "[]"],
      ["tools", "other", "Sunny in Paris", "[]"],
      ["tools", "other", "Noon in Paris", "[]"],
      ["agent", "reply2", "", "[]"],
      ...words("It is sunny in Paris and noon.").map((w) => ["agent", "reply2", w, "[]"]),
      ["agent", "reply2", "", "[]"],
      ["agent", "reply2", "", "[]"],
      ["agent", "reply2", "", "[]"],
    ];
    assert.deepEqual(rows, expected);
  });

  test('streamMode "values" keeps the reply with the id its chunks had', async () => {
    emu.setScript([toolCallReply, answerReply]);
    const agent = createReactAgent({ llm: build("ours"), tools: tools() });
    const chunkIds = new Set<string>();
    let last: { messages: { id?: string; type: string }[] } | undefined;
    for await (const [mode, payload] of await agent.stream(
      { messages: [new HumanMessage("Weather?")] },
      { streamMode: ["messages", "values"] },
    )) {
      if (mode === "messages" && payload[1].langgraph_node === "agent") chunkIds.add(payload[0].id!);
      if (mode === "values") last = payload as never;
    }
    const aiIds = last!.messages.filter((msg) => msg.type === "ai").map((msg) => msg.id!);
    assert.deepEqual(new Set(aiIds), chunkIds);
  });
});
