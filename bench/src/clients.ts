// Every client under test, built for one transport, exposing the same four pieces of work.
import { Agent as HttpAgent } from "node:http";
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type BedrockRuntimeClientConfig,
  type Message as ConverseMessage,
} from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { AIMessageChunk, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { DynamicStructuredTool } from "@langchain/core/tools";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ChatBedrockConverse } from "langchain-bedrock-converse";
import { ChatBedrockConverse as LcAwsChatBedrockConverse } from "@langchain/aws";
import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import { generateText, streamText, Output, tool, type ModelMessage } from "ai";
import {
  FAKE_CREDENTIALS,
  HISTORY_TOOL,
  HISTORY_TOOL_NAME,
  MODEL_ID,
  PROMPT,
  REGION,
  STRUCTURED_NAME,
  STRUCTURED_TOOL,
  SYSTEM_PROMPT,
  historyToolSchema,
  recordSchema,
  type History,
} from "./fixtures.js";
import { memoryFetch, memoryRequestHandler, type Answers } from "./transports.js";

export type ClientId = "sdk-default" | "sdk-keepalive" | "ours" | "langchain-aws" | "ai-sdk";

export const CLIENT_LABELS: Record<ClientId, string> = {
  "sdk-default": "raw SDK (default client)",
  "sdk-keepalive": "raw SDK (keep-alive HTTP/1.1)",
  ours: "langchain-bedrock-converse",
  "langchain-aws": "@langchain/aws",
  "ai-sdk": "@ai-sdk/amazon-bedrock",
};

export interface Transport {
  kind: "tcp" | "memory";
  /** Endpoint URL (a placeholder for the in-memory transport). */
  url: string;
  answers: Answers;
}

export interface Client {
  id: ClientId;
  /** One short invoke; returns the reply text. */
  invoke(): Promise<string>;
  /** One stream; returns ms to the first text delta and the text length. */
  stream(): Promise<{ ttftMs: number; chars: number }>;
  /** One invoke with a prebuilt history (and its tool bound). */
  history(h: History): Promise<string>;
  /** invoke() with one callback handler attached (the raw SDK has nothing to observe: its invoke). */
  observedInvoke(): Promise<string>;
  /** stream() with one callback handler attached; also returns the tokens the handler saw. */
  observedStream(): Promise<{ ttftMs: number; chars: number; tokens: number }>;
  /**
   * One LangGraph agent turn in streamMode "messages" (model → tool → model); returns the streamed
   * text length and the tool-call chunks seen. The raw SDK does the same two ConverseStream calls.
   */
  agentTurn?(): Promise<{ chars: number; toolCallChunks: number }>;
  /** One structured-output call with the 20-field schema; returns the parsed object. */
  structured(): Promise<Record<string, unknown>>;
  /** Tool name the endpoint must answer the structured case with. */
  structuredToolName: string;
  close(): void;
}

const SHORT_MESSAGES: BaseMessage[] = [new HumanMessage(PROMPT)];
const SHORT_CONVERSE: ConverseMessage[] = [{ role: "user", content: [{ text: PROMPT }] }];
const MAX_TOKENS = 256;

function sdkConfig(t: Transport, extra: Partial<BedrockRuntimeClientConfig> = {}): BedrockRuntimeClientConfig {
  return {
    region: REGION,
    credentials: FAKE_CREDENTIALS,
    endpoint: t.url,
    maxAttempts: 1,
    ...(t.kind === "memory" ? { requestHandler: memoryRequestHandler(t.answers) as never } : {}),
    ...extra,
  };
}

function rawSdk(id: ClientId, t: Transport): Client {
  const extra: Partial<BedrockRuntimeClientConfig> =
    id === "sdk-keepalive" && t.kind === "tcp"
      ? { requestHandler: new NodeHttpHandler({ httpAgent: new HttpAgent({ keepAlive: true }) }) }
      : {};
  const client = new BedrockRuntimeClient(sdkConfig(t, extra));
  return {
    id,
    structuredToolName: STRUCTURED_NAME,
    async invoke() {
      const out = await client.send(
        new ConverseCommand({ modelId: MODEL_ID, messages: SHORT_CONVERSE, inferenceConfig: { maxTokens: MAX_TOKENS } }),
      );
      return out.output?.message?.content?.[0]?.text ?? "";
    },
    async stream() {
      const t0 = performance.now();
      let ttftMs = -1;
      let text = "";
      const out = await client.send(
        new ConverseStreamCommand({ modelId: MODEL_ID, messages: SHORT_CONVERSE, inferenceConfig: { maxTokens: MAX_TOKENS } }),
      );
      for await (const event of out.stream!) {
        const delta = event.contentBlockDelta?.delta?.text;
        if (delta) {
          if (ttftMs < 0) ttftMs = performance.now() - t0;
          text += delta;
        }
      }
      return { ttftMs, chars: text.length };
    },
    observedInvoke() {
      return this.invoke();
    },
    async observedStream() {
      const r = await this.stream();
      return { ...r, tokens: 0 };
    },
    async agentTurn() {
      let chars = 0;
      let toolCallChunks = 0;
      let messages: ConverseMessage[] = [...SHORT_CONVERSE];
      const toolConfig = { tools: [HISTORY_TOOL] };
      for (let step = 0; step < 2; step++) {
        const out = await client.send(
          new ConverseStreamCommand({ modelId: MODEL_ID, messages, inferenceConfig: { maxTokens: MAX_TOKENS }, toolConfig }),
        );
        let toolUse: { toolUseId?: string; name?: string; input: string } | undefined;
        let text = "";
        for await (const event of out.stream!) {
          const start = event.contentBlockStart?.start?.toolUse;
          if (start) toolUse = { toolUseId: start.toolUseId, name: start.name, input: "" };
          const delta = event.contentBlockDelta?.delta;
          if (delta?.text) text += delta.text;
          if (delta?.toolUse && toolUse) {
            toolUse.input += delta.toolUse.input ?? "";
            toolCallChunks++;
          }
        }
        chars += text.length;
        if (!toolUse) break;
        const input = JSON.parse(toolUse.input) as { city: string };
        messages = [
          ...messages,
          { role: "assistant", content: [{ text }, { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name, input } }] },
          { role: "user", content: [{ toolResult: { toolUseId: toolUse.toolUseId, content: [{ text: weatherOf(input.city) }] } }] },
        ];
      }
      return { chars, toolCallChunks };
    },
    async history(h) {
      const out = await client.send(
        new ConverseCommand({
          modelId: MODEL_ID,
          messages: h.converse.messages,
          system: h.converse.system,
          inferenceConfig: { maxTokens: MAX_TOKENS },
          toolConfig: { tools: [HISTORY_TOOL] },
        }),
      );
      return out.output?.message?.content?.[0]?.text ?? "";
    },
    async structured() {
      const out = await client.send(
        new ConverseCommand({
          modelId: MODEL_ID,
          messages: SHORT_CONVERSE,
          inferenceConfig: { maxTokens: MAX_TOKENS },
          toolConfig: { tools: [STRUCTURED_TOOL], toolChoice: { tool: { name: STRUCTURED_NAME } } },
        }),
      );
      const use = out.output?.message?.content?.find((b) => b.toolUse)?.toolUse;
      return (use?.input ?? {}) as Record<string, unknown>;
    },
    close: () => client.destroy(),
  };
}

/**
 * Text of a chunk's content (a string, or text blocks). Not `chunk.text`: that getter runs the
 * provider's v1 content-block translator on every chunk, a cost of the getter rather than the client.
 */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  let text = "";
  if (Array.isArray(content))
    for (const b of content) if (b && typeof b.text === "string" && (b.type === "text" || b.type === undefined)) text += b.text;
  return text;
}

/** The tool of the agent turn: the same answer for every client. */
function weatherOf(city: string): string {
  return JSON.stringify({ city, tempC: 21, sky: "clear" });
}

/** The one handler of the observed rows: what a user's token counter does. */
class TokenCounter extends BaseCallbackHandler {
  name = "TokenCounter";
  tokens = 0;
  ends = 0;
  override handleLLMNewToken(): void {
    this.tokens++;
  }
  override handleLLMEnd(): void {
    this.ends++;
  }
}

/** What LangChain-based clients share: the work is the same calls on a BaseChatModel. */
function langchainClient(id: ClientId, model: BaseChatModel, close: () => void): Client {
  const historyTool = { name: HISTORY_TOOL_NAME, description: "Current weather for a city", schema: historyToolSchema };
  const withTool = model.bindTools!([historyTool]);
  const structured = model.withStructuredOutput(recordSchema, { name: STRUCTURED_NAME });
  const weather = new DynamicStructuredTool({
    name: HISTORY_TOOL_NAME,
    description: "Current weather for a city",
    schema: historyToolSchema,
    func: async ({ city }: { city: string }) => weatherOf(city),
  });
  const agent = createReactAgent({ llm: model, tools: [weather] });
  const stream = async (options?: { callbacks: TokenCounter[] }) => {
    const t0 = performance.now();
    let ttftMs = -1;
    let chars = 0;
    for await (const chunk of await model.stream(SHORT_MESSAGES, options)) {
      const text = textOf(chunk.content);
      if (text) {
        if (ttftMs < 0) ttftMs = performance.now() - t0;
        chars += text.length;
      }
    }
    return { ttftMs, chars };
  };
  return {
    async observedInvoke() {
      const counter = new TokenCounter();
      const m = await model.invoke(SHORT_MESSAGES, { callbacks: [counter] });
      return typeof m.content === "string" ? m.content : String(m.text);
    },
    async observedStream() {
      const counter = new TokenCounter();
      const r = await stream({ callbacks: [counter] });
      return { ...r, tokens: counter.tokens };
    },
    async agentTurn() {
      let chars = 0;
      let toolCallChunks = 0;
      const events = await agent.stream({ messages: SHORT_MESSAGES }, { streamMode: "messages" });
      for await (const [message, meta] of events) {
        if (meta.langgraph_node !== "agent" || !AIMessageChunk.isInstance(message)) continue;
        chars += textOf(message.content).length;
        toolCallChunks += message.tool_call_chunks?.filter((c) => c.args).length ?? 0;
      }
      return { chars, toolCallChunks };
    },
    id,
    structuredToolName: STRUCTURED_NAME,
    async invoke() {
      const m = await model.invoke(SHORT_MESSAGES);
      return typeof m.content === "string" ? m.content : String(m.text);
    },
    stream: () => stream(),
    async history(h) {
      const m = await withTool.invoke(h.langchain);
      return typeof m.content === "string" ? m.content : String(m.text);
    },
    async structured() {
      return (await structured.invoke(SHORT_MESSAGES)) as Record<string, unknown>;
    },
    close,
  };
}

function ours(t: Transport): Client {
  const model = new ChatBedrockConverse({
    model: MODEL_ID,
    region: REGION,
    credentials: FAKE_CREDENTIALS,
    endpointUrl: t.url,
    maxTokens: MAX_TOKENS,
    maxRetries: 0,
    ...(t.kind === "memory" ? { config: { requestHandler: memoryRequestHandler(t.answers) as never } } : {}),
  });
  return langchainClient("ours", model as unknown as BaseChatModel, () => model.client.destroy());
}

function langchainAws(t: Transport): Client {
  // @langchain/aws builds a default BedrockRuntimeClient; its clientOptions.endpoint is overwritten
  // by endpointHost (https only), so the equivalent default client is passed in.
  const client = new BedrockRuntimeClient(sdkConfig(t));
  const model = new LcAwsChatBedrockConverse({
    model: MODEL_ID,
    region: REGION,
    credentials: FAKE_CREDENTIALS,
    maxTokens: MAX_TOKENS,
    client,
  });
  return langchainClient("langchain-aws", model as unknown as BaseChatModel, () => client.destroy());
}

function aiSdk(t: Transport): Client {
  const bedrock = createAmazonBedrock({
    baseURL: t.url,
    region: REGION,
    accessKeyId: FAKE_CREDENTIALS.accessKeyId,
    secretAccessKey: FAKE_CREDENTIALS.secretAccessKey,
    ...(t.kind === "memory" ? { fetch: memoryFetch(t.answers) } : {}),
  });
  const model = bedrock(MODEL_ID);
  const messages: ModelMessage[] = [{ role: "user", content: PROMPT }];
  const tools = { [HISTORY_TOOL_NAME]: tool({ description: "Current weather for a city", inputSchema: historyToolSchema }) };
  const output = Output.object({ schema: recordSchema, name: STRUCTURED_NAME });
  return {
    id: "ai-sdk",
    // Bedrock's AI SDK provider forces a tool named "json" for structured output (jsonTool mode).
    structuredToolName: "json",
    async invoke() {
      const r = await generateText({ model, messages, maxOutputTokens: MAX_TOKENS, maxRetries: 0 });
      return r.text;
    },
    async stream() {
      const t0 = performance.now();
      let ttftMs = -1;
      let chars = 0;
      let failure: unknown;
      const r = streamText({
        model,
        messages,
        maxOutputTokens: MAX_TOKENS,
        maxRetries: 0,
        onError: ({ error }) => {
          failure = error;
        },
      });
      for await (const text of r.textStream) {
        if (text) {
          if (ttftMs < 0) ttftMs = performance.now() - t0;
          chars += text.length;
        }
      }
      if (failure) throw failure;
      return { ttftMs, chars };
    },
    observedInvoke() {
      return this.invoke();
    },
    async observedStream() {
      return { ...(await this.stream()), tokens: 0 };
    },
    async history(h) {
      const r = await generateText({
        model,
        system: SYSTEM_PROMPT,
        messages: h.aiSdk as ModelMessage[],
        tools,
        maxOutputTokens: MAX_TOKENS,
        maxRetries: 0,
      });
      return r.text;
    },
    async structured() {
      const r = await generateText({
        model,
        messages,
        output,
        maxOutputTokens: MAX_TOKENS,
        maxRetries: 0,
        providerOptions: { bedrock: { structuredOutputMode: "jsonTool" } },
      });
      return r.output as Record<string, unknown>;
    },
    close: () => {},
  };
}

export function createClient(id: ClientId, t: Transport): Client {
  switch (id) {
    case "sdk-default":
    case "sdk-keepalive":
      return rawSdk(id, t);
    case "ours":
      return ours(t);
    case "langchain-aws":
      return langchainAws(t);
    case "ai-sdk":
      return aiSdk(t);
  }
}

/** Clients per transport: in memory the two raw SDK rows would be the same client. */
export function clientIds(kind: Transport["kind"]): ClientId[] {
  return kind === "tcp"
    ? ["sdk-default", "sdk-keepalive", "ours", "langchain-aws", "ai-sdk"]
    : ["sdk-default", "ours", "langchain-aws", "ai-sdk"];
}
