// `npm start`: a tour of ChatBedrockConverse, one section per documented example.
// With no AWS credentials it runs against the embedded Bedrock Runtime emulator (scripted to the
// documented French translation); with credentials and a region it runs against real Bedrock.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { HumanMessage, type AIMessageChunk } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { startEmulator, type Emulator } from "bedrock-runtime-emulator";
import { ChatBedrockConverse } from "langchain-bedrock-converse";

const env = process.env;
// The AWS SDK warns on Node 20 that its releases after January 2027 need Node 22 (README, "Supported
// versions"); the tour's output is about the model, so it is silenced here unless set otherwise.
env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const hasAws =
  Boolean(env.AWS_REGION || env.AWS_DEFAULT_REGION) &&
  Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_BEARER_TOKEN_BEDROCK || env.AWS_CONTAINER_CREDENTIALS_FULL_URI);
const realBedrock = hasAws && env.TOUR_USE_EMULATOR !== "1";

const show = (value: unknown) => console.log(inspect(value, { depth: 6, colors: process.stdout.isTTY, breakLength: 120 }));
const heading = (title: string) => console.log(`\n=== ${title} ===`);

async function main(): Promise<void> {
  let emulator: Emulator | undefined;
  const common: Record<string, unknown> = {};
  if (!realBedrock) {
    emulator = await startEmulator({
      port: 0,
      host: "127.0.0.1",
      // One scripted reply per call that translates (invoke, stream, stream again).
      script: Array.from({ length: 3 }, () => ({
        match: "I love programming.",
        output: { message: { role: "assistant" as const, content: [{ text: "J'aime la programmation." }] } },
        stopReason: "end_turn",
        usage: { inputTokens: 25, outputTokens: 11, totalTokens: 36 },
        chunkSize: 1,
      })),
    });
    Object.assign(common, {
      endpointUrl: emulator.url,
      region: "us-east-1",
      awsAccessKeyId: "AKIDTOUREXAMPLE",
      awsSecretAccessKey: "tour-secret-not-real",
    });
    console.log(
      hasAws
        ? `TOUR_USE_EMULATOR=1: running against the embedded emulator at ${emulator.url} (AWS credentials are not used).`
        : `No AWS credentials found: running against the embedded emulator at ${emulator.url}.`,
    );
    console.log(
      `Its replies to the translation prompt are scripted to the README's example ("J'aime la programmation.", 25/11/36 tokens); the rest come from its default model.`,
    );
  } else {
    console.log(`Running against real Amazon Bedrock in ${env.AWS_REGION ?? env.AWS_DEFAULT_REGION}.`);
  }
  const modelId = env.TOUR_MODEL_ID ?? "us.anthropic.claude-3-5-sonnet-20241022-v2:0";
  const thinkingModelId = env.TOUR_THINKING_MODEL_ID ?? "us.anthropic.claude-sonnet-4-20250514-v1:0";

  try {
    heading("Instantiate");
    const llm = new ChatBedrockConverse({ model: modelId, temperature: 0, ...common });
    console.log(`new ChatBedrockConverse({ model: "${llm.modelId}", temperature: 0 }) -> provider ${llm.provider}`);

    const messages: [string, string][] = [
      ["system", "You are a helpful translator. Translate the user sentence to French."],
      ["human", "I love programming."],
    ];

    heading("Invoke");
    const aiMsg = await llm.invoke(messages);
    show(aiMsg);

    heading("Stream");
    for await (const chunk of await llm.stream(messages)) {
      show({ content: chunk.content, response_metadata: chunk.response_metadata, usage_metadata: chunk.usage_metadata });
    }

    heading("Stream, concatenated");
    let full: AIMessageChunk | undefined;
    for await (const chunk of await llm.stream(messages)) full = full ? full.concat(chunk) : chunk;
    show({ content: full?.content, response_metadata: full?.response_metadata, usage_metadata: full?.usage_metadata });

    heading("Tool calling");
    const GetWeather = tool(async ({ location }) => `It is sunny in ${location}.`, {
      name: "GetWeather",
      description: "Get the current weather in a given location",
      schema: z.object({ location: z.string().describe("The city and state, e.g. San Francisco, CA") }),
    });
    const GetPopulation = tool(async ({ location }) => `${location} has many people.`, {
      name: "GetPopulation",
      description: "Get the current population in a given location",
      schema: z.object({ location: z.string().describe("The city and state, e.g. San Francisco, CA") }),
    });
    const withTools = llm.bindTools([GetWeather, GetPopulation]);
    const toolMsg = await withTools.invoke("Which city is hotter today and which is bigger: LA or NY?");
    show(toolMsg.tool_calls);

    heading("Structured output");
    const Joke = z
      .object({
        setup: z.string().describe("The setup of the joke"),
        punchline: z.string().describe("The punchline to the joke"),
        rating: z.number().int().optional().describe("How funny the joke is, from 1 to 10"),
      })
      .describe("Joke to tell user.");
    const structured = llm.withStructuredOutput(Joke, { name: "Joke" });
    show(await structured.invoke("Tell me a joke about cats"));
    const structuredNative = llm.withStructuredOutput(Joke, { name: "Joke", method: "jsonSchema" });
    show(await structuredNative.invoke("Tell me a joke about cats"));

    heading("Extended thinking");
    const thinker = new ChatBedrockConverse({
      model: thinkingModelId,
      maxTokens: 5000,
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 2000 } },
      ...common,
    });
    const thought = await thinker.invoke("What is the cube root of 50.653?");
    show(thought.content);

    heading("Image input");
    const imageData = readFileSync(new URL("./assets/sunny-sky.png", import.meta.url)).toString("base64");
    const imageMsg = new HumanMessage({
      content: [
        { type: "text", text: "describe the weather in this image" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: imageData } },
      ],
    });
    const described = await llm.invoke([imageMsg]);
    show(described.content);

    heading("Token usage");
    show(aiMsg.usage_metadata);

    heading("Response metadata");
    show(aiMsg.response_metadata);
  } finally {
    await emulator?.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
