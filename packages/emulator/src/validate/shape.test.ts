import { test } from "node:test";
import assert from "node:assert/strict";
import { checkShape, formatViolations, list, map, str, struct, union, int, float, blob, bool, sensitive } from "./dsl.js";
import { checkRequestShape } from "./shape.js";
import { validateRequest } from "./index.js";

const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
const user = (...content: unknown[]) => ({ role: "user", content });
const assistant = (...content: unknown[]) => ({ role: "assistant", content });
const PNG = Buffer.from("fake-png-bytes").toString("base64");

function fails(
  body: unknown,
  message: string,
  type = "ValidationException",
  operation: "converse" | "converse-stream" | "count-tokens" = "converse",
  modelId = HAIKU,
) {
  const r = validateRequest(operation, modelId, body);
  assert.deepEqual(r, { ok: false, error: { type, status: 400, message } });
}

function passes(body: unknown, operation: "converse" | "converse-stream" | "count-tokens" = "converse", modelId = HAIKU) {
  const r = validateRequest(operation, modelId, body);
  assert.equal(r.ok, true, JSON.stringify(r));
  return r.ok ? r.value : undefined;
}

// ---- the DSL, one constraint kind at a time ----------------------------------------------------------

test("dsl: required member missing", () => {
  const s = struct("S", { a: str() }, ["a"]);
  assert.deepEqual(checkShape(s, {}).violations, ["Value null at 'a' failed to satisfy constraint: Member must not be null"]);
});

test("dsl: string min, max, pattern, enum", () => {
  const s = struct("S", { a: str({ min: 2, max: 3, pattern: "[a-z]+" }), e: str({ enum: ["x", "y"] }) });
  assert.deepEqual(checkShape(s, { a: "A" }).violations, [
    "Value 'A' at 'a' failed to satisfy constraint: Member must have length greater than or equal to 2",
    "Value 'A' at 'a' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+",
  ]);
  assert.deepEqual(checkShape(s, { a: "abcd", e: "z" }).violations, [
    "Value 'abcd' at 'a' failed to satisfy constraint: Member must have length less than or equal to 3",
    "Value 'z' at 'e' failed to satisfy constraint: Member must satisfy enum value set: [x, y]",
  ]);
});

test("dsl: integer and float ranges render like Java", () => {
  const s = struct("S", { i: int({ min: 1 }), f: float({ min: 0, max: 1 }) });
  assert.deepEqual(checkShape(s, { i: 0, f: 2 }).violations, [
    "Value '0' at 'i' failed to satisfy constraint: Member must have value greater than or equal to 1",
    "Value '2.0' at 'f' failed to satisfy constraint: Member must have value less than or equal to 1",
  ]);
  assert.deepEqual(checkShape(s, { f: -0.5 }).violations, [
    "Value '-0.5' at 'f' failed to satisfy constraint: Member must have value greater than or equal to 0",
  ]);
});

test("dsl: list min/max and 1-based .member paths", () => {
  const s = struct("S", { l: list(struct("E", { v: str() }, ["v"]), { min: 1, max: 2 }) });
  assert.deepEqual(checkShape(s, { l: [] }).violations, [
    "Value '[]' at 'l' failed to satisfy constraint: Member must have length greater than or equal to 1",
  ]);
  assert.deepEqual(checkShape(s, { l: [{ v: "a" }, {}] }).violations, [
    "Value null at 'l.2.member.v' failed to satisfy constraint: Member must not be null",
  ]);
  assert.deepEqual(checkShape(struct("S", { l: list(str(), { max: 2 }) }), { l: ["a", "b", "c"] }).violations, [
    "Value '[a, b, c]' at 'l' failed to satisfy constraint: Member must have length less than or equal to 2",
  ]);
});

test("dsl: map keys, values and size", () => {
  const s = struct("S", { m: map(str({ max: 2 }), str({ pattern: "[0-9]*" }), { max: 1 }) });
  assert.deepEqual(checkShape(s, { m: { abc: "1", d: "x" } }).violations, [
    "Value '{abc=1, d=x}' at 'm' failed to satisfy constraint: Member must have length less than or equal to 1",
    "Value '{abc=1, d=x}' at 'm' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 2]",
    "Value '{abc=1, d=x}' at 'm' failed to satisfy constraint: Map value must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]*]",
  ]);
});

test("dsl: sensitive values are not echoed", () => {
  const s = struct("S", { p: sensitive(struct("P", { x: str({ min: 3 }) })) });
  assert.deepEqual(checkShape(s, { p: { x: "a" } }).violations, [
    "Value at 'p.x' failed to satisfy constraint: Member must have length greater than or equal to 3",
  ]);
});

test("dsl: blob length counts decoded bytes; bad base64 is a serialization error", () => {
  const s = struct("S", { b: blob({ min: 1, max: 2 }) });
  assert.deepEqual(checkShape(s, { b: Buffer.from("abc").toString("base64") }).violations, [
    "Value 'java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]' at 'b' failed to satisfy constraint: Member must have length less than or equal to 2",
  ]);
  assert.equal(checkShape(s, { b: "not base64!" }).serializationError, "Invalid Base64 value");
});

test("dsl: union with zero and with two members", () => {
  const s = struct("S", { u: union("U", { a: str(), b: str() }) });
  assert.equal(checkShape(s, { u: {} }).unionError, "U object at u must set one of the following keys: a, b.");
  assert.equal(checkShape(s, { u: { a: "1", b: "2" } }).unionError, "U object at u must set only one of the following keys: a, b.");
  assert.equal(checkShape(s, { u: { a: "1" } }).unionError, undefined);
});

test("dsl: wrong JSON types are serialization errors", () => {
  const s = struct("S", { s: str(), i: int(), f: float(), b: bool(), l: list(str()), o: struct("O", {}) });
  const cases: [unknown, string][] = [
    [{ s: 1 }, "NUMBER_VALUE can not be converted to a String"],
    [{ s: true }, "TRUE_VALUE can not be converted to a String"],
    [{ s: {} }, "Start of structure or map found where not expected"],
    [{ s: [] }, "Start of list found where not expected"],
    [{ i: "1" }, "STRING_VALUE can not be converted to an Integer"],
    [{ i: 1.5 }, "NUMBER_VALUE can not be converted to an Integer"],
    [{ f: "x" }, "STRING_VALUE can not be converted to a Float"],
    [{ b: 0 }, "NUMBER_VALUE can not be converted to a Boolean"],
    [{ l: "x" }, "Expected list or null"],
    [{ o: "x" }, "Expected map or null"],
  ];
  for (const [v, msg] of cases) assert.equal(checkShape(s, v).serializationError, msg, JSON.stringify(v));
});

test("dsl: unknown members and nulls are dropped from the value", () => {
  const s = struct("S", { a: str(), b: str() });
  assert.deepEqual(checkShape(s, { a: "x", b: null, zzz: 1 }).value, { a: "x" });
});

test("formatViolations: singular and plural", () => {
  assert.equal(formatViolations(["x"]), "1 validation error detected: x");
  assert.equal(formatViolations(["x", "y"]), "2 validation errors detected: x; y");
});

// ---- the request shapes -------------------------------------------------------------------------------

test("shape: maxTokens 0 gives the reported Coral text", () => {
  fails(
    { messages: [user({ text: "hi" })], inferenceConfig: { maxTokens: 0 } },
    "1 validation error detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
});

test("shape: several violations are joined, in member order", () => {
  fails(
    { messages: [user({ text: "hi" }), { role: "bot", content: [] }], inferenceConfig: { temperature: 32424, topP: -1 } },
    "3 validation errors detected: Value 'bot' at 'messages.2.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant, system]; " +
      "Value '32424.0' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1; " +
      "Value '-1.0' at 'inferenceConfig.topP' failed to satisfy constraint: Member must have value greater than or equal to 0",
  );
});

test("shape: nested list path uses .member at every level; message content is not echoed", () => {
  fails(
    { messages: [user({ text: "hi" }), assistant({ toolUse: { toolUseId: "bad id", name: "t", input: {} } })] },
    "1 validation error detected: Value at 'messages.2.member.content.1.member.toolUse.toolUseId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.:-]+",
  );
});

test("shape: empty stop sequence is reported on the list", () => {
  fails(
    { messages: [user({ text: "hi" })], inferenceConfig: { stopSequences: ["END", ""] } },
    "1 validation error detected: Value '[END, ]' at 'inferenceConfig.stopSequences' failed to satisfy constraint: Member must satisfy constraint: [Member must have length greater than or equal to 1]",
  );
});

test("shape: tools list must not be empty; toolSpec requires name and inputSchema", () => {
  fails(
    { messages: [user({ text: "hi" })], toolConfig: { tools: [] } },
    "1 validation error detected: Value '[]' at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
  fails(
    { messages: [user({ text: "hi" })], toolConfig: { tools: [{ toolSpec: {} }] } },
    "2 validation errors detected: Value null at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'toolConfig.tools.1.member.toolSpec.inputSchema' failed to satisfy constraint: Member must not be null",
  );
});

test("shape: requestMetadata is sensitive and limited to 16 entries", () => {
  const md = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
  fails(
    { messages: [user({ text: "hi" })], requestMetadata: md },
    "1 validation error detected: Value at 'requestMetadata' failed to satisfy constraint: Member must have length less than or equal to 16",
  );
});

test("shape: image bytes must not be empty (sensitive source)", () => {
  fails(
    { messages: [user({ image: { format: "png", source: { bytes: "" } } })] },
    "1 validation error detected: Value at 'messages.1.member.content.1.member.image.source.bytes' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
});

test("shape: image format enum", () => {
  fails(
    { messages: [user({ image: { format: "bmp", source: { bytes: PNG } } })] },
    "1 validation error detected: Value at 'messages.1.member.content.1.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [png, jpeg, gif, webp]",
  );
});

test("shape: guardrail version pattern and trace enum", () => {
  fails(
    { messages: [user({ text: "hi" })], guardrailConfig: { guardrailIdentifier: "abc", guardrailVersion: "v1", trace: "on" } },
    "2 validation errors detected: Value 'v1' at 'guardrailConfig.guardrailVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (|([1-9][0-9]{0,7})|(DRAFT)); " +
      "Value 'on' at 'guardrailConfig.trace' failed to satisfy constraint: Member must satisfy enum value set: [enabled, disabled, enabled_full]",
  );
});

test("shape: streamProcessingMode exists only on ConverseStream", () => {
  const body = {
    messages: [user({ text: "hi" })],
    guardrailConfig: { guardrailIdentifier: "abc", guardrailVersion: "1", streamProcessingMode: "bogus" },
  };
  fails(
    body,
    "1 validation error detected: Value 'bogus' at 'guardrailConfig.streamProcessingMode' failed to satisfy constraint: Member must satisfy enum value set: [sync, async]",
    "ValidationException",
    "converse-stream",
  );
  // On Converse the member is unknown, so it is ignored and dropped.
  const value = passes(body) as { guardrailConfig: object };
  assert.deepEqual(value.guardrailConfig, { guardrailIdentifier: "abc", guardrailVersion: "1" });
});

test("shape: serviceTier requires type; performanceConfig latency enum", () => {
  fails(
    { messages: [user({ text: "hi" })], serviceTier: {}, performanceConfig: { latency: "fast" } },
    "2 validation errors detected: Value 'fast' at 'performanceConfig.latency' failed to satisfy constraint: Member must satisfy enum value set: [standard, optimized]; " +
      "Value null at 'serviceTier.type' failed to satisfy constraint: Member must not be null",
  );
});

test("shape: additionalModelResponseFieldPaths at most 10", () => {
  fails(
    { messages: [user({ text: "hi" })], additionalModelResponseFieldPaths: Array.from({ length: 11 }, () => "/x") },
    "1 validation error detected: Value '[/x, /x, /x, /x, /x, /x, /x, /x, /x, /x, /x]' at 'additionalModelResponseFieldPaths' failed to satisfy constraint: Member must have length less than or equal to 10",
  );
});

test("shape: outputConfig.effort max 16 chars", () => {
  fails(
    { messages: [user({ text: "hi" })], outputConfig: { effort: "x".repeat(17) } },
    `1 validation error detected: Value '${"x".repeat(17)}' at 'outputConfig.effort' failed to satisfy constraint: Member must have length less than or equal to 16`,
  );
});

test("shape: system text must be non-empty (Coral min 1)", () => {
  fails(
    { messages: [user({ text: "hi" })], system: [{ text: "" }] },
    "1 validation error detected: Value '' at 'system.1.member.text' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
});

test("shape: wrong JSON type is a SerializationException", () => {
  fails({ messages: "hello" }, "Expected list or null", "SerializationException");
  fails({ messages: [user("hello")] }, "Expected map or null", "SerializationException");
  fails(
    { messages: [user({ text: "hi" })], inferenceConfig: { maxTokens: "10" } },
    "STRING_VALUE can not be converted to an Integer",
    "SerializationException",
  );
  fails([], "Start of list found where not expected", "SerializationException");
});

test("shape: serialization error wins over constraint violations", () => {
  fails(
    { messages: [{ role: "bot", content: [] }], inferenceConfig: { temperature: "hot" } },
    "STRING_VALUE can not be converted to a Float",
    "SerializationException",
  );
});

test("shape: content block union with zero and two members", () => {
  fails(
    { messages: [user({})] },
    "ContentBlock object at messages.0.content.0 must set one of the following keys: text, image, document, video, audio, toolUse, toolResult, guardContent, cachePoint, reasoningContent, citationsContent, searchResult, toolAddition, toolRemoval.",
  );
  fails(
    { messages: [user({ text: "hi", cachePoint: { type: "default" } })] },
    "ContentBlock object at messages.0.content.0 must set only one of the following keys: text, image, document, video, audio, toolUse, toolResult, guardContent, cachePoint, reasoningContent, citationsContent, searchResult, toolAddition, toolRemoval.",
  );
});

test("shape: constraint violations are reported before union problems", () => {
  fails(
    { messages: [user({}), { role: "bot", content: [{ text: "x" }] }] },
    "1 validation error detected: Value 'bot' at 'messages.2.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant, system]",
  );
});

test("shape: a block with only an unknown key is an empty union", () => {
  fails(
    { messages: [user({ type: "text" })] },
    "ContentBlock object at messages.0.content.0 must set one of the following keys: text, image, document, video, audio, toolUse, toolResult, guardContent, cachePoint, reasoningContent, citationsContent, searchResult, toolAddition, toolRemoval.",
  );
});

test("shape: tool choice union", () => {
  fails(
    { messages: [user({ text: "hi" })], toolConfig: { tools: [{ toolSpec: { name: "t", inputSchema: { json: {} } } }], toolChoice: {} } },
    "ToolChoice object at toolConfig.toolChoice must set one of the following keys: auto, any, tool.",
  );
});

test("shape: modelId pattern for CountTokens", () => {
  fails(
    { input: { converse: { messages: [user({ text: "hi" })] } } },
    "1 validation error detected: Value 'bad model!' at 'modelId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z_\\.\\-/0-9:]+",
    "ValidationException",
    "count-tokens",
    "bad model!",
  );
});

test("shape: modelId length for CountTokens (256) and Converse (2048)", () => {
  const long = "a".repeat(257);
  fails(
    { input: { converse: { messages: [user({ text: "hi" })] } } },
    `1 validation error detected: Value '${long}' at 'modelId' failed to satisfy constraint: Member must have length less than or equal to 256`,
    "ValidationException",
    "count-tokens",
    long,
  );
  const longer = "a".repeat(2049);
  const r = checkRequestShape("converse", longer, { messages: [user({ text: "hi" })] });
  assert.equal(
    r.constraintError?.startsWith(
      `1 validation error detected: Value '${longer}' at 'modelId' failed to satisfy constraint: Member must have length less than or equal to 2048`,
    ),
    true,
  );
});

test("shape: CountTokens requires input, a union of converse and invokeModel", () => {
  fails(
    {},
    "1 validation error detected: Value null at 'input' failed to satisfy constraint: Member must not be null",
    "ValidationException",
    "count-tokens",
  );
  fails(
    { input: {} },
    "CountTokensInput object at input must set one of the following keys: invokeModel, converse.",
    "ValidationException",
    "count-tokens",
  );
  fails(
    { input: { converse: { messages: [user({ text: "hi" })], inferenceConfig: { maxTokens: 0 } } } },
    "The provided model doesn't support counting tokens.",
    "ValidationException",
    "count-tokens",
    "us.anthropic.claude-3-haiku-20240307-v1:0",
  );
});

test("shape: CountTokens drops members ConverseTokensRequest does not have", () => {
  const v = passes({ input: { converse: { messages: [user({ text: "hi" })], inferenceConfig: { maxTokens: 0 } } } }, "count-tokens");
  assert.deepEqual(v, { input: { converse: { messages: [user({ text: "hi" })] } } });
  passes({ input: { invokeModel: { body: Buffer.from('{"messages":[]}').toString("base64") } } }, "count-tokens");
});

// ---- every content block kind is accepted ---------------------------------------------------------------

test("accepts every ContentBlock member", () => {
  const s3 = { s3Location: { uri: "s3://my-bucket/key.png", bucketOwner: "123456789012" } };
  const blocks: unknown[] = [
    { text: "hello" },
    { image: { format: "png", source: { bytes: PNG } } },
    { image: { format: "webp", source: s3 } },
    { document: { format: "pdf", name: "Report (final) [v2]", source: { bytes: PNG }, context: "ctx", citations: { enabled: true } } },
    { document: { format: "txt", name: "notes", source: { text: "plain text" }, citations: { enabled: true } } },
    { document: { name: "chunks", source: { content: [{ text: "a" }, { text: "b" }] }, citations: { enabled: true } } },
    { video: { format: "three_gp", source: s3 } },
    { audio: { format: "x-aac", source: { bytes: PNG } } },
    { guardContent: { text: { text: "check me", qualifiers: ["query", "guard_content"] } } },
    { guardContent: { image: { format: "jpeg", source: { bytes: PNG } } } },
    { cachePoint: { type: "default", ttl: "1h" } },
    {
      citationsContent: {
        content: [{ text: "cited" }],
        citations: [
          { title: "t", source: "s", sourceContent: [{ text: "x" }], location: { documentPage: { documentIndex: 0, start: 1, end: 2 } } },
        ],
      },
    },
    { searchResult: { source: "https://example.com", title: "Example", content: [{ text: "result" }], citations: { enabled: false } } },
    { toolAddition: { tool: { type: "mcp", name: "search", serverName: "srv" } } },
    { toolRemoval: { tool: { name: "search" } } },
  ];
  const model = "amazon.nova-pro-v1:0";
  const value = passes({ messages: [user(...blocks)] }, "converse", model) as { messages: { content: unknown[] }[] };
  assert.deepEqual(value.messages[0].content, blocks);
});

test("accepts toolUse, toolResult of every kind and reasoning blocks", () => {
  const body = {
    messages: [
      user({ text: "weather?" }),
      assistant(
        { reasoningContent: { redactedContent: PNG } },
        { text: "calling" },
        { toolUse: { toolUseId: "tooluse_1", name: "get_weather", input: { city: "Paris" } } },
      ),
      user({
        toolResult: {
          toolUseId: "tooluse_1",
          status: "success",
          content: [
            { json: { temp: 21 } },
            { text: "sunny" },
            { image: { format: "gif", source: { bytes: PNG } } },
            { document: { format: "csv", name: "data", source: { bytes: PNG } } },
            { video: { format: "mp4", source: { bytes: PNG } } },
            { searchResult: { source: "s", title: "t", content: [{ text: "x" }] } },
          ],
        },
      }),
    ],
    system: [{ text: "be brief" }, { cachePoint: { type: "default" } }, { guardContent: { text: { text: "g" } } }],
    toolConfig: {
      // (no cachePoint among the tools: Nova refuses one there, trap CACHE-4)
      tools: [{ toolSpec: { name: "get_weather", description: "d", inputSchema: { json: { type: "object" } }, strict: true } }],
      toolChoice: { auto: {} },
    },
    inferenceConfig: { maxTokens: 100, temperature: 0.5, topP: 0.9, stopSequences: ["STOP"] },
    guardrailConfig: {
      guardrailIdentifier: "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123",
      guardrailVersion: "DRAFT",
      trace: "enabled_full",
    },
    additionalModelRequestFields: { inferenceConfig: { topK: 5 } },
    promptVariables: { city: { text: "Paris" } },
    additionalModelResponseFieldPaths: ["/stop_sequence"],
    requestMetadata: { team: "search-1", "cost center": "a:b@c" },
    performanceConfig: { latency: "optimized" },
    serviceTier: { type: "flex" },
    outputConfig: {
      textFormat: { type: "json_schema", structure: { jsonSchema: { schema: '{"type":"object"}', name: "n", description: "d" } } },
      effort: "high",
    },
  };
  const value = passes(body, "converse", "us.amazon.nova-pro-v1:0");
  assert.deepEqual(value, body);
});
