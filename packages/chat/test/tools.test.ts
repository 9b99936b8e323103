// Tool calling over real HTTP against the emulator: every bindTools input form and toolChoice value
// on the wire, unsupported choices, the seed's parallel calls, streamed tool calls, tool results and
// tool blocks in the history.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { z as z3 } from "zod/v3";
import { AIMessage, type AIMessageChunk, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { RunnableLambda } from "@langchain/core/runnables";
import { StructuredTool, tool } from "@langchain/core/tools";
import type { Emulator, ScriptReply } from "bedrock-runtime-emulator";
import { BedrockConverseError, BedrockToolChoiceError, BedrockToolFormatError } from "langchain-bedrock-converse";
import { emulator, lastBody, model, runtimeRequests, collectWarnings } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

const TOOL_USE_ID = /^tooluse_[A-Za-z0-9_-]{22}$/;
const SEED_PROMPT = "Which city is hotter today and which is bigger: LA or NY?";
const locationSchema = z.object({ location: z.string().describe("The city and state, e.g. San Francisco, CA") });
const GetWeather = tool(async ({ location }) => `It is sunny in ${location}.`, {
  name: "GetWeather",
  description: "Get the current weather in a given location",
  schema: locationSchema,
});
const GetPopulation = tool(async ({ location }) => `${location} has many people.`, {
  name: "GetPopulation",
  description: "Get the current population in a given location",
  schema: locationSchema,
});

/** The toolSpec the seed's GetWeather becomes. */
const weatherSpec = {
  toolSpec: {
    name: "GetWeather",
    description: "Get the current weather in a given location",
    inputSchema: {
      json: {
        type: "object",
        properties: { location: { type: "string", description: "The city and state, e.g. San Francisco, CA" } },
        required: ["location"],
        additionalProperties: false,
      },
    },
  },
};
const populationSpec = {
  toolSpec: { ...weatherSpec.toolSpec, name: "GetPopulation", description: "Get the current population in a given location" },
};

function toolConfig(): unknown {
  return lastBody(emu).toolConfig;
}

describe("bindTools: every input form reaches the wire", () => {
  test("a LangChain tool() with a zod v4 schema", async () => {
    await model(emu).bindTools([GetWeather]).invoke("What is the weather in Paris?");
    assert.deepEqual(toolConfig(), { tools: [weatherSpec] });
  });

  test("a LangChain tool() with a zod v3 schema", async () => {
    const v3 = tool(async () => "sunny", {
      name: "GetWeather",
      description: "Get the current weather in a given location",
      schema: z3.object({ location: z3.string().describe("The city and state, e.g. San Francisco, CA") }),
    });
    await model(emu).bindTools([v3]).invoke("What is the weather in Paris?");
    assert.deepEqual(toolConfig(), { tools: [weatherSpec] });
  });

  test("a bare zod v4 schema named by .meta({title}) with its description", async () => {
    const schema = z
      .object({
        location: z.string().describe("The city and state, e.g. San Francisco, CA"),
        unit: z.enum(["celsius", "fahrenheit"]).optional(),
      })
      .meta({ title: "GetWeather", description: "Get the current weather in a given location" });
    const msg = await model(emu).bindTools([schema], { tool_choice: "GetWeather" }).invoke("What is the weather in Paris?");
    const json = weatherSpec.toolSpec.inputSchema.json;
    assert.deepEqual(toolConfig(), {
      tools: [
        {
          toolSpec: {
            ...weatherSpec.toolSpec,
            inputSchema: {
              json: { ...json, properties: { ...json.properties, unit: { type: "string", enum: ["celsius", "fahrenheit"] } } },
            },
          },
        },
      ],
      toolChoice: { tool: { name: "GetWeather" } },
    });
    assert.equal(msg.tool_calls?.length, 1);
    assert.deepEqual(msg.tool_calls?.[0]?.args, { location: "Paris", unit: "celsius" });
  });

  test("a bare zod v3 schema has no name: a clear error at bind time, nothing sent", () => {
    assert.throws(
      () => model(emu).bindTools([z3.object({ location: z3.string() }) as never]),
      (e: unknown) => e instanceof BedrockToolFormatError && e instanceof BedrockConverseError && /needs a name/.test(e.message),
    );
    assert.deepEqual(runtimeRequests(emu), []);
  });

  test("a StructuredTool subclass (zod v3 schema, nullable optional field stripped of null)", async () => {
    class Calculator extends StructuredTool {
      name = "calculator";
      description = "Adds two numbers";
      schema = z3.object({ a: z3.number(), b: z3.number().nullable().optional() });
      async _call(input: { a: number; b?: number | null }): Promise<string> {
        return String(input.a + (input.b ?? 0));
      }
    }
    const msg = await model(emu).bindTools([new Calculator()], { tool_choice: "any" }).invoke("What is 3 + 4?");
    assert.deepEqual(toolConfig(), {
      tools: [
        {
          toolSpec: {
            name: "calculator",
            description: "Adds two numbers",
            inputSchema: {
              json: {
                type: "object",
                properties: { a: { type: "number" }, b: { type: "number" } },
                required: ["a"],
                additionalProperties: false,
              },
            },
          },
        },
      ],
      toolChoice: { any: {} },
    });
    assert.deepEqual(
      msg.tool_calls?.map((c) => [c.name, c.args]),
      [["calculator", { a: 3, b: 4 }]],
    );
  });

  test("RunnableLambda.asTool()", async () => {
    const asTool = RunnableLambda.from(async (input: { location: string }) => `sunny in ${input.location}`).asTool({
      name: "GetWeather",
      description: "Get the current weather in a given location",
      schema: locationSchema,
    });
    await model(emu).bindTools([asTool]).invoke("What is the weather in Paris?");
    assert.deepEqual(toolConfig(), { tools: [weatherSpec] });
  });

  test("{name, description, schema} with a zod v3 schema and with a JSON schema", async () => {
    await model(emu)
      .bindTools([
        {
          name: "GetWeather",
          description: "Get the current weather in a given location",
          schema: z3.object({ location: z3.string().describe("The city and state, e.g. San Francisco, CA") }),
        },
        {
          name: "GetPopulation",
          description: "Get the current population in a given location",
          schema: {
            type: "object",
            properties: { location: { type: "string", description: "The city and state, e.g. San Francisco, CA" } },
            required: ["location"],
            additionalProperties: false,
          },
        },
      ])
      .invoke(SEED_PROMPT);
    assert.deepEqual(toolConfig(), { tools: [weatherSpec, populationSpec] });
  });

  test("an OpenAI-format tool dict, its strict flag passed through", async () => {
    await model(emu)
      .bindTools([
        {
          type: "function",
          function: {
            name: "GetWeather",
            description: "Get the current weather in a given location",
            parameters: weatherSpec.toolSpec.inputSchema.json,
            strict: true,
          },
        },
      ])
      .invoke("What is the weather in Paris?");
    assert.deepEqual(toolConfig(), { tools: [{ toolSpec: { ...weatherSpec.toolSpec, strict: true } }] });
  });

  test("an Anthropic-format tool dict", async () => {
    await model(emu)
      .bindTools([
        {
          name: "GetWeather",
          description: "Get the current weather in a given location",
          input_schema: weatherSpec.toolSpec.inputSchema.json,
        },
      ])
      .invoke("What is the weather in Paris?");
    assert.deepEqual(toolConfig(), { tools: [weatherSpec] });
  });

  test("a Bedrock toolSpec dict (description defaults to the name) and a cache point dict", async () => {
    await model(emu)
      .bindTools([
        { toolSpec: { name: "GetWeather", inputSchema: { json: weatherSpec.toolSpec.inputSchema.json } } },
        populationSpec,
        { cachePoint: { type: "default" } },
      ])
      .invoke(SEED_PROMPT);
    assert.deepEqual(toolConfig(), {
      tools: [{ toolSpec: { ...weatherSpec.toolSpec, description: "GetWeather" } }, populationSpec, { cachePoint: { type: "default" } }],
    });
  });

  test("a plain JSON schema with a title; null branches in anyOf and type arrays are stripped", async () => {
    const schema = {
      title: "GetWeather",
      description: "Get the current weather in a given location",
      type: "object",
      properties: {
        location: { anyOf: [{ type: "string" }, { type: "null" }], description: "The city and state, e.g. San Francisco, CA" },
        days: { type: ["integer", "null"] },
        unit: { anyOf: [{ type: "string", enum: ["c", "f"] }, { type: "integer" }, { type: "null" }] },
      },
      required: ["location"],
    };
    const before = structuredClone(schema);
    await model(emu).bindTools([schema]).invoke("What is the weather in Paris?");
    assert.deepEqual(toolConfig(), {
      tools: [
        {
          toolSpec: {
            name: "GetWeather",
            description: "Get the current weather in a given location",
            inputSchema: {
              json: {
                type: "object",
                properties: {
                  location: { type: "string", description: "The city and state, e.g. San Francisco, CA" },
                  days: { type: "integer" },
                  unit: { anyOf: [{ type: "string", enum: ["c", "f"] }, { type: "integer" }] },
                },
                required: ["location"],
              },
            },
          },
        },
      ],
    });
    assert.deepEqual(schema, before, "the caller's schema is not mutated");
  });

  test("strict: true and false pass through to toolSpec.strict; absent by default", async () => {
    const llm = model(emu);
    await llm.bindTools([GetWeather], { strict: true }).invoke("What is the weather in Paris?");
    assert.deepEqual(toolConfig(), { tools: [{ toolSpec: { ...weatherSpec.toolSpec, strict: true } }] });
    await llm.bindTools([GetWeather], { strict: false }).invoke("What is the weather in Paris?");
    assert.deepEqual(toolConfig(), { tools: [{ toolSpec: { ...weatherSpec.toolSpec, strict: false } }] });
    await llm.bindTools([GetWeather]).invoke("What is the weather in Paris?");
    assert.deepEqual(toolConfig(), { tools: [weatherSpec] });
  });

  test('"nova_grounding" with a Nova model: a systemTool next to custom tools, sent through Converse even when streaming', async () => {
    const nova = model(emu, { model: "amazon.nova-pro-v1:0" });
    const bound = nova.bindTools(["nova_grounding", GetWeather]);
    await bound.invoke("What is the latest news about Mars?");
    assert.deepEqual(toolConfig(), { tools: [{ systemTool: { name: "nova_grounding" } }, weatherSpec] });
    const chunks: AIMessageChunk[] = [];
    for await (const c of await nova.bindTools(["nova_grounding"]).stream("What is the latest news about Mars?")) chunks.push(c);
    assert.deepEqual(
      runtimeRequests(emu).map((r) => r.operation),
      ["converse", "converse"],
    );
    assert.deepEqual(toolConfig(), { tools: [{ systemTool: { name: "nova_grounding" } }] });
    assert.equal(chunks.length, 1);
    assert.deepEqual(chunks[0]!.content, [{ type: "text", text: "You said: What is the latest news about Mars?" }]);
  });

  test('"nova_code_interpreter" alone with a forced choice: downgraded to auto with a warning (system tools cannot be forced)', async () => {
    const nova = model(emu, { model: "us.amazon.nova-premier-v1:0" });
    const warnings = await collectWarnings(async () => {
      await nova.bindTools(["nova_code_interpreter"], { tool_choice: "any" }).invoke("Compute 2 + 2 with code.");
    });
    assert.deepEqual(toolConfig(), { tools: [{ systemTool: { name: "nova_code_interpreter" } }], toolChoice: { auto: {} } });
    assert.deepEqual(warnings, ["tool_choice \"any\" cannot force Nova system tools. Downgrading to tool_choice='auto'."]);
  });

  test("an unknown tool name string is rejected at bind time", () => {
    assert.throws(() => model(emu).bindTools(["web_search" as never]), BedrockToolFormatError);
    assert.deepEqual(runtimeRequests(emu), []);
  });
});

describe("toolChoice on the wire", () => {
  const cases: Array<[string, unknown, unknown]> = [
    ["auto", "auto", { auto: {} }],
    ["any", "any", { any: {} }],
    ['"required" (alias of any)', "required", { any: {} }],
    ["a tool name", "GetPopulation", { tool: { name: "GetPopulation" } }],
    ["a Bedrock ToolChoice object", { tool: { name: "GetWeather" } }, { tool: { name: "GetWeather" } }],
  ];
  for (const [label, choice, wire] of cases) {
    test(label, async () => {
      await model(emu)
        .bindTools([GetWeather, GetPopulation], { tool_choice: choice as string })
        .invoke(SEED_PROMPT);
      assert.deepEqual(toolConfig(), { tools: [weatherSpec, populationSpec], toolChoice: wire });
    });
  }

  test("no tool_choice sends none; a per-call toolChoice overrides the bound one", async () => {
    const bound = model(emu).bindTools([GetWeather, GetPopulation], { tool_choice: "any" });
    await model(emu).bindTools([GetWeather]).invoke("What is the weather in Paris?");
    assert.deepEqual(toolConfig(), { tools: [weatherSpec] });
    await bound.invoke(SEED_PROMPT, { toolChoice: "GetWeather" });
    assert.deepEqual(toolConfig(), { tools: [weatherSpec, populationSpec], toolChoice: { tool: { name: "GetWeather" } } });
    await model(emu).bindTools([GetWeather, GetPopulation], { toolChoice: "GetWeather" }).invoke(SEED_PROMPT, { tool_choice: "auto" });
    assert.deepEqual(toolConfig(), { tools: [weatherSpec, populationSpec], toolChoice: { auto: {} } });
  });

  test("a forced tool gives exactly one call to that tool, with no text", async () => {
    const msg = await model(emu).bindTools([GetWeather, GetPopulation], { tool_choice: "GetPopulation" }).invoke(SEED_PROMPT);
    assert.equal(msg.tool_calls?.length, 1);
    assert.equal(msg.tool_calls?.[0]?.name, "GetPopulation");
    assert.deepEqual(
      (msg.content as Array<{ type: string }>).map((b) => b.type),
      ["tool_use"],
    );
  });

  test("Llama 3.1 supports only auto: any raises BedrockToolChoiceError naming the supported values, before any request", async () => {
    const llama = model(emu, { model: "meta.llama3-1-70b-instruct-v1:0" });
    assert.deepEqual(llama.supportsToolChoiceValues, ["auto"]);
    const check = (e: unknown) => {
      assert.ok(e instanceof BedrockToolChoiceError);
      assert.ok(e instanceof BedrockConverseError);
      assert.equal(e.requested, "any");
      assert.deepEqual(e.supported, ["auto"]);
      assert.match(
        e.message,
        /^Model meta\.llama3-1-70b-instruct-v1:0 does not currently support tool_choice of type any\. The following tool_choice types are supported: auto\./,
      );
      return true;
    };
    assert.throws(() => llama.bindTools([GetWeather], { tool_choice: "any" }), check);
    // the same check runs per call, before the request goes out
    await assert.rejects(llama.bindTools([GetWeather]).invoke("What is the weather in Paris?", { tool_choice: "required" }), check);
    assert.deepEqual(runtimeRequests(emu), []);
    await llama.bindTools([GetWeather], { tool_choice: "auto" }).invoke("What is the weather in Paris?");
    assert.deepEqual(toolConfig(), { tools: [weatherSpec], toolChoice: { auto: {} } });
  });

  test("Mistral Large supports auto and any: a tool name raises naming both", async () => {
    const mistral = model(emu, { model: "mistral.mistral-large-2407-v1:0" });
    assert.throws(
      () => mistral.bindTools([GetWeather], { tool_choice: "GetWeather" }),
      (e: unknown) =>
        e instanceof BedrockToolChoiceError &&
        e.requested === "tool" &&
        e.message.includes(
          "does not currently support tool_choice of type tool. The following tool_choice types are supported: auto, any.",
        ),
    );
    assert.deepEqual(runtimeRequests(emu), []);
  });

  test("Llama 3 (8B) supports no tool choice at all", () => {
    assert.throws(
      () => model(emu, { model: "meta.llama3-8b-instruct-v1:0" }).bindTools([GetWeather], { tool_choice: "auto" }),
      /^BedrockToolChoiceError: Model meta\.llama3-8b-instruct-v1:0 does not currently support tool_choice\. Please see /,
    );
    assert.deepEqual(runtimeRequests(emu), []);
  });

  test("thinking enabled on Claude 3.7 + a forced choice: downgraded to auto with Python's warning", async () => {
    const thinker = model(emu, {
      model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
      maxTokens: 4000,
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 2000 } },
    });
    assert.deepEqual(thinker.supportsToolChoiceValues, ["auto"]);
    let msg: AIMessage | undefined;
    const warnings = await collectWarnings(async () => {
      msg = await thinker.bindTools([GetWeather, GetPopulation], { tool_choice: "any" }).invoke(SEED_PROMPT);
    });
    assert.deepEqual(toolConfig(), { tools: [weatherSpec, populationSpec], toolChoice: { auto: {} } });
    assert.deepEqual(warnings, [
      "Model anthropic.claude-3-7-sonnet-20250219-v1:0 does not support tool_choice of type any while thinking is enabled. " +
        "Downgrading to tool_choice='auto'. Disable thinking to force a tool call.",
    ]);
    assert.equal(msg!.tool_calls?.length, 4);
  });
});

describe("the seed's tool calling example", () => {
  test("GetWeather + GetPopulation: four parallel tool calls, content keeps the tool_use blocks", async () => {
    const msg = await model(emu).bindTools([GetWeather, GetPopulation]).invoke(SEED_PROMPT);
    assert.deepEqual(toolConfig(), { tools: [weatherSpec, populationSpec] });
    const calls = msg.tool_calls ?? [];
    for (const c of calls) assert.match(c.id!, TOOL_USE_ID);
    assert.equal(new Set(calls.map((c) => c.id)).size, 4);
    assert.deepEqual(calls, [
      { name: "GetWeather", args: { location: "Los Angeles, CA" }, id: calls[0]!.id, type: "tool_call" },
      { name: "GetWeather", args: { location: "New York, NY" }, id: calls[1]!.id, type: "tool_call" },
      { name: "GetPopulation", args: { location: "Los Angeles, CA" }, id: calls[2]!.id, type: "tool_call" },
      { name: "GetPopulation", args: { location: "New York, NY" }, id: calls[3]!.id, type: "tool_call" },
    ]);
    assert.deepEqual(msg.content, [
      { type: "text", text: "I'll use GetWeather and GetPopulation to answer this." },
      ...calls.map((c) => ({ type: "tool_use", id: c.id, name: c.name, input: c.args })),
    ]);
    assert.equal(msg.response_metadata.stopReason, "tool_use");
  });
});

describe("streamed tool calls", () => {
  test("tool_call_chunks: index, id and name first, then partial JSON args; concat equals invoke", async () => {
    const bound = model(emu).bindTools([GetWeather, GetPopulation]);
    const invoked = await bound.invoke(SEED_PROMPT);
    const chunks: AIMessageChunk[] = [];
    for await (const c of await bound.stream(SEED_PROMPT)) chunks.push(c);
    assert.equal(runtimeRequests(emu)[1]!.operation, "converse-stream");

    const toolChunks = chunks.flatMap((c) => c.tool_call_chunks ?? []);
    for (const [i, call] of invoked.tool_calls!.entries()) {
      const index = i + 1; // block 0 is the text
      const mine = toolChunks.filter((t) => t.index === index);
      assert.ok(mine.length >= 2, "a start chunk and at least one args delta");
      assert.deepEqual(mine[0], { type: "tool_call_chunk", name: call.name, id: call.id, args: "", index });
      for (const delta of mine.slice(1)) {
        assert.deepEqual(Object.keys(delta).sort(), ["args", "index", "type"]);
        assert.equal(typeof delta.args, "string");
      }
      assert.deepEqual(JSON.parse(mine.map((t) => t.args).join("")), call.args);
    }
    // Some args arrive split mid-JSON: partial, not whole objects.
    assert.ok(toolChunks.some((t) => t.args && t.args.length > 0 && !isJson(t.args)));

    let full: AIMessageChunk | undefined;
    for (const c of chunks) full = full ? full.concat(c) : c;
    assert.deepEqual(full!.tool_calls, invoked.tool_calls);
    assert.deepEqual(full!.content, [
      { type: "text", text: "I'll use GetWeather and GetPopulation to answer this.", index: 0 },
      ...invoked.tool_calls!.map((c, i) => ({ type: "tool_use", id: c.id, name: c.name, input: JSON.stringify(c.args), index: i + 1 })),
    ]);
  });

  test("text, a tool call and more text in one turn keep their order (stream and invoke)", async () => {
    const reply: ScriptReply = {
      output: {
        message: {
          role: "assistant",
          content: [
            { text: "Let me check the weather." },
            { toolUse: { toolUseId: "tooluse_AAAAAAAAAAAAAAAAAAAAAA", name: "GetWeather", input: { location: "Paris, France" } } },
            { text: "I will report back." },
          ],
        },
      },
      stopReason: "tool_use",
      chunkSize: 4,
    };
    emu.setScript([reply, reply]);
    const bound = model(emu).bindTools([GetWeather]);
    const chunks: AIMessageChunk[] = [];
    for await (const c of await bound.stream("What is the weather in Paris?")) chunks.push(c);
    const order = chunks.flatMap((c) =>
      (c.content as Array<Record<string, unknown>>).filter((b) => b.type !== undefined).map((b) => `${b.index}:${b.type as string}`),
    );
    const firstOf = (s: string) => order.indexOf(s);
    assert.ok(firstOf("0:text") < firstOf("1:tool_use") && firstOf("1:tool_use") < firstOf("2:text"));
    assert.ok(order.lastIndexOf("0:text") < firstOf("1:tool_use"));
    assert.ok(order.lastIndexOf("1:tool_use") < firstOf("2:text"));
    let full: AIMessageChunk | undefined;
    for (const c of chunks) full = full ? full.concat(c) : c;
    assert.deepEqual(full!.content, [
      { type: "text", text: "Let me check the weather.", index: 0 },
      { type: "tool_use", id: "tooluse_AAAAAAAAAAAAAAAAAAAAAA", name: "GetWeather", input: '{"location":"Paris, France"}', index: 1 },
      { type: "text", text: "I will report back.", index: 2 },
    ]);
    const expectedCalls = [
      { name: "GetWeather", args: { location: "Paris, France" }, id: "tooluse_AAAAAAAAAAAAAAAAAAAAAA", type: "tool_call" },
    ];
    assert.deepEqual(full!.tool_calls, expectedCalls);

    const invoked = await bound.invoke("What is the weather in Paris?");
    assert.deepEqual(invoked.content, [
      { type: "text", text: "Let me check the weather." },
      { type: "tool_use", id: "tooluse_AAAAAAAAAAAAAAAAAAAAAA", name: "GetWeather", input: { location: "Paris, France" } },
      { type: "text", text: "I will report back." },
    ]);
    assert.deepEqual(invoked.tool_calls, expectedCalls);
  });
});

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

// A conversation with one assistant turn calling two tools and both results.
const callWeather = {
  name: "GetWeather",
  args: { location: "Los Angeles, CA" },
  id: "tooluse_weather0000000000000a",
  type: "tool_call" as const,
};
const callPopulation = {
  name: "GetPopulation",
  args: { location: "Los Angeles, CA" },
  id: "tooluse_population00000000b",
  type: "tool_call" as const,
};
function history(results: ToolMessage[]): Array<HumanMessage | AIMessage | ToolMessage> {
  return [
    new HumanMessage("How hot and how big is LA?"),
    new AIMessage({ content: "", tool_calls: [callWeather, callPopulation] }),
    ...results,
  ];
}
const assistantTurn = {
  role: "assistant",
  content: [
    { toolUse: { toolUseId: callWeather.id, name: "GetWeather", input: { location: "Los Angeles, CA" } } },
    { toolUse: { toolUseId: callPopulation.id, name: "GetPopulation", input: { location: "Los Angeles, CA" } } },
  ],
};

describe("tool results and tool history", () => {
  test("several ToolMessages after one assistant turn go in one user message; AI tool_calls become toolUse", async () => {
    const msg = await model(emu)
      .bindTools([GetWeather, GetPopulation])
      .invoke(
        history([
          new ToolMessage({ content: "sunny, 75F", tool_call_id: callWeather.id }),
          new ToolMessage({ content: [{ type: "json", json: { population: 3900000 } }], tool_call_id: callPopulation.id }),
        ]),
      );
    assert.deepEqual(lastBody(emu).messages, [
      { role: "user", content: [{ text: "How hot and how big is LA?" }] },
      assistantTurn,
      {
        role: "user",
        content: [
          { toolResult: { toolUseId: callWeather.id, content: [{ text: "sunny, 75F" }], status: "success" } },
          { toolResult: { toolUseId: callPopulation.id, content: [{ json: { population: 3900000 } }], status: "success" } },
        ],
      },
    ]);
    assert.deepEqual(msg.content, [
      { type: "text", text: 'Based on the tool results: GetWeather returned "sunny, 75F"; GetPopulation returned {"population":3900000}.' },
    ]);
    assert.deepEqual(msg.tool_calls, []);
  });

  test("ToolMessage.status error becomes toolResult status error", async () => {
    const msg = await model(emu)
      .bindTools([GetWeather, GetPopulation])
      .invoke(
        history([
          new ToolMessage({ content: "Weather service unavailable", tool_call_id: callWeather.id, status: "error" }),
          new ToolMessage({ content: '{"population": 3900000}', tool_call_id: callPopulation.id, status: "success" }),
        ]),
      );
    const last = (lastBody(emu).messages as Array<{ content: unknown[] }>).at(-1)!;
    assert.deepEqual(last.content, [
      { toolResult: { toolUseId: callWeather.id, content: [{ text: "Weather service unavailable" }], status: "error" } },
      { toolResult: { toolUseId: callPopulation.id, content: [{ text: '{"population": 3900000}' }], status: "success" } },
    ]);
    assert.match((msg.content as Array<{ text: string }>)[0]!.text, /GetWeather failed with/);
  });

  test("tool results as JSON objects and text, image and document blocks", async () => {
    const png = Buffer.from("fake-png-bytes").toString("base64");
    const pdf = Buffer.from("%PDF-1.4 fake").toString("base64");
    await model(emu)
      .bindTools([GetWeather, GetPopulation])
      .invoke(
        history([
          new ToolMessage({
            content: [
              { type: "text", text: "Radar image and report:" },
              { type: "image", source_type: "base64", mime_type: "image/png", data: png },
              { type: "file", source_type: "base64", mime_type: "application/pdf", data: pdf, metadata: { name: "report" } },
            ],
            tool_call_id: callWeather.id,
          }),
          new ToolMessage({ content: [{ population: 3900000, rank: 2 }] as never, tool_call_id: callPopulation.id }),
        ]),
      );
    const last = (lastBody(emu).messages as Array<{ role: string; content: unknown[] }>).at(-1)!;
    assert.deepEqual(last, {
      role: "user",
      content: [
        {
          toolResult: {
            toolUseId: callWeather.id,
            content: [
              { text: "Radar image and report:" },
              { image: { format: "png", source: { bytes: png } } },
              { document: { format: "pdf", name: "report", source: { bytes: pdf } } },
            ],
            status: "success",
          },
        },
        { toolResult: { toolUseId: callPopulation.id, content: [{ json: { population: 3900000, rank: 2 } }], status: "success" } },
      ],
    });
  });

  test("a tool result followed by a human message share one user turn", async () => {
    await model(emu)
      .bindTools([GetWeather, GetPopulation])
      .invoke([
        ...history([
          new ToolMessage({ content: "sunny", tool_call_id: callWeather.id }),
          new ToolMessage({ content: "3.9 million", tool_call_id: callPopulation.id }),
        ]),
        new HumanMessage("Summarize."),
      ]);
    const last = (lastBody(emu).messages as Array<{ role: string; content: unknown[] }>).at(-1)!;
    assert.deepEqual(last.content, [
      { toolResult: { toolUseId: callWeather.id, content: [{ text: "sunny" }], status: "success" } },
      { toolResult: { toolUseId: callPopulation.id, content: [{ text: "3.9 million" }], status: "success" } },
      { text: "Summarize." },
    ]);
  });

  test("tool blocks in a history with no tools bound become text, with Python's warning", async () => {
    let msg: AIMessage | undefined;
    const warnings = await collectWarnings(async () => {
      msg = await model(emu).invoke([
        new SystemMessage("Be brief."),
        ...history([
          new ToolMessage({ content: "sunny, 75F", tool_call_id: callWeather.id }),
          new ToolMessage({ content: [{ type: "json", json: { population: 3900000 } }], tool_call_id: callPopulation.id }),
        ]),
      ]);
    });
    const body = lastBody(emu);
    assert.equal(body.toolConfig, undefined);
    assert.deepEqual(body.messages, [
      { role: "user", content: [{ text: "How hot and how big is LA?" }] },
      {
        role: "assistant",
        content: [
          { text: '[Called GetWeather with parameters: {"location": "Los Angeles, CA"}]' },
          { text: '[Called GetPopulation with parameters: {"location": "Los Angeles, CA"}]' },
        ],
      },
      {
        role: "user",
        content: [{ text: "[Tool output: sunny, 75F]" }, { text: '[Tool output: {"population": 3900000}]' }],
      },
    ]);
    assert.deepEqual(warnings, [
      "Tool messages were passed without toolConfig: toolUse and toolResult blocks were converted to text. Bind the tools (bindTools) to send them as tool blocks.",
    ]);
    assert.equal(msg!.content.length, 1);
  });

  test("an AI message round-trips: invoke output fed back gives the same toolUse blocks", async () => {
    const bound = model(emu).bindTools([GetWeather, GetPopulation]);
    const first = await bound.invoke(SEED_PROMPT);
    const results = first.tool_calls!.map(
      (c) => new ToolMessage({ content: `${c.name} ok for ${String(c.args.location)}`, tool_call_id: c.id! }),
    );
    const second = await bound.invoke([new HumanMessage(SEED_PROMPT), first, ...results]);
    const messages = lastBody(emu).messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
    assert.deepEqual(messages[1], {
      role: "assistant",
      content: [
        { text: "I'll use GetWeather and GetPopulation to answer this." },
        ...first.tool_calls!.map((c) => ({ toolUse: { toolUseId: c.id, name: c.name, input: c.args } })),
      ],
    });
    assert.deepEqual(
      messages[2]!.content.map((b) => (b.toolResult as { toolUseId: string }).toolUseId),
      first.tool_calls!.map((c) => c.id),
    );
    assert.equal(messages.length, 3);
    assert.match(
      (second.content as Array<{ text: string }>)[0]!.text,
      /^Based on the tool results: GetWeather returned "GetWeather ok for Los Angeles, CA"; /,
    );
    assert.deepEqual(second.tool_calls, []);
  });

  test("a streamed AI message (concatenated chunks) round-trips to the same toolUse blocks", async () => {
    const bound = model(emu).bindTools([GetWeather, GetPopulation]);
    let full: AIMessageChunk | undefined;
    for await (const c of await bound.stream(SEED_PROMPT)) full = full ? full.concat(c) : c;
    const results = full!.tool_calls!.map((c) => new ToolMessage({ content: "ok", tool_call_id: c.id! }));
    await bound.invoke([new HumanMessage(SEED_PROMPT), full!, ...results]);
    const messages = lastBody(emu).messages as Array<{ role: string; content: unknown[] }>;
    assert.deepEqual(messages[1], {
      role: "assistant",
      content: [
        { text: "I'll use GetWeather and GetPopulation to answer this." },
        ...full!.tool_calls!.map((c) => ({ toolUse: { toolUseId: c.id, name: c.name, input: c.args } })),
      ],
    });
  });
});

describe("Claude's toolUse type tag", () => {
  let emu: Emulator;
  before(async () => {
    emu = await emulator();
  });
  after(async () => {
    await emu.close();
  });

  test("Bedrock's type: tool_use is neither surfaced nor sent back (the request enum has only server_tool_use)", async () => {
    const llm = model(emu).bindTools([GetWeather]);
    const ai = await llm.invoke("What is the weather in Paris?");
    assert.equal(runtimeRequests(emu).at(-1)!.status, 200);
    const blocks = ai.content as Array<Record<string, unknown>>;
    const call = blocks.find((b) => b.type === "tool_use")!;
    assert.equal(call.tool_use_type, undefined);
    await llm.invoke([
      new HumanMessage("What is the weather in Paris?"),
      ai,
      new ToolMessage({ content: "sunny", tool_call_id: ai.tool_calls![0].id! }),
    ]);
    const sent = (lastBody(emu).messages as Array<{ content: Array<{ toolUse?: Record<string, unknown> }> }>)[1].content.find(
      (b) => b.toolUse,
    )!;
    assert.equal(sent.toolUse!.type, undefined);
    assert.equal(runtimeRequests(emu).at(-1)!.status, 200);
  });
});
