// A LangGraph ReAct agent (createReactAgent from @langchain/langgraph/prebuilt) running two tool
// rounds against the emulator over real HTTP: the default model calls GetWeather for both cities,
// a scripted turn (matched on the weather results) calls GetPopulation for both, and the default
// model answers from the last tool results.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import type { Emulator, ScriptReply } from "bedrock-runtime-emulator";
import { emulator, model, runtimeRequests } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

const TOOL_USE_ID = /^tooluse_[A-Za-z0-9_-]{22}$/;
const schema = z.object({ location: z.string().describe("The city and state, e.g. San Francisco, CA") });
const GetWeather = tool(async ({ location }) => `It is sunny in ${location}.`, {
  name: "GetWeather",
  description: "Get the current weather in a given location",
  schema,
});
const POPULATIONS: Record<string, string> = { "Los Angeles, CA": "3.9 million", "New York, NY": "8.3 million" };
const GetPopulation = tool(async ({ location }) => ({ location, population: POPULATIONS[location] ?? "unknown" }), {
  name: "GetPopulation",
  description: "Get the current population in a given location",
  schema,
});

const LA_POP = "tooluse_populationLA0000000";
const NY_POP = "tooluse_populationNY0000000";
/** Round two: after the weather results come back, look up both populations. */
const populationRound: ScriptReply = {
  match: "It is sunny in New York, NY.",
  output: {
    message: {
      role: "assistant",
      content: [
        { text: "Both are sunny. Now the populations." },
        { toolUse: { toolUseId: LA_POP, name: "GetPopulation", input: { location: "Los Angeles, CA" } } },
        { toolUse: { toolUseId: NY_POP, name: "GetPopulation", input: { location: "New York, NY" } } },
      ],
    },
  },
  stopReason: "tool_use",
  chunkSize: 8,
};

const PROMPT = "Which city is hotter today: LA or NY?";
const FINAL =
  'Based on the tool results: GetPopulation returned "{\\"location\\":\\"Los Angeles, CA\\",\\"population\\":\\"3.9 million\\"}"; ' +
  'GetPopulation returned "{\\"location\\":\\"New York, NY\\",\\"population\\":\\"8.3 million\\"}".';

function summarize(messages: BaseMessage[]): Array<[string, unknown]> {
  return messages.map((m) => {
    if (m instanceof ToolMessage) return ["tool", [m.name, m.tool_call_id, m.content, m.status]];
    if (m instanceof AIMessage) return ["ai", (m.tool_calls ?? []).map((c) => [c.name, c.args])];
    return [m.getType(), m.content];
  });
}

async function runAgent(streaming: boolean) {
  emu.setScript([populationRound]);
  const llm = model(emu, { streaming });
  const agent = createReactAgent({ llm, tools: [GetWeather, GetPopulation] });
  const result = await agent.invoke({ messages: [new HumanMessage(PROMPT)] });
  const messages = result.messages as BaseMessage[];

  assert.deepEqual(summarize(messages), [
    ["human", PROMPT],
    [
      "ai",
      [
        ["GetWeather", { location: "Los Angeles, CA" }],
        ["GetWeather", { location: "New York, NY" }],
      ],
    ],
    ["tool", ["GetWeather", (messages[1] as AIMessage).tool_calls![0]!.id, "It is sunny in Los Angeles, CA.", "success"]],
    ["tool", ["GetWeather", (messages[1] as AIMessage).tool_calls![1]!.id, "It is sunny in New York, NY.", "success"]],
    [
      "ai",
      [
        ["GetPopulation", { location: "Los Angeles, CA" }],
        ["GetPopulation", { location: "New York, NY" }],
      ],
    ],
    ["tool", ["GetPopulation", LA_POP, '{"location":"Los Angeles, CA","population":"3.9 million"}', "success"]],
    ["tool", ["GetPopulation", NY_POP, '{"location":"New York, NY","population":"8.3 million"}', "success"]],
    ["ai", []],
  ]);
  const weatherIds = (messages[1] as AIMessage).tool_calls!.map((c) => c.id!);
  for (const id of weatherIds) assert.match(id, TOOL_USE_ID);
  const final = messages[7] as AIMessage;
  const finalText = (final.content as Array<{ type: string; text: string }>)
    .filter((b) => b.type === "text")
    .map((b) => b.text)
    .join("");
  assert.equal(finalText, FINAL);

  // Three model calls; the last carries the whole conversation as Bedrock tool blocks.
  const reqs = runtimeRequests(emu);
  assert.deepEqual(
    reqs.map((r) => r.operation),
    Array(3).fill(streaming ? "converse-stream" : "converse"),
  );
  assert.deepEqual(
    reqs.map((r) => r.scripted),
    [false, true, false],
  );
  const body = reqs[2]!.body as { messages: unknown; toolConfig: { tools: Array<{ toolSpec: { name: string } }> } };
  assert.deepEqual(
    body.toolConfig.tools.map((t) => t.toolSpec.name),
    ["GetWeather", "GetPopulation"],
  );
  assert.deepEqual(body.messages, [
    { role: "user", content: [{ text: PROMPT }] },
    {
      role: "assistant",
      content: [
        { text: "I'll use GetWeather to answer this." },
        { toolUse: { toolUseId: weatherIds[0], name: "GetWeather", input: { location: "Los Angeles, CA" } } },
        { toolUse: { toolUseId: weatherIds[1], name: "GetWeather", input: { location: "New York, NY" } } },
      ],
    },
    {
      role: "user",
      content: [
        { toolResult: { toolUseId: weatherIds[0], content: [{ text: "It is sunny in Los Angeles, CA." }], status: "success" } },
        { toolResult: { toolUseId: weatherIds[1], content: [{ text: "It is sunny in New York, NY." }], status: "success" } },
      ],
    },
    {
      role: "assistant",
      content: [
        { text: "Both are sunny. Now the populations." },
        { toolUse: { toolUseId: LA_POP, name: "GetPopulation", input: { location: "Los Angeles, CA" } } },
        { toolUse: { toolUseId: NY_POP, name: "GetPopulation", input: { location: "New York, NY" } } },
      ],
    },
    {
      role: "user",
      content: [
        {
          toolResult: {
            toolUseId: LA_POP,
            content: [{ text: '{"location":"Los Angeles, CA","population":"3.9 million"}' }],
            status: "success",
          },
        },
        {
          toolResult: {
            toolUseId: NY_POP,
            content: [{ text: '{"location":"New York, NY","population":"8.3 million"}' }],
            status: "success",
          },
        },
      ],
    },
  ]);
}

describe("createReactAgent (LangGraph) against the emulator", () => {
  test("two tool rounds then a final answer (Converse)", async () => {
    await runAgent(false);
  });

  test("the same loop with streaming: true (ConverseStream; streamed AI messages round-trip)", async () => {
    await runAgent(true);
  });
});
