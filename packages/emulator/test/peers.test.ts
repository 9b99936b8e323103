// Unchanged third-party clients against the emulator: @langchain/aws ChatBedrockConverse (JS SDK,
// h2c) and @ai-sdk/amazon-bedrock (fetch, HTTP/1.1), for invoke and stream.
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { ChatBedrockConverse } from "@langchain/aws";
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { startEmulator, type Emulator } from "bedrock-runtime-emulator";
import { CREDENTIALS, MODEL } from "./helpers.js";

const SLOW = { timeout: 30_000 };

// The AI SDK is loaded by a computed specifier: its typings pull in eventsource-parser, whose
// "source" export condition (which the repo's typecheck enables) points at raw .ts files that do
// not compile under this repo's settings. These few local types cover what the tests use.
interface AiUsage {
  inputTokens?: number;
  outputTokens?: number;
}
interface AiModule {
  generateText(options: { model: unknown; prompt: string }): Promise<{ text: string; finishReason: string; usage: AiUsage }>;
  streamText(options: { model: unknown; prompt: string }): {
    textStream: AsyncIterable<string>;
    finishReason: Promise<string>;
    usage: Promise<AiUsage>;
  };
}
interface AmazonBedrockModule {
  createAmazonBedrock(options: {
    baseURL: string;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
  }): (modelId: string) => unknown;
}
const AI_SPECIFIER = "ai";
const BEDROCK_SPECIFIER = "@ai-sdk/amazon-bedrock";
const { generateText, streamText } = (await import(AI_SPECIFIER)) as AiModule;
const { createAmazonBedrock } = (await import(BEDROCK_SPECIFIER)) as AmazonBedrockModule;
const REPLY = "The lighthouse keeper lit the lamp and watched the storm roll in.";

let emu: Emulator;
before(async () => {
  emu = await startEmulator();
});
beforeEach(() => emu.reset());
after(() => emu.close());

describe("@langchain/aws ChatBedrockConverse", () => {
  function chat() {
    const client = new BedrockRuntimeClient({ endpoint: emu.url, region: "us-east-1", credentials: CREDENTIALS });
    return { client, model: new ChatBedrockConverse({ model: MODEL, region: "us-east-1", client }) };
  }

  test("invoke", SLOW, async () => {
    emu.setScript([{ text: REPLY, usage: { inputTokens: 11, outputTokens: 14 } }]);
    const { client, model } = chat();
    try {
      const message = await model.invoke("Tell me about the lighthouse.");
      assert.equal(message.content, REPLY);
      assert.deepEqual(
        {
          input: message.usage_metadata?.input_tokens,
          output: message.usage_metadata?.output_tokens,
          total: message.usage_metadata?.total_tokens,
        },
        { input: 11, output: 14, total: 25 },
      );
      assert.equal(message.response_metadata.stopReason, "end_turn");
      assert.deepEqual(emu.requests()[0].body, { messages: [{ role: "user", content: [{ text: "Tell me about the lighthouse." }] }] });
    } finally {
      client.destroy();
    }
  });

  test("stream", SLOW, async () => {
    emu.setScript([{ text: REPLY, chunkSize: 2 }]);
    const { client, model } = chat();
    try {
      const pieces: string[] = [];
      for await (const chunk of await model.stream("Tell me about the lighthouse.")) {
        if (typeof chunk.content === "string" && chunk.content) pieces.push(chunk.content);
      }
      assert.equal(pieces.join(""), REPLY);
      assert.deepEqual(pieces.slice(0, 2), ["The lighthouse", " keeper lit"]);
      assert.equal(emu.requests()[0].operation, "converse-stream");
    } finally {
      client.destroy();
    }
  });

  test("tool calls come back as tool_calls", SLOW, async () => {
    emu.setScript([
      { output: { message: { content: [{ toolUse: { toolUseId: "tooluse_1", name: "get_weather", input: { city: "Oslo" } } }] } } },
    ]);
    const { client, model } = chat();
    try {
      const bound = model.bindTools([
        {
          name: "get_weather",
          description: "Weather for a city",
          schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      ]);
      const message = await bound.invoke("Weather in Oslo?");
      assert.deepEqual(message.tool_calls, [{ id: "tooluse_1", name: "get_weather", args: { city: "Oslo" }, type: "tool_call" }]);
    } finally {
      client.destroy();
    }
  });
});

describe("@ai-sdk/amazon-bedrock", () => {
  const bedrock = () =>
    createAmazonBedrock({
      baseURL: emu.url,
      region: "us-east-1",
      accessKeyId: CREDENTIALS.accessKeyId,
      secretAccessKey: CREDENTIALS.secretAccessKey,
    });

  test("generateText", SLOW, async () => {
    emu.setScript([{ text: REPLY, usage: { inputTokens: 9, outputTokens: 14 } }]);
    const result = await generateText({ model: bedrock()(MODEL), prompt: "Tell me about the lighthouse." });
    assert.equal(result.text, REPLY);
    assert.equal(result.finishReason, "stop");
    assert.equal(result.usage.inputTokens, 9);
    assert.equal(result.usage.outputTokens, 14);
    const logged = emu.requests()[0];
    assert.equal(logged.protocol, "http/1.1");
    assert.equal(logged.operation, "converse");
    assert.equal(logged.modelId, MODEL);
    assert.equal(logged.headers.authorization, "AWS4-HMAC-SHA256 [REDACTED]");
  });

  test("streamText", SLOW, async () => {
    emu.setScript([{ text: REPLY, usage: { inputTokens: 9, outputTokens: 14 } }]);
    const result = streamText({ model: bedrock()(MODEL), prompt: "Tell me about the lighthouse." });
    let text = "";
    for await (const piece of result.textStream) text += piece;
    assert.equal(text, REPLY);
    assert.equal(await result.finishReason, "stop");
    assert.equal((await result.usage).outputTokens, 14);
    assert.equal(emu.requests()[0].operation, "converse-stream");
  });
});
