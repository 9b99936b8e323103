// What the LangChain standard suite lacks and Bedrock users need: extended thinking with tools across
// turns (invoke and stream), prompt-cache usage details, reasoning usage, document input with
// citations, guardrail intervention, and the seed's documented examples one by one.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import type { Emulator } from "bedrock-runtime-emulator";
import { ChatBedrockConverse, type ChatBedrockConverseInput } from "langchain-bedrock-converse";
import { solidPng, textOf, textPdf, weatherTool } from "./fixtures.js";
import { collect, onlyToolCall } from "./integration-suite.js";

export interface BedrockExtrasConfig {
  label?: string;
  skip?: string | false;
  /** Args of the model under test. */
  constructorArgs: ChatBedrockConverseInput;
  /** Args of a model that can reason (extended thinking). */
  thinkingArgs: ChatBedrockConverseInput;
  /** Guardrail settings and a prompt the guardrail blocks; the guardrail tests skip without them. */
  guardrail?: { guardrailConfig: NonNullable<ChatBedrockConverseInput["guardrailConfig"]>; blockedPrompt: string };
  /** Set when running against the emulator: its request log gives exact wire checks, its script the translations. */
  emulator?: Emulator;
  /** Test names to skip, with reasons. */
  skipTests?: Record<string, string>;
  timeout?: number;
}

const THINKING = { thinking: { type: "enabled", budget_tokens: 1024 } };
const SECRET = "The secret word is pineapple.";

/** The emulator's documented tokenizer (README "Tokenizer"): letters per 5, digits per 3, other characters 1 each. */
export function emulatorTokens(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/\p{L}+|\p{N}+|[^\s\p{L}\p{N}]/gu)) {
    const len = Array.from(m[0]).length;
    n += /^\p{L}/u.test(m[0]) ? Math.ceil(len / 5) : /^\p{N}/u.test(m[0]) ? Math.ceil(len / 3) : len;
  }
  return n;
}

type Block = Record<string, any>;

function reasoningOf(message: { content: unknown }): { text: string; signature: string } {
  const blocks = message.content as Block[];
  assert.ok(Array.isArray(blocks), "list content");
  const first = blocks[0];
  assert.equal(first?.type, "reasoning_content", `the reply starts with reasoning: ${JSON.stringify(blocks).slice(0, 300)}`);
  const { text, signature } = first.reasoning_content;
  assert.equal(typeof text, "string");
  assert.ok(text.length > 0, "the reasoning has text");
  assert.equal(typeof signature, "string");
  assert.ok(signature.length > 0, "the reasoning is signed");
  return { text, signature };
}

function inputDetails(message: AIMessage): Record<string, number> {
  return (message.usage_metadata?.input_token_details ?? {}) as Record<string, number>;
}

function cacheWrites(details: Record<string, number>): number {
  let n = details.cache_creation ?? 0;
  for (const [k, v] of Object.entries(details)) if (k.startsWith("ephemeral_")) n += v;
  return n;
}

export class BedrockExtraTests {
  readonly config: BedrockExtrasConfig;
  constructor(config: BedrockExtrasConfig) {
    this.config = config;
  }

  model(extra: ChatBedrockConverseInput = {}): ChatBedrockConverse {
    return new ChatBedrockConverse({ ...this.config.constructorArgs, ...extra });
  }

  thinker(extra: ChatBedrockConverseInput = {}): ChatBedrockConverse {
    return new ChatBedrockConverse({ ...this.config.thinkingArgs, additionalModelRequestFields: THINKING, ...extra });
  }

  /** The last Converse / ConverseStream body the emulator received. */
  lastBody(): Record<string, any> {
    const reqs = this.config.emulator!.requests().filter((r) => r.operation === "converse" || r.operation === "converse-stream");
    assert.ok(reqs.length > 0);
    return reqs[reqs.length - 1].body as Record<string, any>;
  }

  scriptTranslation(times: number): void {
    this.config.emulator?.setScript(
      Array.from({ length: times }, () => ({
        match: "I love programming.",
        output: { message: { role: "assistant" as const, content: [{ text: "J'aime la programmation." }] } },
        stopReason: "end_turn",
        usage: { inputTokens: 25, outputTokens: 11, totalTokens: 36 },
        chunkSize: 1,
      })),
    );
  }

  // ------------------------------------------------------------ thinking with tools

  async thinkingWithToolsAcrossTurns(stream: boolean): Promise<void> {
    const llm = this.thinker().bindTools([weatherTool]);
    const question = new HumanMessage("What is the weather in Paris? Use the get_current_weather tool.");
    const first = stream ? ((await collect(await llm.stream([question]))).full as unknown as AIMessage) : await llm.invoke([question]);
    const reasoning = reasoningOf(first);
    const call = onlyToolCall(first, "get_current_weather");
    assert.match(String(call.args.location), /Paris/);
    const result: unknown = await weatherTool.invoke(call as never);
    assert.ok(result instanceof ToolMessage, "invoking the tool with the call gives a ToolMessage");
    const history: BaseMessage[] = [question, first, result];
    const final = stream ? ((await collect(await llm.stream(history))).full as unknown as AIMessage) : await llm.invoke(history);
    assert.deepEqual(final.tool_calls ?? [], []);
    assert.match(textOf(final), /sunny|70/i, "the answer uses the tool result");
    if (this.config.emulator) {
      // The signed reasoning went back byte-exact, before the tool call, in the assistant turn.
      const assistant = this.lastBody().messages[1];
      assert.equal(assistant.role, "assistant");
      assert.deepEqual(assistant.content[0], {
        reasoningContent: { reasoningText: { text: reasoning.text, signature: reasoning.signature } },
      });
      assert.equal(assistant.content[assistant.content.length - 1].toolUse.toolUseId, call.id);
      assert.match(textOf(final), /^Based on the tool results: get_current_weather returned "It is 70 degrees and sunny in Paris\."/m);
    }
  }

  // ------------------------------------------------------------ usage

  async cacheUsageDetails(stream: boolean): Promise<void> {
    const system = [
      `${randomUUID()} ${"You answer questions about travel, weather and hotels in a friendly tone. ".repeat(250)}`,
      { cachePoint: { type: "default" } },
    ];
    const llm = this.model({ system });
    const concatenated: Array<Record<string, number>> = [];
    const run = async () => {
      if (!stream) return llm.invoke("Hello, what can you do?");
      const { full, chunks } = await collect(await llm.stream("Hello, what can you do?"));
      concatenated.push(inputDetails(full as unknown as AIMessage));
      // Per-TTL writes are on the metadata chunk; core's concatenation keeps only cache_read / cache_creation.
      const usage = chunks.find((c) => c.usage_metadata !== undefined)?.usage_metadata;
      return Object.assign(full, { usage_metadata: usage }) as unknown as AIMessage;
    };
    const write = await run();
    const read = await run();
    const w = inputDetails(write);
    const r = inputDetails(read);
    const written = cacheWrites(w);
    assert.equal(w.cache_read, 0, `first call reads nothing: ${JSON.stringify(w)}`);
    assert.ok(written > 0, `first call writes the prefix: ${JSON.stringify(w)}`);
    assert.equal(r.cache_read, written, `second call reads what the first wrote: ${JSON.stringify(r)}`);
    assert.equal(cacheWrites(r), 0, "second call writes nothing");
    assert.equal(write.usage_metadata!.input_tokens, read.usage_metadata!.input_tokens, "input_tokens counts cached tokens too");
    for (const m of [write, read])
      assert.equal(m.usage_metadata!.total_tokens, m.usage_metadata!.input_tokens + m.usage_metadata!.output_tokens);
    if (this.config.emulator) {
      // The emulator writes with cacheDetails [{ttl: "5m", inputTokens}]: reported per TTL, as Python does.
      assert.deepEqual(w, { cache_read: 0, cache_creation: 0, ephemeral_5m_input_tokens: written });
      assert.deepEqual(r, { cache_read: written, cache_creation: 0 });
      if (stream)
        assert.deepEqual(concatenated, [
          { cache_read: 0, cache_creation: 0 },
          { cache_read: written, cache_creation: 0 },
        ]);
      const usage = this.config.emulator.requests().filter((q) => q.operation === "converse" || q.operation === "converse-stream");
      assert.equal(usage.length, 2);
    }
  }

  async reasoningUsage(): Promise<void> {
    const prompt = "What is the cube root of 50.653?";
    const plain = await this.model({ model: this.config.thinkingArgs.model, maxTokens: this.config.thinkingArgs.maxTokens }).invoke(prompt);
    const thought = await this.thinker().invoke(prompt);
    const { text } = reasoningOf(thought);
    const usage = thought.usage_metadata!;
    assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
    // Bedrock reports no separate reasoning count: the reasoning is inside output_tokens, and no detail is invented.
    assert.equal((usage.output_token_details as Record<string, unknown> | undefined)?.reasoning, undefined);
    if (this.config.emulator) {
      assert.equal(textOf(thought), textOf(plain), "thinking does not change the emulator's answer");
      assert.equal(
        usage.output_tokens,
        plain.usage_metadata!.output_tokens + emulatorTokens(text),
        "output_tokens = answer + reasoning tokens",
      );
    } else {
      // A rough floor: the reasoning alone is at least half as many tokens as the emulator's tokenizer counts.
      assert.ok(usage.output_tokens >= Math.floor(emulatorTokens(text) / 2), "output_tokens include the reasoning");
    }
  }

  // ------------------------------------------------------------ documents and guardrails

  async documentInput(): Promise<void> {
    const pdf = textPdf(SECRET);
    const message = new HumanMessage({
      content: [
        { type: "file", mimeType: "application/pdf", data: pdf.toString("base64"), name: "secret-note" },
        { type: "text", text: "What is the secret word in this document?" },
      ] as never,
    });
    const reply = await this.model().invoke([message]);
    if (this.config.emulator) {
      assert.deepEqual(this.lastBody().messages[0].content[0].document.format, "pdf");
      assert.equal(this.lastBody().messages[0].content[0].document.name, "secret-note");
      assert.equal(
        textOf(reply),
        `I see a document "secret-note" (pdf, ${pdf.length} bytes). You said: What is the secret word in this document?`,
      );
    } else {
      assert.match(textOf(reply), /pineapple/i);
    }
  }

  async documentCitations(): Promise<void> {
    const text = `Bedrock hosts many models. ${SECRET} Nothing else matters here.`;
    const message = new HumanMessage({
      content: [
        { type: "file", mimeType: "text/plain", data: Buffer.from(text).toString("base64"), name: "notes", citations: { enabled: true } },
        { type: "text", text: "What is the secret word? Cite the document." },
      ] as never,
    });
    const reply = await this.model().invoke([message]);
    const cited = (reply.content as Block[]).filter((b) => Array.isArray(b.citations) && b.citations.length > 0);
    assert.ok(cited.length >= 1, `a text block carries citations: ${JSON.stringify(reply.content).slice(0, 400)}`);
    const citation = cited[0].citations[0];
    const quoted = JSON.stringify(citation.source_content ?? citation.sourceContent ?? citation);
    assert.match(quoted, /pineapple/i, "the citation quotes the sentence with the answer");
    if (this.config.emulator) {
      const start = text.indexOf(SECRET);
      assert.equal(cited[0].text, SECRET);
      assert.deepEqual(citation.location, { document_char: { document_index: 0, start, end: start + SECRET.length } });
      assert.equal(citation.title, "notes");
    }
  }

  async guardrailIntervention(stream: boolean): Promise<void> {
    const { guardrailConfig, blockedPrompt } = this.config.guardrail!;
    const llm = this.model({ guardrailConfig });
    const reply = stream
      ? ((await collect(await llm.stream(blockedPrompt))).full as unknown as AIMessage)
      : await llm.invoke(blockedPrompt);
    const md = reply.response_metadata as Record<string, any>;
    assert.equal(md.stopReason, "guardrail_intervened");
    assert.ok(textOf(reply).length > 0, "the guardrail's blocked message is the reply");
    if (!stream) assert.ok(md.trace?.guardrail, "trace: enabled returns the guardrail assessment");
    if (this.config.emulator) {
      assert.equal(textOf(reply), "Sorry, the model cannot answer this question.");
      assert.ok(JSON.stringify(md.trace ?? this.lastBody()).length > 0);
    }
    // The same guardrail lets a harmless prompt through.
    const ok = await llm.invoke("Hello, how are you?");
    assert.equal((ok.response_metadata as Record<string, unknown>).stopReason, "end_turn");
  }

  // ------------------------------------------------------------ the seed's examples

  translateMessages: [string, string][] = [
    ["system", "You are a helpful translator. Translate the user sentence to French."],
    ["human", "I love programming."],
  ];

  async seedTranslationInvoke(): Promise<void> {
    this.scriptTranslation(1);
    const msg = await this.model().invoke(this.translateMessages);
    assert.ok(msg instanceof AIMessage);
    assert.equal((msg.content as Block[])[0].type, "text");
    assert.match(textOf(msg), /programmation/i);
    assert.equal(msg.response_metadata.stopReason, "end_turn");
    if (this.config.emulator) assert.deepEqual(msg.content, [{ type: "text", text: "J'aime la programmation." }]);
  }

  async seedTranslationStream(): Promise<void> {
    this.scriptTranslation(1);
    const { chunks, full } = await collect(await this.model().stream(this.translateMessages));
    assert.deepEqual(chunks[0].content, [], "the stream opens with an empty chunk (messageStart)");
    const texts = chunks.filter((c) => Array.isArray(c.content) && (c.content as Block[]).some((b) => b.type === "text"));
    assert.ok(texts.length >= (this.config.emulator ? 2 : 1), "the text arrives in deltas (several, with the emulator's one-word chunks)");
    assert.equal(chunks.filter((c) => c.response_metadata?.stopReason !== undefined).length, 1);
    assert.ok(chunks[chunks.length - 1].usage_metadata, "usage comes last");
    assert.match(textOf(full), /programmation/i);
  }

  async seedTranslationConcat(): Promise<void> {
    this.scriptTranslation(2);
    const llm = this.model();
    const invoked = await llm.invoke(this.translateMessages);
    const { full } = await collect(await llm.stream(this.translateMessages));
    assert.match(textOf(full), /programmation/i);
    assert.equal(full.response_metadata.stopReason, "end_turn");
    const { input_tokens, output_tokens, total_tokens } = full.usage_metadata!;
    assert.equal(total_tokens, input_tokens + output_tokens);
    if (this.config.emulator) {
      assert.equal(textOf(full), textOf(invoked));
      assert.deepEqual({ input_tokens, output_tokens, total_tokens }, invoked.usage_metadata);
    }
  }

  async seedToolCallingLaNy(): Promise<void> {
    const schema = z.object({ location: z.string().describe("The city and state, e.g. San Francisco, CA") });
    const GetWeather = tool(async ({ location }) => `It is sunny in ${location}.`, {
      name: "GetWeather",
      description: "Get the current weather in a given location",
      schema,
    });
    const GetPopulation = tool(async ({ location }) => `${location} has many people.`, {
      name: "GetPopulation",
      description: "Get the current population in a given location",
      schema,
    });
    const msg = await this.model()
      .bindTools([GetWeather, GetPopulation])
      .invoke("Which city is hotter today and which is bigger: LA or NY?");
    const calls = msg.tool_calls ?? [];
    assert.equal(calls.length, 4, JSON.stringify(calls));
    const pairs = calls
      .map(
        (c) =>
          `${c.name}:${/los angeles|\bLA\b/i.test(String(c.args.location)) ? "LA" : /new york|\bNY\b/i.test(String(c.args.location)) ? "NY" : c.args.location}`,
      )
      .sort();
    assert.deepEqual(pairs, ["GetPopulation:LA", "GetPopulation:NY", "GetWeather:LA", "GetWeather:NY"]);
    assert.equal(new Set(calls.map((c) => c.id)).size, 4, "distinct tool call ids");
    if (this.config.emulator) {
      assert.deepEqual(
        calls.map((c) => [c.name, c.args]),
        [
          ["GetWeather", { location: "Los Angeles, CA" }],
          ["GetWeather", { location: "New York, NY" }],
          ["GetPopulation", { location: "Los Angeles, CA" }],
          ["GetPopulation", { location: "New York, NY" }],
        ],
      );
    }
  }

  async seedJoke(method: "functionCalling" | "jsonSchema"): Promise<void> {
    const Joke = z
      .object({
        setup: z.string().describe("The setup of the joke"),
        punchline: z.string().describe("The punchline to the joke"),
        rating: z.number().int().optional().describe("How funny the joke is, from 1 to 10"),
      })
      .describe("Joke to tell user.");
    const joke = await this.model().withStructuredOutput(Joke, { name: "Joke", method }).invoke("Tell me a joke about cats");
    assert.ok(Joke.safeParse(joke).success, JSON.stringify(joke));
    assert.ok(joke.setup.length > 0 && joke.punchline.length > 0);
    assert.match(`${joke.setup} ${joke.punchline}`, /cat/i, "the joke is about cats");
    if (this.config.emulator) {
      const body = this.lastBody();
      if (method === "functionCalling") assert.deepEqual(body.toolConfig.toolChoice, { tool: { name: "Joke" } });
      else assert.equal(body.outputConfig.textFormat.type, "json_schema");
    }
  }

  async seedExtendedThinking(): Promise<void> {
    const msg = await this.thinker().invoke("What is the cube root of 50.653?");
    reasoningOf(msg);
    const blocks = msg.content as Block[];
    assert.equal(blocks[blocks.length - 1].type, "text");
    if (this.config.emulator) {
      assert.equal(this.lastBody().additionalModelRequestFields.thinking.budget_tokens, 1024);
      assert.equal(textOf(msg), "You said: What is the cube root of 50.653?");
    } else {
      assert.match(textOf(msg), /3\.7/);
    }
  }

  async seedImageInput(): Promise<void> {
    const path = new URL("../../../../examples/assets/sunny-sky.png", import.meta.url);
    let png: Buffer;
    try {
      png = readFileSync(path);
    } catch {
      png = solidPng([120, 180, 250]);
    }
    const msg = await this.model().invoke([
      new HumanMessage({
        content: [
          { type: "text", text: "describe the weather in this image" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: png.toString("base64") } },
        ] as never,
      }),
    ]);
    if (this.config.emulator) {
      assert.equal(textOf(msg), `I see an image (png, ${png.length} bytes). You said: describe the weather in this image`);
      assert.deepEqual(Object.keys(this.lastBody().messages[0].content[1].image), ["format", "source"]);
    } else {
      assert.match(textOf(msg), /sun|sky|clear|blue|cloud/i);
    }
  }

  async seedTokenUsage(): Promise<void> {
    this.scriptTranslation(1);
    const msg = await this.model().invoke(this.translateMessages);
    const u = msg.usage_metadata!;
    assert.ok(u.input_tokens > 0 && u.output_tokens > 0);
    assert.equal(u.total_tokens, u.input_tokens + u.output_tokens);
    if (this.config.emulator) assert.deepEqual(u, { input_tokens: 25, output_tokens: 11, total_tokens: 36 });
  }

  async seedResponseMetadata(): Promise<void> {
    this.scriptTranslation(1);
    const llm = this.model();
    const msg = await llm.invoke(this.translateMessages);
    const md = msg.response_metadata as Record<string, any>;
    assert.match(md.ResponseMetadata.RequestId, /^[0-9a-f-]{36}$/);
    // The seed shows id='run-…': LangChain's per-reply id; the request id is metadata only.
    assert.match(msg.id!, /^run-[0-9a-f-]{36}$/);
    assert.equal(md.ResponseMetadata.HTTPStatusCode, 200);
    assert.equal(md.ResponseMetadata.HTTPHeaders["x-amzn-requestid"], md.ResponseMetadata.RequestId);
    assert.equal(md.stopReason, "end_turn");
    assert.equal(typeof md.metrics.latencyMs, "number");
    assert.equal(md.model, llm.baseModelId ?? llm.modelId);
    assert.equal(md.model_name, md.model);
    assert.equal(md.model_provider, "bedrock-converse");
  }

  tests(): Array<[string, () => Promise<void>]> {
    return [
      ["thinking with tools across turns (invoke)", () => this.thinkingWithToolsAcrossTurns(false)],
      ["thinking with tools across turns (stream)", () => this.thinkingWithToolsAcrossTurns(true)],
      ["cache usage details: cache_read and cache_creation (invoke)", () => this.cacheUsageDetails(false)],
      ["cache usage details: cache_read and cache_creation (stream)", () => this.cacheUsageDetails(true)],
      ["reasoning usage", () => this.reasoningUsage()],
      ["document input (PDF)", () => this.documentInput()],
      ["document citations", () => this.documentCitations()],
      ["guardrail intervention (invoke)", () => this.guardrailIntervention(false)],
      ["guardrail intervention (stream)", () => this.guardrailIntervention(true)],
      ["seed: translation invoke", () => this.seedTranslationInvoke()],
      ["seed: translation stream", () => this.seedTranslationStream()],
      ["seed: translation stream concatenated", () => this.seedTranslationConcat()],
      ["seed: tool calling, LA or NY, four calls", () => this.seedToolCallingLaNy()],
      ["seed: Joke structured output (functionCalling)", () => this.seedJoke("functionCalling")],
      ["seed: Joke structured output (jsonSchema)", () => this.seedJoke("jsonSchema")],
      ["seed: extended thinking", () => this.seedExtendedThinking()],
      ["seed: image input", () => this.seedImageInput()],
      ["seed: token usage", () => this.seedTokenUsage()],
      ["seed: response metadata", () => this.seedResponseMetadata()],
    ];
  }

  skipReason(name: string): string | undefined {
    if (this.config.skipTests?.[name]) return this.config.skipTests[name];
    if (name.startsWith("guardrail") && !this.config.guardrail)
      return "no guardrail configured (set BEDROCK_TEST_GUARDRAIL_ID and BEDROCK_TEST_GUARDRAIL_PROMPT)";
    return undefined;
  }

  runTests(): void {
    describe(this.config.label ?? "Bedrock additions", { skip: this.config.skip || false }, () => {
      for (const [name, fn] of this.tests()) {
        const reason = this.skipReason(name);
        test(name, { skip: reason ? `${name} skipped: ${reason}` : false, timeout: this.config.timeout ?? 120_000 }, async () => {
          this.config.emulator?.reset();
          await fn();
        });
      }
    });
  }
}

export function runBedrockExtraTests(config: BedrockExtrasConfig): BedrockExtraTests {
  const suite = new BedrockExtraTests(config);
  suite.runTests();
  return suite;
}
