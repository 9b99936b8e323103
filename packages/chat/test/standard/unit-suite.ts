// The LangChain standard unit tests (8, offline), reimplemented for node:test from their description:
// construction (plain, with an API key, streaming), bindTools, withStructuredOutput, standard LangSmith
// params, and invoke / stream with an already aborted signal.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { Runnable } from "@langchain/core/runnables";
import { adderSchema, adderTool } from "./fixtures.js";
import { skipTestMessage, type UnitConfig } from "./types.js";

/** Merged under the configured constructor args, as the LangChain unit base class does. */
export const UNIT_DEFAULT_ARGS = { temperature: 0, maxTokens: 100, timeout: 60, stopSequences: [], maxRetries: 2 };

export const UNIT_TESTS = [
  "testChatModelInit",
  "testChatModelInitApiKey",
  "testChatModelInitStreaming",
  "testChatModelWithBindTools",
  "testChatModelWithStructuredOutput",
  "testStandardParams",
  "testInvokeThrowsWithAbortedSignal",
  "testStreamReturnsEarlyWithAbortedSignal",
] as const;
export type UnitTestName = (typeof UNIT_TESTS)[number];

export class ChatModelUnitTests<M extends BaseChatModel = BaseChatModel> {
  readonly config: UnitConfig<M>;
  readonly constructorArgs: Record<string, unknown>;

  constructor(config: UnitConfig<M>) {
    this.config = config;
    this.constructorArgs = { ...UNIT_DEFAULT_ARGS, ...config.constructorArgs };
  }

  get className(): string {
    return this.config.Cls.name;
  }

  newModel(extra: Record<string, unknown> = {}): M {
    return new this.config.Cls({ ...this.constructorArgs, ...extra });
  }

  /** The LangSmith params getLsParams({}) must return: same keys; values compared where they are not undefined. */
  expectedLsParams(): Record<string, unknown> {
    if (this.config.expectedLsParams) return this.config.expectedLsParams();
    return {
      ls_provider: undefined,
      ls_model_name: undefined,
      ls_model_type: "chat",
      ls_temperature: 0,
      ls_max_tokens: 100,
      ls_stop: [],
    };
  }

  /** Why a test does not apply, or undefined when it runs. */
  skipReason(name: UnitTestName): string | undefined {
    const configured = this.config.skipTests?.[name];
    if (configured) return configured;
    if (name === "testChatModelWithBindTools" && !this.config.chatModelHasToolCalling) return "chatModelHasToolCalling is false";
    if (name === "testChatModelWithStructuredOutput" && !this.config.chatModelHasStructuredOutput)
      return "chatModelHasStructuredOutput is false";
    return undefined;
  }

  async testChatModelInit(): Promise<void> {
    const model = this.newModel();
    assert.ok(model instanceof this.config.Cls);
    assert.ok(model instanceof BaseChatModel);
    assert.equal(typeof model._llmType(), "string");
  }

  async testChatModelInitApiKey(): Promise<void> {
    const model = this.newModel({ apiKey: "test" });
    assert.ok(model instanceof this.config.Cls);
    // The key is a secret: it must not show up in the serialized constructor args.
    assert.ok(!JSON.stringify(model.toJSON()).includes('"test"'), "the API key leaked into toJSON()");
  }

  async testChatModelInitStreaming(): Promise<void> {
    const model = this.newModel({ streaming: true });
    assert.ok(model instanceof this.config.Cls);
    if ("streaming" in model) assert.equal((model as unknown as { streaming: unknown }).streaming, true);
  }

  async testChatModelWithBindTools(): Promise<void> {
    const model = this.newModel();
    assert.equal(typeof model.bindTools, "function");
    const bound = model.bindTools!([adderTool]);
    assert.ok(Runnable.isRunnable(bound), "bindTools returns a runnable");
  }

  async testChatModelWithStructuredOutput(): Promise<void> {
    const model = this.newModel();
    const structured = model.withStructuredOutput(adderSchema);
    assert.ok(Runnable.isRunnable(structured), "withStructuredOutput returns a runnable");
    const withRaw = model.withStructuredOutput(adderSchema, { includeRaw: true });
    assert.ok(Runnable.isRunnable(withRaw));
  }

  async testStandardParams(): Promise<void> {
    const model = this.newModel();
    const expected = this.expectedLsParams();
    const actual = model.getLsParams({} as never) as unknown as Record<string, unknown>;
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
    assert.equal(typeof actual.ls_provider, "string");
    assert.equal(typeof actual.ls_model_name, "string");
    assert.equal(actual.ls_model_type, "chat");
    for (const [key, value] of Object.entries(expected)) {
      if (value !== undefined) assert.deepEqual(actual[key], value, key);
    }
  }

  async testInvokeThrowsWithAbortedSignal(): Promise<void> {
    const model = this.newModel();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(model.invoke("Hello", { signal: controller.signal }));
  }

  async testStreamReturnsEarlyWithAbortedSignal(): Promise<void> {
    const model = this.newModel();
    const controller = new AbortController();
    controller.abort();
    let chunks = 0;
    let threw = false;
    try {
      for await (const _ of await model.stream("Hello", { signal: controller.signal })) chunks++;
    } catch {
      threw = true;
    }
    assert.ok(threw || chunks === 0, `the stream yielded ${chunks} chunks after the signal was aborted`);
  }

  /** Registers the suite (or one test) with node:test. */
  runTests(name?: UnitTestName): void {
    const names = name ? [name] : UNIT_TESTS;
    describe(this.config.label ?? `${this.className} standard unit tests`, { skip: this.config.skip || false }, () => {
      for (const testName of names) {
        const reason = this.skipReason(testName);
        test(testName, { skip: reason ? skipTestMessage(testName, this.className, reason) : false }, async () => {
          await (this[testName] as () => Promise<void>).call(this);
        });
      }
    });
  }
}

/** Registers the 8 standard unit tests for a chat model. */
export function runChatModelUnitTests<M extends BaseChatModel>(config: UnitConfig<M>): ChatModelUnitTests<M> {
  const suite = new ChatModelUnitTests(config);
  suite.runTests();
  return suite;
}
