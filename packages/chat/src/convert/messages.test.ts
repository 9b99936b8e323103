import { AIMessage, ChatMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import type { BaseMessage } from "@langchain/core/messages";
import assert from "node:assert/strict";
import { test } from "node:test";
import { BedrockInputError } from "../errors.js";
import { convertMessagesToConverse, type ConvertMessagesOptions } from "./messages.js";
import { converseResponseToMessage } from "./response.js";
import { ConverseStreamConverter } from "./stream.js";
import { concat } from "@langchain/core/utils/stream";
import { REDACTED, SIGNATURE, ev, response } from "./test-data.js";

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10]);
const PNG64 = Buffer.from(PNG).toString("base64");

function convert(messages: BaseMessage[], options: Partial<ConvertMessagesOptions> = {}) {
  const warnings: string[] = [];
  const result = convertMessagesToConverse(messages, { hasToolConfig: true, warn: (m) => warnings.push(m), ...options });
  return { ...result, warnings };
}

function userBlocks(content: HumanMessage["content"]) {
  return convert([new HumanMessage({ content })]).messages[0].content;
}

test("messages: strings, system anywhere, constructor system first, alternating turns", () => {
  const { messages, system } = convert(
    [
      new SystemMessage("Be brief."),
      new HumanMessage("Hi"),
      new AIMessage("Hello!"),
      new SystemMessage("Answer in French."),
      new HumanMessage("Bye"),
    ],
    { system: ["You are a bot.", { cachePoint: { type: "default" } }] },
  );
  assert.deepEqual(system, [
    { text: "You are a bot." },
    { cachePoint: { type: "default" } },
    { text: "Be brief." },
    { text: "Answer in French." },
  ]);
  assert.deepEqual(messages, [
    { role: "user", content: [{ text: "Hi" }] },
    { role: "assistant", content: [{ text: "Hello!" }] },
    { role: "user", content: [{ text: "Bye" }] },
  ]);
});

test("messages: no messages → one '.' user turn; empty and whitespace content → '.'", () => {
  assert.deepEqual(convert([]).messages, [{ role: "user", content: [{ text: "." }] }]);
  assert.deepEqual(userBlocks(""), [{ text: "." }]);
  assert.deepEqual(userBlocks("  \n"), [{ text: "." }]);
  assert.deepEqual(userBlocks([]), [{ text: "." }]);
  assert.deepEqual(
    userBlocks([
      { type: "text", text: " " },
      { type: "text", text: "x" },
    ]),
    [{ text: "." }, { text: "x" }],
  );
});

test("messages: consecutive same-role turns are merged; ChatMessage roles map", () => {
  const { messages } = convert([
    new HumanMessage("a"),
    new ChatMessage({ role: "user", content: "b" }),
    new ChatMessage({ role: "assistant", content: "c" }),
    new AIMessage("d"),
  ]);
  assert.deepEqual(messages, [
    { role: "user", content: [{ text: "a" }, { text: "b" }] },
    { role: "assistant", content: [{ text: "c" }, { text: "d" }] },
  ]);
  assert.throws(
    () => convert([new ChatMessage({ role: "critic", content: "x" })]),
    (e: unknown) => e instanceof BedrockInputError && e.code === "UNSUPPORTED_MESSAGE_TYPE",
  );
});

test("messages: final AI message is right-trimmed (prefill); earlier ones keep whitespace", () => {
  const { messages } = convert([
    new HumanMessage("q"),
    new AIMessage("keep \n"),
    new HumanMessage("q2"),
    new AIMessage({ content: [{ type: "text", text: "prefill  " }] }),
  ]);
  assert.deepEqual(messages[1].content, [{ text: "keep \n" }]);
  assert.deepEqual(messages[3].content, [{ text: "prefill" }]);
});

test("messages: AI tool_calls → toolUse (upsert by id, '.' removed); ToolMessages merge into one user turn with the next human", () => {
  const ai = new AIMessage({
    content: [
      { type: "text", text: "Checking." },
      { type: "tool_use", id: "t1", name: "weather", input: '{"city": "Par' },
    ],
    tool_calls: [
      { id: "t1", name: "weather", args: { city: "Paris" } },
      { id: "t2", name: "time", args: {} },
    ],
  });
  const { messages } = convert([
    new HumanMessage("Weather and time?"),
    ai,
    new ToolMessage({ tool_call_id: "t1", content: "Sunny" }),
    new ToolMessage({
      tool_call_id: "t2",
      content: [{ type: "text", text: "noon" }, { cachePoint: { type: "default" } } as never],
      status: "error",
    }),
    new HumanMessage("Thanks"),
  ]);
  assert.deepEqual(messages, [
    { role: "user", content: [{ text: "Weather and time?" }] },
    {
      role: "assistant",
      content: [
        { text: "Checking." },
        { toolUse: { toolUseId: "t1", name: "weather", input: { city: "Paris" } } },
        { toolUse: { toolUseId: "t2", name: "time", input: {} } },
      ],
    },
    {
      role: "user",
      content: [
        { toolResult: { toolUseId: "t1", content: [{ text: "Sunny" }], status: "success" } },
        { toolResult: { toolUseId: "t2", content: [{ text: "noon" }], status: "error" } },
        { cachePoint: { type: "default" } },
        { text: "Thanks" },
      ],
    },
  ]);
  const empty = convert([new HumanMessage("x"), new AIMessage({ content: "", tool_calls: [{ id: "a", name: "f", args: { q: 1 } }] })]);
  assert.deepEqual(empty.messages[1].content, [{ toolUse: { toolUseId: "a", name: "f", input: { q: 1 } } }]);
});

/** An AI message calling a tool per id: tool results must answer the calls of the turn before them (TOOL-4). */
function callsTo(...ids: string[]): AIMessage {
  return new AIMessage({ content: "", tool_calls: ids.map((id) => ({ id, name: "f", args: {} })) });
}

test("messages: ToolMessage content dialects → text, json, image, document; empty → '.'", () => {
  const { messages } = convert([
    new HumanMessage("q"),
    callsTo("t", "u", "v"),
    new ToolMessage({
      tool_call_id: "t",
      content: [
        "plain" as never,
        { type: "json", json: { a: 1 } },
        { type: "image", source: { type: "base64", media_type: "image/png", data: PNG64 } },
        { type: "file", mimeType: "application/pdf", data: PNG64, name: "r" },
      ],
    }),
    new ToolMessage({ tool_call_id: "u", content: "" }),
    new ToolMessage({ tool_call_id: "v", content: [{ result: 42 } as never] }),
  ]);
  assert.deepEqual(messages[2].content, [
    {
      toolResult: {
        toolUseId: "t",
        status: "success",
        content: [
          { text: "plain" },
          { json: { a: 1 } },
          { image: { format: "png", source: { bytes: PNG } } },
          { document: { format: "pdf", name: "r", source: { bytes: PNG } } },
        ],
      },
    },
    { toolResult: { toolUseId: "u", status: "success", content: [{ text: "." }] } },
    { toolResult: { toolUseId: "v", status: "success", content: [{ json: { result: 42 } }] } },
  ]);
  assert.throws(
    () => convert([new ToolMessage({ tool_call_id: "x", content: [{ type: "thinking", thinking: "t", signature: "s" }] })]),
    (e: unknown) => e instanceof BedrockInputError && e.code === "UNSUPPORTED_CONTENT_BLOCK" && /thinking/.test(e.message),
  );
});

test("messages: image dialects (Anthropic base64, data URL, v1 base64/Uint8Array/s3, legacy source_type)", () => {
  const expected = { image: { format: "png", source: { bytes: PNG } } };
  assert.deepEqual(userBlocks([{ type: "image", source: { type: "base64", media_type: "image/png", data: PNG64 } }]), [expected]);
  assert.deepEqual(userBlocks([{ type: "image_url", image_url: { url: `data:image/png;base64,${PNG64}` } }]), [expected]);
  assert.deepEqual(userBlocks([{ type: "image_url", image_url: `data:image/png;base64,${PNG64}` }]), [expected]);
  assert.deepEqual(userBlocks([{ type: "image", data: PNG64, mimeType: "image/png" }]), [expected]);
  assert.deepEqual(userBlocks([{ type: "image", data: PNG, mimeType: "image/png" }]), [expected]);
  assert.deepEqual(userBlocks([{ type: "image", url: `data:image/png;base64,${PNG64}` }]), [expected]);
  assert.deepEqual(userBlocks([{ type: "image", source_type: "base64", data: PNG64, mime_type: "image/png" }]), [expected]);
  assert.deepEqual(userBlocks([{ type: "image", url: "s3://bucket/cat.jpeg", mimeType: "image/jpeg" }]), [
    { image: { format: "jpeg", source: { s3Location: { uri: "s3://bucket/cat.jpeg" } } } },
  ]);
});

test("messages: http image URLs and unsupported types raise typed errors that explain the fix", () => {
  assert.throws(
    () => userBlocks([{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }]),
    (e: unknown) =>
      e instanceof BedrockInputError && e.code === "UNSUPPORTED_SOURCE" && /inline bytes/.test(e.message) && /S3/.test(e.message),
  );
  assert.throws(
    () => userBlocks([{ type: "image", url: "https://example.com/cat.png", mimeType: "image/png" }]),
    (e: unknown) => e instanceof BedrockInputError && e.code === "UNSUPPORTED_SOURCE",
  );
  assert.throws(
    () => userBlocks([{ type: "audio", data: PNG64, mimeType: "image/png" }]),
    (e: unknown) => e instanceof BedrockInputError && e.code === "UNSUPPORTED_MIME_TYPE" && /audio/.test(e.message),
  );
  assert.throws(
    () => userBlocks([{ type: "fancy_widget", x: 1 } as never]),
    (e: unknown) =>
      e instanceof BedrockInputError &&
      e.code === "UNSUPPORTED_CONTENT_BLOCK" &&
      /fancy_widget/.test(e.message) &&
      /text, image/.test(e.message),
  );
  assert.throws(
    () => userBlocks([{ type: 7 } as never]),
    (e: unknown) => e instanceof BedrockInputError && e.code === "INVALID_BLOCK",
  );
});

test("messages: standard audio blocks (base64, data URL, Anthropic-style source) become Converse audio blocks", () => {
  const bytes = new Uint8Array([82, 73, 70, 70]);
  const b64 = Buffer.from(bytes).toString("base64");
  assert.deepEqual(
    userBlocks([
      { type: "audio", data: b64, mimeType: "audio/wav" },
      { type: "audio", source_type: "url", url: `data:audio/mpeg;base64,${b64}` } as never,
      { type: "audio", source: { type: "base64", media_type: "audio/ogg", data: b64 } } as never,
    ]),
    [
      { audio: { format: "wav", source: { bytes } } },
      { audio: { format: "mp3", source: { bytes } } },
      { audio: { format: "ogg", source: { bytes } } },
    ],
  );
});

test("messages: MIME table, unknown known-format subtypes, invalid and unsupported MIME errors", () => {
  const cases: Array<[string, string, string]> = [
    ["image/gif", "image", "gif"],
    ["image/webp", "image", "webp"],
    ["text/csv", "document", "csv"],
    ["application/msword", "document", "doc"],
    ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document", "docx"],
    ["application/vnd.ms-excel", "document", "xls"],
    ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "document", "xlsx"],
    ["text/html", "document", "html"],
    ["text/plain", "document", "txt"],
    ["text/markdown", "document", "md"],
    ["video/x-matroska", "video", "mkv"],
    ["video/quicktime", "video", "mov"],
    ["video/webm", "video", "webm"],
    ["video/x-flv", "video", "flv"],
    ["video/mpeg", "video", "mpeg"],
    ["video/x-ms-wmv", "video", "wmv"],
    ["video/3gpp", "video", "three_gp"],
    ["video/mkv", "video", "mkv"],
  ];
  for (const [mime, kind, format] of cases) {
    const type = kind === "document" ? "file" : kind;
    const [block] = userBlocks([{ type, data: PNG64, mimeType: mime, name: "n" } as never]) as unknown as Array<
      Record<string, { format: string }>
    >;
    assert.equal(block[kind]?.format, format, mime);
  }
  assert.throws(() => userBlocks([{ type: "image", data: PNG64, mimeType: "png" }]), /Invalid MIME type format/);
  assert.throws(() => userBlocks([{ type: "image", data: PNG64, mimeType: "image/tiff" }]), /Unsupported MIME type/);
  assert.throws(
    () => userBlocks([{ type: "image", data: PNG64 }]),
    (e: unknown) => e instanceof BedrockInputError && e.code === "MISSING_MIME_TYPE",
  );
});

test("messages: documents (name sources, generated name + warning, citations), video bytes and S3, native document; DOC-3 text", () => {
  // DOC-3: a user turn with documents and no text gets a "." text block (Bedrock: "A text block must be included").
  const DOT = { text: "." };
  assert.deepEqual(
    userBlocks([
      { type: "file", data: PNG64, mimeType: "application/pdf", metadata: { name: "report" }, citations: { enabled: true } } as never,
    ]),
    [{ document: { format: "pdf", name: "report", source: { bytes: PNG }, citations: { enabled: true } } }, DOT],
  );
  assert.deepEqual(userBlocks([{ type: "file", data: PNG64, mimeType: "text/plain", filename: "notes" } as never]), [
    { document: { format: "txt", name: "notes", source: { bytes: PNG } } },
    DOT,
  ]);
  const unnamed = convert([new HumanMessage({ content: [{ type: "file", data: PNG64, mimeType: "application/pdf" }] })]);
  const doc = (unnamed.messages[0].content![0] as { document: { name: string } }).document;
  assert.equal(doc.name, "document-1", "deterministic, so a replayed history keeps its prompt-cache prefix");
  assert.equal(unnamed.warnings.length, 1);
  assert.match(unnamed.warnings[0], new RegExp(doc.name));
  assert.deepEqual(userBlocks([{ type: "video", data: PNG64, mimeType: "video/mp4" }]), [
    { video: { format: "mp4", source: { bytes: PNG } } },
  ]);
  assert.deepEqual(userBlocks([{ type: "video", url: "s3://b/v.mov", mimeType: "video/quicktime" }]), [
    { video: { format: "mov", source: { s3Location: { uri: "s3://b/v.mov" } } } },
  ]);
  // DOC-4: a native text source goes as its UTF-8 bytes unless citations are enabled.
  const native = { format: "md", name: "readme", source: { text: "# hi" } };
  assert.deepEqual(userBlocks([{ type: "document", document: native } as never, { type: "text", text: "Read it." }]), [
    { document: { ...native, source: { bytes: new TextEncoder().encode("# hi") } } },
    { text: "Read it." },
  ]);
  const cited = { ...native, citations: { enabled: true } };
  assert.deepEqual(userBlocks([{ document: cited } as never, { type: "text", text: "Cite it." }]), [
    { document: cited },
    { text: "Cite it." },
  ]);
  const content = { format: "txt", name: "notes", source: { content: [{ text: "a" }, { text: "b" }] } };
  assert.deepEqual(userBlocks([{ document: content } as never, { type: "text", text: "Read it." }]), [
    { document: { ...content, source: { bytes: new TextEncoder().encode("a\nb") } } },
    { text: "Read it." },
  ]);
});

test("messages: native dicts pass through (snake → camel keys), split when combined; guard_content, cache_point, search_result, json", () => {
  assert.deepEqual(
    userBlocks([
      { type: "text", text: "x" },
      { cache_point: { type: "default" } } as never,
      { type: "text", text: "y" },
      { cachePoint: { type: "default", ttl: "1h" } } as never,
      { text: "a", cachePoint: { type: "default" } } as never,
      { type: "guard_content", text: "check me" } as never,
      { type: "cache_point" } as never,
      { type: "json", json: { k: [1, 2] } } as never,
      {
        type: "search_result",
        source: "https://kb/1",
        title: "KB",
        content: [{ type: "text", text: "fact" }],
        citations: { enabled: true },
      } as never,
    ]),
    [
      { text: "x" },
      { cachePoint: { type: "default" } },
      { text: "y" },
      { cachePoint: { type: "default", ttl: "1h" } },
      { text: "a" },
      { cachePoint: { type: "default" } },
      { guardContent: { text: { text: "check me" } } },
      { cachePoint: { type: "default" } },
      { json: { k: [1, 2] } },
      { searchResult: { source: "https://kb/1", title: "KB", content: [{ text: "fact" }], citations: { enabled: true } } },
    ],
  );
  assert.throws(
    () => userBlocks([{ type: "search_result", source: "s", title: "t", content: [{ type: "image" }] } as never]),
    BedrockInputError,
  );
});

test("messages: reasoning dialects — signed kept, unsigned dropped, redacted byte-exact", () => {
  const { messages } = convert([
    new HumanMessage("q"),
    new AIMessage({
      content: [
        { type: "thinking", thinking: "anthropic", signature: "sig-a" },
        { type: "thinking", thinking: "unsigned", signature: "" },
        { type: "redacted_thinking", data: Buffer.from(REDACTED).toString("base64") },
        { type: "reasoning_content", reasoning_content: { text: "snake", signature: "sig-b" } },
        { type: "reasoning_content", reasoningContent: { text: "camel", signature: "sig-c" } },
        { type: "reasoning_content", reasoning_content: { text: "no signature" } },
        { type: "reasoning", reasoning: "v1", extras: { signature: "sig-d" } },
        { type: "reasoning", reasoning: "v1 unsigned" },
        { type: "text", text: "answer" },
      ] as never,
    }),
  ]);
  assert.deepEqual(messages[1].content, [
    { reasoningContent: { reasoningText: { text: "anthropic", signature: "sig-a" } } },
    { reasoningContent: { redactedContent: REDACTED } },
    { reasoningContent: { reasoningText: { text: "snake", signature: "sig-b" } } },
    { reasoningContent: { reasoningText: { text: "camel", signature: "sig-c" } } },
    { reasoningContent: { reasoningText: { text: "v1", signature: "sig-d" } } },
    { text: "answer" },
  ]);
});

test("messages: text with native citations → citationsContent (searchResultLocation citations dropped)", () => {
  const { messages } = convert([
    new HumanMessage("q"),
    new AIMessage({
      content: [
        {
          type: "text",
          text: "Blue.",
          citations: [
            { title: "d", source_content: [{ text: "blue" }], location: { document_char: { document_index: 0, start: 1, end: 2 } } },
            { source_content: [{ text: "x" }], location: { search_result_location: { search_result_index: 0 } } },
          ],
        },
      ] as never,
    }),
  ]);
  assert.deepEqual(messages[1].content, [
    {
      citationsContent: {
        content: [{ text: "Blue." }],
        citations: [{ title: "d", sourceContent: [{ text: "blue" }], location: { documentChar: { documentIndex: 0, start: 1, end: 2 } } }],
      },
    },
  ]);
});

test("messages: AI blocks Bedrock cannot take are dropped with one warning per kind; an emptied turn becomes '.'", () => {
  const { messages, warnings } = convert([
    new HumanMessage("q"),
    new AIMessage({
      content: [
        { type: "function_call", x: 1 },
        { type: "function_call", x: 2 },
      ] as never,
    }),
  ]);
  assert.deepEqual(messages[1].content, [{ text: "." }]);
  assert.equal(warnings.filter((w) => /function_call/.test(w)).length, 1);
  assert.ok(warnings.some((w) => /index 1/.test(w)));
});

test("messages: foreign-provider AI messages are normalized through contentBlocks (signatures not replayed)", () => {
  const foreign = new AIMessage({
    content: [
      { type: "thinking", thinking: "anthropic thought", signature: "anthropic-sig" },
      { type: "text", text: "Hi" },
      { type: "tool_use", id: "call_1", name: "f", input: { a: 1 } },
    ] as never,
    tool_calls: [{ id: "call_1", name: "f", args: { a: 1 } }],
    response_metadata: { model_provider: "anthropic" },
  });
  const { messages } = convert([new HumanMessage("q"), foreign]);
  assert.deepEqual(messages[1].content, [{ text: "Hi" }, { toolUse: { toolUseId: "call_1", name: "f", input: { a: 1 } } }]);
});

test("messages: output_version v1 AI messages are mapped back (text, tool_call, reasoning with extras.signature)", () => {
  const v1 = new AIMessage({
    content: [
      { type: "reasoning", reasoning: "r", extras: { signature: "s1" } },
      { type: "text", text: "t" },
      { type: "tool_call", id: "c1", name: "f", args: { x: 1 } },
    ] as never,
    response_metadata: { output_version: "v1", model_provider: "bedrock-converse" },
  });
  const { messages } = convert([new HumanMessage("q"), v1]);
  assert.deepEqual(messages[1].content, [
    { reasoningContent: { reasoningText: { text: "r", signature: "s1" } } },
    { text: "t" },
    { toolUse: { toolUseId: "c1", name: "f", input: { x: 1 } } },
  ]);
});

test("messages: without toolConfig, tool blocks become text with a warning", () => {
  const { messages, warnings } = convert(
    [
      new HumanMessage("q"),
      new AIMessage({
        content: "",
        tool_calls: [
          { id: "t1", name: "search", args: { q: "x" } },
          { id: "t2", name: "now", args: {} },
        ],
      }),
      new ToolMessage({
        tool_call_id: "t1",
        content: [
          { type: "text", text: "found" },
          { type: "json", json: { n: 1 } },
        ] as never,
      }),
      new ToolMessage({ tool_call_id: "t2", content: "12:00" }),
    ],
    { hasToolConfig: false },
  );
  assert.deepEqual(messages.slice(1), [
    { role: "assistant", content: [{ text: '[Called search with parameters: {"q": "x"}]' }, { text: "[Called now]" }] },
    { role: "user", content: [{ text: '[Tool output: found\n{"n": 1}]' }, { text: "[Tool output: 12:00]" }] },
  ]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /Tool messages were passed without toolConfig/);
});

test("messages: guardLastTurnOnly wraps the last user turn's text; tool-only turn gets a [tool_result] guard", () => {
  const a = convert(
    [
      new HumanMessage("first"),
      new AIMessage("ok"),
      new HumanMessage({ content: [{ type: "text", text: "second" }, { cachePoint: { type: "default" } } as never] }),
    ],
    {
      guardLastTurnOnly: true,
    },
  );
  assert.deepEqual(a.messages[0].content, [{ text: "first" }]);
  assert.deepEqual(a.messages[2].content, [{ guardContent: { text: { text: "second" } } }, { cachePoint: { type: "default" } }]);
  const b = convert(
    [
      new HumanMessage("q"),
      new AIMessage({ content: "", tool_calls: [{ id: "t", name: "f", args: {} }] }),
      new ToolMessage({ tool_call_id: "t", content: "r" }),
    ],
    { guardLastTurnOnly: true },
  );
  assert.deepEqual(b.messages[2].content, [
    { toolResult: { toolUseId: "t", content: [{ text: "r" }], status: "success" } },
    { guardContent: { text: { text: "[tool_result]" } } },
  ]);
});

test("messages: rawBlocks are sent verbatim with an empty system", () => {
  const raw = [{ role: "user" as const, content: [{ text: "raw" }] }];
  const result = convert([new SystemMessage("ignored"), new HumanMessage("ignored")], { rawBlocks: raw, system: ["ignored"] });
  assert.equal(result.messages, raw);
  assert.deepEqual(result.system, []);
});

test("messages: system message rejects non-text blocks with a typed error", () => {
  assert.throws(
    () => convert([new SystemMessage({ content: [{ type: "image", data: PNG64, mimeType: "image/png" }] as never })]),
    (e: unknown) => e instanceof BedrockInputError && /SystemMessage/.test(e.message),
  );
});

test("round trip: invoke response → AIMessage → Converse gives the original blocks (signature and redacted byte-exact)", () => {
  const original = [
    { reasoningContent: { reasoningText: { text: "think", signature: SIGNATURE } } },
    { reasoningContent: { redactedContent: REDACTED } },
    { text: "Here:" },
    {
      citationsContent: {
        content: [{ text: "cited" }],
        citations: [{ title: "t", sourceContent: [{ text: "s" }], location: { documentPage: { documentIndex: 0, start: 1, end: 1 } } }],
      },
    },
    { toolUse: { toolUseId: "t1", name: "f", input: { a: [1, { b: null }] } } },
  ];
  const msg = converseResponseToMessage(response(original), { modelName: "m" });
  const { messages } = convert([new HumanMessage("q"), msg]);
  assert.deepEqual(messages[1], { role: "assistant", content: original });
});

test("round trip: streamed chunks concatenated → Converse gives the invoke blocks", () => {
  const converter = new ConverseStreamConverter({ modelName: "m" });
  let merged = converter.start();
  for (const e of [
    ev.reasoning(0, "th"),
    ev.reasoning(0, "ink"),
    ev.signature(0, SIGNATURE),
    ev.stop(0),
    ev.redacted(1, REDACTED.subarray(0, 5)),
    ev.redacted(1, REDACTED.subarray(5)),
    ev.stop(1),
    ev.text(2, "Here:  "),
    ev.stop(2),
    ev.toolStart(3, "t1", "f"),
    ev.toolInput(3, '{"a": [1, {"b"'),
    ev.toolInput(3, ": null}]}"),
    ev.stop(3),
    ev.messageStop("tool_use"),
    ev.metadata({ inputTokens: 1, outputTokens: 1, totalTokens: 2 }, 1),
  ]) {
    for (const chunk of converter.convert(e)) merged = concat(merged, chunk);
  }
  converter.finish();
  const { messages } = convert([new HumanMessage("q"), merged, new ToolMessage({ tool_call_id: "t1", content: "ok" })]);
  assert.deepEqual(messages[1].content, [
    { reasoningContent: { reasoningText: { text: "think", signature: SIGNATURE } } },
    { reasoningContent: { redactedContent: REDACTED } },
    { text: "Here:  " },
    { toolUse: { toolUseId: "t1", name: "f", input: { a: [1, { b: null }] } } },
  ]);
});
