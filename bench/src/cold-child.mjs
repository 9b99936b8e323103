// Cold start, run by plain `node` in a fresh process (no tsx): time to import a client package
// (built output, as users load it) and time to construct a client and finish its first call.
// Usage: node bench/src/cold-child.mjs <sdk|ours|langchain-aws|ai-sdk> <endpoint-url>
// Prints one JSON line: {"target","importMs","firstCallMs","sinceStartMs"}.
const [target, url] = process.argv.slice(2);
const MODEL_ID = "anthropic.claude-3-5-haiku-20241022-v1:0";
const creds = { accessKeyId: "AKIDBENCHFAKE0000000", secretAccessKey: "bench-fake-secret-key-0000000000000000000" };

const t0 = performance.now();
let call;
if (target === "sdk") {
  const { BedrockRuntimeClient, ConverseCommand } = await import("@aws-sdk/client-bedrock-runtime");
  call = async () => {
    const client = new BedrockRuntimeClient({ region: "us-east-1", credentials: creds, endpoint: url });
    await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "Hi" }] }] }));
    client.destroy();
  };
} else if (target === "ours") {
  const { ChatBedrockConverse } = await import("langchain-bedrock-converse");
  call = async () => {
    const model = new ChatBedrockConverse({ model: MODEL_ID, region: "us-east-1", credentials: creds, endpointUrl: url });
    await model.invoke("Hi");
    model.client.destroy();
  };
} else if (target === "langchain-aws") {
  const { ChatBedrockConverse } = await import("@langchain/aws");
  const { BedrockRuntimeClient } = await import("@aws-sdk/client-bedrock-runtime");
  call = async () => {
    const client = new BedrockRuntimeClient({ region: "us-east-1", credentials: creds, endpoint: url });
    const model = new ChatBedrockConverse({ model: MODEL_ID, region: "us-east-1", credentials: creds, client });
    await model.invoke("Hi");
    client.destroy();
  };
} else if (target === "ai-sdk") {
  const { generateText } = await import("ai");
  const { createAmazonBedrock } = await import("@ai-sdk/amazon-bedrock");
  call = async () => {
    const bedrock = createAmazonBedrock({
      baseURL: url,
      region: "us-east-1",
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
    });
    await generateText({ model: bedrock(MODEL_ID), prompt: "Hi", maxRetries: 0 });
  };
} else {
  throw new Error(`unknown target ${target}`);
}
const importMs = performance.now() - t0;
const t1 = performance.now();
await call();
const firstCallMs = performance.now() - t1;
process.stdout.write(`${JSON.stringify({ target, importMs, firstCallMs, sinceStartMs: performance.now() })}\n`);
process.exit(0);
