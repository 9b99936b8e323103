// The traps of the real service that a client can prevent (bedrock-traps.md), one describe per trap id,
// over real HTTP against the emulator: each test asserts what reaches the wire and, where the emulator
// enforces the rule, that the request is accepted. DOC-1/DOC-2, CIT-1/CIT-2 and TOK-2's per-TTL part are
// in real-traffic.test.ts.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
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

const lookup = {
  name: "lookup",
  description: "Look a word up",
  schema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
};
const human = (...content: unknown[]) => new HumanMessage({ content: content as never });
const wire = () => lastBody(emu).messages as any[];
const accepted = () => assert.equal(runtimeRequests(emu).at(-1)!.status, 200, "the emulator accepted the request");
const calls = (...ids: string[]) => new AIMessage({ content: "", tool_calls: ids.map((id) => ({ id, name: "lookup", args: { q: id } })) });
const toolUse = (id: string) => ({ toolUse: { toolUseId: id, name: "lookup", input: { q: id } } });
const result = (id: string, text: string, status = "success") => ({ toolResult: { toolUseId: id, content: [{ text }], status } });
const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("MSG-1 roles alternate", () => {
  test("ToolNode results, a following HumanMessage and consecutive human turns merge into one user turn", async () => {
    await model(emu)
      .bindTools([lookup])
      .invoke([
        new HumanMessage("a"),
        new HumanMessage("b"),
        calls("tooluse_1", "tooluse_2"),
        new ToolMessage({ content: "one", tool_call_id: "tooluse_1" }),
        new ToolMessage({ content: "two", tool_call_id: "tooluse_2" }),
        new HumanMessage("and now?"),
      ]);
    accepted();
    assert.deepEqual(
      wire().map((m) => m.role),
      ["user", "assistant", "user"],
    );
    assert.deepEqual(wire()[0].content, [{ text: "a\nb" }], "string messages of one role are joined as Python's merge_message_runs does");
    assert.deepEqual(wire()[2].content, [result("tooluse_1", "one"), result("tooluse_2", "two"), { text: "and now?" }]);
  });
});

describe("MSG-2 the first message is a user turn; system is not a role", () => {
  test("a history trimmed to start on an AI message gets a '.' user turn first; system messages anywhere go to system", async () => {
    await model(emu).invoke([new AIMessage("Earlier answer."), new SystemMessage("Be brief."), new HumanMessage("Go on.")]);
    accepted();
    assert.deepEqual(wire(), [
      { role: "user", content: [{ text: "." }] },
      { role: "assistant", content: [{ text: "Earlier answer." }] },
      { role: "user", content: [{ text: "Go on." }] },
    ]);
    assert.deepEqual(lastBody(emu).system, [{ text: "Be brief." }]);
  });

  test("a system-only prompt still sends a user message", async () => {
    await model(emu).invoke([new SystemMessage("You are terse.")]);
    accepted();
    assert.deepEqual(wire(), [{ role: "user", content: [{ text: "." }] }]);
  });
});

describe("MSG-3 no message with empty content", () => {
  test("an AI message whose only content is dropped (unsigned reasoning, empty text) keeps a '.' block", async () => {
    await model(emu).invoke([
      new HumanMessage("q"),
      new AIMessage({
        content: [
          { type: "reasoning_content", reasoning_content: { text: "unsigned" } },
          { type: "text", text: "" },
        ] as never,
      }),
      new HumanMessage("again"),
    ]);
    accepted();
    assert.deepEqual(wire()[1].content, [{ text: "." }]);
  });
});

describe("MSG-4 trailing assistant message with tools", () => {
  test("Claude with tools: refused before any request; an empty trailing AI message is dropped", async () => {
    const llm = model(emu).bindTools([lookup]);
    await assert.rejects(
      llm.invoke([new HumanMessage("q"), new AIMessage("The answer is")]),
      (e: unknown) =>
        e instanceof BedrockInputError && e.code === "PREFILL_WITH_TOOLS" && /End the conversation with a HumanMessage/.test(e.message),
    );
    assert.deepEqual(runtimeRequests(emu), []);
    await llm.invoke([new HumanMessage("q"), new AIMessage("")]);
    accepted();
    assert.deepEqual(wire(), [{ role: "user", content: [{ text: "q" }] }]);
  });

  test("without tools, prefill is allowed", async () => {
    await model(emu).invoke([new HumanMessage("q"), new AIMessage("The answer is")]);
    accepted();
    assert.deepEqual(wire()[1], { role: "assistant", content: [{ text: "The answer is" }] });
  });
});

describe("TXT-1 no blank text", () => {
  test("an AI message with tool calls and content '', an empty tool output, whitespace text: no blank block is sent", async () => {
    await model(emu)
      .bindTools([lookup])
      .invoke([
        new HumanMessage({
          content: [
            { type: "text", text: "q" },
            { type: "text", text: " \n" },
          ],
        }),
        calls("tooluse_1"),
        new ToolMessage({ content: "", tool_call_id: "tooluse_1" }),
      ]);
    accepted();
    assert.deepEqual(wire(), [
      { role: "user", content: [{ text: "q" }, { text: "." }] },
      { role: "assistant", content: [toolUse("tooluse_1")] },
      { role: "user", content: [result("tooluse_1", ".")] },
    ]);
  });
});

describe("TXT-2 final assistant content cannot end with whitespace", () => {
  test("every text block of the final AI message is right-trimmed; earlier AI turns keep theirs", async () => {
    await model(emu).invoke([
      new HumanMessage("q"),
      new AIMessage("Earlier.\n"),
      new HumanMessage("continue"),
      new AIMessage({
        content: [
          { type: "text", text: "First part. " },
          { type: "text", text: "Second part:\n" },
        ],
      }),
    ]);
    accepted();
    assert.deepEqual(wire()[1].content, [{ text: "Earlier.\n" }]);
    assert.deepEqual(wire()[3].content, [{ text: "First part." }, { text: "Second part:" }]);
  });
});

describe("DOC-3 a message with documents needs text", () => {
  test("a document-only user turn gets a '.' text block before its trailing cache point", async () => {
    await model(emu).invoke([
      human({ type: "file", data: b64("Facts."), mimeType: "text/plain", name: "facts" }, { cachePoint: { type: "default" } }),
    ]);
    accepted();
    assert.deepEqual(wire()[0].content, [
      { document: { format: "txt", name: "facts", source: { bytes: b64("Facts.") } } },
      { text: "." },
      { cachePoint: { type: "default" } },
    ]);
  });
});

describe("DOC-4 text document sources only with citations", () => {
  test("plain text goes as UTF-8 bytes; with citations enabled it keeps its text source", async () => {
    await model(emu).invoke([
      human(
        { type: "text-plain", text: "Plain notes.", mimeType: "text/plain", title: "notes" },
        { type: "file", source_type: "text", text: "Cited notes.", name: "cited", citations: { enabled: true } },
        "Read them.",
      ),
    ]);
    accepted();
    assert.deepEqual(wire()[0].content.slice(0, 2), [
      { document: { format: "txt", name: "notes", source: { bytes: b64("Plain notes.") } } },
      { document: { format: "txt", name: "cited", source: { text: "Cited notes." }, citations: { enabled: true } } },
    ]);
  });
});

describe("MED-1 image format from the bytes", () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  test("image/jpg maps to jpeg; a PNG labelled JPEG goes as png; BMP bytes are refused before sending", async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
    await model(emu).invoke([
      human(
        { type: "image", data: jpeg.toString("base64"), mimeType: "image/jpg" },
        { type: "image", data: png.toString("base64"), mimeType: "image/jpeg" },
        "What is this?",
      ),
    ]);
    accepted();
    assert.deepEqual(wire()[0].content.slice(0, 2), [
      { image: { format: "jpeg", source: { bytes: jpeg.toString("base64") } } },
      { image: { format: "png", source: { bytes: png.toString("base64") } } },
    ]);
    const bmp = Buffer.alloc(40);
    bmp.write("BM", 0);
    emu.reset();
    await assert.rejects(
      model(emu).invoke([human({ type: "image", data: bmp.toString("base64"), mimeType: "image/png" }, "x")]),
      (e: unknown) => e instanceof BedrockInputError && e.code === "UNSUPPORTED_MIME_TYPE" && /BMP data/.test(e.message),
    );
    assert.deepEqual(runtimeRequests(emu), []);
  });
});

describe("MED-4 video formats", () => {
  test("video/3gpp → three_gp, video/quicktime → mov", async () => {
    const bytes = b64("....ftyp3gp4");
    await model(emu, { model: "amazon.nova-pro-v1:0" }).invoke([human({ type: "video", data: bytes, mimeType: "video/3gpp" }, "x")]);
    accepted();
    assert.deepEqual(wire()[0].content[0], { video: { format: "three_gp", source: { bytes } } });
    await model(emu, { model: "amazon.nova-pro-v1:0" }).invoke([human({ type: "video", data: bytes, mimeType: "video/quicktime" }, "x")]);
    assert.deepEqual(wire()[0].content[0], { video: { format: "mov", source: { bytes } } });
  });
});

describe("TOOL-2 toolUseId charset and length", () => {
  test("foreign ids (OpenAI call|fc, Moonshot name:index, >64 chars) are replaced the same way in toolUse and toolResult", async () => {
    const ids = ["call_abc123|fc_0123456789abcdef", "lookup:0", "x".repeat(80)];
    await model(emu)
      .bindTools([lookup])
      .invoke([new HumanMessage("q"), calls(...ids), ...ids.map((id, i) => new ToolMessage({ content: `r${i}`, tool_call_id: id }))]);
    accepted();
    const used = wire()[1].content.map((b: any) => b.toolUse.toolUseId);
    const answered = wire()[2].content.map((b: any) => b.toolResult.toolUseId);
    assert.deepEqual(answered, used);
    for (const id of used) assert.match(id, /^[a-zA-Z0-9_-]{1,64}$/);
    assert.equal(new Set(used).size, 3);
  });
});

describe("TOOL-3 tool blocks without toolConfig", () => {
  test("a tools-free call over an agent history sends the tool blocks as text (Python's rule)", async () => {
    await model(emu).invoke([
      new HumanMessage("q"),
      calls("tooluse_1"),
      new ToolMessage({ content: "found", tool_call_id: "tooluse_1" }),
      new HumanMessage("Summarise."),
    ]);
    accepted();
    assert.equal(lastBody(emu).toolConfig, undefined);
    assert.deepEqual(wire()[1].content, [{ text: '[Called lookup with parameters: {"q": "tooluse_1"}]' }]);
    assert.deepEqual(wire()[2].content, [{ text: "[Tool output: found]" }, { text: "Summarise." }]);
  });
});

describe("TOOL-4 tool results match the previous turn's calls", () => {
  test("an unanswered call gets an error result; a result whose call was pruned goes as text", async () => {
    await model(emu)
      .bindTools([lookup])
      .invoke([
        new HumanMessage("q"),
        calls("tooluse_1", "tooluse_2"),
        new ToolMessage({ content: "one", tool_call_id: "tooluse_1" }),
        new ToolMessage({ content: "stale", tool_call_id: "tooluse_old" }),
        new HumanMessage("next"),
      ]);
    accepted();
    assert.deepEqual(wire()[2].content, [
      result("tooluse_2", "No result was recorded for this tool call.", "error"),
      result("tooluse_1", "one"),
      { text: "[Tool output: stale]" },
      { text: "next" },
    ]);
  });
});

describe("TOOL-5 tool results first in a user turn", () => {
  test("a HumanMessage between the AI call and its ToolMessage still sends the result first", async () => {
    await model(emu)
      .bindTools([lookup])
      .invoke([
        new HumanMessage("q"),
        calls("tooluse_1"),
        new HumanMessage("(the user typed meanwhile)"),
        new ToolMessage({ content: "one", tool_call_id: "tooluse_1" }),
      ]);
    accepted();
    assert.deepEqual(wire()[2].content, [result("tooluse_1", "one"), { text: "(the user typed meanwhile)" }]);
  });
});

describe("TOOL-6 toolResult json must be an object", () => {
  test("arrays and scalars from a tool go as their JSON text; objects stay json", async () => {
    await model(emu)
      .bindTools([lookup])
      .invoke([
        new HumanMessage("q"),
        calls("tooluse_1"),
        new ToolMessage({
          content: [
            { type: "json", json: [1, 2, 3] },
            { type: "json", json: { ok: true } },
            { type: "json", json: 7 },
          ] as never,
          tool_call_id: "tooluse_1",
        }),
      ]);
    accepted();
    assert.deepEqual(wire()[2].content[0].toolResult.content, [{ text: "[1,2,3]" }, { json: { ok: true } }, { text: "7" }]);
  });
});

describe("CACHE-1 / CACHE-2 cache points where Bedrock can attach them", () => {
  test("after a non-PDF document or after reasoning the point moves back; a leading point is dropped", async () => {
    const THINKER = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
    const thinking = { thinking: { type: "enabled", budget_tokens: 1024 } };
    const llm = model(emu, { model: THINKER, maxTokens: 2048, additionalModelRequestFields: thinking });
    const first = await llm.invoke("Think about the sea.");
    const reasoning = (first.content as any[]).find((b) => b.type === "reasoning_content");
    await llm.invoke([
      human(
        { cachePoint: { type: "default" } },
        "Intro.",
        { type: "file", data: b64("csv,data"), mimeType: "text/csv", name: "table" },
        { cachePoint: { type: "default" } },
      ),
      new AIMessage({ content: [{ type: "text", text: "Noted." }, reasoning, { cachePoint: { type: "default" } }] as never }),
      new HumanMessage("Think about the sea."),
    ]);
    accepted();
    assert.deepEqual(wire()[0].content, [
      { text: "Intro." },
      { cachePoint: { type: "default" } },
      { document: { format: "csv", name: "table", source: { bytes: b64("csv,data") } } },
    ]);
    const assistant = wire()[1].content;
    assert.deepEqual(
      assistant.map((b: any) => Object.keys(b)[0]),
      ["text", "cachePoint", "reasoningContent"],
    );
  });
});

describe("STR-3 no-argument tool calls stream no input", () => {
  test("the streamed call has args {} and goes back with input {}", async () => {
    const reply: ScriptReply = {
      output: { message: { role: "assistant", content: [{ toolUse: { toolUseId: "tooluse_1", name: "lookup", input: {} } }] } },
    };
    emu.setScript([reply]);
    const llm = model(emu).bindTools([lookup]);
    const { full } = await collect(await llm.stream("Call it."));
    assert.deepEqual(
      full.tool_calls?.map((c) => c.args),
      [{}],
    );
    emu.setScript([]);
    await llm.invoke([
      new HumanMessage("Call it."),
      new AIMessage({ content: full.content }),
      new ToolMessage({ content: "ok", tool_call_id: "tooluse_1" }),
    ]);
    accepted();
    assert.deepEqual(wire()[1].content, [{ toolUse: { toolUseId: "tooluse_1", name: "lookup", input: {} } }]);
  });
});

describe("TOK-2 input tokens include cache reads and writes", () => {
  test("invoke and stream agree: input_tokens = inputTokens + cacheRead + cacheWrite", async () => {
    const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 315, cacheReadInputTokens: 200, cacheWriteInputTokens: 100 };
    emu.setScript([
      { text: "ok", usage },
      { text: "ok", usage },
    ]);
    const invoked = await model(emu).invoke("hi");
    const { full } = await collect(await model(emu).stream("hi"));
    for (const m of [invoked, full]) {
      assert.equal(m.usage_metadata!.input_tokens, 310);
      assert.equal(m.usage_metadata!.total_tokens, 315);
      assert.deepEqual(m.usage_metadata!.input_token_details, { cache_read: 200, cache_creation: 100 });
    }
  });
});
