// withStructuredOutput over real HTTP against the emulator: functionCalling and jsonSchema with zod
// (v3, v4) and JSON schemas, promptPrefill for Nova, includeRaw, the responseFormat call option,
// schema failures and thinking.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { z as z3 } from "zod/v3";
import { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { OutputParserException } from "@langchain/core/output_parsers";
import type { Emulator } from "bedrock-runtime-emulator";
import { ResponseFormatError, StructuredOutputMethodError } from "langchain-bedrock-converse";
import { emulator, lastBody, model, runtimeRequests, collectWarnings } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

const PROMPT = "Tell me a joke about cats";
const JOKE = {
  setup: "Why did the cats bring a ladder to work?",
  punchline: "Because the cats heard the job came with a step up.",
  rating: 8,
};

// The seed's Joke schema.
const Joke = z
  .object({
    setup: z.string().describe("The setup of the joke"),
    punchline: z.string().describe("The punchline to the joke"),
    rating: z.number().int().optional().describe("How funny the joke is, from 1 to 10"),
  })
  .describe("Joke to tell user.");

/** The JSON schema sent for Joke (zod 4's safe-integer bounds on `.int()` are left out, as pydantic's int has none). */
const jokeJson = {
  type: "object",
  properties: {
    setup: { type: "string", description: "The setup of the joke" },
    punchline: { type: "string", description: "The punchline to the joke" },
    rating: { description: "How funny the joke is, from 1 to 10", type: "integer" },
  },
  required: ["setup", "punchline"],
  additionalProperties: false,
  description: "Joke to tell user.",
};

/** The same Joke as a plain JSON schema (what a Python user would write). */
const jokeSchema = {
  title: "Joke",
  description: "Joke to tell user.",
  type: "object",
  properties: {
    setup: { type: "string", description: "The setup of the joke" },
    punchline: { type: "string", description: "The punchline to the joke" },
    rating: { type: "integer", description: "How funny the joke is, from 1 to 10" },
  },
  required: ["setup", "punchline"],
};

const jokeTool = (strict?: boolean) => ({
  toolSpec: {
    name: "Joke",
    description: "Joke to tell user.",
    inputSchema: { json: jokeJson },
    ...(strict === undefined ? {} : { strict }),
  },
});

function outputConfigOf(body: Record<string, unknown>): { schema: Record<string, unknown>; name?: string; description?: string } {
  const oc = body.outputConfig as {
    textFormat: { type: string; structure: { jsonSchema: { schema: string; name?: string; description?: string } } };
  };
  assert.equal(oc.textFormat.type, "json_schema");
  const def = oc.textFormat.structure.jsonSchema;
  assert.equal(typeof def.schema, "string", "the schema travels as a JSON string");
  return { ...def, schema: JSON.parse(def.schema) as Record<string, unknown> };
}

describe("functionCalling (the default)", () => {
  test("the seed's Joke: one forced tool on the wire, a typed, validated object back", async () => {
    const structured = model(emu).withStructuredOutput(Joke, { name: "Joke" });
    const joke: z.infer<typeof Joke> = await structured.invoke(PROMPT);
    assert.deepEqual(joke, JOKE);
    const body = lastBody(emu);
    assert.deepEqual(body.toolConfig, { tools: [jokeTool()], toolChoice: { tool: { name: "Joke" } } });
    assert.equal(body.outputConfig, undefined);
  });

  test('"function_calling" is the same method; strict passes through to the tool', async () => {
    const joke = await model(emu).withStructuredOutput(Joke, { name: "Joke", method: "function_calling", strict: true }).invoke(PROMPT);
    assert.deepEqual(joke, JOKE);
    assert.deepEqual(lastBody(emu).toolConfig, { tools: [jokeTool(true)], toolChoice: { tool: { name: "Joke" } } });
  });

  test("a zod v3 schema", async () => {
    const JokeV3 = z3.object({ setup: z3.string(), punchline: z3.string(), rating: z3.number().int().optional() });
    const joke = await model(emu).withStructuredOutput(JokeV3, { name: "Joke" }).invoke(PROMPT);
    assert.deepEqual(joke, JOKE);
    assert.deepEqual(lastBody(emu).toolConfig, {
      tools: [
        {
          toolSpec: {
            name: "Joke",
            description: "Joke",
            inputSchema: {
              json: {
                type: "object",
                properties: { setup: { type: "string" }, punchline: { type: "string" }, rating: { type: "integer" } },
                required: ["setup", "punchline"],
                additionalProperties: false,
              },
            },
          },
        },
      ],
      toolChoice: { tool: { name: "Joke" } },
    });
  });

  test("a JSON schema gives a plain object; its title names the tool", async () => {
    const joke = await model(emu).withStructuredOutput(jokeSchema).invoke(PROMPT);
    assert.deepEqual(joke, JOKE);
    assert.deepEqual(lastBody(emu).toolConfig, {
      tools: [
        {
          toolSpec: {
            name: "Joke",
            description: "Joke to tell user.",
            inputSchema: {
              json: {
                title: "Joke",
                description: "Joke to tell user.",
                type: "object",
                properties: jokeSchema.properties,
                required: ["setup", "punchline"],
              },
            },
          },
        },
      ],
      toolChoice: { tool: { name: "Joke" } },
    });
  });

  test("zod schemas with nested objects, arrays, enums and optional fields get schema-valid input", async () => {
    const Trip = z.object({
      destination: z.object({ city: z.string(), country: z.string() }),
      travelers: z.array(z.object({ name: z.string(), age: z.number().int().min(0).max(120) })).min(2),
      transport: z.enum(["train", "plane", "car"]),
      budget: z.number().positive().optional(),
      tags: z.array(z.string()).max(3).optional(),
      notes: z.string().nullable(),
    });
    const trip = await model(emu)
      .withStructuredOutput(Trip, { name: "plan_trip" })
      .invoke("Plan a trip to Paris by train for Ann and Bob.");
    assert.deepEqual(Trip.parse(trip), trip);
    assert.equal(trip.transport, "train");
    assert.equal(trip.travelers.length, 2);
  });

  test("a model that cannot force a tool (Mistral Large) uses any", async () => {
    const joke = await model(emu, { model: "mistral.mistral-large-2407-v1:0" }).withStructuredOutput(Joke, { name: "Joke" }).invoke(PROMPT);
    assert.deepEqual(joke, JOKE);
    assert.deepEqual((lastBody(emu).toolConfig as { toolChoice: unknown }).toolChoice, { any: {} });
  });

  test("a tool input that fails the zod schema raises OutputParserException naming the field", async () => {
    emu.setScript([
      {
        output: {
          message: {
            role: "assistant",
            content: [{ toolUse: { toolUseId: "tooluse_AAAAAAAAAAAAAAAAAAAAAA", name: "Joke", input: { setup: "Why?", rating: "very" } } }],
          },
        },
        stopReason: "tool_use",
      },
    ]);
    await assert.rejects(model(emu).withStructuredOutput(Joke, { name: "Joke" }).invoke(PROMPT), (e: unknown) => {
      assert.ok(e instanceof OutputParserException);
      assert.match(e.message, /^Structured output from tool "Joke" does not match the schema: field `punchline`: .+; field `rating`: /);
      assert.equal(
        e.llmOutput,
        JSON.stringify({
          content: [{ type: "tool_use", id: "tooluse_AAAAAAAAAAAAAAAAAAAAAA", name: "Joke", input: { setup: "Why?", rating: "very" } }],
          tool_calls: [{ type: "tool_call", id: "tooluse_AAAAAAAAAAAAAAAAAAAAAA", name: "Joke", args: { setup: "Why?", rating: "very" } }],
        }),
      );
      return true;
    });
  });

  test("includeRaw: {raw, parsed, parsingError: null}; a failing reply comes back as parsingError", async () => {
    const structured = model(emu).withStructuredOutput(Joke, { name: "Joke", includeRaw: true });
    const ok = await structured.invoke(PROMPT);
    assert.ok(ok.raw instanceof AIMessage);
    assert.deepEqual(ok.parsed, JOKE);
    assert.equal(ok.parsingError, null);
    assert.deepEqual(Object.keys(ok).sort(), ["parsed", "parsingError", "raw"]);
    assert.deepEqual((ok.raw as AIMessage).tool_calls?.[0]?.args, JOKE);

    emu.setScript([{ text: "I'd rather not tell jokes." }]);
    const failed = await structured.invoke(PROMPT);
    assert.deepEqual(failed.raw.content, [{ type: "text", text: "I'd rather not tell jokes." }]);
    assert.equal(failed.parsed, null);
    assert.ok(failed.parsingError instanceof OutputParserException);
    assert.match((failed.parsingError as Error).message, /^The model did not call the tool "Joke"\. It answered without a tool call\./);
  });

  test("thinking enabled (Claude 3.7): no forced tool choice, a warning; a reply without the tool raises", async () => {
    const thinker = model(emu, {
      model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
      maxTokens: 4000,
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 2000 } },
    });
    let joke: unknown;
    const warnings = await collectWarnings(async () => {
      joke = await thinker.withStructuredOutput(Joke, { name: "Joke" }).invoke(PROMPT);
    });
    assert.deepEqual(warnings, [
      "withStructuredOutput: anthropic.claude-3-7-sonnet-20250219-v1:0 does not allow a forced tool choice while thinking is enabled; " +
        'the tool is offered with tool_choice auto, and a reply without the tool call raises an OutputParserException. Disable thinking or use method "jsonSchema" to force the format.',
    ]);
    assert.deepEqual(lastBody(emu).toolConfig, { tools: [jokeTool()] });
    assert.deepEqual(joke, JOKE);

    emu.setScript([{ text: "Cats are not funny." }]);
    await assert.rejects(thinker.withStructuredOutput(Joke, { name: "Joke" }).invoke(PROMPT), OutputParserException);
  });
});

describe("jsonSchema (native outputConfig)", () => {
  test("the seed's Joke: outputConfig.textFormat with additionalProperties false, parsed from the text", async () => {
    const joke: z.infer<typeof Joke> = await model(emu).withStructuredOutput(Joke, { name: "Joke", method: "jsonSchema" }).invoke(PROMPT);
    assert.deepEqual(joke, JOKE);
    const body = lastBody(emu);
    assert.equal(body.toolConfig, undefined);
    assert.deepEqual(outputConfigOf(body), { schema: jokeJson, name: "Joke", description: "Joke to tell user." });
  });

  test('"json_schema" alias with a JSON schema: additionalProperties false everywhere, the caller\'s schema untouched', async () => {
    const schema = {
      title: "Library",
      type: "object",
      properties: {
        name: { type: "string" },
        address: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        books: { type: "array", items: { $ref: "#/$defs/Book" } },
        owner: { anyOf: [{ type: "object", properties: { name: { type: "string" } }, required: ["name"] }, { type: "null" }] },
      },
      required: ["name", "address", "books", "owner"],
      $defs: { Book: { type: "object", properties: { title: { type: "string" } }, required: ["title"] } },
    };
    const before = structuredClone(schema);
    const out = await model(emu).withStructuredOutput(schema, { method: "json_schema" }).invoke("Describe the Central Library in Boston.");
    assert.deepEqual(schema, before, "the caller's schema is not mutated");
    const { schema: sent, name } = outputConfigOf(lastBody(emu));
    assert.equal(name, "Library");
    assert.deepEqual(sent, {
      title: "Library",
      type: "object",
      properties: {
        name: { type: "string" },
        address: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
        books: { type: "array", items: { $ref: "#/$defs/Book" } },
        owner: {
          anyOf: [
            { type: "object", properties: { name: { type: "string" } }, required: ["name"], additionalProperties: false },
            { type: "null" },
          ],
        },
      },
      required: ["name", "address", "books", "owner"],
      $defs: { Book: { type: "object", properties: { title: { type: "string" } }, required: ["title"], additionalProperties: false } },
      additionalProperties: false,
    });
    assert.equal(typeof (out as { name: unknown }).name, "string");
    assert.equal(typeof (out as { address: { city: unknown } }).address.city, "string");
    assert.ok(Array.isArray((out as { books: unknown }).books));
  });

  test("a JSON schema gives a plain object (no validation); the seed Joke as a JSON schema", async () => {
    const joke = await model(emu).withStructuredOutput(jokeSchema, { method: "jsonSchema" }).invoke(PROMPT);
    assert.deepEqual(joke, JOKE);
    assert.deepEqual(outputConfigOf(lastBody(emu)), {
      schema: { ...jokeSchema, additionalProperties: false },
      name: "Joke",
      description: "Joke to tell user.",
    });
  });

  test("a zod v3 schema; streaming the structured runnable also parses", async () => {
    const JokeV3 = z3.object({ setup: z3.string(), punchline: z3.string(), rating: z3.number().int().optional() });
    const structured = model(emu).withStructuredOutput(JokeV3, { name: "Joke", method: "jsonSchema" });
    assert.deepEqual(await structured.invoke(PROMPT), JOKE);
    const streamed: unknown[] = [];
    for await (const value of await structured.stream(PROMPT)) streamed.push(value);
    assert.deepEqual(streamed, [JOKE]);
    assert.deepEqual(
      runtimeRequests(emu).map((r) => r.operation),
      ["converse", "converse-stream"],
    );
  });

  test("a text that fails the zod schema raises naming the field; with includeRaw it is the parsingError", async () => {
    const bad = '{"setup": "Why?", "punchline": "Because.", "rating": "high"}';
    emu.setScript([{ text: bad }, { text: bad }, { text: "not json at all" }]);
    const structured = model(emu).withStructuredOutput(Joke, { name: "Joke", method: "jsonSchema" });
    await assert.rejects(structured.invoke(PROMPT), (e: unknown) => {
      assert.ok(e instanceof OutputParserException);
      assert.match(e.message, /^Structured output from "Joke" does not match the schema: field `rating`: /);
      assert.equal(e.llmOutput, bad);
      return true;
    });
    const raw = await model(emu).withStructuredOutput(Joke, { name: "Joke", method: "jsonSchema", includeRaw: true }).invoke(PROMPT);
    assert.deepEqual(raw.raw.content, [{ type: "text", text: bad }]);
    assert.equal(raw.parsed, null);
    assert.ok(raw.parsingError instanceof OutputParserException);
    assert.match((raw.parsingError as Error).message, /field `rating`/);
    await assert.rejects(structured.invoke(PROMPT), (e: unknown) => {
      assert.ok(e instanceof OutputParserException);
      assert.match(e.message, /^The model output is not valid JSON \(/);
      assert.equal(e.llmOutput, "not json at all");
      return true;
    });
  });

  test("an unknown method is rejected before any request", () => {
    assert.throws(() => model(emu).withStructuredOutput(Joke, { method: "xml" as never }), StructuredOutputMethodError);
    assert.deepEqual(runtimeRequests(emu), []);
  });
});

describe("the responseFormat call option", () => {
  test("{type: json_schema, json_schema} maps to outputConfig (object schemas stringified, strings sent as given)", async () => {
    // As Python, the schema is sent as given; Bedrock requires closed objects, so the caller closes them.
    const closedJoke = { ...jokeSchema, additionalProperties: false };
    const llm = model(emu);
    const msg = await llm.invoke(PROMPT, {
      responseFormat: { type: "json_schema", json_schema: { name: "Joke", description: "A joke", schema: closedJoke } },
    });
    assert.deepEqual(lastBody(emu).outputConfig, {
      textFormat: {
        type: "json_schema",
        structure: { jsonSchema: { schema: JSON.stringify(closedJoke), name: "Joke", description: "A joke" } },
      },
    });
    assert.deepEqual(JSON.parse((msg.content as Array<{ text: string }>)[0]!.text), JOKE);

    const text = '{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}';
    let chunks = "";
    for await (const c of await llm.stream("What is the capital of France?", {
      responseFormat: { type: "json_schema", jsonSchema: { schema: text } },
    })) {
      for (const b of c.content as Array<{ text?: string }>) chunks += b.text ?? "";
    }
    assert.deepEqual(lastBody(emu).outputConfig, { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: text } } } });
    assert.equal(typeof (JSON.parse(chunks) as { answer: unknown }).answer, "string");
  });

  test("an explicit outputConfig wins over responseFormat", async () => {
    const closedJoke = { ...jokeSchema, additionalProperties: false };
    const explicit = {
      textFormat: { type: "json_schema" as const, structure: { jsonSchema: { schema: JSON.stringify(closedJoke), name: "Explicit" } } },
    };
    await model(emu, { outputConfig: explicit }).invoke(PROMPT, {
      responseFormat: { type: "json_schema", json_schema: { name: "Other", schema: { type: "object" } } },
    });
    assert.deepEqual(lastBody(emu).outputConfig, explicit);
  });

  test("another response_format type raises ResponseFormatError before any request", async () => {
    await assert.rejects(model(emu).invoke(PROMPT, { responseFormat: { type: "json_object" } as never }), ResponseFormatError);
    assert.deepEqual(runtimeRequests(emu), []);
  });
});

describe("promptPrefill (Nova)", () => {
  test("schema instructions in the system prompt, a ```json prefill, ``` stop; the continuation is parsed", async () => {
    const nova = model(emu, { model: "amazon.nova-pro-v1:0", stopSequences: ["END"] });
    emu.setScript([{ text: `\n${JSON.stringify(JOKE)}\n`, stopReason: "stop_sequence" }]);
    const joke = await nova
      .withStructuredOutput(Joke, { name: "Joke", method: "promptPrefill" })
      .invoke([new SystemMessage("You are funny."), new HumanMessage(PROMPT)]);
    assert.deepEqual(joke, JOKE);
    const body = lastBody(emu);
    const system = body.system as Array<{ text: string }>;
    assert.equal(system.length, 1);
    assert.ok(system[0]!.text.startsWith("You are funny.\n\nAnswer with one JSON value that conforms to the JSON schema below"));
    assert.ok(system[0]!.text.endsWith(`JSON schema:\n${JSON.stringify({ ...jokeJson, additionalProperties: false }, null, 2)}`));
    assert.deepEqual(body.messages, [
      { role: "user", content: [{ text: PROMPT }] },
      { role: "assistant", content: [{ text: "```json" }] },
    ]);
    assert.deepEqual((body.inferenceConfig as { stopSequences: string[] }).stopSequences, ["END", "```"]);
  });

  test("the emulator's default model continues the prefill: the parsed value follows the schema", async () => {
    const nova = model(emu, { model: "amazon.nova-pro-v1:0" });
    const joke = await nova.withStructuredOutput(Joke, { name: "Joke", method: "promptPrefill" }).invoke(PROMPT);
    assert.deepEqual(joke, JOKE);
  });

  test('"prompt_prefill" alias with a string input and includeRaw', async () => {
    const nova = model(emu, { model: "amazon.nova-lite-v1:0" });
    emu.setScript([{ text: JSON.stringify(JOKE), stopReason: "stop_sequence" }]);
    const out = await nova.withStructuredOutput(jokeSchema, { method: "prompt_prefill", includeRaw: true }).invoke(PROMPT);
    assert.deepEqual(out.parsed, JOKE);
    assert.equal(out.parsingError, null);
    const body = lastBody(emu);
    assert.ok((body.system as Array<{ text: string }>)[0]!.text.startsWith("Answer with one JSON value"));
    assert.deepEqual((body.inferenceConfig as { stopSequences: string[] }).stopSequences, ["```"]);
  });
});
