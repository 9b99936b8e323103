// Prompt caching over real HTTP: createCachePoint() blocks in system, messages and tools reach the
// wire, the cacheControl call option places points within Bedrock's four, and usage_metadata reports
// the emulator's cache reads and writes (a second identical prefix reads from the cache).
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AIMessage, type AIMessageChunk, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import type { Emulator } from "bedrock-runtime-emulator";
import { ChatBedrockConverse, createCachePoint } from "langchain-bedrock-converse";
import { collectWarnings, emulator, lastBody, model } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

// "You are a careful assistant. " is 8 tokens for the emulator's tokenizer: 20 of them are 160.
const SYSTEM_TEXT = "You are a careful assistant. ".repeat(20);
const tool = {
  name: "lookup",
  description: "Look a word up in the dictionary",
  schema: { type: "object", properties: { word: { type: "string" } }, required: ["word"] },
};
const toolSpec = {
  toolSpec: {
    name: "lookup",
    description: "Look a word up in the dictionary",
    inputSchema: { json: { type: "object", properties: { word: { type: "string" } }, required: ["word"] } },
  },
};

describe("createCachePoint", () => {
  test("the exported function and the static give the same Converse block", () => {
    assert.deepEqual(createCachePoint(), { type: "cachePoint", cachePoint: { type: "default" } });
    assert.deepEqual(ChatBedrockConverse.createCachePoint(), { type: "cachePoint", cachePoint: { type: "default" } });
    assert.deepEqual(createCachePoint("1h"), { type: "cachePoint", cachePoint: { type: "default", ttl: "1h" } });
    assert.deepEqual(ChatBedrockConverse.createCachePoint("1h"), createCachePoint("1h"));
  });

  test("placed in system, messages, a tool result and tools, it reaches the wire where it was put", async () => {
    // Four points, Bedrock's budget (more are trimmed: CACHE-3 below), so each stays where it was put.
    const llm = model(emu, { system: ["Constructor system."] }).bindTools([tool, createCachePoint("1h")]);
    await llm.invoke([
      new SystemMessage({ content: [{ type: "text", text: SYSTEM_TEXT }, ChatBedrockConverse.createCachePoint()] }),
      new HumanMessage({ content: [{ type: "text", text: "Look up cat." }, createCachePoint()] }),
      new AIMessage({ content: "", tool_calls: [{ id: "tooluse_1", name: "lookup", args: { word: "cat" } }] }),
      new ToolMessage({ content: [{ type: "text", text: "a small feline" }, createCachePoint()], tool_call_id: "tooluse_1" }),
    ]);
    const body = lastBody(emu) as any;
    assert.deepEqual(body.system, [{ text: "Constructor system." }, { text: SYSTEM_TEXT }, { cachePoint: { type: "default" } }]);
    assert.deepEqual(body.messages, [
      { role: "user", content: [{ text: "Look up cat." }, { cachePoint: { type: "default" } }] },
      { role: "assistant", content: [{ toolUse: { toolUseId: "tooluse_1", name: "lookup", input: { word: "cat" } } }] },
      {
        role: "user",
        content: [
          { toolResult: { toolUseId: "tooluse_1", content: [{ text: "a small feline" }], status: "success" } },
          { cachePoint: { type: "default" } },
        ],
      },
    ]);
    assert.deepEqual(body.toolConfig.tools, [toolSpec, { cachePoint: { type: "default", ttl: "1h" } }]);
  });

  test("more than four points: the last four are kept, with a warning (CACHE-3); rawBlocks get Claude's own error", async () => {
    const p = createCachePoint();
    const messages = [
      new SystemMessage({ content: [{ type: "text", text: "a" }, p, { type: "text", text: "b" }, p] }),
      new HumanMessage({ content: [{ type: "text", text: "c" }, p, { type: "text", text: "d" }, p, { type: "text", text: "e" }, p] }),
    ];
    const warnings = await collectWarnings(() => model(emu).invoke(messages));
    const body = lastBody(emu) as any;
    assert.deepEqual(body.system, [{ text: "a" }, { text: "b" }, { cachePoint: { type: "default" } }]);
    assert.equal(body.messages[0].content.filter((b: object) => "cachePoint" in b).length, 3);
    assert.ok(
      warnings.some((w) => /had 5 cache points.*dropped: system\.1/.test(w)),
      warnings.join("\n"),
    );
    const point = { cachePoint: { type: "default" } };
    const raw = [
      {
        role: "user" as const,
        content: [{ text: "a" }, point, { text: "b" }, point, { text: "c" }, point, { text: "d" }, point, { text: "e" }, point],
      },
    ];
    await assert.rejects(
      model(emu, { rawBlocks: raw as never }).invoke("ignored"),
      (e: Error) =>
        e.name === "ValidationException" && /A maximum of 4 blocks with cache_control may be provided\. Found 5\./.test(e.message),
    );
  });
});

describe("cacheControl", () => {
  const conversation = () => [
    new SystemMessage(SYSTEM_TEXT),
    new HumanMessage("First question."),
    new AIMessage("First answer."),
    new HumanMessage("Second question."),
  ];
  const point = { cachePoint: { type: "default" } };

  test("Anthropic: end of system, last message, tools and the penultimate message", async () => {
    await model(emu).bindTools([tool]).invoke(conversation(), { cacheControl: {} });
    const body = lastBody(emu) as any;
    assert.deepEqual(body.system, [{ text: SYSTEM_TEXT }, point]);
    assert.deepEqual(body.messages, [
      { role: "user", content: [{ text: "First question." }] },
      { role: "assistant", content: [{ text: "First answer." }, point] },
      { role: "user", content: [{ text: "Second question." }, point] },
    ]);
    assert.deepEqual(body.toolConfig.tools, [toolSpec, point]);
  });

  test("ttl: 1h is kept, 5m (the default) is left out", async () => {
    await model(emu).invoke(conversation(), { cacheControl: { ttl: "1h" } });
    const p1h = { cachePoint: { type: "default", ttl: "1h" } };
    assert.deepEqual((lastBody(emu) as any).system, [{ text: SYSTEM_TEXT }, p1h]);
    assert.deepEqual((lastBody(emu) as any).messages[2].content, [{ text: "Second question." }, p1h]);
    await model(emu).invoke(conversation(), { cacheControl: { ttl: "5m" } });
    assert.deepEqual((lastBody(emu) as any).system, [{ text: SYSTEM_TEXT }, point]);
  });

  test("manual points count against the budget of four and stop the penultimate point", async () => {
    const msgs = conversation();
    msgs[1] = new HumanMessage({ content: [{ type: "text", text: "First question." }, createCachePoint()] });
    await model(emu).bindTools([tool]).invoke(msgs, { cacheControl: {} });
    const body = lastBody(emu) as any;
    assert.deepEqual(body.system, [{ text: SYSTEM_TEXT }, point]);
    assert.deepEqual(
      body.messages.map((m: any) => m.content.filter((b: any) => "cachePoint" in b).length),
      [1, 0, 1],
    );
    assert.deepEqual(body.toolConfig.tools, [toolSpec, point]);
  });

  test("Nova: no point after the tools, none in the penultimate message", async () => {
    await model(emu, { model: "amazon.nova-pro-v1:0" })
      .bindTools([tool])
      .invoke(conversation(), { cacheControl: { ttl: "1h" } });
    const body = lastBody(emu) as any;
    assert.deepEqual(body.system, [{ text: SYSTEM_TEXT }, point]);
    assert.deepEqual(body.messages[1].content, [{ text: "First answer." }]);
    assert.deepEqual(body.messages[2].content, [{ text: "Second question." }, point]);
    assert.deepEqual(body.toolConfig.tools, [toolSpec]);
  });

  test("works on streams too", async () => {
    for await (const _ of await model(emu).stream(conversation(), { cacheControl: {} })) void _;
    assert.deepEqual((lastBody(emu) as any).system, [{ text: SYSTEM_TEXT }, point]);
  });
});

describe("cache accounting in usage_metadata", () => {
  const messages = () => [
    new SystemMessage({ content: [{ type: "text", text: SYSTEM_TEXT }, createCachePoint()] }),
    new HumanMessage("Hello there"),
  ];

  test("the first call writes the prefix, an identical second prefix reads it", async () => {
    const llm = model(emu);
    const first = await llm.invoke(messages());
    assert.deepEqual(first.usage_metadata, {
      input_tokens: 169,
      output_tokens: 5,
      total_tokens: 174,
      // writes are reported per TTL, as Python does (cache_creation 0, so they are not counted twice)
      input_token_details: { cache_read: 0, cache_creation: 0, ephemeral_5m_input_tokens: 160 },
    });
    const second = await llm.invoke(messages());
    assert.deepEqual(second.usage_metadata, {
      input_tokens: 169,
      output_tokens: 5,
      total_tokens: 174,
      input_token_details: { cache_read: 160, cache_creation: 0 },
    });
    // a different prefix is a miss
    const other = await llm.invoke([
      new SystemMessage({ content: [{ type: "text", text: "Other. ".repeat(5) }, createCachePoint()] }),
      new HumanMessage("Hello there"),
    ]);
    assert.deepEqual(other.usage_metadata!.input_token_details, { cache_read: 0, cache_creation: 0, ephemeral_5m_input_tokens: 10 });
  });

  test("streamed: the metadata chunk carries the same details", async () => {
    const llm = model(emu);
    await llm.invoke(messages());
    let full: AIMessageChunk | undefined;
    for await (const c of await llm.stream(messages())) full = full ? full.concat(c) : c;
    const { input_tokens, output_tokens, total_tokens, input_token_details } = full!.usage_metadata!;
    assert.deepEqual(
      { input_tokens, output_tokens, total_tokens, input_token_details },
      {
        input_tokens: 169,
        output_tokens: 5,
        total_tokens: 174,
        input_token_details: { cache_read: 160, cache_creation: 0 },
      },
    );
  });

  test("cacheControl: the next turn reads what the previous one wrote", async () => {
    const llm = model(emu);
    const history = [new SystemMessage(SYSTEM_TEXT), new HumanMessage("Hello there")];
    const first = await llm.invoke(history, { cacheControl: {} });
    assert.equal(first.usage_metadata!.input_token_details!.cache_read, 0);
    assert.equal((first.usage_metadata!.input_token_details as Record<string, number>).ephemeral_5m_input_tokens, 162);
    const second = await llm.invoke([...history, first, new HumanMessage("And again")], { cacheControl: {} });
    // the points moved on (penultimate and last message), yet the prefix written last turn is read
    // "You said: Hello there" (5 tokens) and "And again" (2 tokens) are written; Claude's turn
    // template (4 + 3 per message) is never cached
    assert.deepEqual(second.usage_metadata!.input_token_details, { cache_read: 162, cache_creation: 0, ephemeral_5m_input_tokens: 7 });
    assert.equal(second.usage_metadata!.input_tokens, 162 + 7 + 4 + 3 * 3);
  });

  test("no cache points: Claude reports zero cache counters, other models none", async () => {
    const msg = await model(emu).invoke("Hello there");
    assert.deepEqual(msg.usage_metadata!.input_token_details, { cache_read: 0, cache_creation: 0 });
    const nova = await model(emu, { model: "amazon.nova-lite-v1:0" }).invoke("Hello there");
    assert.equal(nova.usage_metadata!.input_token_details, undefined);
  });
});
