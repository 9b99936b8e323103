// Content over real HTTP that is not thinking, media, caching or guardrails: rawBlocks, Bedrock-native
// blocks passing through in both directions, search_result blocks, LangChain v1 standard blocks
// (contentBlocks and outputVersion "v1"), and the request-level fields whose answers reach response_metadata.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AIMessage, type AIMessageChunk, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import type { Emulator, ScriptReply } from "bedrock-runtime-emulator";
import { emulator, lastBody, model, runtimeRequests } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

const lookup = {
  name: "lookup",
  description: "Look a word up",
  schema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
};

describe("rawBlocks", () => {
  test("sent verbatim as the messages, with no system, whatever the input", async () => {
    const rawBlocks = [
      { role: "user" as const, content: [{ text: "Raw question" }, { cachePoint: { type: "default" as const } }] },
      { role: "assistant" as const, content: [{ text: "Raw answer" }] },
      { role: "user" as const, content: [{ text: "Raw follow-up" }] },
    ];
    const llm = model(emu, { rawBlocks, system: ["ignored"] });
    const msg = await llm.invoke([new SystemMessage("also ignored"), new HumanMessage("ignored too")]);
    const body = lastBody(emu);
    assert.deepEqual(body.messages, rawBlocks);
    assert.equal(body.system, undefined);
    assert.deepEqual(msg.content, [{ type: "text", text: "You said: Raw follow-up" }]);
    for await (const _ of await llm.stream("x")) void _;
    assert.deepEqual(lastBody(emu).messages, rawBlocks);
  });
});

describe("Bedrock-native blocks", () => {
  test("pass through untouched in human, AI and tool messages (a text document without citations goes as its bytes: DOC-4)", async () => {
    const native = [
      { text: "Native text" },
      { image: { format: "png", source: { bytes: new Uint8Array([137, 80, 78, 71]) } } },
      { document: { format: "txt", name: "notes", source: { text: "Some notes." }, citations: { enabled: false } } },
      { document: { format: "txt", name: "cited", source: { content: [{ text: "Cited notes." }] }, citations: { enabled: true } } },
      { searchResult: { source: "https://example.com/a", title: "A", content: [{ text: "Result text." }] } },
      { guardContent: { text: { text: "guarded", qualifiers: ["query"] } } },
      { cachePoint: { type: "default" } },
    ];
    const aiNative = [{ text: "Native answer" }, { cachePoint: { type: "default" } }];
    await model(emu)
      .bindTools([lookup])
      .invoke([
        new HumanMessage({ content: native as never }),
        new AIMessage({ content: aiNative as never, tool_calls: [{ id: "tooluse_1", name: "lookup", args: { q: "x" } }] }),
        new ToolMessage({ content: [{ json: { found: true } }, { text: "plain" }] as never, tool_call_id: "tooluse_1" }),
      ]);
    const body = lastBody(emu) as any;
    assert.deepEqual(body.messages[0].content, [
      { text: "Native text" },
      { image: { format: "png", source: { bytes: "iVBORw==" } } },
      { document: { format: "txt", name: "notes", source: { bytes: "U29tZSBub3Rlcy4=" }, citations: { enabled: false } } },
      { document: { format: "txt", name: "cited", source: { content: [{ text: "Cited notes." }] }, citations: { enabled: true } } },
      { searchResult: { source: "https://example.com/a", title: "A", content: [{ text: "Result text." }] } },
      { guardContent: { text: { text: "guarded", qualifiers: ["query"] } } },
      { cachePoint: { type: "default" } },
    ]);
    assert.deepEqual(body.messages[1].content, [
      { text: "Native answer" },
      { cachePoint: { type: "default" } },
      { toolUse: { toolUseId: "tooluse_1", name: "lookup", input: { q: "x" } } },
    ]);
    assert.deepEqual(body.messages[2].content, [
      { toolResult: { toolUseId: "tooluse_1", content: [{ json: { found: true } }, { text: "plain" }], status: "success" } },
    ]);
  });

  test("output blocks come back as Python's shapes and go back to Bedrock unchanged", async () => {
    const reply: ScriptReply = {
      output: {
        message: {
          role: "assistant",
          content: [
            { text: "Here:" },
            { image: { format: "png", source: { bytes: "iVBORw0KGgo=" } } },
            { document: { format: "pdf", name: "out", source: { bytes: "JVBERi0=" } } },
            { toolUse: { toolUseId: "tooluse_1", name: "lookup", input: { q: "x" } } },
          ],
        },
      },
    };
    emu.setScript([reply]);
    const llm = model(emu).bindTools([lookup]);
    const msg = await llm.invoke("Show me");
    const content = msg.content as any[];
    assert.deepEqual(content[0], { type: "text", text: "Here:" });
    assert.deepEqual(content[1], { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } });
    assert.equal(content[2].type, "document");
    assert.deepEqual(
      { ...content[2].document, source: { bytes: Buffer.from(content[2].document.source.bytes).toString("base64") } },
      { format: "pdf", name: "out", source: { bytes: "JVBERi0=" } },
    );
    assert.deepEqual(content[3], { type: "tool_use", id: "tooluse_1", name: "lookup", input: { q: "x" } });
    await llm.invoke([new HumanMessage("Show me"), msg, new ToolMessage({ content: "ok", tool_call_id: "tooluse_1" })]);
    assert.deepEqual((lastBody(emu) as any).messages[1].content, reply.output!.message.content);
  });
});

describe("search_result blocks", () => {
  test("convert as Python: text items only, citations flag kept, in human and tool messages", async () => {
    const block = {
      type: "search_result",
      source: "https://example.com/paris",
      title: "Paris",
      content: [{ type: "text", text: "Paris is the capital of France." }, "It is on the Seine."],
      citations: { enabled: true },
    };
    const expected = {
      searchResult: {
        source: "https://example.com/paris",
        title: "Paris",
        content: [{ text: "Paris is the capital of France." }, { text: "It is on the Seine." }],
        citations: { enabled: true },
      },
    };
    await model(emu)
      .bindTools([lookup])
      .invoke([
        new HumanMessage({ content: [block, { type: "text", text: "Where is Paris?" }] as never }),
        new AIMessage({ content: "", tool_calls: [{ id: "tooluse_1", name: "lookup", args: { q: "Paris" } }] }),
        new ToolMessage({ content: [block] as never, tool_call_id: "tooluse_1" }),
      ]);
    const body = lastBody(emu) as any;
    assert.deepEqual(body.messages[0].content, [expected, { text: "Where is Paris?" }]);
    assert.deepEqual(body.messages[2].content[0].toolResult.content, [expected]);
    await assert.rejects(
      model(emu).invoke([
        new HumanMessage({ content: [{ ...block, content: [{ type: "image", data: "AAAA", mimeType: "image/png" }] }] as never }),
      ]),
      (e: Error) => e.name === "BedrockInputError" && /search_result content must be text blocks/.test(e.message),
    );
    assert.equal(runtimeRequests(emu).length, 1);
  });
});

describe("standard content blocks", () => {
  const reply: ScriptReply = {
    output: {
      message: {
        role: "assistant",
        content: [
          { reasoningContent: { reasoningText: { text: "Thinking.", signature: "c2ln" } } },
          { text: "Here:" },
          { image: { format: "png", source: { bytes: "iVBORw0KGgo=" } } },
          { document: { format: "pdf", name: "out", source: { bytes: "JVBERi0=" } } },
          {
            citationsContent: {
              content: [{ text: "Quoted." }],
              citations: [
                { title: "doc", sourceContent: [{ text: "Quoted." }], location: { documentChar: { documentIndex: 0, start: 0, end: 7 } } },
              ],
            },
          },
          { toolUse: { toolUseId: "tooluse_1", name: "lookup", input: { q: "x" } } },
        ],
      },
    },
  };

  test("contentBlocks gives v1 text, reasoning, image, file, citation annotations and tool_call", async () => {
    emu.setScript([reply]);
    const msg = await model(emu).bindTools([lookup]).invoke("Show me");
    const blocks = msg.contentBlocks as any[];
    assert.deepEqual(blocks[0], { type: "reasoning", reasoning: "Thinking.", signature: "c2ln" });
    assert.deepEqual(blocks[1], { type: "text", text: "Here:" });
    assert.deepEqual(blocks[2], { type: "image", data: "iVBORw0KGgo=", mimeType: "image/png" });
    assert.equal(blocks[3].type, "file");
    assert.equal(blocks[3].mimeType, "application/pdf");
    assert.equal(Buffer.from(blocks[3].data).toString("base64"), "JVBERi0=");
    assert.deepEqual(blocks[3].extras, { name: "out" });
    assert.deepEqual(blocks[4], {
      type: "text",
      text: "Quoted.",
      annotations: [
        {
          type: "citation",
          title: "doc",
          citedText: "Quoted.",
          source: "0",
          startIndex: 0,
          endIndex: 7,
          extras: {
            bedrock_citation: {
              title: "doc",
              source_content: [{ text: "Quoted." }],
              location: { document_char: { document_index: 0, start: 0, end: 7 } },
            },
          },
        },
      ],
    });
    assert.deepEqual(blocks[5], { type: "tool_call", id: "tooluse_1", name: "lookup", args: { q: "x" } });
    assert.equal(blocks.length, 6);
  });

  test("S3 images become v1 url blocks", async () => {
    emu.setScript([
      {
        output: {
          message: {
            role: "assistant",
            content: [{ image: { format: "jpeg", source: { s3Location: { uri: "s3://bucket/pic.jpg", bucketOwner: "123456789012" } } } }],
          },
        },
      },
    ]);
    const msg = await model(emu).invoke("Show me");
    assert.deepEqual(msg.content, [
      {
        type: "image",
        source: { type: "s3Location", media_type: "image/jpeg", data: { uri: "s3://bucket/pic.jpg", bucket_owner: "123456789012" } },
      },
    ]);
    assert.deepEqual(msg.contentBlocks, [
      { type: "image", url: "s3://bucket/pic.jpg", mimeType: "image/jpeg", extras: { bucket_owner: "123456789012" } },
    ]);
  });

  test("outputVersion v1: content itself is v1, streamed too, and it goes back to Bedrock as the native blocks", async () => {
    emu.setScript([reply, reply]);
    const llm = model(emu, { outputVersion: "v1" }).bindTools([lookup]);
    const msg = await llm.invoke("Show me");
    assert.equal(msg.response_metadata.output_version, "v1");
    const content = msg.content as any[];
    assert.deepEqual(
      content.map((b) => b.type),
      ["reasoning", "text", "image", "file", "text", "tool_call"],
    );
    assert.deepEqual(content[0], { type: "reasoning", reasoning: "Thinking.", signature: "c2ln" });
    assert.deepEqual(msg.tool_calls, [{ type: "tool_call", id: "tooluse_1", name: "lookup", args: { q: "x" } }]);

    let full: AIMessageChunk | undefined;
    for await (const c of await llm.stream("Show me")) full = full ? full.concat(c) : c;
    const streamed = (full!.content as any[]).map(({ index: _i, ...rest }) => rest);
    // documents cannot be streamed (ConverseStream has no document delta); v1 stream chunks carry the
    // tool input as tool_call_chunk fragments, concatenated per index; tool_calls are parsed
    assert.deepEqual(
      streamed.map((b) => b.type),
      ["reasoning", "text", "image", "text", "tool_call_chunk"],
    );
    assert.deepEqual(streamed[0], content[0]);
    assert.deepEqual(streamed[1], content[1]);
    assert.deepEqual(streamed[2], content[2]);
    assert.equal(streamed[3].text, "Quoted.");
    assert.deepEqual(streamed[3].annotations, content[4].annotations);
    assert.deepEqual(streamed[4], { type: "tool_call_chunk", id: "tooluse_1", name: "lookup", args: '{"q":"x"}' });
    assert.deepEqual(full!.tool_calls, msg.tool_calls);
    assert.equal(full!.response_metadata.output_version, "v1");

    await model(emu)
      .bindTools([lookup])
      .invoke([new HumanMessage("Show me"), msg, new ToolMessage({ content: "ok", tool_call_id: "tooluse_1" })])
      .catch(() => undefined); // the scripted signature is not the emulator's; only the wire body matters here
    const sent = (runtimeRequests(emu).at(-1)!.body as any).messages[1].content;
    assert.deepEqual(sent, [
      { reasoningContent: { reasoningText: { text: "Thinking.", signature: "c2ln" } } },
      { text: "Here:" },
      { image: { format: "png", source: { bytes: "iVBORw0KGgo=" } } },
      { document: { format: "pdf", name: "out", source: { bytes: "JVBERi0=" } } },
      reply.output!.message.content[4],
      { toolUse: { toolUseId: "tooluse_1", name: "lookup", input: { q: "x" } } },
    ]);
  });
});

describe("request fields and their answers", () => {
  test("performanceConfig, serviceTier, requestMetadata, additionalModelResponseFieldPaths (invoke)", async () => {
    const llm = model(emu, {
      performanceConfig: { latency: "optimized" },
      serviceTier: "priority",
      requestMetadata: { team: "search", run: "42" },
      additionalModelResponseFieldPaths: ["/stop_sequence"],
      stopSequences: ["STOP"],
    });
    const msg = await llm.invoke("Say one STOP two");
    const body = lastBody(emu);
    assert.deepEqual(body.performanceConfig, { latency: "optimized" });
    assert.deepEqual(body.serviceTier, { type: "priority" });
    assert.deepEqual(body.requestMetadata, { team: "search", run: "42" });
    assert.deepEqual(body.additionalModelResponseFieldPaths, ["/stop_sequence"]);
    assert.deepEqual(msg.content, [{ type: "text", text: "You said: Say one " }]);
    const md = msg.response_metadata;
    assert.equal(md.stopReason, "stop_sequence");
    assert.deepEqual(md.performanceConfig, { latency: "optimized" });
    assert.deepEqual(md.serviceTier, { type: "priority" });
    assert.deepEqual(md.additionalModelResponseFields, { stop_sequence: "STOP" });
    assert.equal(md.requestMetadata, undefined);
  });

  test("the same on a stream: stop fields on messageStop, the rest on the metadata chunk; call options win", async () => {
    const chunks: AIMessageChunk[] = [];
    const llm = model(emu, { performanceConfig: { latency: "standard" }, serviceTier: "flex" });
    for await (const c of await llm.stream("Hello there", {
      performanceConfig: { latency: "optimized" },
      serviceTier: "default",
      requestMetadata: { k: "v" },
      additionalModelResponseFieldPaths: ["/stop_sequence"],
    }))
      chunks.push(c);
    const body = lastBody(emu);
    assert.deepEqual(body.performanceConfig, { latency: "optimized" });
    assert.deepEqual(body.serviceTier, { type: "default" });
    assert.deepEqual(body.requestMetadata, { k: "v" });
    const stop = chunks.find((c) => c.response_metadata.stopReason !== undefined)!;
    assert.equal(stop.response_metadata.stopReason, "end_turn");
    assert.deepEqual(stop.response_metadata.additionalModelResponseFields, { stop_sequence: null });
    const last = chunks[chunks.length - 1];
    assert.deepEqual(last.response_metadata.performanceConfig, { latency: "optimized" });
    assert.deepEqual(last.response_metadata.serviceTier, { type: "default" });
  });

  test("outputConfig reaches the wire and the reply follows the schema", async () => {
    const schema = {
      type: "object",
      properties: { city: { type: "string" }, population: { type: "integer" } },
      required: ["city", "population"],
      additionalProperties: false,
    };
    const outputConfig = {
      textFormat: { type: "json_schema" as const, structure: { jsonSchema: { schema: JSON.stringify(schema), name: "CityFacts" } } },
    };
    const msg = await model(emu, { outputConfig }).invoke("Facts about Paris with population 2100000");
    assert.deepEqual(lastBody(emu).outputConfig, outputConfig);
    const text = (msg.content as any[])[0].text;
    assert.deepEqual(JSON.parse(text), { city: "Paris", population: 2100000 });
  });
});
