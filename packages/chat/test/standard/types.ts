// The hook surface of the standard suites, after LangChain.js's internal standard tests: a model
// class and its constructor args, capability flags, supported standard content types, usage detail
// kinds with their invoke hooks, expected LangSmith params and per-test skips with reasons.
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { AIMessage } from "@langchain/core/messages";

/** Where a standard media block's bytes come from. */
export type MediaSource = "url" | "dataUrl" | "base64" | "id";

export interface StandardContentSupport {
  text?: boolean;
  image?: MediaSource[];
  audio?: MediaSource[];
  file?: MediaSource[];
}

export type UsageDetailKind = "audio_input" | "audio_output" | "reasoning_output" | "cache_read_input" | "cache_creation_input";

export interface UsageDetailSupport {
  invoke: UsageDetailKind[];
  stream: UsageDetailKind[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ChatModelConstructor<M extends BaseChatModel = BaseChatModel> = new (fields: any) => M;

/** Fields shared by the unit and integration suites. */
export interface ChatModelSuiteConfig<M extends BaseChatModel = BaseChatModel> {
  /** The chat model class under test. */
  Cls: ChatModelConstructor<M>;
  /** Arguments for `new Cls(...)`. */
  constructorArgs: Record<string, unknown>;
  chatModelHasToolCalling: boolean;
  chatModelHasStructuredOutput: boolean;
  /** Which standard content blocks (and, for media, which sources) the model takes. */
  supportsStandardContentType?: StandardContentSupport;
  /** Label of the node:test suite (default: the class name). */
  label?: string;
  /** Skips the whole suite with this message (e.g. no credentials). */
  skip?: string | false;
  /** Per-test skips: test name → reason. */
  skipTests?: Record<string, string>;
}

/** Input and expectations handed to {@link IntegrationConfig.assertMediaReply}. */
export interface MediaCase {
  kind: "text" | "image" | "audio" | "file";
  source: MediaSource | "text";
  mimeType: string;
  bytes: Uint8Array;
}

export interface IntegrationConfig<M extends BaseChatModel = BaseChatModel> extends ChatModelSuiteConfig<M> {
  /** The class of invoke results (default AIMessage). */
  invokeResponseType?: new (
    ...args: never[]
  ) => AIMessage;
  /** The tool call id used in hand-written histories (default "abc123"). */
  functionId?: string;
  supportsParallelToolCalls?: boolean;
  /** Detail kinds the model reports; each needs its hook below. */
  supportedUsageMetadataDetails?: UsageDetailSupport;
  invokeWithAudioInput?: (stream: boolean) => Promise<AIMessage>;
  invokeWithAudioOutput?: (stream: boolean) => Promise<AIMessage>;
  invokeWithReasoningOutput?: (stream: boolean) => Promise<AIMessage>;
  invokeWithCacheReadInput?: (stream: boolean) => Promise<AIMessage>;
  invokeWithCacheCreationInput?: (stream: boolean) => Promise<AIMessage>;
  /**
   * Extra checks on the reply to a media input, proving the model saw it (the suite itself checks
   * for a non-empty reply). The emulator's model names the block's format and size; a real model
   * can name the red image's colour or the document's secret word.
   */
  assertMediaReply?: (media: MediaCase, reply: AIMessage) => void;
  /** Reachable URLs for media sources declared as "url". */
  mediaUrls?: Partial<Record<"image" | "audio" | "file", string>>;
  /** Provider file ids for media sources declared as "id". */
  mediaIds?: Partial<Record<"image" | "audio" | "file", string>>;
  /** Called before each test (reset an emulator, script a reply). */
  beforeEachTest?: (testName: string) => void | Promise<void>;
  /** Per-test timeout in ms (default 120000). */
  timeout?: number;
}

export interface UnitConfig<M extends BaseChatModel = BaseChatModel> extends ChatModelSuiteConfig<M> {
  /** The keys `getLsParams({})` must return (default: provider, model name and type, temperature, max tokens, stop). */
  expectedLsParams?: () => Record<string, unknown>;
}

/** The skip idiom: the message node:test prints for a skipped test. */
export function skipTestMessage(testName: string, className: string, reason: string): string {
  return `${testName} skipped for ${className}: ${reason}`;
}
