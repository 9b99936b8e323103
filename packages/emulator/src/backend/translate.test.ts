import assert from "node:assert/strict";
import { test } from "node:test";
import type { ConverseRequest } from "../types.js";
import { chooseModel, parseModelMap } from "./model-map.js";
import { backendMessage, httpErrorSpec } from "./openai-client.js";
import { SseParser } from "./sse.js";
import { converseToChat } from "./translate-request.js";
import { BackendError, ChatStreamTranslator, chatToConverse, stopReasonOf } from "./translate-response.js";

const PNG = Buffer.from("89504e470d0a1a0a", "hex").toString("base64");

test("a full conversation translates: system, images, text documents, tool calls and results, config", () => {
  const request: ConverseRequest = {
    system: [{ text: "Be brief." }, { cachePoint: { type: "default" } }, { text: "Use metric units." }],
    messages: [
      { role: "user", content: [{ text: "What is in this picture?" }, { image: { format: "jpeg", source: { bytes: PNG } } }] },
      {
        role: "assistant",
        content: [
          { reasoningContent: { reasoningText: { text: "hmm", signature: "s" } } },
          { text: "Let me check." },
          { toolUse: { toolUseId: "call_1", name: "GetWeather", input: { city: "Paris" } } },
        ],
      },
      {
        role: "user",
        content: [
          { toolResult: { toolUseId: "call_1", content: [{ json: { temp: 21 } }] } },
          { text: "And read this:" },
          { document: { name: "notes", format: "md", source: { bytes: Buffer.from("# Title\nbody").toString("base64") } } },
        ],
      },
    ],
    toolConfig: {
      tools: [
        {
          toolSpec: {
            name: "GetWeather",
            description: "Weather by city",
            inputSchema: { json: { type: "object", properties: { city: { type: "string" } } } },
          },
        },
      ],
      toolChoice: { any: {} },
    },
    inferenceConfig: { maxTokens: 100, temperature: 0.2, topP: 0.9, stopSequences: ["END"] },
  };
  const out = converseToChat(request, "qwen2.5:7b", true);
  assert.ok(out.ok);
  assert.deepEqual(out.body, {
    model: "qwen2.5:7b",
    messages: [
      { role: "system", content: "Be brief.\n\nUse metric units." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is in this picture?" },
          { type: "image_url", image_url: { url: `data:image/jpeg;base64,${PNG}` } },
        ],
      },
      {
        role: "assistant",
        content: "Let me check.",
        tool_calls: [{ id: "call_1", type: "function", function: { name: "GetWeather", arguments: '{"city":"Paris"}' } }],
      },
      { role: "tool", tool_call_id: "call_1", content: '{"temp":21}' },
      { role: "user", content: 'And read this:\nDocument "notes" (md):\n# Title\nbody' },
    ],
    tools: [
      {
        type: "function",
        function: {
          name: "GetWeather",
          description: "Weather by city",
          parameters: { type: "object", properties: { city: { type: "string" } } },
        },
      },
    ],
    tool_choice: "required",
    max_tokens: 100,
    temperature: 0.2,
    top_p: 0.9,
    stop: ["END"],
    stream: true,
    stream_options: { include_usage: true },
  });
});

test("toolChoice auto and a named tool; an error tool result is marked", () => {
  const base = (toolChoice: Record<string, unknown>): ConverseRequest => ({
    messages: [{ role: "user", content: [{ toolResult: { toolUseId: "t", status: "error", content: [{ text: "boom" }] } }] }],
    toolConfig: { tools: [{ toolSpec: { name: "A", inputSchema: { json: { type: "object" } } } }], toolChoice: toolChoice as never },
  });
  const auto = converseToChat(base({ auto: {} }), "m", false);
  const named = converseToChat(base({ tool: { name: "A" } }), "m", false);
  assert.ok(auto.ok && named.ok);
  assert.equal(auto.body.tool_choice, "auto");
  assert.deepEqual(named.body.tool_choice, { type: "function", function: { name: "A" } });
  assert.deepEqual(auto.body.messages, [{ role: "tool", tool_call_id: "t", content: "Error: boom" }]);
  assert.equal(auto.body.stream, undefined);
});

test("what the backend cannot take is a ValidationException naming the limitation", () => {
  const ask = (content: Record<string, unknown>) =>
    converseToChat({ messages: [{ role: "user", content: [content as never] }] }, "m", false);
  const pdf = ask({ document: { name: "report", format: "pdf", source: { bytes: PNG } } });
  assert.deepEqual(pdf, {
    ok: false,
    error: {
      type: "ValidationException",
      status: 400,
      message: 'The local model backend reads only text documents (txt, md, csv, html or a text source); document "report" is pdf.',
    },
  });
  const s3 = ask({ image: { format: "png", source: { s3Location: { uri: "s3://b/k" } } } });
  assert.match(!s3.ok ? s3.error.message : "", /images as bytes only; an image from s3Location cannot be sent/);
  const video = ask({ video: { format: "mp4", source: { bytes: PNG } } });
  assert.match(!video.ok ? video.error.message : "", /cannot take video content/);
});

test("a whole response: reasoning, text, tool calls, finish reasons and usage", () => {
  const response = chatToConverse(
    {
      choices: [
        {
          message: {
            content: "Checking.",
            reasoning_content: "The user wants weather.",
            tool_calls: [{ id: "call_9", function: { name: "GetWeather", arguments: '{"city":"Oslo"}' } }],
          },
          finish_reason: "tool_calls",
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 7 },
    },
    42,
    () => assert.fail("usage was given"),
  );
  assert.deepEqual(response, {
    output: {
      message: {
        role: "assistant",
        content: [
          { reasoningContent: { reasoningText: { text: "The user wants weather." } } },
          { text: "Checking." },
          { toolUse: { toolUseId: "call_9", name: "GetWeather", input: { city: "Oslo" } } },
        ],
      },
    },
    stopReason: "tool_use",
    usage: { inputTokens: 12, outputTokens: 7, totalTokens: 19 },
    metrics: { latencyMs: 42 },
  });
  assert.deepEqual(
    ["stop", "length", "tool_calls", "content_filter", null].map((f) => stopReasonOf(f, false)),
    ["end_turn", "max_tokens", "tool_use", "content_filtered", "end_turn"],
  );
  assert.equal(stopReasonOf("stop", true), "tool_use");
  const noUsage = chatToConverse({ choices: [{ message: { content: "hi" }, finish_reason: "stop" }] }, 1, (text) => ({
    input: 3,
    output: text.length,
  }));
  assert.deepEqual(noUsage.usage, { inputTokens: 3, outputTokens: 2, totalTokens: 5 });
  assert.throws(
    () =>
      chatToConverse(
        { choices: [{ message: { tool_calls: [{ function: { name: "F", arguments: "{not json" } }] }, finish_reason: "tool_calls" }] },
        1,
        () => ({ input: 0, output: 0 }),
      ),
    (err: unknown) =>
      err instanceof BackendError &&
      err.spec.type === "ModelErrorException" &&
      /called F with arguments that are not a JSON object/.test(err.message),
  );
});

test("stream chunks: reasoning then text then two tool calls whose arguments arrive in pieces", () => {
  const t = new ChatStreamTranslator();
  const chunks = [
    { choices: [{ delta: { role: "assistant", reasoning_content: "Think" } }] },
    { choices: [{ delta: { reasoning_content: "ing." } }] },
    { choices: [{ delta: { content: "Sure." } }] },
    {
      choices: [{ delta: { tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "GetWeather", arguments: "" } }] } }],
    },
    { choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] } }] },
    { choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: 'ty":"Rome"}' } }] } }] },
    { choices: [{ delta: { tool_calls: [{ index: 1, id: "call_b", function: { name: "GetTime", arguments: "{}" } }] } }] },
    { choices: [{ delta: {}, finish_reason: "tool_calls" }] },
    { choices: [], usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 } },
  ];
  const events = chunks.flatMap((c) => t.push(c));
  events.push(...t.end(30, () => assert.fail("usage was streamed")));
  assert.deepEqual(
    events.map((e) => [e.type, e.payload]),
    [
      ["messageStart", { role: "assistant" }],
      ["contentBlockDelta", { contentBlockIndex: 0, delta: { reasoningContent: { text: "Think" } } }],
      ["contentBlockDelta", { contentBlockIndex: 0, delta: { reasoningContent: { text: "ing." } } }],
      ["contentBlockStop", { contentBlockIndex: 0 }],
      ["contentBlockDelta", { contentBlockIndex: 1, delta: { text: "Sure." } }],
      ["contentBlockStop", { contentBlockIndex: 1 }],
      ["contentBlockStart", { contentBlockIndex: 2, start: { toolUse: { toolUseId: "call_a", name: "GetWeather" } } }],
      ["contentBlockDelta", { contentBlockIndex: 2, delta: { toolUse: { input: '{"ci' } } }],
      ["contentBlockDelta", { contentBlockIndex: 2, delta: { toolUse: { input: 'ty":"Rome"}' } } }],
      ["contentBlockStop", { contentBlockIndex: 2 }],
      ["contentBlockStart", { contentBlockIndex: 3, start: { toolUse: { toolUseId: "call_b", name: "GetTime" } } }],
      ["contentBlockDelta", { contentBlockIndex: 3, delta: { toolUse: { input: "{}" } } }],
      ["contentBlockStop", { contentBlockIndex: 3 }],
      ["messageStop", { stopReason: "tool_use" }],
      ["metadata", { usage: { inputTokens: 5, outputTokens: 9, totalTokens: 14 }, metrics: { latencyMs: 30 } }],
    ],
  );
});

test("a stream without a finish reason or with an error chunk fails instead of inventing an end", () => {
  const t = new ChatStreamTranslator();
  t.push({ choices: [{ delta: { content: "par" } }] });
  assert.throws(() => t.end(1, () => ({ input: 0, output: 0 })), /ended without a finish reason/);
  assert.throws(() => new ChatStreamTranslator().push({ error: { message: "out of memory" } }), /out of memory/);
});

test("SSE events split anywhere, CRLF or LF, multi-line data", () => {
  const text = 'data: {"a":1}\r\n\r\n: comment\n\ndata: {"b":\ndata: 2}\n\ndata: [DONE]\n\n';
  const parser = new SseParser();
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 3) out.push(...parser.push(text.slice(i, i + 3)));
  assert.deepEqual(out, ['{"a":1}', '{"b":\n2}', "[DONE]"]);
  const tail = new SseParser();
  assert.deepEqual(tail.push('data: {"c":3}'), []);
  assert.deepEqual(tail.flush(), ['{"c":3}']);
});

test("the model map: first match wins, geo prefixes and ARNs match as the bare id, bad entries are refused", () => {
  const rules = parseModelMap("anthropic.*=qwen2.5:7b, amazon.nova-*=llama3.2:3b");
  assert.equal(chooseModel("anthropic.claude-3-haiku-20240307-v1:0", rules, undefined), "qwen2.5:7b");
  assert.equal(chooseModel("us.amazon.nova-lite-v1:0", rules, undefined), "llama3.2:3b");
  assert.equal(chooseModel("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0", rules, undefined), "llama3.2:3b");
  assert.equal(chooseModel("meta.llama3-8b-instruct-v1:0", rules, "fallback"), "fallback");
  assert.equal(chooseModel("meta.llama3-8b-instruct-v1:0", rules, undefined), undefined);
  assert.throws(() => parseModelMap("anthropic.*"), /must look like pattern=model/);
});

test("backend HTTP errors map to Bedrock errors with the backend's message", () => {
  assert.equal(backendMessage('{"error":{"message":"model \\"x\\" not found"}}'), 'model "x" not found');
  assert.equal(backendMessage('{"error":"bad"}'), "bad");
  assert.deepEqual(httpErrorSpec(429, '{"error":{"message":"slow down"}}'), {
    type: "ThrottlingException",
    status: 429,
    message: "slow down",
  });
  assert.deepEqual(httpErrorSpec(404, '{"error":{"message":"model not found"}}'), {
    type: "ValidationException",
    status: 400,
    message: "model not found",
  });
  assert.equal(httpErrorSpec(500, "oops").type, "ModelErrorException");
});
