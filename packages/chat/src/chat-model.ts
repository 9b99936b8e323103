// ChatBedrockConverse: Amazon Bedrock's Converse API as a LangChain.js chat model.
// This class wires the parts together and mirrors @langchain/core's run machinery; each concern
// lives in its own module: constructor args in init-args.ts and options.ts, request settings in
// settings.ts, the runtime and control clients in client.ts, requests (Converse and CountTokens) in
// request.ts, a started stream in stream-call.ts, conversions in convert/, tools in tools.ts,
// structured output in structured.ts, per-family rules in capabilities.ts, errors in errors.ts,
// warnings in warnings.ts, what callbacks see in run-reporting.ts.
import { ConverseCommand, CountTokensCommand, type BedrockRuntimeClient, type Message, type Tool } from "@aws-sdk/client-bedrock-runtime";
import { CallbackManager, type CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import { BaseChatModel, type BindToolsInput, type LangSmithParams } from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk, coerceMessageLikeToMessage, type BaseMessage, type BaseMessageLike } from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import { ensureConfig, pickRunnableConfigKeys, type Runnable, type RunnableConfig } from "@langchain/core/runnables";
import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import type { SerializableSchema } from "@langchain/core/utils/standard_schema";
import type { IterableReadableStream } from "@langchain/core/utils/stream";
import type { ZodV3Like, ZodV4Like } from "@langchain/core/utils/types";
import {
  baseModelFromInferenceProfileArn,
  defaultToolChoice,
  disableStreamingDecision,
  inferBaseModelId,
  inferProvider,
  isApplicationInferenceProfile,
  isThinkingEnabled,
  supportedToolChoiceValues,
  supportsCountTokens,
  type DisableStreaming,
  type ToolChoiceValue,
} from "./capabilities.js";
import {
  createControlClient,
  createRuntimeClient,
  installMiddleware,
  resolveClientSettings,
  responseHeadersOf,
  secretsToRedact,
  type ClientSettings,
  type ControlClient,
} from "./client.js";
import { convertMessagesToConverse } from "./convert/messages.js";
import { applyFamilyLimits } from "./convert/family-limits.js";
import { converseResponseToMessage, type ResponseContext } from "./convert/response.js";
import { ConverseStreamConverter } from "./convert/stream.js";
import { ReplyAccumulator } from "./convert/reply-accumulator.js";
import { DirectStream } from "./direct-stream.js";
import { formatMessagesForTracing, messageIdFor, tokenUsageOutput } from "./run-reporting.js";
import { BedrockConfigError, BedrockConverseError, redactSecrets, toBedrockError } from "./errors.js";
import { createCachePoint, type CachePointBlock } from "./convert/cache-points.js";
import { contentText } from "./convert/content-text.js";
import { converseStream } from "./stream-call.js";
import { warnOnce } from "./warnings.js";
import { UNSERIALIZABLE_ARGS, normalizeInitArgs, serializableKwargs, type ChatBedrockConverseArgs } from "./init-args.js";
import {
  buildExtra,
  firstDefined,
  isKnownInitArg,
  type CacheControl,
  type ChatBedrockConverseCallOptions,
  type ChatBedrockConverseInput,
  type GuardrailConfigInput,
} from "./options.js";
import { buildConverseRequest, buildCountTokensRequest } from "./request.js";
import { exposeSettings, resolveRequestSettings, type RequestSettings } from "./settings.js";
import { structuredOutputRunnable, type StructuredOutputOptions, type StructuredOutputWithRaw } from "./structured.js";
import { formatToolsForBedrock, hasOnlySystemTools, hasSystemTools, resolveToolChoice } from "./tools.js";

const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 60_000;
/** Call-option key set by `_streamChatModelEvents`: core assigns the reply's id on that path. */
const KEEP_ID_UNSET = Symbol("bedrock-converse.keepIdUnset");
/** Where a model keeps its request settings (see settings.ts). */
const SETTINGS = Symbol("bedrock-converse.settings");

/**
 * The run-start hooks `startRun` mirrors (`getLsParamsWithDefaults`, `_getInvocationParamsForTracing`,
 * `_filterInvocationParamsForTracing`, `_getCallOptionsForTracing`) came with @langchain/core 1.2; an
 * older core streams through its own `_streamIterator`, so observers see that core's run exactly.
 */
// biome-ignore lint/suspicious/noExplicitAny: the withStructuredOutput overloads must match @langchain/core's, which use Record<string, any>.
type AnyRecord = Record<string, any>;

function coreHasTracingHooks(model: object): boolean {
  const m = model as Record<string, unknown>;
  return [
    "getLsParamsWithDefaults",
    "_getInvocationParamsForTracing",
    "_filterInvocationParamsForTracing",
    "_getCallOptionsForTracing",
  ].every((name) => typeof m[name] === "function");
}

export class ChatBedrockConverse extends BaseChatModel<ChatBedrockConverseCallOptions, AIMessageChunk> {
  static override lc_name(): string {
    return "ChatBedrockConverse";
  }

  override lc_serializable = true;
  override lc_namespace = ["langchain", "chat_models", "bedrock_converse"];

  override get lc_secrets(): Record<string, string> {
    return {
      awsAccessKeyId: "AWS_ACCESS_KEY_ID",
      awsSecretAccessKey: "AWS_SECRET_ACCESS_KEY",
      awsSessionToken: "AWS_SESSION_TOKEN",
      bedrockApiKey: "AWS_BEARER_TOKEN_BEDROCK",
      apiKey: "AWS_BEARER_TOKEN_BEDROCK",
    };
  }

  override get lc_aliases(): Record<string, string> {
    return { modelId: "model_id", regionName: "region_name", baseModelId: "base_model_id" };
  }

  /** The id sent on the wire: a model id, an inference profile id, or an ARN. */
  modelId: string;
  /** Alias of modelId. */
  get model(): string {
    return this.modelId;
  }
  /** The model behind the id, used for capability detection and `model_name`. */
  baseModelId?: string;
  provider: string;
  regionName?: string;
  /** Alias of regionName. */
  get region(): string | undefined {
    return this.regionName;
  }
  endpointUrl?: string;
  credentialsProfileName?: string;
  supportsToolChoiceValues: ToolChoiceValue[];
  // The request settings: accessors of one object (settings.ts), which requests read as it is.
  declare temperature?: number;
  declare maxTokens?: number;
  declare topP?: number;
  declare stopSequences?: string[];
  declare system?: RequestSettings["system"];
  declare guardrailConfig?: GuardrailConfigInput;
  declare additionalModelRequestFields?: Record<string, unknown>;
  declare additionalModelResponseFieldPaths?: string[];
  declare performanceConfig?: RequestSettings["performanceConfig"];
  declare serviceTier?: RequestSettings["serviceTier"];
  declare outputConfig?: RequestSettings["outputConfig"];
  declare requestMetadata?: Record<string, string>;
  declare guardLastTurnOnly: boolean;
  declare rawBlocks?: Message[];
  declare reasoningEffort?: RequestSettings["reasoningEffort"];
  [SETTINGS]: RequestSettings;
  streaming: boolean;
  streamIdleTimeout: number;
  timeout?: number;
  maxRetries?: number;
  defaultHeaders?: Record<string, string>;
  /** Python's disable_streaming, including "tool_calling". */
  disableStreamingMode: DisableStreaming;
  /** Set for application inference profiles once resolved. */
  inferenceProfileId?: string;
  /** The runtime client (yours, or one built from the args above). */
  client: BedrockRuntimeClient;
  bedrockClient?: unknown;

  #clientSettings: ClientSettings;
  #userSetDisableStreaming: boolean;
  #userSetToolChoiceValues: boolean;
  #resolving?: Promise<void>;

  constructor(model: string, fields?: ChatBedrockConverseArgs);
  constructor(fields?: ChatBedrockConverseArgs);
  constructor(modelOrFields?: string | ChatBedrockConverseArgs, maybeFields?: ChatBedrockConverseArgs) {
    const given: ChatBedrockConverseArgs =
      typeof modelOrFields === "string" ? { ...(maybeFields ?? {}), model: modelOrFields } : { ...(modelOrFields ?? {}) };
    // Python's snake_case names → ours; an unknown arg that looks like a credential is refused here,
    // before anything (lc_kwargs, build_extra) can keep or send it.
    const fields = normalizeInitArgs(given as Record<string, unknown>, isKnownInitArg, warnOnce) as ChatBedrockConverseInput;
    super(fields);
    this.lc_kwargs = serializableKwargs(fields);

    const modelId = firstDefined(fields.model, fields.modelId);
    if (!modelId)
      throw new BedrockConfigError(
        'Either model or modelId must be specified, e.g. new ChatBedrockConverse({ model: "anthropic.claude-3-5-haiku-20241022-v1:0" }).',
      );
    this.modelId = modelId;
    this[SETTINGS] = resolveRequestSettings(fields, buildExtra(fields as Record<string, unknown>, warnOnce));

    this.provider = inferProvider(modelId, fields.provider);
    const explicitBase = firstDefined(fields.baseModelId, fields.baseModel);
    this.baseModelId = isApplicationInferenceProfile(modelId) && !explicitBase ? undefined : inferBaseModelId(modelId, explicitBase);
    this.#clientSettings = resolveClientSettings(fields, process.env, warnOnce);
    this.regionName = this.#clientSettings.region;
    this.endpointUrl = this.#clientSettings.endpointUrl;
    this.credentialsProfileName = fields.credentialsProfileName;
    this.streaming = fields.streaming ?? false;
    // Never below the per-attempt inactivity limit: a `timeout` of 120 s allows 120 s of silence in a stream too.
    this.streamIdleTimeout =
      fields.streamIdleTimeout ?? Math.max(DEFAULT_STREAM_IDLE_TIMEOUT_MS, typeof fields.timeout === "number" ? fields.timeout : 0);
    this.timeout = fields.timeout;
    this.maxRetries = fields.maxRetries;
    this.defaultHeaders = fields.defaultHeaders;
    this.bedrockClient = fields.bedrockClient;
    if (this.guardLastTurnOnly && !this.guardrailConfig) {
      throw new BedrockConfigError(
        "guardLastTurnOnly requires guardrailConfig: pass guardrailConfig: { guardrailIdentifier, guardrailVersion }.",
      );
    }

    if (fields.client) {
      this.client = fields.client;
      installMiddleware(this.client, fields.defaultHeaders);
    } else {
      this.client = createRuntimeClient(this.#clientSettings);
    }

    this.#userSetDisableStreaming = fields.disableStreaming !== undefined;
    this.#userSetToolChoiceValues = fields.supportsToolChoiceValues !== undefined;
    this.supportsToolChoiceValues = fields.supportsToolChoiceValues ?? [];
    this.disableStreamingMode = fields.disableStreaming ?? false;
    this.refreshCapabilities();
  }

  /** Recompute the per-family defaults that depend on the base model (after AIP resolution too). */
  private refreshCapabilities(): void {
    const base = this.baseModelId ?? this.modelId;
    if (!this.#userSetToolChoiceValues) {
      this.supportsToolChoiceValues = supportedToolChoiceValues(base, this.additionalModelRequestFields);
    }
    if (!this.#userSetDisableStreaming) this.setDisableStreaming();
    this.disableStreaming = this.disableStreamingMode === true;
  }

  /** Python's set_disable_streaming: streaming support by model family. */
  setDisableStreaming(): DisableStreaming {
    const base = this.baseModelId ?? this.modelId;
    const decision = disableStreamingDecision(this.provider, base);
    if (decision.warning) warnOnce(decision.warning);
    this.disableStreamingMode = decision.value;
    this.disableStreaming = this.disableStreamingMode === true;
    return this.disableStreamingMode;
  }

  /** Resolves an application inference profile ARN to its base model through GetInferenceProfile. */
  async resolveInferenceProfile(): Promise<void> {
    if (this.baseModelId || !isApplicationInferenceProfile(this.modelId)) return;
    this.#resolving ??= (async () => {
      this.bedrockClient ??= await createControlClient(this.#clientSettings, this.client);
      const client = this.bedrockClient as ControlClient;
      const { GetInferenceProfileCommand } = await import("@aws-sdk/client-bedrock");
      const out = await client
        .send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: this.modelId }))
        .catch(async (e: unknown) => {
          this.#resolving = undefined;
          throw toBedrockError(e, await this.errorContext("GetInferenceProfile", e));
        });
      const arn = out.models?.[0]?.modelArn;
      if (!arn) {
        this.#resolving = undefined;
        throw new BedrockConfigError(`Inference profile ${this.modelId} lists no models; pass baseModelId explicitly.`);
      }
      this.baseModelId = baseModelFromInferenceProfileArn(arn);
      this.inferenceProfileId = out.inferenceProfileId ?? this.modelId.slice(this.modelId.lastIndexOf("/") + 1);
      this.refreshCapabilities();
    })();
    return this.#resolving;
  }

  _llmType(): string {
    return "amazon_bedrock_converse_chat";
  }

  /**
   * The LangSmith params LangChain.js's standard tests expect, exactly these keys (tracers receive
   * the invocation params through `invocationParams()`; Python's `ls_invocation_params` is not a
   * LangChain.js key).
   */
  override getLsParams(options: this["ParsedCallOptions"]): LangSmithParams {
    return {
      ls_provider: "amazon_bedrock",
      ls_model_name: this.baseModelId ?? this.modelId,
      ls_model_type: "chat",
      ls_temperature: options?.temperature ?? this.temperature,
      ls_max_tokens: options?.maxTokens ?? this.maxTokens,
      ls_stop: options?.stop ?? this.stopSequences,
    };
  }

  override invocationParams(options?: this["ParsedCallOptions"]): Record<string, unknown> {
    return {
      model: this.baseModelId ?? this.modelId,
      modelId: this.modelId,
      provider: this.provider,
      temperature: options?.temperature ?? this.temperature,
      maxTokens: options?.maxTokens ?? this.maxTokens,
      topP: options?.topP ?? this.topP,
      stopSequences: options?.stop ?? this.stopSequences,
      additionalModelRequestFields: { ...(this.additionalModelRequestFields ?? {}), ...(options?.additionalModelRequestFields ?? {}) },
      guardrailConfig: options?.guardrailConfig ?? this.guardrailConfig,
      performanceConfig: options?.performanceConfig ?? this.performanceConfig,
      serviceTier: options?.serviceTier ?? this.serviceTier,
      outputConfig: options?.outputConfig ?? this.outputConfig,
      tools: options?.tools,
      tool_choice: options?.tool_choice ?? options?.toolChoice,
    };
  }

  override toJSON(): ReturnType<BaseChatModel["toJSON"]> {
    const json = super.toJSON() as { kwargs?: Record<string, unknown> };
    if (json.kwargs) {
      for (const key of UNSERIALIZABLE_ARGS) {
        delete json.kwargs[key];
        delete json.kwargs[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
      }
    }
    return json as ReturnType<BaseChatModel["toJSON"]>;
  }

  private async errorContext(operation: "Converse" | "ConverseStream" | "CountTokens" | "GetInferenceProfile", err?: unknown) {
    return {
      modelId: this.modelId,
      region: this.regionName,
      operation,
      secrets: await secretsToRedact(this.#clientSettings, this.client, err),
    };
  }

  private responseContext(messageId?: string): ResponseContext {
    // model_name as Python: an explicit or resolved base model, else the id as configured (a geo prefix
    // such as "us." stays, so `override in model_name` checks keep working); `model` is the base model.
    const base = this.baseModelId ?? this.modelId;
    const inferred = !isApplicationInferenceProfile(this.modelId) && base === inferBaseModelId(this.modelId);
    return {
      modelName: inferred ? this.modelId : base,
      model: base,
      ...(messageId ? { messageId } : {}),
      ...(this.inferenceProfileId ? { inferenceProfileId: this.inferenceProfileId } : {}),
      ...(this.outputVersion ? { outputVersion: this.outputVersion } : {}),
    };
  }

  private thinkingEnabled(options?: Partial<ChatBedrockConverseCallOptions>): boolean {
    return isThinkingEnabled({ ...(this.additionalModelRequestFields ?? {}), ...(options?.additionalModelRequestFields ?? {}) });
  }

  /** Bound or per-call tools in Bedrock form, plus the tool choice. */
  private toolsFor(options: Partial<ChatBedrockConverseCallOptions>): {
    tools?: Tool[];
    toolChoice?: ReturnType<typeof resolveToolChoice>["toolChoice"];
  } {
    if (!options.tools || options.tools.length === 0) return {};
    const tools = formatToolsForBedrock(options.tools, { strict: options.strict });
    // bindTools stores the choice under `tool_choice` only, so a `toolChoice` here came from the call
    // and overrides the bound one.
    const choice = options.toolChoice ?? options.tool_choice ?? defaultToolChoice(this.baseModelId ?? this.modelId);
    const resolved = this.resolveChoice(choice, tools, options);
    for (const w of resolved.warnings) warnOnce(w);
    if (resolved.omitTools) return {};
    return { tools, toolChoice: resolved.toolChoice };
  }

  /** The tool choice for this model family, thinking and bound tools; throws for unsupported values. */
  private resolveChoice(choice: Parameters<typeof resolveToolChoice>[0], tools: Tool[], options?: Partial<ChatBedrockConverseCallOptions>) {
    return resolveToolChoice(choice, this.supportsToolChoiceValues, {
      thinkingEnabled: this.thinkingEnabled(options),
      modelId: this.baseModelId ?? this.modelId,
      systemToolsOnly: hasOnlySystemTools(tools),
    });
  }

  /** Builds the wire request for one call; pure apart from warnings. */
  buildRequest(messages: BaseMessage[], options: Partial<ChatBedrockConverseCallOptions> = {}, stream = false) {
    const { tools, toolChoice } = this.toolsFor(options);
    const converted = convertMessagesToConverse(messages, {
      system: this.system,
      hasToolConfig: Boolean(tools && tools.length > 0),
      guardLastTurnOnly: this.guardLastTurnOnly,
      rawBlocks: this.rawBlocks,
      warn: warnOnce,
      modelId: this.baseModelId ?? this.modelId,
    });
    const built = buildConverseRequest({
      modelId: this.modelId,
      baseModelId: this.baseModelId ?? this.modelId,
      provider: this.provider,
      messages: converted.messages,
      system: converted.system,
      instance: this[SETTINGS],
      call: options,
      tools,
      toolChoice,
      stream,
    });
    for (const w of built.warnings) warnOnce(w);
    // Family limits need the final request (tools + system + messages); rawBlocks go as written.
    if (this.rawBlocks) return built.request;
    return applyFamilyLimits(
      built.request,
      { baseModelId: this.baseModelId ?? this.modelId, provider: this.provider },
      warnOnce,
    ) as typeof built.request;
  }

  /** Whether this call must go through Converse even when streaming was asked for. */
  private mustInvoke(options: Partial<ChatBedrockConverseCallOptions>): boolean {
    if (this.disableStreamingMode === true) return true;
    const tools = options.tools ?? [];
    if (tools.length === 0) return false;
    if (this.disableStreamingMode === "tool_calling") return true;
    // Nova system tools are not supported by ConverseStream (Python binds disable_streaming for them).
    return hasSystemTools(formatToolsForBedrock(tools, { strict: options.strict }));
  }

  async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"], runManager?: CallbackManagerForLLMRun): Promise<ChatResult> {
    const id = messageIdFor(runManager);
    if (this.streaming && !this.mustInvoke(options)) {
      const reply = new ReplyAccumulator();
      for await (const chunk of this.replyChunks(messages, options, runManager, id)) reply.add(chunk);
      const full = reply.result();
      if (!full) throw new BedrockConverseError("The Bedrock stream produced no output.");
      const message = full.message as AIMessageChunk;
      return { generations: [{ text: full.text, message: chunkToMessage(message) }] };
    }
    return this._generateWithoutStreaming(messages, options, id);
  }

  override _streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const id = runManager || !(options as { [KEEP_ID_UNSET]?: boolean })[KEEP_ID_UNSET] ? messageIdFor(runManager) : undefined;
    // The generator itself, not a delegating one: each layer costs a promise hop per chunk.
    return this.replyChunks(messages, options, runManager, id);
  }

  /**
   * Core's chat-model-event stream (LangGraph's v3 protocol) runs without a run manager and gives the
   * reply the run's id itself when it has none, so no id is minted for these chunks.
   */
  override _streamChatModelEvents(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): ReturnType<BaseChatModel["_streamChatModelEvents"]> {
    return super._streamChatModelEvents(messages, { ...options, [KEEP_ID_UNSET]: true }, runManager);
  }

  /**
   * `stream()` with core's semantics (the run context for set-up, the abort signal, chunks from
   * `_streamIterator`) minus the per-chunk WHATWG ReadableStream pull and AsyncLocalStorage re-entry
   * core adds around every chunk, which no handler can observe: they run with an empty context (see
   * direct-stream.ts).
   */
  override async stream(
    input: BaseLanguageModelInput,
    options?: Partial<ChatBedrockConverseCallOptions>,
  ): Promise<IterableReadableStream<AIMessageChunk>> {
    const config = ensureConfig(options);
    const generator = this._streamIterator(input, config as Partial<ChatBedrockConverseCallOptions>);
    return DirectStream.start(generator, config.signal, (first) =>
      AsyncLocalStorageProviderSingleton.runWithConfig(pickRunnableConfigKeys(config), first, true),
    );
  }

  /**
   * Core's `_streamIterator`, step for step: the same callback configuration and
   * `handleChatModelStart`, each chunk checked against the signal and yielded, `handleLLMError` on
   * failure, `handleLLMEnd` with the concatenated reply. What it leaves out has no observable effect:
   * the run id (every chunk already carries `run-<runId>`), a copy of `response_metadata` merged with
   * a `generationInfo` our chunks never have, and, when no run exists, concatenating a reply nobody
   * receives. v1 output and disabled streaming take core's own path.
   */
  override async *_streamIterator(
    input: BaseLanguageModelInput,
    options?: Partial<ChatBedrockConverseCallOptions>,
  ): AsyncGenerator<AIMessageChunk> {
    const [config, callOptions] = this._separateRunnableConfigFromCallOptionsCompat(options);
    if (this.disableStreaming || (callOptions.outputVersion ?? this.outputVersion) === "v1" || !coreHasTracingHooks(this)) {
      yield* super._streamIterator(input, options);
      return;
    }
    const messages = BaseChatModel._convertInputToPromptValue(input).toChatMessages();
    const runManager = await this.startRun(messages, config, callOptions);
    // Core's fold of the chunks for handleLLMEnd (see reply-accumulator.ts), only when a run receives it.
    const reply = runManager ? new ReplyAccumulator() : undefined;
    try {
      for await (const chunk of this._streamResponseChunks(messages, callOptions, runManager)) {
        callOptions.signal?.throwIfAborted();
        yield chunk.message as AIMessageChunk;
        reply?.add(chunk);
      }
      callOptions.signal?.throwIfAborted();
    } catch (err) {
      await runManager?.handleLLMError(err);
      throw err;
    }
    if (runManager) {
      const full = reply!.result();
      await runManager.handleLLMEnd({ generations: [[full as ChatGenerationChunk]], llmOutput: tokenUsageOutput(full) });
    }
  }

  /** Core's run start for a streamed call: the same handlers, metadata, tags, serialized model and options. */
  private async startRun(
    messages: BaseMessage[],
    config: RunnableConfig,
    callOptions: this["ParsedCallOptions"],
  ): Promise<CallbackManagerForLLMRun | undefined> {
    const inheritableMetadata = { ...config.metadata, ...this.getLsParamsWithDefaults(callOptions) };
    const invocationParams = this._getInvocationParamsForTracing(callOptions);
    const manager = await CallbackManager.configure(
      config.callbacks,
      this.callbacks,
      config.tags,
      this.tags,
      inheritableMetadata,
      this.metadata,
      {
        verbose: this.verbose,
        tracerInheritableMetadata: this._filterInvocationParamsForTracing(invocationParams),
      },
    );
    if (!manager) return undefined;
    const extra = {
      options: this._getCallOptionsForTracing(callOptions, invocationParams),
      invocation_params: invocationParams,
      batch_size: 1,
    };
    const runManagers = await manager.handleChatModelStart(
      this.toJSON(),
      [formatMessagesForTracing(messages)],
      config.runId,
      undefined,
      extra,
      undefined,
      undefined,
      config.runName,
    );
    return runManagers[0];
  }

  /**
   * Every chunk of the reply (ConverseStream, or one chunk from Converse when the call cannot stream),
   * all carrying `id`, each reported to the run's handlers before it is yielded: `handleLLMNewToken`
   * with the chunk's text ("" where it has none) and the chunk, which LangGraph's "messages" mode and
   * every streaming observer rely on.
   */
  private replyChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager: CallbackManagerForLLMRun | undefined,
    id: string | undefined,
  ): AsyncGenerator<ChatGenerationChunk> {
    const report = (message: AIMessageChunk): ChatGenerationChunk | Promise<ChatGenerationChunk> => {
      const text = contentText(message.content);
      const generation = new ChatGenerationChunk({ text, message });
      // A handler that raises (raiseError) fails the call with its own error, not a Bedrock one.
      return runManager
        ? runManager.handleLLMNewToken(text, undefined, undefined, undefined, undefined, { chunk: generation }).then(() => generation)
        : generation;
    };
    if (this.mustInvoke(options)) return this.invokeAsOneChunk(messages, options, id, report);
    return converseStream(
      {
        client: this.client,
        prepare: async () => {
          await this.resolveInferenceProfile();
          return this.buildRequest(messages, options, true);
        },
        modelId: this.modelId,
        idleTimeoutMs: options.streamIdleTimeout ?? this.streamIdleTimeout,
        signal: options.signal,
        errorContext: (e) => this.errorContext("ConverseStream", e),
      },
      // The converter is the stream's reader; ResponseMetadata is built from the SDK's $metadata as for Converse.
      (output) =>
        new ConverseStreamConverter({
          ...this.responseContext(id),
          httpHeaders: responseHeadersOf(output),
          responseMetadata: output.$metadata as unknown as Record<string, unknown>,
        }),
      report,
    );
  }

  /** A call that cannot stream (disableStreaming, Nova system tools): Converse, as one chunk. */
  private async *invokeAsOneChunk(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    id: string | undefined,
    report: (message: AIMessageChunk) => ChatGenerationChunk | Promise<ChatGenerationChunk>,
  ): AsyncGenerator<ChatGenerationChunk> {
    const result = await this._generateWithoutStreaming(messages, options, id);
    const message = result.generations[0].message as AIMessage;
    yield report(
      new AIMessageChunk({
        content: message.content,
        tool_calls: message.tool_calls,
        usage_metadata: message.usage_metadata,
        response_metadata: message.response_metadata,
        id: message.id,
        additional_kwargs: message.additional_kwargs,
      }),
    );
  }

  private async _generateWithoutStreaming(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    id: string | undefined,
  ): Promise<ChatResult> {
    await this.resolveInferenceProfile();
    const request = this.buildRequest(messages, options, false);
    // No options object without a signal: the SDK only reuses its resolved middleware stack then.
    const output = await this.client
      .send(new ConverseCommand(request), options.signal ? { abortSignal: options.signal } : undefined)
      .catch(async (e: unknown) => {
        throw toBedrockError(e, await this.errorContext("Converse", e));
      });
    const message = converseResponseToMessage(output, { ...this.responseContext(id), httpHeaders: responseHeadersOf(output) });
    return { generations: [{ text: contentText(message.content), message }] };
  }

  override bindTools(
    tools: Array<BindToolsInput | "nova_grounding" | "nova_code_interpreter">,
    kwargs?: Partial<ChatBedrockConverseCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, ChatBedrockConverseCallOptions> {
    // Convert once at bind time (the result is cached per tool object) so bad tools fail here.
    const formatted = formatToolsForBedrock(tools, { strict: kwargs?.strict });
    const { toolChoice: camelChoice, ...rest } = kwargs ?? {};
    const choice = camelChoice ?? rest.tool_choice;
    // Validate now so an unsupported choice fails at bind time; warnings are emitted per call.
    if (choice !== undefined) this.resolveChoice(choice, formatted, kwargs);
    // One key for the bound choice (see toolsFor): a call's `tool_choice` or `toolChoice` overrides it.
    return this.withConfig({ ...rest, ...(choice !== undefined ? { tool_choice: choice } : {}), tools: formatted as BindToolsInput[] });
  }

  /** Counts input tokens with Bedrock's CountTokens API, or a local estimate where it is not offered. */
  async getNumTokensFromMessages(messages: BaseMessageLike[], tools?: BindToolsInput[]): Promise<number> {
    const msgs = messages.map((m) => coerceMessageLikeToMessage(m));
    await this.resolveInferenceProfile();
    const base = this.baseModelId ?? this.modelId;
    if (supportsCountTokens(base)) {
      if (tools && tools.length > 0)
        warnOnce("getNumTokensFromMessages: tools are not counted by the CountTokens API call and were ignored.");
      const converted = convertMessagesToConverse(msgs, { system: this.system, hasToolConfig: false, warn: warnOnce });
      try {
        const out = await this.client.send(new CountTokensCommand(buildCountTokensRequest(base, converted.messages, converted.system)));
        if (typeof out.inputTokens === "number") return out.inputTokens;
      } catch (e) {
        warnOnce(
          `CountTokens failed (${redactSecrets(String((e as Error).message), await secretsToRedact(this.#clientSettings, this.client, e))}); using the local estimate.`,
        );
      }
    }
    return estimateTokens(msgs);
  }

  /**
   * A runnable returning output shaped by `outputSchema` (zod v3/v4: typed and validated; a JSON
   * schema: a plain object). `method`: `"functionCalling"` (default; one forced tool),
   * `"jsonSchema"` (native `outputConfig.textFormat`), `"promptPrefill"` (Nova); snake_case
   * aliases accepted. `includeRaw: true` returns `{raw, parsed, parsingError}` instead of throwing
   * on a reply that fails the schema. With thinking on models that cannot force a tool while
   * thinking (Claude 3.7 / 4.x), functionCalling offers the tool with tool_choice auto (warning).
   */
  override withStructuredOutput<RunOutput extends AnyRecord = AnyRecord>(
    outputSchema: SerializableSchema<RunOutput>,
    config?: StructuredOutputOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<RunOutput extends AnyRecord = AnyRecord>(
    outputSchema: SerializableSchema<RunOutput>,
    config?: StructuredOutputOptions<true>,
  ): Runnable<BaseLanguageModelInput, StructuredOutputWithRaw<RunOutput>>;
  override withStructuredOutput<RunOutput extends AnyRecord = AnyRecord>(
    outputSchema: ZodV4Like<RunOutput> | AnyRecord,
    config?: StructuredOutputOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<RunOutput extends AnyRecord = AnyRecord>(
    outputSchema: ZodV4Like<RunOutput> | AnyRecord,
    config?: StructuredOutputOptions<true>,
  ): Runnable<BaseLanguageModelInput, StructuredOutputWithRaw<RunOutput>>;
  override withStructuredOutput<RunOutput extends AnyRecord = AnyRecord>(
    outputSchema: ZodV3Like<RunOutput> | AnyRecord,
    config?: StructuredOutputOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<RunOutput extends AnyRecord = AnyRecord>(
    outputSchema: ZodV3Like<RunOutput> | AnyRecord,
    config?: StructuredOutputOptions<true>,
  ): Runnable<BaseLanguageModelInput, StructuredOutputWithRaw<RunOutput>>;
  override withStructuredOutput<RunOutput extends AnyRecord = AnyRecord>(
    outputSchema: unknown,
    config?: StructuredOutputOptions<boolean>,
  ): Runnable<BaseLanguageModelInput, RunOutput> | Runnable<BaseLanguageModelInput, StructuredOutputWithRaw<RunOutput>> {
    return structuredOutputRunnable(
      {
        modelName: this.baseModelId ?? this.modelId,
        supportsToolChoiceValues: this.supportsToolChoiceValues,
        stopSequences: this.stopSequences,
        thinkingEnabled: this.thinkingEnabled(),
        bindTools: (tools, kwargs) => this.bindTools(tools, kwargs as Partial<ChatBedrockConverseCallOptions>),
        withConfig: (config) => this.withConfig(config as Partial<ChatBedrockConverseCallOptions>),
        warn: warnOnce,
      },
      outputSchema,
      config,
    ) as never;
  }

  /** A cache point block, for system, messages and tools. */
  static createCachePoint(ttl?: CacheControl["ttl"]): CachePointBlock {
    return createCachePoint(ttl);
  }
}

exposeSettings(ChatBedrockConverse.prototype, SETTINGS);

function chunkToMessage(chunk: AIMessageChunk): AIMessage {
  return new AIMessage({
    content: chunk.content,
    tool_calls: chunk.tool_calls,
    invalid_tool_calls: chunk.invalid_tool_calls,
    usage_metadata: chunk.usage_metadata,
    response_metadata: chunk.response_metadata,
    additional_kwargs: chunk.additional_kwargs,
    id: chunk.id,
  });
}

/** Local estimate when CountTokens is not offered: about four characters per token, plus three per message. */
export function estimateTokens(messages: BaseMessage[]): number {
  let chars = 0;
  for (const m of messages) {
    const content = m.content;
    chars += typeof content === "string" ? content.length : JSON.stringify(content).length;
  }
  return Math.ceil(chars / 4) + 3 * messages.length;
}
