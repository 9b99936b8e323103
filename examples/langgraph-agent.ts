// A LangGraph agent streaming in "messages" mode on ChatBedrockConverse, against the embedded emulator:
//   node --conditions=source --import tsx examples/langgraph-agent.ts
// Prints one line per streamed message: node, id, content blocks and tool-call chunks. Each token
// arrives once, tool-call chunks stream as they come, and every chunk of one reply has one id
// (`run-<runId>`), which is also the id of the reply kept in the graph's state.
import { HumanMessage, AIMessageChunk } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { startEmulator } from "bedrock-runtime-emulator";
import { ChatBedrockConverse } from "langchain-bedrock-converse";
import { z } from "zod";

const emulator = await startEmulator({ port: 0, host: "127.0.0.1" });
try {
  const llm = new ChatBedrockConverse({
    model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    region: "us-east-1",
    endpointUrl: emulator.url,
    awsAccessKeyId: "AKIDEXAMPLEAGENT0001",
    awsSecretAccessKey: "example-secret-not-real",
  });
  const getWeather = tool(async ({ city }) => `It is sunny and 21 °C in ${city}.`, {
    name: "get_weather",
    description: "Current weather in a city",
    schema: z.object({ city: z.string().describe("City name") }),
  });
  const agent = createReactAgent({ llm, tools: [getWeather] });

  const stream = await agent.stream({ messages: [new HumanMessage("What is the weather in Paris?")] }, { streamMode: "messages" });
  for await (const [message, metadata] of stream) {
    const toolCallChunks = AIMessageChunk.isInstance(message) ? (message.tool_call_chunks ?? []) : [];
    console.log(
      metadata.langgraph_node.padEnd(6),
      message.getType().padEnd(4),
      message.id,
      JSON.stringify(message.content),
      toolCallChunks.length ? `tool_call_chunks=${JSON.stringify(toolCallChunks)}` : "",
    );
  }
} finally {
  await emulator.close();
}
