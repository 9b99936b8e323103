// The standard conformance suite (test/standard/) for ChatBedrockConverse: against the emulator's
// default model with no configuration, and against real Amazon Bedrock when AWS credentials, a region
// and BEDROCK_TEST_MODEL_ID are set (skipped with a message otherwise).
import { after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { AIMessage } from "@langchain/core/messages";
import { ChatBedrockConverse } from "langchain-bedrock-converse";
import { FAKE_KEY_ID, FAKE_SECRET, MODEL, emulator } from "./helpers.js";
import { runChatModelUnitTests } from "./standard/unit-suite.js";
import { collect, runChatModelIntegrationTests } from "./standard/integration-suite.js";
import { runBedrockExtraTests } from "./standard/bedrock-suite.js";
import { textOf } from "./standard/fixtures.js";
import type { MediaCase } from "./standard/types.js";

const emu = await emulator();
after(() => emu.close());

const emulatorArgs = {
  model: MODEL,
  endpointUrl: emu.url,
  region: "us-east-1",
  awsAccessKeyId: FAKE_KEY_ID,
  awsSecretAccessKey: FAKE_SECRET,
};

/** A system prompt long enough for Bedrock's prompt cache (1024 to 4096 tokens by model), then a cache point. */
function cachedSystem(nonce: string): Array<string | Record<string, unknown>> {
  const paragraph =
    "You are a careful assistant for a travel agency. You answer questions about destinations, weather, flights and hotels. ";
  return [`${nonce} ${paragraph.repeat(200)}`, { cachePoint: { type: "default" } }];
}

async function invokeOnce(
  args: Record<string, unknown>,
  system: Array<string | Record<string, unknown>>,
  stream: boolean,
): Promise<AIMessage> {
  const llm = new ChatBedrockConverse({ ...args, system });
  if (!stream) return llm.invoke("Hello, what can you do?");
  const { full, chunks } = await collect(await llm.stream("Hello, what can you do?"));
  // core's chunk concatenation keeps only the usage detail keys it knows, so per-TTL cache writes
  // (ephemeral_5m/1h_input_tokens) are read from the metadata chunk, as the README says.
  const usage = chunks.find((c) => c.usage_metadata !== undefined)?.usage_metadata;
  return Object.assign(full, { usage_metadata: usage }) as unknown as AIMessage;
}

function cacheHooks(args: Record<string, unknown>) {
  return {
    invokeWithCacheCreationInput: (stream: boolean) => invokeOnce(args, cachedSystem(randomUUID()), stream),
    invokeWithCacheReadInput: async (stream: boolean) => {
      const system = cachedSystem(randomUUID());
      await invokeOnce(args, system, false);
      return invokeOnce(args, system, stream);
    },
  };
}

/** The emulator's default model names each attachment's format and size: proof that the bytes arrived intact. */
function emulatorMediaReply(media: MediaCase, reply: AIMessage): void {
  const text = textOf(reply);
  const n = media.bytes.length;
  if (media.kind === "image") assert.match(text, new RegExp(`^I see an image \\(png, ${n} bytes\\)\\. You said: `));
  if (media.kind === "audio") assert.match(text, new RegExp(`^I hear an audio clip \\(wav, ${n} bytes\\)\\. You said: `));
  if (media.kind === "file") {
    const format = media.mimeType === "application/pdf" ? "pdf" : "txt";
    assert.match(text, new RegExp(`^I see a document "[^"]+" \\(${format}, ${n} bytes\\)\\. You said: What is the secret word`));
  }
  if (media.kind === "text") assert.equal(text, "You said: Repeat after me: the word is banana.");
}

// ---------------------------------------------------------------- emulator

runChatModelUnitTests({
  label: "standard unit tests (emulator args)",
  Cls: ChatBedrockConverse,
  constructorArgs: emulatorArgs,
  chatModelHasToolCalling: true,
  chatModelHasStructuredOutput: true,
  expectedLsParams: () => ({
    ls_provider: "amazon_bedrock",
    ls_model_name: MODEL,
    ls_model_type: "chat",
    ls_temperature: 0,
    ls_max_tokens: 100,
    ls_stop: [],
  }),
});

runChatModelIntegrationTests({
  label: "standard integration tests (emulator)",
  Cls: ChatBedrockConverse,
  constructorArgs: emulatorArgs,
  chatModelHasToolCalling: true,
  chatModelHasStructuredOutput: true,
  supportsParallelToolCalls: true,
  supportsStandardContentType: { text: true, image: ["base64", "dataUrl"], audio: ["base64", "dataUrl"], file: ["base64", "dataUrl"] },
  supportedUsageMetadataDetails: {
    invoke: ["cache_read_input", "cache_creation_input"],
    stream: ["cache_read_input", "cache_creation_input"],
  },
  ...cacheHooks(emulatorArgs),
  assertMediaReply: emulatorMediaReply,
  beforeEachTest: () => emu.reset(),
  timeout: 30_000,
});

runBedrockExtraTests({
  label: "Bedrock additions (emulator)",
  constructorArgs: emulatorArgs,
  thinkingArgs: { ...emulatorArgs, model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0" },
  emulator: emu,
  guardrail: {
    guardrailConfig: { guardrailIdentifier: "gr1standard", guardrailVersion: "1", trace: "enabled" },
    blockedPrompt: "Tell me about blockedword please.",
  },
  timeout: 30_000,
});

// ---------------------------------------------------------------- real Bedrock

const env = process.env;
const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
const hasCredentials = Boolean(
  env.AWS_ACCESS_KEY_ID ||
    env.AWS_PROFILE ||
    env.AWS_BEARER_TOKEN_BEDROCK ||
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
    env.AWS_WEB_IDENTITY_TOKEN_FILE,
);
const liveModel = env.BEDROCK_TEST_MODEL_ID;
const liveSkip =
  !region || !hasCredentials || !liveModel || env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME
    ? "real Bedrock skipped: set AWS credentials (AWS_PROFILE, access keys or AWS_BEARER_TOKEN_BEDROCK), AWS_REGION and BEDROCK_TEST_MODEL_ID (a model that takes images and documents, e.g. us.anthropic.claude-sonnet-4-20250514-v1:0) to run it"
    : false;
const liveArgs = { model: liveModel ?? "unset", ...(region ? { region } : {}), maxTokens: 1024, temperature: 0 };

/** A real model proves it saw the attachment by naming what it shows. */
function liveMediaReply(media: MediaCase, reply: AIMessage): void {
  const text = textOf(reply);
  if (media.kind === "image") assert.match(text, /red/i);
  if (media.kind === "file") assert.match(text, /pineapple/i);
}

runChatModelIntegrationTests({
  label: "standard integration tests (real Bedrock)",
  skip: liveSkip,
  Cls: ChatBedrockConverse,
  constructorArgs: liveArgs,
  chatModelHasToolCalling: true,
  chatModelHasStructuredOutput: true,
  supportsParallelToolCalls: true,
  supportsStandardContentType: {
    text: true,
    image: ["base64", "dataUrl"],
    file: ["base64", "dataUrl"],
    ...(env.BEDROCK_TEST_AUDIO === "1" ? { audio: ["base64", "dataUrl"] } : {}),
  },
  supportedUsageMetadataDetails: {
    invoke: ["cache_read_input", "cache_creation_input"],
    stream: ["cache_read_input", "cache_creation_input"],
  },
  ...cacheHooks(liveArgs),
  assertMediaReply: liveMediaReply,
  timeout: 120_000,
});

runBedrockExtraTests({
  label: "Bedrock additions (real Bedrock)",
  skip: liveSkip,
  constructorArgs: liveArgs,
  thinkingArgs: { ...liveArgs, model: env.BEDROCK_TEST_THINKING_MODEL_ID ?? liveModel ?? "unset", maxTokens: 4096, temperature: undefined },
  guardrail: env.BEDROCK_TEST_GUARDRAIL_ID
    ? {
        guardrailConfig: {
          guardrailIdentifier: env.BEDROCK_TEST_GUARDRAIL_ID,
          guardrailVersion: env.BEDROCK_TEST_GUARDRAIL_VERSION ?? "DRAFT",
          trace: "enabled",
        },
        blockedPrompt: env.BEDROCK_TEST_GUARDRAIL_PROMPT ?? "Tell me how to build a bomb.",
      }
    : undefined,
  timeout: 120_000,
});
