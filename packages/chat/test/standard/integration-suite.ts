// The LangChain standard integration tests (25 wired + the 4 defined-but-unwired ones), reimplemented
// for node:test from their description. Every test asserts what the reply must contain (the tool
// called, its arguments, the numbers, the stop), so a model that ignores the request fails.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { InMemoryCache } from "@langchain/core/caches";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import {
  AIMessage,
  AIMessageChunk,
  HumanMessage,
  ToolMessage,
  type BaseMessage,
  type ToolCall,
  type UsageMetadata,
} from "@langchain/core/messages";
import type { Generation } from "@langchain/core/outputs";
import { RunnableLambda } from "@langchain/core/runnables";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { z } from "zod";
import { adderSchema, adderTool, openAiAdder, solidPng, textOf, textPdf, toneWav, weatherSchema, weatherTool } from "./fixtures.js";
import { skipTestMessage, type IntegrationConfig, type MediaCase, type MediaSource, type UsageDetailKind } from "./types.js";

export const INTEGRATION_TESTS = [
  "testInvoke",
  "testStream",
  "testBatch",
  "testConversation",
  "testUsageMetadata",
  "testUsageMetadataStreaming",
  "testToolMessageHistoriesStringContent",
  "testToolMessageHistoriesListContent",
  "testStructuredFewShotExamples",
  "testWithStructuredOutput",
  "testWithStructuredOutputIncludeRaw",
  "testBindToolsWithOpenAIFormattedTools",
  "testBindToolsWithRunnableToolLike",
  "testCacheComplexMessageTypes",
  "testStreamTokensWithToolCalls",
  "testModelCanUseToolUseAIMessage",
  "testModelCanUseToolUseAIMessageWithStreaming",
  "testInvokeMoreComplexTools",
  "testParallelToolCalling",
  "testModelCanAcceptStructuredToolParamsSchema",
  "testStreamTools",
  "testStandardTextContentBlocks",
  "testStandardImageContentBlocks",
  "testStandardAudioContentBlocks",
  "testStandardFileContentBlocks",
] as const;

/** Defined in LangChain's suite but not wired into its runTests; wired here. */
export const UNWIRED_INTEGRATION_TESTS = [
  "testStreamEvents",
  "testDoubleMessageConversation",
  "testStopSequence",
  "testToolCalling",
] as const;

export type IntegrationTestName = (typeof INTEGRATION_TESTS)[number] | (typeof UNWIRED_INTEGRATION_TESTS)[number];

const TOOL_TESTS: ReadonlySet<IntegrationTestName> = new Set([
  "testToolMessageHistoriesStringContent",
  "testToolMessageHistoriesListContent",
  "testStructuredFewShotExamples",
  "testBindToolsWithOpenAIFormattedTools",
  "testBindToolsWithRunnableToolLike",
  "testStreamTokensWithToolCalls",
  "testModelCanUseToolUseAIMessage",
  "testModelCanUseToolUseAIMessageWithStreaming",
  "testInvokeMoreComplexTools",
  "testParallelToolCalling",
  "testModelCanAcceptStructuredToolParamsSchema",
  "testStreamTools",
  "testToolCalling",
]);
const STRUCTURED_TESTS: ReadonlySet<IntegrationTestName> = new Set(["testWithStructuredOutput", "testWithStructuredOutputIncludeRaw"]);

type ToolModel = {
  invoke(input: unknown, options?: unknown): Promise<AIMessage>;
  stream(input: unknown, options?: unknown): Promise<AsyncIterable<AIMessageChunk>>;
};

/** Keeps the `extraParams` of the chat model run, as LangChain's test handler does. */
class ChatModelStartRecorder extends BaseCallbackHandler {
  name = "ChatModelStartRecorder";
  extraParams: Record<string, unknown> = {};
  override handleChatModelStart(
    _llm: unknown,
    _messages: unknown,
    _runId: string,
    _parentRunId?: string,
    extraParams?: Record<string, unknown>,
  ): void {
    this.extraParams = extraParams ?? {};
  }
}

/** LangChain's check: tracing records the method and the schema as core's toJsonSchema writes it. */
function assertStructuredOutputTraced(handler: ChatModelStartRecorder): void {
  const format = (
    handler.extraParams.options as { ls_structured_output_format?: { kwargs?: { method?: string }; schema?: unknown } } | undefined
  )?.ls_structured_output_format;
  assert.equal(format?.kwargs?.method, "functionCalling");
  assert.deepEqual(format?.schema, toJsonSchema(adderSchema));
}

/** Concatenates a stream of chunks, checking each is an AIMessageChunk with string or block content. */
export async function collect(stream: AsyncIterable<AIMessageChunk>): Promise<{ full: AIMessageChunk; chunks: AIMessageChunk[] }> {
  const chunks: AIMessageChunk[] = [];
  let full: AIMessageChunk | undefined;
  for await (const chunk of stream) {
    assert.ok(chunk instanceof AIMessageChunk, "every streamed chunk is an AIMessageChunk");
    if (typeof chunk.content !== "string") {
      assert.ok(Array.isArray(chunk.content), "chunk content is a string or a list of blocks");
      for (const block of chunk.content) assert.equal(typeof (block as { type?: unknown }).type, "string", "every block has a type");
    }
    chunks.push(chunk);
    full = full ? full.concat(chunk) : chunk;
  }
  assert.ok(full, "the stream yielded at least one chunk");
  return { full, chunks };
}

/** The message's only tool call, which must be to `name`. */
export function onlyToolCall(message: AIMessage, name: string): ToolCall {
  const calls = message.tool_calls ?? [];
  assert.equal(calls.length, 1, `expected one tool call, got ${JSON.stringify(calls)} (text: ${JSON.stringify(textOf(message))})`);
  const call = calls[0];
  assert.equal(call.name, name);
  assert.equal(typeof call.id, "string");
  assert.ok((call.id ?? "").length > 0, "the tool call has an id");
  return call;
}

function assertUsage(usage: UsageMetadata | undefined, where: string): UsageMetadata {
  assert.ok(usage, `${where}: usage_metadata is set`);
  for (const key of ["input_tokens", "output_tokens", "total_tokens"] as const) {
    assert.equal(typeof usage[key], "number", `${where}: ${key} is a number`);
    assert.ok(Number.isInteger(usage[key]) && usage[key] >= 0, `${where}: ${key} is a count`);
  }
  assert.ok(usage.input_tokens > 0, `${where}: input_tokens > 0`);
  assert.ok(usage.output_tokens > 0, `${where}: output_tokens > 0`);
  assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens, `${where}: total = input + output`);
  return usage;
}

function sumNumbers(details: Record<string, unknown> | undefined): number {
  let sum = 0;
  for (const value of Object.values(details ?? {})) if (typeof value === "number") sum += value;
  return sum;
}

/** Checks one opted-in usage detail kind and that the details never exceed their totals. */
export function assertUsageDetail(kind: UsageDetailKind, message: AIMessage): void {
  const usage = assertUsage(message.usage_metadata, kind);
  const input = (usage.input_token_details ?? {}) as Record<string, unknown>;
  const output = (usage.output_token_details ?? {}) as Record<string, unknown>;
  switch (kind) {
    case "cache_read_input":
      assert.equal(typeof input.cache_read, "number", "input_token_details.cache_read is a number");
      assert.ok((input.cache_read as number) > 0, "cache_read > 0");
      break;
    case "cache_creation_input": {
      assert.equal(typeof input.cache_creation, "number", "input_token_details.cache_creation is a number");
      // Per-TTL keys (ephemeral_5m_input_tokens, ...) may carry the writes with cache_creation 0, as in langchain-anthropic.
      const created =
        (input.cache_creation as number) +
        sumNumbers(Object.fromEntries(Object.entries(input).filter(([k]) => k.startsWith("ephemeral_"))));
      assert.ok(created > 0, `cache writes reported: ${JSON.stringify(input)}`);
      break;
    }
    case "reasoning_output":
      assert.equal(typeof output.reasoning, "number", "output_token_details.reasoning is a number");
      assert.ok((output.reasoning as number) > 0, "reasoning > 0");
      break;
    case "audio_input":
      assert.ok(typeof input.audio === "number" && input.audio > 0, "input_token_details.audio > 0");
      break;
    case "audio_output":
      assert.ok(typeof output.audio === "number" && output.audio > 0, "output_token_details.audio > 0");
      break;
  }
  assert.ok(sumNumbers(input) <= usage.input_tokens, `input details ${JSON.stringify(input)} exceed input_tokens ${usage.input_tokens}`);
  assert.ok(
    sumNumbers(output) <= usage.output_tokens,
    `output details ${JSON.stringify(output)} exceed output_tokens ${usage.output_tokens}`,
  );
}

/** An InMemoryCache that counts lookups, hits and writes. */
class CountingCache extends InMemoryCache {
  lookups = 0;
  hits = 0;
  updates = 0;
  override async lookup(prompt: string, llmKey: string): Promise<Generation[] | null> {
    this.lookups++;
    const found = await super.lookup(prompt, llmKey);
    if (found) this.hits++;
    return found;
  }
  override async update(prompt: string, llmKey: string, value: Generation[]): Promise<void> {
    this.updates++;
    return super.update(prompt, llmKey, value);
  }
}

const RED = solidPng([220, 20, 20]);
const WAV = toneWav();
const SECRET_SENTENCE = "The secret word is pineapple.";
const PDF = textPdf(SECRET_SENTENCE);

export class ChatModelIntegrationTests<M extends BaseChatModel = BaseChatModel> {
  readonly config: IntegrationConfig<M>;

  constructor(config: IntegrationConfig<M>) {
    this.config = config;
  }

  get className(): string {
    return this.config.Cls.name;
  }

  get functionId(): string {
    return this.config.functionId ?? "abc123";
  }

  get supportedUsageMetadataDetails() {
    return this.config.supportedUsageMetadataDetails ?? { invoke: [], stream: [] };
  }

  newModel(extra: Record<string, unknown> = {}): M {
    return new this.config.Cls({ ...this.config.constructorArgs, ...extra });
  }

  withTools(model: M, tools: unknown[], kwargs?: Record<string, unknown>): ToolModel {
    assert.equal(typeof model.bindTools, "function", "the model has bindTools");
    return model.bindTools!(tools as never, kwargs as never) as unknown as ToolModel;
  }

  assertInvokeResult(message: unknown): AIMessage {
    const Type = this.config.invokeResponseType ?? AIMessage;
    assert.ok(message instanceof Type, `invoke returns ${Type.name}`);
    return message as AIMessage;
  }

  skipReason(name: IntegrationTestName): string | undefined {
    const configured = this.config.skipTests?.[name];
    if (configured) return configured;
    if (TOOL_TESTS.has(name) && !this.config.chatModelHasToolCalling) return "chatModelHasToolCalling is false";
    if (STRUCTURED_TESTS.has(name) && !this.config.chatModelHasStructuredOutput) return "chatModelHasStructuredOutput is false";
    if (name === "testStructuredFewShotExamples" && !this.config.chatModelHasToolCalling) return "chatModelHasToolCalling is false";
    const content = this.config.supportsStandardContentType ?? {};
    if (name === "testStandardTextContentBlocks" && !content.text) return "supportsStandardContentType.text is not set";
    if (name === "testStandardImageContentBlocks" && !content.image?.length) return "no image sources in supportsStandardContentType";
    if (name === "testStandardAudioContentBlocks" && !content.audio?.length) return "no audio sources in supportsStandardContentType";
    if (name === "testStandardFileContentBlocks" && !content.file?.length) return "no file sources in supportsStandardContentType";
    return undefined;
  }

  // ------------------------------------------------------------ basics

  async testInvoke(): Promise<void> {
    const result = this.assertInvokeResult(await this.newModel().invoke("Hello, how are you?"));
    assert.ok(textOf(result).trim().length > 0, "the reply has text");
  }

  async testStream(): Promise<void> {
    const { full, chunks } = await collect(await this.newModel().stream("Hello, how are you?"));
    assert.ok(chunks.length >= 1);
    assert.ok(textOf(full).trim().length > 0, "the streamed reply has text");
  }

  async testBatch(): Promise<void> {
    const results = await this.newModel().batch(["Hello, how are you?", "Tell me about the moon."]);
    assert.equal(results.length, 2);
    for (const result of results) {
      this.assertInvokeResult(result);
      assert.ok(textOf(result).trim().length > 0);
    }
    assert.notEqual(textOf(results[0]), textOf(results[1]), "each input gets its own answer");
  }

  async testConversation(): Promise<void> {
    const messages = [new HumanMessage("hello"), new AIMessage("Hello! How can I help you?"), new HumanMessage("how are you")];
    const result = this.assertInvokeResult(await this.newModel().invoke(messages));
    assert.ok(textOf(result).trim().length > 0);
  }

  async testDoubleMessageConversation(): Promise<void> {
    const messages = [
      new HumanMessage("hello"),
      new HumanMessage("hello again"),
      new AIMessage("Hello!"),
      new AIMessage("How can I help you?"),
      new HumanMessage("how are you"),
    ];
    const result = this.assertInvokeResult(await this.newModel().invoke(messages));
    assert.ok(textOf(result).trim().length > 0);
  }

  // ------------------------------------------------------------ usage

  async testUsageMetadata(): Promise<void> {
    const result = this.assertInvokeResult(await this.newModel().invoke("Hello, how are you?"));
    assertUsage(result.usage_metadata, "invoke");
    const model = (result.response_metadata as Record<string, unknown>).model;
    assert.equal(typeof model, "string", "response_metadata.model is set");
    assert.ok((model as string).length > 0);
    for (const kind of this.supportedUsageMetadataDetails.invoke) assertUsageDetail(kind, await this.invokeWithDetail(kind, false));
  }

  async testUsageMetadataStreaming(): Promise<void> {
    const { full, chunks } = await collect(await this.newModel().stream("Hello, how are you?"));
    assertUsage(full.usage_metadata, "stream");
    assert.equal(
      chunks.filter((c) => c.usage_metadata !== undefined && c.usage_metadata.output_tokens > 0).length,
      1,
      "exactly one chunk carries the usage",
    );
    const model = full.response_metadata.model;
    assert.equal(typeof model, "string", "response_metadata.model is set on the concatenated stream");
    assert.ok((model as string).length > 0);
    for (const kind of this.supportedUsageMetadataDetails.stream) assertUsageDetail(kind, await this.invokeWithDetail(kind, true));
  }

  async invokeWithDetail(kind: UsageDetailKind, stream: boolean): Promise<AIMessage> {
    const hooks: Record<UsageDetailKind, ((stream: boolean) => Promise<AIMessage>) | undefined> = {
      audio_input: this.config.invokeWithAudioInput,
      audio_output: this.config.invokeWithAudioOutput,
      reasoning_output: this.config.invokeWithReasoningOutput,
      cache_read_input: this.config.invokeWithCacheReadInput,
      cache_creation_input: this.config.invokeWithCacheCreationInput,
    };
    const hook = hooks[kind];
    if (!hook) throw new Error(`supportedUsageMetadataDetails lists "${kind}" but its invokeWith… hook is not configured`);
    return hook(stream);
  }

  // ------------------------------------------------------------ tool histories

  adderHistory(aiContent: AIMessage["content"]): BaseMessage[] {
    return [
      new HumanMessage("What is 1 + 2"),
      new AIMessage({ content: aiContent, tool_calls: [{ id: this.functionId, name: "adder", args: { a: 1, b: 2 }, type: "tool_call" }] }),
      new ToolMessage({ name: "adder", tool_call_id: this.functionId, content: JSON.stringify({ result: 3 }) }),
    ];
  }

  async assertAnswersFromToolResult(messages: BaseMessage[]): Promise<void> {
    const result = this.assertInvokeResult(await this.withTools(this.newModel(), [adderTool]).invoke(messages));
    assert.deepEqual(result.tool_calls ?? [], [], "the model answers instead of calling the tool again");
    assert.match(textOf(result), /3/, "the answer uses the tool result");
  }

  async testToolMessageHistoriesStringContent(): Promise<void> {
    await this.assertAnswersFromToolResult(this.adderHistory(""));
  }

  async testToolMessageHistoriesListContent(): Promise<void> {
    await this.assertAnswersFromToolResult(
      this.adderHistory([
        { type: "text", text: "Let me add those numbers." },
        { type: "tool_use", id: this.functionId, name: "adder", input: { a: 1, b: 2 } },
      ]),
    );
  }

  async testStructuredFewShotExamples(): Promise<void> {
    const messages = [...this.adderHistory(""), new AIMessage(JSON.stringify({ result: 3 })), new HumanMessage("What is 3 + 4")];
    const result = this.assertInvokeResult(await this.withTools(this.newModel(), [adderTool], { tool_choice: "any" }).invoke(messages));
    const call = onlyToolCall(result, "adder");
    assert.deepEqual(call.args, { a: 3, b: 4 });
  }

  // ------------------------------------------------------------ structured output

  async testWithStructuredOutput(): Promise<void> {
    const structured = this.newModel().withStructuredOutput(adderSchema, { name: "adder" });
    const handler = new ChatModelStartRecorder();
    const result = await structured.invoke("What is 1 + 2?", { callbacks: [handler] });
    assertStructuredOutputTraced(handler);
    assert.equal(typeof result.a, "number");
    assert.equal(typeof result.b, "number");
    assert.deepEqual(result, { a: 1, b: 2 });
    let last: unknown;
    for await (const chunk of await structured.stream("What is 3 + 4?")) last = chunk;
    assert.deepEqual(last, { a: 3, b: 4 }, "the streamed structured output ends with the whole object");
  }

  async testWithStructuredOutputIncludeRaw(): Promise<void> {
    const structured = this.newModel().withStructuredOutput(adderSchema, { name: "adder", includeRaw: true });
    const handler = new ChatModelStartRecorder();
    const result = await structured.invoke("What is 1 + 2?", { callbacks: [handler] });
    assertStructuredOutputTraced(handler);
    assert.ok("raw" in result && "parsed" in result, `{raw, parsed}: ${JSON.stringify(Object.keys(result))}`);
    const parsingError = (result as { parsingError?: unknown }).parsingError;
    assert.ok(parsingError === undefined || parsingError === null, `no parsing error: ${String(parsingError)}`);
    assert.ok(result.raw instanceof AIMessage || result.raw instanceof AIMessageChunk, "raw is the model's message");
    assert.deepEqual(result.parsed, { a: 1, b: 2 });
  }

  // ------------------------------------------------------------ tool formats

  async testBindToolsWithOpenAIFormattedTools(): Promise<void> {
    const result = this.assertInvokeResult(await this.withTools(this.newModel(), [openAiAdder]).invoke("What is 1 + 2?"));
    assert.deepEqual(onlyToolCall(result, "adder").args, { a: 1, b: 2 });
  }

  async testBindToolsWithRunnableToolLike(): Promise<void> {
    const mathTool = RunnableLambda.from(({ a, b }: { a: number; b: number }) => a * b).asTool({
      name: "math_tool",
      description: "Multiply two numbers a and b",
      schema: z.object({ a: z.number().describe("The first factor"), b: z.number().describe("The second factor") }),
    });
    const result = this.assertInvokeResult(
      await this.withTools(this.newModel(), [mathTool]).invoke("What is 3 times 5? Use the math_tool tool."),
    );
    const call = onlyToolCall(result, "math_tool");
    assert.deepEqual(call.args, { a: 3, b: 5 });
    assert.equal(await mathTool.invoke(call.args as { a: number; b: number }), 15);
  }

  async testModelCanAcceptStructuredToolParamsSchema(): Promise<void> {
    const params = { name: "adder", description: "Add two numbers together", schema: adderSchema };
    const result = this.assertInvokeResult(await this.withTools(this.newModel(), [params]).invoke("What is 1 + 2? Use the adder tool."));
    assert.deepEqual(onlyToolCall(result, "adder").args, { a: 1, b: 2 });
  }

  async testInvokeMoreComplexTools(): Promise<void> {
    const orderSchema = z.object({
      customer: z.object({
        name: z.string().describe("The customer's full name"),
        email: z.string().email().describe("The customer's email address"),
      }),
      items: z
        .array(z.object({ sku: z.string().describe("The product SKU"), quantity: z.number().int().min(1).describe("How many") }))
        .min(1)
        .describe("The items to order"),
      priority: z.enum(["low", "normal", "high"]).describe("Delivery priority"),
    });
    const createOrder = { name: "create_order", description: "Create an order for a customer", schema: orderSchema };
    const result = this.assertInvokeResult(
      await this.withTools(this.newModel(), [createOrder]).invoke(
        "Use the create_order tool: customer Jane Doe (jane@example.com) wants 2 units of SKU ABC-123, priority high.",
      ),
    );
    const call = onlyToolCall(result, "create_order");
    const parsed = orderSchema.safeParse(call.args);
    assert.ok(parsed.success, `the arguments match the nested schema: ${JSON.stringify(call.args)}`);
    assert.equal(parsed.data.priority, "high");
    assert.equal(parsed.data.customer.email, "jane@example.com");
    assert.equal(parsed.data.customer.name, "Jane Doe");
    assert.deepEqual(parsed.data.items, [{ sku: "ABC-123", quantity: 2 }]);
  }

  // ------------------------------------------------------------ tool calls, invoke and stream

  async testToolCalling(): Promise<void> {
    const model = this.withTools(this.newModel(), [adderTool]);
    const invoked = this.assertInvokeResult(await model.invoke("What is 1 + 2? Use the adder tool."));
    assert.deepEqual(onlyToolCall(invoked, "adder").args, { a: 1, b: 2 });
    const { full } = await collect(await model.stream("What is 1 + 2? Use the adder tool."));
    assert.deepEqual(onlyToolCall(full as unknown as AIMessage, "adder").args, { a: 1, b: 2 });
  }

  async testStreamTokensWithToolCalls(): Promise<void> {
    const model = this.withTools(this.newModel(), [weatherTool]);
    const { full } = await collect(await model.stream("What is the weather in San Francisco? Use the get_current_weather tool."));
    const call = onlyToolCall(full as unknown as AIMessage, "get_current_weather");
    assert.match(String(call.args.location), /San Francisco/);
    assertUsage(full.usage_metadata, "stream with a tool call");
  }

  async testStreamTools(): Promise<void> {
    const model = this.withTools(this.newModel(), [weatherTool], { tool_choice: "get_current_weather" });
    const { full, chunks } = await collect(await model.stream("What's the weather like in San Francisco?"));
    assert.ok(
      chunks.some((c) => (c.tool_call_chunks ?? []).length > 0),
      "tool call chunks are streamed",
    );
    const call = onlyToolCall(full as unknown as AIMessage, "get_current_weather");
    assert.equal(typeof call.args.location, "string");
    assert.match(call.args.location as string, /San Francisco/);
    assert.ok(weatherSchema.safeParse(call.args).success);
  }

  weatherHistory(): BaseMessage[] {
    return [
      new HumanMessage("What's the weather like in San Francisco?"),
      new AIMessage({
        content: "",
        tool_calls: [{ id: this.functionId, name: "get_current_weather", args: { location: "San Francisco" }, type: "tool_call" }],
      }),
      new ToolMessage({
        name: "get_current_weather",
        tool_call_id: this.functionId,
        content: "It is 70 degrees and sunny in San Francisco.",
      }),
    ];
  }

  async testModelCanUseToolUseAIMessage(): Promise<void> {
    const result = this.assertInvokeResult(await this.withTools(this.newModel(), [weatherTool]).invoke(this.weatherHistory()));
    assert.deepEqual(result.tool_calls ?? [], []);
    assert.match(textOf(result), /sunny|70/i, "the answer uses the tool result");
  }

  async testModelCanUseToolUseAIMessageWithStreaming(): Promise<void> {
    const { full } = await collect(await this.withTools(this.newModel(), [weatherTool]).stream(this.weatherHistory()));
    assert.deepEqual(full.tool_calls ?? [], []);
    assert.match(textOf(full), /sunny|70/i, "the answer uses the tool result");
  }

  async testParallelToolCalling(model?: M, onlyVerifyHistory = false): Promise<void> {
    const llm = this.withTools(model ?? this.newModel(), [weatherTool]);
    const question = "What is the weather in San Francisco and in New York City? Check both cities.";
    let calls: ToolCall[];
    if (onlyVerifyHistory || !this.config.supportsParallelToolCalls) {
      calls = [
        { id: `${this.functionId}_1`, name: "get_current_weather", args: { location: "San Francisco" }, type: "tool_call" },
        { id: `${this.functionId}_2`, name: "get_current_weather", args: { location: "New York City" }, type: "tool_call" },
      ];
    } else {
      const result = this.assertInvokeResult(await llm.invoke(question));
      calls = result.tool_calls ?? [];
      assert.equal(calls.length, 2, `two tool calls in one turn: ${JSON.stringify(calls)}`);
      assert.deepEqual(
        calls.map((c) => c.name),
        ["get_current_weather", "get_current_weather"],
      );
      assert.notEqual(calls[0].id, calls[1].id);
      const locations = calls.map((c) => String(c.args.location)).join(" | ");
      assert.match(locations, /San Francisco/);
      assert.match(locations, /New York/);
    }
    const history = [
      new HumanMessage(question),
      new AIMessage({ content: "", tool_calls: calls }),
      ...calls.map(
        (c) => new ToolMessage({ name: c.name, tool_call_id: c.id!, content: `It is 70 degrees and sunny in ${String(c.args.location)}.` }),
      ),
    ];
    const answer = this.assertInvokeResult(await llm.invoke(history));
    assert.deepEqual(answer.tool_calls ?? [], []);
    assert.match(textOf(answer), /San Francisco/);
    assert.match(textOf(answer), /New York/);
  }

  // ------------------------------------------------------------ cache, events, stop

  async testCacheComplexMessageTypes(): Promise<void> {
    const cache = new CountingCache();
    const model = this.newModel({ cache });
    const input = [new HumanMessage({ content: [{ type: "text", text: "Hello there, what can you do?" }] })];
    const first = await model.invoke(input);
    assert.deepEqual({ lookups: cache.lookups, hits: cache.hits, updates: cache.updates }, { lookups: 1, hits: 0, updates: 1 });
    const second = await model.invoke(input);
    assert.deepEqual({ lookups: cache.lookups, hits: cache.hits, updates: cache.updates }, { lookups: 2, hits: 1, updates: 1 });
    assert.deepEqual(second.content, first.content, "the cached reply is the first reply");
  }

  async testStreamEvents(): Promise<void> {
    const model = this.newModel();
    const events: Array<{ event: string; data: Record<string, unknown> }> = [];
    for await (const event of model.streamEvents("Hello, how are you?", { version: "v2" })) events.push(event as never);
    const kinds = events.map((e) => e.event);
    assert.equal(kinds[0], "on_chat_model_start");
    assert.equal(kinds[kinds.length - 1], "on_chat_model_end");
    assert.equal(kinds.filter((k) => k === "on_chat_model_start").length, 1);
    assert.equal(kinds.filter((k) => k === "on_chat_model_end").length, 1);
    const streamed = events.filter((e) => e.event === "on_chat_model_stream").map((e) => e.data.chunk as AIMessageChunk);
    assert.ok(streamed.length >= 1, "stream events carry chunks");
    const concatenated = streamed.reduce((acc, c) => acc.concat(c));
    const output = events[events.length - 1].data.output as AIMessageChunk;
    assert.equal(textOf(output), textOf(concatenated));
    assert.ok(textOf(output).length > 0);
    assert.deepEqual(output.usage_metadata, concatenated.usage_metadata);
  }

  async testStopSequence(): Promise<void> {
    const prompt = 'Repeat this sentence exactly, with nothing else: "alpha beta gamma delta"';
    const check = (message: AIMessage, how: string) => {
      const text = textOf(message);
      assert.match(text, /beta/, `${how}: the reply runs up to the stop sequence`);
      assert.doesNotMatch(text, /gamma|delta/, `${how}: the reply stops before the stop sequence`);
      const md = message.response_metadata as Record<string, unknown>;
      assert.equal(md.stopReason ?? md.stop_reason ?? md.finish_reason, "stop_sequence", `${how}: stopped by the sequence`);
    };
    check(this.assertInvokeResult(await this.newModel().invoke(prompt, { stop: ["gamma"] } as never)), "stop as a call option");
    check(this.assertInvokeResult(await this.newModel({ stop: ["gamma"] }).invoke(prompt)), "stop as a constructor field");
  }

  // ------------------------------------------------------------ standard content blocks

  async mediaReply(media: MediaCase, block: Record<string, unknown>, question: string): Promise<void> {
    const message = new HumanMessage({ content: [{ type: "text", text: question }, block] as never });
    const reply = this.assertInvokeResult(await this.newModel().invoke([message]));
    assert.ok(textOf(reply).trim().length > 0, `${media.kind} from ${media.source}: the reply has text`);
    this.config.assertMediaReply?.(media, reply);
  }

  mediaBlock(kind: "image" | "audio" | "file", source: MediaSource, mimeType: string, bytes: Uint8Array): Record<string, unknown> {
    const b64 = Buffer.from(bytes).toString("base64");
    switch (source) {
      case "base64":
        // The v0.3 data-block dialect: source_type + mime_type.
        return { type: kind, source_type: "base64", mime_type: mimeType, data: b64 };
      case "dataUrl":
        // The v1 dialect: url (here a data URL) + mimeType.
        return { type: kind, url: `data:${mimeType};base64,${b64}`, mimeType };
      case "url": {
        const url = this.config.mediaUrls?.[kind];
        if (!url) throw new Error(`supportsStandardContentType.${kind} lists "url" but mediaUrls.${kind} is not configured`);
        return { type: kind, url, mimeType };
      }
      case "id": {
        const id = this.config.mediaIds?.[kind];
        if (!id) throw new Error(`supportsStandardContentType.${kind} lists "id" but mediaIds.${kind} is not configured`);
        return { type: kind, fileId: id, mimeType };
      }
    }
  }

  async testStandardTextContentBlocks(): Promise<void> {
    const text = "Repeat after me: the word is banana.";
    const message = new HumanMessage({ content: [{ type: "text", source_type: "text", text }] as never });
    const reply = this.assertInvokeResult(await this.newModel().invoke([message]));
    assert.match(textOf(reply), /banana/i);
    this.config.assertMediaReply?.({ kind: "text", source: "text", mimeType: "text/plain", bytes: Buffer.from(text) }, reply);
  }

  async testStandardImageContentBlocks(): Promise<void> {
    for (const source of this.config.supportsStandardContentType?.image ?? []) {
      const media: MediaCase = { kind: "image", source, mimeType: "image/png", bytes: RED };
      await this.mediaReply(media, this.mediaBlock("image", source, "image/png", RED), "What colour is this image? Answer with one word.");
    }
  }

  async testStandardAudioContentBlocks(): Promise<void> {
    for (const source of this.config.supportsStandardContentType?.audio ?? []) {
      const media: MediaCase = { kind: "audio", source, mimeType: "audio/wav", bytes: WAV };
      await this.mediaReply(media, this.mediaBlock("audio", source, "audio/wav", WAV), "Describe this audio clip in one sentence.");
    }
  }

  async testStandardFileContentBlocks(): Promise<void> {
    for (const source of this.config.supportsStandardContentType?.file ?? []) {
      // A PDF as base64, a plain-text file as a data URL: both hold the same secret word.
      const [mimeType, bytes] =
        source === "dataUrl" ? (["text/plain", Buffer.from(SECRET_SENTENCE)] as const) : (["application/pdf", PDF] as const);
      const media: MediaCase = { kind: "file", source, mimeType, bytes };
      await this.mediaReply(media, this.mediaBlock("file", source, mimeType, bytes), "What is the secret word in this document?");
    }
  }

  // ------------------------------------------------------------ runner

  /** Registers the suite (or the named tests) with node:test. */
  runTests(names?: IntegrationTestName[]): void {
    const all: IntegrationTestName[] = names ?? [...INTEGRATION_TESTS, ...UNWIRED_INTEGRATION_TESTS];
    describe(this.config.label ?? `${this.className} standard integration tests`, { skip: this.config.skip || false }, () => {
      for (const name of all) {
        const reason = this.skipReason(name);
        test(name, {
          skip: reason ? skipTestMessage(name, this.className, reason) : false,
          timeout: this.config.timeout ?? 120_000,
        }, async () => {
          await this.config.beforeEachTest?.(name);
          await (this[name] as () => Promise<void>).call(this);
        });
      }
    });
  }
}

/** Registers the 25 standard integration tests and the 4 unwired ones for a chat model. */
export function runChatModelIntegrationTests<M extends BaseChatModel>(config: IntegrationConfig<M>): ChatModelIntegrationTests<M> {
  const suite = new ChatModelIntegrationTests(config);
  suite.runTests();
  return suite;
}
