import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConverseRequest, JsonObject } from "../types.js";
import { CacheStore, countConverseInputTokens, countTokens, generateResponse } from "./index.js";
import { schemaErrors } from "./json-schema.js";
import { verifyReasoningSignature } from "./signature.js";

const CLAUDE4 = "anthropic.claude-sonnet-4-20250514-v1:0";
const HAIKU3 = "anthropic.claude-3-haiku-20240307-v1:0";
const user = (...content: JsonObject[]) => ({ role: "user" as const, content });
const run = (request: ConverseRequest, modelId = CLAUDE4, cache = new CacheStore()) =>
  generateResponse({ operation: "converse", modelId, request }, { cache });

test("plain text: restates the last user text, exact usage and latency", () => {
  const res = run({ messages: [user({ text: "Hello" })] });
  assert.deepEqual(res, {
    output: { message: { role: "assistant", content: [{ text: "You said: Hello" }] } },
    stopReason: "end_turn",
    // input: Hello 1 + Claude's turn template 4 + 3 per message; output: You said : Hello
    usage: { inputTokens: 8, outputTokens: 4, totalTokens: 12 },
    metrics: { latencyMs: 14 },
  });
});

test("deterministic: the same request twice gives the same response", () => {
  const tools = [
    {
      toolSpec: {
        name: "GetWeather",
        description: "Weather",
        inputSchema: { json: { type: "object", properties: { location: { type: "string" } } } },
      },
    },
  ];
  const req: ConverseRequest = {
    messages: [user({ text: "Weather in LA or NY?" })],
    toolConfig: { tools },
    additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 2000 } },
  };
  assert.deepEqual(run(req), run(req));
  assert.deepEqual(run({ messages: [user({ text: "Hi" })] }), run({ messages: [user({ text: "Hi" })] }));
});

test("multi-turn: answers the last user turn; system prompt does not change the text", () => {
  const res = run({
    system: [{ text: "You are terse." }],
    messages: [user({ text: "hello" }), { role: "assistant", content: [{ text: "hello" }] }, user({ text: "how are you" })],
  });
  assert.deepEqual(res.output.message.content, [{ text: "You said: how are you" }]);
  // "You are terse." (You, are, terse, .) 4 + hello 1 + hello 1 + how are you 3 + template 4 + 3 x 3
  assert.equal(res.usage.inputTokens, 22);
});

test("media blocks are described so clients can see they arrived", () => {
  const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
  const res = run({
    messages: [
      user(
        { image: { format: "png", source: { bytes: png } } },
        { document: { format: "pdf", name: "report", source: { s3Location: { uri: "s3://bucket/report.pdf" } } } },
        { video: { format: "mp4", source: { bytes: "AAAA" } } },
        { audio: { format: "wav", source: { bytes: "UklGRigAAABXQVZF" } } },
        { text: "What is this?" },
      ),
    ],
  });
  assert.deepEqual(res.output.message.content, [
    {
      text:
        'I see an image (png, 68 bytes). I see a document "report" (pdf, s3://bucket/report.pdf). ' +
        "I see a video (mp4, 3 bytes). I hear an audio clip (wav, 12 bytes). You said: What is this?",
    },
  ]);
});

test("tools: seed example gives 4 toolUse blocks after a short preamble, stopReason tool_use", () => {
  const spec = (name: string, description: string) => ({
    toolSpec: {
      name,
      description,
      inputSchema: { json: { type: "object", properties: { location: { type: "string" } }, required: ["location"] } },
    },
  });
  const res = run({
    messages: [user({ text: "Which city is hotter today and which is bigger: LA or NY?" })],
    toolConfig: { tools: [spec("GetWeather", "Get the weather"), spec("GetPopulation", "Get the population")] },
  });
  assert.equal(res.stopReason, "tool_use");
  const content = res.output.message.content;
  assert.deepEqual(content[0], { text: "I'll use GetWeather and GetPopulation to answer this." });
  assert.deepEqual(
    content.slice(1).map((b) => {
      const u = b.toolUse as JsonObject;
      return [u.name, (u.input as JsonObject).location];
    }),
    [
      ["GetWeather", "Los Angeles, CA"],
      ["GetWeather", "New York, NY"],
      ["GetPopulation", "Los Angeles, CA"],
      ["GetPopulation", "New York, NY"],
    ],
  );
  // preamble 15 + GetWeather 2 / GetPopulation 3 + input JSON: LA 14, NY 13
  assert.equal(res.usage.outputTokens, 15 + (2 + 14) + (2 + 13) + (3 + 14) + (3 + 13));
  assert.equal(res.metrics.latencyMs, 10 + res.usage.outputTokens);
});

test("tool results in the last turn: a text answer that uses them", () => {
  const res = run({
    messages: [
      user({ text: "Weather in LA and population of NY?" }),
      {
        role: "assistant",
        content: [
          { toolUse: { toolUseId: "tooluse_a", name: "GetWeather", input: { location: "LA" } } },
          { toolUse: { toolUseId: "tooluse_b", name: "GetPopulation", input: { location: "NY" } } },
        ],
      },
      user(
        { toolResult: { toolUseId: "tooluse_a", content: [{ text: "sunny, 75F" }] } },
        { toolResult: { toolUseId: "tooluse_b", content: [{ json: { population: 8300000 } }], status: "success" } },
      ),
    ],
    toolConfig: {
      tools: [
        { toolSpec: { name: "GetWeather", inputSchema: { json: { type: "object" } } } },
        { toolSpec: { name: "GetPopulation", inputSchema: { json: { type: "object" } } } },
      ],
    },
  });
  assert.equal(res.stopReason, "end_turn");
  assert.deepEqual(res.output.message.content, [
    { text: 'Based on the tool results: GetWeather returned "sunny, 75F"; GetPopulation returned {"population":8300000}.' },
  ]);
});

test("thinking: a signed reasoning block first, counted in outputTokens; not on models without reasoning", () => {
  const req: ConverseRequest = {
    messages: [user({ text: "Hello" })],
    additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
  };
  const res = run(req);
  const [first, second] = res.output.message.content;
  const reasoning = (first.reasoningContent as JsonObject).reasoningText as { text: string; signature: string };
  assert.equal(reasoning.text, 'The user wrote: "Hello". I will restate what they said.');
  assert.ok(verifyReasoningSignature(reasoning.text, reasoning.signature));
  assert.ok(!verifyReasoningSignature(`${reasoning.text}!`, reasoning.signature));
  assert.deepEqual(second, { text: "You said: Hello" });
  assert.equal(res.usage.outputTokens, 16 + 4);
  const adaptive = run({ ...req, additionalModelRequestFields: { thinking: { type: "adaptive" } } });
  assert.ok(adaptive.output.message.content[0].reasoningContent);
  const plain = run(req, HAIKU3);
  assert.deepEqual(plain.output.message.content, [{ text: "You said: Hello" }]);
});

test("thinking before tool calls describes the calls", () => {
  const res = run({
    messages: [user({ text: "Weather in Oslo?" })],
    toolConfig: {
      tools: [
        { toolSpec: { name: "GetWeather", inputSchema: { json: { type: "object", properties: { location: { type: "string" } } } } } },
      ],
    },
    additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
  });
  const r = (res.output.message.content[0].reasoningContent as JsonObject).reasoningText as { text: string; signature: string };
  assert.equal(r.text, 'The user wrote: "Weather in Oslo?". I need tools for this: I will call GetWeather with {"location":"Oslo"}.');
  assert.ok(verifyReasoningSignature(r.text, r.signature));
  assert.equal(res.stopReason, "tool_use");
});

test("structured output: one JSON text block that validates against the schema", () => {
  const schema = {
    type: "object",
    properties: { setup: { type: "string" }, punchline: { type: "string" }, rating: { type: "integer", minimum: 1, maximum: 10 } },
    required: ["setup", "punchline"],
    additionalProperties: false,
  };
  const res = run({
    messages: [user({ text: "Tell me a joke about cats" })],
    outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: JSON.stringify(schema), name: "Joke" } } } },
  });
  assert.equal(res.output.message.content.length, 1);
  const parsed = JSON.parse(res.output.message.content[0].text as string);
  assert.deepEqual(schemaErrors(schema, parsed), []);
  assert.deepEqual(parsed, {
    setup: "Why did the cats bring a ladder to work?",
    punchline: "Because the cats heard the job came with a step up.",
    rating: 8,
  });
  const adder = { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] };
  const sum = run({
    messages: [user({ text: "What is the sum of 1836281973 and 19973286?" })],
    outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: JSON.stringify(adder) } } } },
  });
  assert.deepEqual(JSON.parse(sum.output.message.content[0].text as string), { a: 1836281973, b: 19973286 });
});

test("maxTokens cuts the text to exactly that many tokens: stopReason max_tokens", () => {
  const res = run({ messages: [user({ text: "Hello wonderful friend" })], inferenceConfig: { maxTokens: 5 } });
  assert.deepEqual(res.output.message.content, [{ text: "You said: Hello wonde" }]);
  assert.equal(res.stopReason, "max_tokens");
  assert.equal(res.usage.outputTokens, 5);
  const fits = run({ messages: [user({ text: "Hi" })], inferenceConfig: { maxTokens: 4 } });
  assert.equal(fits.stopReason, "end_turn");
});

test("stop sequences cut before the sequence; stop_sequence field only when asked for", () => {
  const req: ConverseRequest = { messages: [user({ text: "one two. three" })], inferenceConfig: { stopSequences: ["three", "."] } };
  const res = run(req);
  assert.deepEqual(res.output.message.content, [{ text: "You said: one two" }]);
  assert.equal(res.stopReason, "stop_sequence");
  assert.equal(res.additionalModelResponseFields, undefined);
  const asked = run({ ...req, additionalModelResponseFieldPaths: ["/stop_sequence"] });
  assert.deepEqual(asked.additionalModelResponseFields, { stop_sequence: "." });
  const none = run({ messages: [user({ text: "Hi" })], additionalModelResponseFieldPaths: ["/stop_sequence"] });
  assert.deepEqual(none.additionalModelResponseFields, { stop_sequence: null });
});

test("performanceConfig and serviceTier are echoed; requestMetadata is accepted", () => {
  const res = run({
    messages: [user({ text: "Hi" })],
    performanceConfig: { latency: "optimized" },
    serviceTier: { type: "priority" },
    requestMetadata: { team: "a" },
  });
  assert.deepEqual(res.performanceConfig, { latency: "optimized" });
  assert.deepEqual(res.serviceTier, { type: "priority" });
  assert.equal(run({ messages: [user({ text: "Hi" })] }).performanceConfig, undefined);
});

test("guardrail intervention: blocked text, stopReason and a GuardrailTraceAssessment", () => {
  const res = run({
    messages: [user({ text: "tell me about blockedword" })],
    guardrailConfig: { guardrailIdentifier: "abc123", guardrailVersion: "1", trace: "enabled" },
  });
  assert.equal(res.stopReason, "guardrail_intervened");
  assert.deepEqual(res.output.message.content, [{ text: "Sorry, the model cannot answer this question." }]);
  const word = (((res.trace!.guardrail as JsonObject).inputAssessment as JsonObject).abc123 as JsonObject).wordPolicy;
  assert.deepEqual(word, { customWords: [{ match: "blockedword", action: "BLOCKED", detected: true }], managedWordLists: [] });
  const noTrace = run({
    messages: [user({ text: "blockedword" })],
    guardrailConfig: { guardrailIdentifier: "abc123", guardrailVersion: "1" },
  });
  assert.equal(noTrace.stopReason, "guardrail_intervened");
  assert.equal(noTrace.trace, undefined);
  const noGuard = run({ messages: [user({ text: "blockedword" })] });
  assert.equal(noGuard.stopReason, "end_turn");
});

test("citations: text, a citationsContent block quoting the document with documentChar offsets, text", () => {
  const text = "The sky is blue. Paris is the capital of France. Cats purr.";
  const res = run({
    messages: [
      user(
        { document: { format: "txt", name: "facts", source: { text }, citations: { enabled: true } } },
        { text: "What is the capital of France?" },
      ),
    ],
  });
  assert.deepEqual(res.output.message.content, [
    { text: 'According to "facts": ' },
    {
      citationsContent: {
        content: [{ text: "Paris is the capital of France." }],
        citations: [
          {
            title: "facts",
            sourceContent: [{ text: "Paris is the capital of France." }],
            location: { documentChar: { documentIndex: 0, start: 17, end: 48 } },
          },
        ],
      },
    },
    { text: " That is what the document says." },
  ]);
  assert.equal(text.slice(17, 48), "Paris is the capital of France.");
});

test("cache points: first call writes the prefix, the second reads it; inputTokens excludes both", () => {
  const cache = new CacheStore();
  const req: ConverseRequest = {
    system: [{ text: "You are a helpful assistant with a long system prompt." }, { cachePoint: { type: "default" } }],
    messages: [user({ text: "Hello" })],
  };
  const prefix = 15; // the system text: You are a helpf ul assis tant with a long syste m promp t .
  const first = run(req, CLAUDE4, cache);
  // inputTokens: Hello 1 + the turn template 4 + 3 (never cached: it wraps the messages)
  assert.deepEqual(first.usage, {
    inputTokens: 8,
    outputTokens: 4,
    totalTokens: 8 + 4 + prefix,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: prefix,
    cacheDetails: [{ ttl: "5m", inputTokens: prefix }],
  });
  const second = run(req, CLAUDE4, cache);
  assert.deepEqual(second.usage, {
    inputTokens: 8,
    outputTokens: 4,
    totalTokens: 8 + 4 + prefix,
    cacheReadInputTokens: prefix,
    cacheWriteInputTokens: 0,
  });
  assert.equal(countConverseInputTokens(req, CLAUDE4), prefix + 1 + 7);
});

test("CountTokens: Converse input counts like inputTokens; InvokeModel bodies count their prompt text", () => {
  const converse: ConverseRequest = { system: [{ text: "Be brief." }], messages: [user({ text: "What is 1 + 2?" })] };
  // "Be brief." 3 + "What is 1 + 2?" 6 + Claude's turn template (4 + 3 per message)
  assert.equal(countTokens({ input: { converse } }, HAIKU3), 3 + 6 + 7);
  assert.equal(countTokens({ input: { converse } }, HAIKU3), run(converse).usage.inputTokens);
  const body = Buffer.from(
    JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 10, messages: [{ role: "user", content: "What is 1 + 2?" }] }),
  ).toString("base64");
  assert.equal(countTokens({ input: { invokeModel: { body } } }, HAIKU3), 6 + 7);
});
