// Requests shaped like real users' and replies shaped like the real service's (issue 13): document names
// Bedrock accepts, citations in v0 and v1 from invoke and stream and back across a turn, tool blocks rebuilt
// from content, Python's spelling of standard blocks, model_name as configured, and cache writes per TTL.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AIMessage, type AIMessageChunk, HumanMessage, ToolMessage } from "@langchain/core/messages";
import type { Emulator, ScriptReply } from "bedrock-runtime-emulator";
import { BedrockInputError } from "langchain-bedrock-converse";
import { collect, emulator, lastBody, model, runtimeRequests } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

const human = (...content: unknown[]) => new HumanMessage({ content: content as never });
const b64 = (text: string) => Buffer.from(text).toString("base64");
const wire = () => lastBody(emu).messages as any[];
const docNames = () =>
  wire()
    .flatMap((m) => m.content)
    .filter((b: any) => b.document)
    .map((b: any) => b.document.name);

describe("document names (DOC-1, DOC-2)", () => {
  const file = (name: string, extra: Record<string, unknown> = {}) => ({
    type: "file",
    data: b64(`contents of ${name}`),
    mimeType: "text/plain",
    ...extra,
    ...(name ? { name } : {}),
  });

  test("file names users send are sanitised into names Bedrock accepts; the LangChain block keeps its name", async () => {
    const blocks = [file("report.pdf"), file("John's report.pdf"), file("résumé.pdf"), file("a  b.txt"), file("notes_v2 [final] (1).txt")];
    const msg = human(...blocks, "Summarise.");
    await model(emu).invoke([msg]);
    assert.deepEqual(docNames(), ["report", "Johns report", "resume", "a b", "notes_v2 [final] (1)"]);
    assert.equal((msg.content as any[])[0].name, "report.pdf", "the original file name stays on the LangChain block");
  });

  test("names from filename / title / metadata / extras; nothing left → document-N; repeats → (2)", async () => {
    await model(emu).invoke([
      human(
        file("", { filename: "hello.txt" }),
        file("", { metadata: { filename: "hello.md" } }),
        file("", { extras: { name: "日本語.txt" } }),
        "a",
      ),
      new AIMessage("ok"),
      human(file("", { title: "Hello" }), file("", { metadata: { name: "x".repeat(250) } }), "b"),
    ]);
    assert.deepEqual(docNames(), ["hello", "hello (2)", "document-3", "Hello (3)", "x".repeat(200)]);
  });

  test("a native {document} with a name Bedrock refuses fails before any request", async () => {
    const native = (name: string) => ({ document: { format: "txt", name, source: { bytes: b64("x") } } });
    for (const name of ["report.pdf", "a  b", "", "x".repeat(201)]) {
      await assert.rejects(
        model(emu).invoke([human(native(name), "x")]),
        (e: unknown) => e instanceof BedrockInputError && e.code === "INVALID_DOCUMENT_NAME" && e.message.includes("Rename it"),
      );
    }
    await assert.rejects(
      model(emu).invoke([human(native("same"), native("same"), "x")]),
      (e: unknown) => e instanceof BedrockInputError && e.code === "DUPLICATE_DOCUMENT_NAME",
    );
    assert.deepEqual(runtimeRequests(emu), []);
  });

  test("a derived name steps aside for a native one wherever it is", async () => {
    await model(emu).invoke([
      human(file("report.txt"), "a"),
      new AIMessage("ok"),
      human({ document: { format: "txt", name: "report", source: { bytes: b64("x") } } }, "b"),
    ]);
    assert.deepEqual(docNames(), ["report (2)", "report"]);
  });
});

describe("citations: stream equals invoke, and they survive a turn (CIT-1, CIT-2)", () => {
  const doc = "Paris is the capital of France. Berlin is the capital of Germany.";
  const question = () =>
    human(
      { type: "file", data: b64(doc), mimeType: "text/plain", name: "capitals", citations: { enabled: true } },
      "What is the capital of Germany?",
    );
  const nativeCitation = {
    title: "capitals",
    sourceContent: [{ text: "Berlin is the capital of Germany." }],
    location: { documentChar: { documentIndex: 0, start: 32, end: 65 } },
  };
  const citationsContent = { citationsContent: { content: [{ text: "Berlin is the capital of Germany." }], citations: [nativeCitation] } };
  const withoutIndex = (content: unknown) => (content as any[]).map(({ index: _i, ...rest }) => rest);

  for (const outputVersion of ["v0", "v1"] as const) {
    test(`${outputVersion}: the concatenated stream has the citations invoke has`, async () => {
      const llm = model(emu, { outputVersion });
      const invoked = await llm.invoke([question()]);
      const { full } = await collect(await llm.stream([question()]));
      assert.deepEqual(withoutIndex(full.content), invoked.content);
      const key = outputVersion === "v1" ? "annotations" : "citations";
      // text, cited text, text (the emulator's layout follows real Claude's)
      assert.equal((invoked.content as any[])[1][key].length, 1);
    });

    test(`${outputVersion}: a cited answer goes back as citationsContent (invoked, streamed, rebuilt from content)`, async () => {
      const llm = model(emu, { outputVersion });
      const invoked = await llm.invoke([question()]);
      const { full } = await collect(await llm.stream([question()]));
      const answers: [string, AIMessage | AIMessageChunk][] = [
        ["invoked", invoked],
        ["streamed", full],
        ["rebuilt", new AIMessage({ content: full.content })],
      ];
      for (const [label, answer] of answers) {
        await llm.invoke([question(), answer, human("Thanks.")]);
        const answerBack = [{ text: 'According to "capitals": ' }, citationsContent, { text: " That is what the document says." }];
        assert.deepEqual(wire()[1].content, answerBack, `${outputVersion} ${label}`);
      }
    });
  }

  test("CIT-2: whitespace-only separator text in a cited answer is not sent back as blank text", async () => {
    const answer = new AIMessage({
      content: [
        { type: "text", text: "Berlin.", citations: [{ ...nativeCitation }] },
        { type: "text", text: " " },
        { type: "text", text: "Done." },
      ] as never,
    });
    await model(emu).invoke([question(), answer, human("Thanks.")]);
    // Python's rule, which the service accepts: each blank text block becomes "." (never " ", never dropped
    // silently, so the block count and order of the answer stay as the model wrote them).
    assert.deepEqual(wire()[1].content, [
      { citationsContent: { content: [{ text: "Berlin." }], citations: [nativeCitation] } },
      { text: "." },
      { text: "Done." },
    ]);
  });
});

describe("tool blocks rebuilt from content", () => {
  const lookup = {
    name: "lookup",
    description: "Look a word up",
    schema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
  };
  const toolReply: ScriptReply = {
    output: {
      message: {
        role: "assistant" as const,
        content: [{ text: "Looking." }, { toolUse: { toolUseId: "tooluse_1", name: "lookup", input: { q: "x" } } }],
      },
    },
  };

  for (const outputVersion of ["v0", "v1"] as const) {
    test(`${outputVersion}: new AIMessage({content: concatenated stream}) sends the toolUse without a type member`, async () => {
      emu.setScript([toolReply]);
      const llm = model(emu, { outputVersion }).bindTools([lookup]);
      const { full } = await collect(await llm.stream("hi"));
      emu.setScript([]);
      await llm.invoke([
        human("hi"),
        new AIMessage({ content: full.content }),
        new ToolMessage({ content: "found", tool_call_id: "tooluse_1" }),
      ]);
      assert.deepEqual(wire()[1].content, [
        { text: "Looking." },
        { toolUse: { toolUseId: "tooluse_1", name: "lookup", input: { q: "x" } } },
      ]);
    });
  }

  test("toolUse.type is sent only for server_tool_use", async () => {
    const llm = model(emu).bindTools([lookup]);
    await llm.invoke([
      human("hi"),
      new AIMessage({
        content: [
          { type: "tool_use", id: "tooluse_1", name: "lookup", input: { q: "a" }, tool_use_type: "tool_use" },
          { toolUse: { toolUseId: "tooluse_2", name: "lookup", input: { q: "b" }, type: "tool_use" } },
        ] as never,
      }),
      new ToolMessage({ content: "1", tool_call_id: "tooluse_1" }),
      new ToolMessage({ content: "2", tool_call_id: "tooluse_2" }),
    ]);
    assert.deepEqual(wire()[1].content, [
      { toolUse: { toolUseId: "tooluse_1", name: "lookup", input: { q: "a" } } },
      { toolUse: { toolUseId: "tooluse_2", name: "lookup", input: { q: "b" } } },
    ]);
  });
});

describe("Python's spelling of standard blocks (messages that crossed languages)", () => {
  const PNG = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]).toString("base64");
  const PDF = Buffer.from("%PDF-1.4 test").toString("base64");

  test("{type, base64, mime_type} gives the same wire blocks as the JS spelling", async () => {
    const python = [
      { type: "image", base64: PNG, mime_type: "image/png" },
      { type: "file", base64: PDF, mime_type: "application/pdf", extras: { filename: "deck.pdf" } },
      { type: "text-plain", text: "Some notes.", mime_type: "text/plain", title: "notes.txt" },
      { type: "image", source_type: "base64", data: PNG, mime_type: "image/png" },
      "Compare.",
    ];
    const js = [
      { type: "image", data: PNG, mimeType: "image/png" },
      { type: "file", data: PDF, mimeType: "application/pdf", extras: { filename: "deck.pdf" } },
      { type: "text-plain", text: "Some notes.", mimeType: "text/plain", title: "notes.txt" },
      { type: "image", data: PNG, mimeType: "image/png" },
      "Compare.",
    ];
    await model(emu).invoke([human(...python)]);
    const fromPython = wire()[0].content;
    await model(emu).invoke([human(...js)]);
    assert.deepEqual(fromPython, wire()[0].content);
    assert.deepEqual(fromPython, [
      { image: { format: "png", source: { bytes: PNG } } },
      { document: { format: "pdf", name: "deck", source: { bytes: PDF } } },
      { document: { format: "txt", name: "notes", source: { bytes: b64("Some notes.") } } },
      { image: { format: "png", source: { bytes: PNG } } },
      { text: "Compare." },
    ]);
  });

  test("video and audio in Python's spelling", async () => {
    const mp4 = b64("....ftypisom");
    await model(emu, { model: "amazon.nova-pro-v1:0" }).invoke([
      human({ type: "video", base64: mp4, mime_type: "video/mp4" }, "What happens?"),
    ]);
    assert.deepEqual(wire()[0].content[0], { video: { format: "mp4", source: { bytes: mp4 } } });
  });
});

describe("response_metadata.model_name", () => {
  test("keeps the id as configured (geo prefix included) on invoke and stream; model is the base model", async () => {
    const llm = model(emu, { model: "us.anthropic.claude-3-5-haiku-20241022-v1:0" });
    const msg = await llm.invoke("hi");
    assert.equal(msg.response_metadata.model_name, "us.anthropic.claude-3-5-haiku-20241022-v1:0");
    assert.equal(msg.response_metadata.model, "anthropic.claude-3-5-haiku-20241022-v1:0");
    const { full } = await collect(await llm.stream("hi"));
    assert.equal(full.response_metadata.model_name, "us.anthropic.claude-3-5-haiku-20241022-v1:0");
    assert.ok("us.anthropic.claude-3-5-haiku-20241022-v1:0".includes(msg.response_metadata.model_name));
  });

  test("an explicit baseModelId is reported, as Python reports base_model_id", async () => {
    const msg = await model(emu, {
      model: "us.anthropic.claude-3-5-haiku-20241022-v1:0",
      baseModelId: "anthropic.claude-3-haiku-20240307-v1:0",
    }).invoke("hi");
    assert.equal(msg.response_metadata.model_name, "anthropic.claude-3-haiku-20240307-v1:0");
  });
});

describe("cache writes per TTL (cacheDetails)", () => {
  const usage = {
    inputTokens: 100,
    outputTokens: 50,
    totalTokens: 850,
    cacheReadInputTokens: 200,
    cacheWriteInputTokens: 500,
    cacheDetails: [
      { inputTokens: 300, ttl: "5m" },
      { inputTokens: 200, ttl: "1h" },
    ],
  };
  const expected = {
    input_tokens: 800,
    output_tokens: 50,
    total_tokens: 850,
    input_token_details: { cache_read: 200, cache_creation: 0, ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 200 },
  };

  test("invoke and the stream's metadata chunk report ephemeral_5m/1h_input_tokens as Python", async () => {
    emu.setScript([
      { text: "ok", usage },
      { text: "ok", usage },
    ]);
    const msg = await model(emu).invoke("hi");
    assert.deepEqual(msg.usage_metadata, expected);
    const { chunks, full } = await collect(await model(emu).stream("hi"));
    const metadataChunk = chunks.find((c) => c.usage_metadata !== undefined)!;
    assert.deepEqual(metadataChunk.usage_metadata, expected);
    // core's usage merge keeps only the detail keys it knows (documented in the README)
    assert.deepEqual(full.usage_metadata!.input_token_details, { cache_read: 200, cache_creation: 0 });
  });
});
