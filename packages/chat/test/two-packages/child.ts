// Runs in its own process: loads @langchain/aws and langchain-bedrock-converse in the order given,
// calls each against the emulator (invoke and a concatenated stream), and prints the contentBlocks.
// Usage: node --conditions=source --import tsx child.ts <aws-first|ours-first|aws-only|ours-only> <emulator url>
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import type { AIMessageChunk, BaseMessage } from "@langchain/core/messages";

const [order = "aws-first", url = ""] = process.argv.slice(2);
const MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const credentials = { accessKeyId: "AKIDTESTFAKEKEY00001", secretAccessKey: "fake-secret-Zm9vYmFyYmF6cXV4" };
type Model = { invoke(i: string): Promise<BaseMessage>; stream(i: string): Promise<AsyncIterable<AIMessageChunk>> };

const loaders: Record<string, () => Promise<[string, Model]>> = {
  aws: async () => {
    const { ChatBedrockConverse } = await import("@langchain/aws");
    const client = new BedrockRuntimeClient({ region: "us-east-1", endpoint: url, credentials, maxAttempts: 1 });
    return ["aws", new ChatBedrockConverse({ model: MODEL, region: "us-east-1", credentials, client }) as unknown as Model];
  },
  ours: async () => {
    const { ChatBedrockConverse } = await import("langchain-bedrock-converse");
    return [
      "ours",
      new ChatBedrockConverse({
        model: MODEL,
        region: "us-east-1",
        endpointUrl: url,
        awsAccessKeyId: credentials.accessKeyId,
        awsSecretAccessKey: credentials.secretAccessKey,
        maxRetries: 0,
      }) as unknown as Model,
    ];
  },
};
const sequence = { "aws-first": ["aws", "ours"], "ours-first": ["ours", "aws"], "aws-only": ["aws"], "ours-only": ["ours"] }[order] ?? [];
const models: [string, Model][] = [];
for (const name of sequence) models.push(await loaders[name]!());

const out: Record<string, unknown> = {};
for (const [name, model] of models) {
  const invoked = await model.invoke("Weather in Paris?");
  let full: AIMessageChunk | undefined;
  for await (const c of await model.stream("Weather in Paris?")) full = full ? full.concat(c) : c;
  out[name] = { invoke: invoked.contentBlocks, stream: full!.contentBlocks };
}
process.stdout.write(`${JSON.stringify(out)}\n`);
