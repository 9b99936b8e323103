import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { z as z3 } from "zod/v3";
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { OutputParserException } from "@langchain/core/output_parsers";
import { RunnableLambda, RunnableSequence } from "@langchain/core/runnables";
import { ResponseFormatError, StructuredOutputMethodError, StructuredOutputSchemaError } from "./errors.js";
import {
  applyPromptPrefill,
  buildJsonSchemaOutputConfig,
  buildStructuredOutputRunnable,
  extractJsonText,
  JsonTextStructuredOutputParser,
  prefillStopSequences,
  promptPrefillInstructions,
  resolveStructuredMethod,
  responseFormatToOutputConfig,
  schemaToJsonSchema,
  ToolCallStructuredOutputParser,
  withAdditionalPropertiesFalse,
} from "./structured.js";

describe("resolveStructuredMethod", () => {
  test("camelCase and snake_case spellings", () => {
    assert.equal(resolveStructuredMethod(undefined), "functionCalling");
    assert.equal(resolveStructuredMethod("functionCalling"), "functionCalling");
    assert.equal(resolveStructuredMethod("function_calling"), "functionCalling");
    assert.equal(resolveStructuredMethod("jsonSchema"), "jsonSchema");
    assert.equal(resolveStructuredMethod("json_schema"), "jsonSchema");
    assert.equal(resolveStructuredMethod("jsonMode"), "jsonSchema");
    assert.equal(resolveStructuredMethod("promptPrefill"), "promptPrefill");
    assert.equal(resolveStructuredMethod("prompt_prefill"), "promptPrefill");
  });
  test("unknown method → typed error listing the valid ones", () => {
    assert.throws(
      () => resolveStructuredMethod("xml"),
      (e: unknown) =>
        e instanceof StructuredOutputMethodError &&
        e.message ===
          'Unknown structured output method "xml". Valid methods: functionCalling, function_calling, jsonSchema, json_schema, jsonMode, json_mode, promptPrefill, prompt_prefill.',
    );
    assert.throws(() => resolveStructuredMethod("toString"), StructuredOutputMethodError);
  });
});

describe("schemaToJsonSchema", () => {
  test("zod v4: description from .describe(), default names per method", () => {
    const schema = z.object({ a: z.number(), b: z.number() }).describe("Two numbers");
    const info = schemaToJsonSchema(schema);
    assert.deepEqual(info.jsonSchema, {
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
      required: ["a", "b"],
      additionalProperties: false,
      description: "Two numbers",
    });
    assert.equal(info.name, "extract");
    assert.equal(info.description, "Two numbers");
    assert.equal(info.zodSchema, schema);
    assert.equal(info.isZod, true);
    assert.equal(schemaToJsonSchema(schema, { method: "jsonSchema" }).name, "output_schema");
    assert.equal(schemaToJsonSchema(schema, { name: "adder" }).name, "adder");
  });
  test("zod v4 .meta({title}) names the schema; zod v3 works too", () => {
    assert.equal(schemaToJsonSchema(z.object({ a: z.string() }).meta({ title: "Named" })).name, "Named");
    const v3 = schemaToJsonSchema(z3.object({ a: z3.string() }).describe("v3 schema"));
    assert.deepEqual(v3.jsonSchema, {
      type: "object",
      properties: { a: { type: "string" } },
      required: ["a"],
      additionalProperties: false,
      description: "v3 schema",
    });
    assert.equal(v3.description, "v3 schema");
  });
  test("JSON schema: title, else name, else default; a copy", () => {
    const json = { title: "Person", description: "A person", type: "object", properties: { n: { type: "string" } } };
    const info = schemaToJsonSchema(json, { method: "jsonSchema" });
    assert.equal(info.name, "Person");
    assert.equal(info.description, "A person");
    assert.deepEqual(info.jsonSchema, json);
    assert.notEqual(info.jsonSchema, json);
    assert.equal(info.zodSchema, undefined);
    assert.equal(info.isZod, false);
    assert.equal(schemaToJsonSchema({ name: "nm", type: "object" }).name, "nm");
    assert.equal(schemaToJsonSchema({ type: "object" }, { method: "jsonSchema" }).name, "output_schema");
  });
  test("OpenAI function dict: its parameters", () => {
    const info = schemaToJsonSchema({ name: "fn", description: "Fn", parameters: { type: "object", properties: {} } });
    assert.deepEqual(info, { jsonSchema: { type: "object", properties: {} }, name: "fn", description: "Fn", isZod: false });
  });
  test("anything else → typed error", () => {
    assert.throws(() => schemaToJsonSchema("schema"), StructuredOutputSchemaError);
  });
});

describe("withAdditionalPropertiesFalse", () => {
  const input = {
    type: "object",
    properties: {
      address: { type: "object", properties: { zip: { type: "string" } } },
      tags: { type: "array", items: { type: "object", properties: { k: { type: "string" } } } },
      pair: { type: "array", prefixItems: [{ type: "object", properties: {} }, { type: "string" }] },
      choice: { anyOf: [{ type: "object", properties: { a: { type: "string" } } }, { type: "null" }] },
      both: { allOf: [{ $ref: "#/$defs/Base" }, { type: "object", properties: { c: { type: "integer" } } }] },
      one: { oneOf: [{ type: "object", properties: {} }, { type: "number" }] },
      map: { type: "object", additionalProperties: { type: "string" } },
    },
    $defs: { Base: { type: "object", properties: { deep: { type: "object", properties: { x: { type: ["object", "null"] } } } } } },
    definitions: { Legacy: { properties: { y: { type: "string" } } } },
  };
  const snapshot = structuredClone(input);
  const out = withAdditionalPropertiesFalse(input);

  test("every object schema is closed", () => {
    assert.deepEqual(out, {
      type: "object",
      additionalProperties: false,
      properties: {
        address: { type: "object", properties: { zip: { type: "string" } }, additionalProperties: false },
        tags: { type: "array", items: { type: "object", properties: { k: { type: "string" } }, additionalProperties: false } },
        pair: { type: "array", prefixItems: [{ type: "object", properties: {}, additionalProperties: false }, { type: "string" }] },
        choice: { anyOf: [{ type: "object", properties: { a: { type: "string" } }, additionalProperties: false }, { type: "null" }] },
        both: {
          allOf: [{ $ref: "#/$defs/Base" }, { type: "object", properties: { c: { type: "integer" } }, additionalProperties: false }],
        },
        one: { oneOf: [{ type: "object", properties: {}, additionalProperties: false }, { type: "number" }] },
        map: { type: "object", additionalProperties: false },
      },
      $defs: {
        Base: {
          type: "object",
          additionalProperties: false,
          properties: {
            deep: {
              type: "object",
              additionalProperties: false,
              properties: { x: { type: ["object", "null"], additionalProperties: false } },
            },
          },
        },
      },
      definitions: { Legacy: { properties: { y: { type: "string" } }, additionalProperties: false } },
    });
  });
  test("the caller's schema is not mutated", () => {
    assert.deepEqual(input, snapshot);
    assert.notEqual(out.properties.address, input.properties.address);
  });
});

describe("outputConfig", () => {
  test("buildJsonSchemaOutputConfig: JSON string schema, non-ASCII kept", () => {
    const schema = { type: "object", properties: { ville: { type: "string", description: "Nom de la ville — 東京 ou Zürich" } } };
    const config = buildJsonSchemaOutputConfig(schema, "lieu", "Où aller ✈");
    assert.deepEqual(config, {
      textFormat: {
        type: "json_schema",
        structure: {
          jsonSchema: {
            schema: '{"type":"object","properties":{"ville":{"type":"string","description":"Nom de la ville — 東京 ou Zürich"}}}',
            name: "lieu",
            description: "Où aller ✈",
          },
        },
      },
    });
    assert.equal(config.textFormat!.structure!.jsonSchema!.schema!.includes("\\u"), false);
  });
  test("buildJsonSchemaOutputConfig omits empty name and description", () => {
    assert.deepEqual(buildJsonSchemaOutputConfig({ type: "object" }), {
      textFormat: { type: "json_schema", structure: { jsonSchema: { schema: '{"type":"object"}' } } },
    });
  });
  test("response_format: json_schema and jsonSchema keys, string or object schema", () => {
    const expected = {
      textFormat: { type: "json_schema", structure: { jsonSchema: { schema: '{"type":"object"}', name: "r", description: "d" } } },
    };
    assert.deepEqual(
      responseFormatToOutputConfig({ type: "json_schema", json_schema: { schema: { type: "object" }, name: "r", description: "d" } }),
      expected,
    );
    assert.deepEqual(
      responseFormatToOutputConfig({ type: "json_schema", jsonSchema: { schema: '{"type":"object"}', name: "r", description: "d" } }),
      expected,
    );
    assert.deepEqual(responseFormatToOutputConfig({ type: "json_schema", json_schema: { schema: "{}" } }), {
      textFormat: { type: "json_schema", structure: { jsonSchema: { schema: "{}" } } },
    });
  });
  test("response_format: other types and missing schema → typed error", () => {
    assert.throws(
      () => responseFormatToOutputConfig({ type: "json_object" }),
      (e: unknown) =>
        e instanceof ResponseFormatError &&
        e.message === 'Unsupported response_format type "json_object": only "json_schema" is supported.',
    );
    assert.throws(() => responseFormatToOutputConfig({ type: "json_schema" }), ResponseFormatError);
    assert.throws(() => responseFormatToOutputConfig({ type: "json_schema", json_schema: { schema: 3 } }), ResponseFormatError);
    assert.throws(() => responseFormatToOutputConfig("json"), ResponseFormatError);
  });
});

describe("prompt prefill", () => {
  const schema = { type: "object", properties: { nom: { type: "string" } } };
  const details = promptPrefillInstructions(schema);

  test("instructions carry the schema (non-ASCII kept), prefill and stop", () => {
    assert.match(details.systemText, /"nom"/);
    assert.ok(details.systemText.endsWith(JSON.stringify(schema, null, 2)));
    assert.equal(details.prefill, "```json");
    assert.deepEqual(details.stop, ["```"]);
  });
  test("stop sequences: union, order kept, fence added once", () => {
    assert.deepEqual(prefillStopSequences(["END"], ["```", "STOP", "END"]), ["END", "```", "STOP"]);
    assert.deepEqual(prefillStopSequences(undefined), ["```"]);
  });
  test("no system message: one is put first, the prefill last", () => {
    const input = [new HumanMessage("hi")];
    const out = applyPromptPrefill(input, details);
    assert.equal(out.length, 3);
    assert.ok(SystemMessage.isInstance(out[0]));
    assert.equal(out[0]!.content, details.systemText);
    assert.ok(AIMessage.isInstance(out[2]));
    assert.equal(out[2]!.content, "```json");
    assert.equal(input.length, 1);
  });
  test("string system message: appended after a blank line; the original is untouched", () => {
    const system = new SystemMessage("Be brief.");
    const out = applyPromptPrefill([system, new HumanMessage("hi")], details);
    assert.equal(out[0]!.content, `Be brief.\n\n${details.systemText}`);
    assert.equal(system.content, "Be brief.");
  });
  test("list system content: into the last text block, a trailing cachePoint stays last", () => {
    const system = new SystemMessage({
      content: [{ type: "text", text: "Rules." }, { cachePoint: { type: "default" } } as never],
    });
    const out = applyPromptPrefill([system, new HumanMessage("hi")], details);
    assert.deepEqual(out[0]!.content, [{ type: "text", text: `Rules.\n\n${details.systemText}` }, { cachePoint: { type: "default" } }]);
    assert.deepEqual(system.content, [{ type: "text", text: "Rules." }, { cachePoint: { type: "default" } }]);
  });
});

describe("parsers", () => {
  const Person = z.object({ name: z.string(), address: z.object({ zip: z.string() }), age: z.number().int() });

  test("tool call parser: valid → validated object", async () => {
    const parser = new ToolCallStructuredOutputParser({ name: "Person", zodSchema: Person });
    const msg = new AIMessage({
      content: "",
      tool_calls: [
        { id: "1", name: "other", args: { x: 1 } },
        { id: "2", name: "Person", args: { name: "Ada", address: { zip: "75001" }, age: 36 } },
      ],
    });
    assert.deepEqual(await parser.invoke(msg), { name: "Ada", address: { zip: "75001" }, age: 36 });
  });

  test("tool call parser: invalid args → OutputParserException naming the field", async () => {
    const parser = new ToolCallStructuredOutputParser({ name: "Person", zodSchema: Person });
    const msg = new AIMessage({
      content: "",
      tool_calls: [{ id: "1", name: "Person", args: { name: "Ada", address: { zip: 75001 }, age: 36 } }],
    });
    await assert.rejects(parser.invoke(msg), (e: unknown) => {
      assert.ok(e instanceof OutputParserException);
      assert.match(e.message, /field `address\.zip`: /);
      assert.match(e.message, /tool "Person"/);
      assert.match(String(e.llmOutput), /75001/);
      return true;
    });
  });

  test("tool call parser: no matching call → OutputParserException", async () => {
    const parser = new ToolCallStructuredOutputParser({ name: "Person" });
    await assert.rejects(
      parser.invoke(new AIMessage("I'd rather chat.")),
      (e: unknown) => e instanceof OutputParserException && /did not call the tool "Person"/.test(e.message),
    );
    const other = new AIMessage({ content: "", tool_calls: [{ id: "1", name: "search", args: {} }] });
    await assert.rejects(parser.invoke(other), /it called: search/);
  });

  test("tool call parser without zod returns the raw args; zod v3 validates too", async () => {
    const args = { anything: [1, 2] };
    const msg = new AIMessage({ content: "", tool_calls: [{ id: "1", name: "extract", args }] });
    assert.deepEqual(await new ToolCallStructuredOutputParser({ name: "extract" }).invoke(msg), args);
    const v3 = new ToolCallStructuredOutputParser({ name: "extract", zodSchema: z3.object({ anything: z3.array(z3.string()) }) });
    await assert.rejects(v3.invoke(msg), /field `anything\[0\]`/);
  });

  test("json text parser: text blocks joined, fences stripped, reasoning ignored", async () => {
    const parser = new JsonTextStructuredOutputParser({ name: "Person", zodSchema: Person });
    const msg = new AIMessage({
      content: [
        { type: "reasoning_content", reasoning_content: { text: "thinking {not json}", signature: "s" } },
        { type: "text", text: '```json\n{"name": "Ada", "address": ' },
        { type: "text", text: '{"zip": "75001"}, "age": 36}\n```' },
      ] as never,
    });
    assert.deepEqual(await parser.invoke(msg), { name: "Ada", address: { zip: "75001" }, age: 36 });
  });

  test("json text parser: plain string content and prefill continuations", async () => {
    const parser = new JsonTextStructuredOutputParser();
    assert.deepEqual(await parser.invoke(new AIMessage('{"a": "é"}')), { a: "é" });
    assert.deepEqual(await parser.invoke(new AIMessage('\n{"a": 1}\n')), { a: 1 });
    assert.deepEqual(await parser.invoke(new AIMessage('Here you go: {"a": 2} hope it helps')), { a: 2 });
  });

  test("json text parser: invalid JSON and schema mismatches → OutputParserException", async () => {
    const parser = new JsonTextStructuredOutputParser({ name: "Person", zodSchema: Person });
    await assert.rejects(
      parser.invoke(new AIMessage("no json here")),
      (e: unknown) => e instanceof OutputParserException && /not valid JSON/.test(e.message) && e.llmOutput === "no json here",
    );
    await assert.rejects(
      parser.invoke(new AIMessage('{"name": "Ada", "address": {"zip": "1"}, "age": 3.5}')),
      (e: unknown) => e instanceof OutputParserException && /field `age`/.test(e.message) && /"Person"/.test(e.message),
    );
  });

  test("extractJsonText", () => {
    assert.equal(extractJsonText('```json\n{"a":1}\n```'), '{"a":1}');
    assert.equal(extractJsonText("```\n[1]\n```"), "[1]");
    assert.equal(extractJsonText('  {"a":1}  '), '{"a":1}');
    assert.equal(extractJsonText('```json\n{"a":1}'), '{"a":1}');
  });

  test("parsers compose in a RunnableSequence", async () => {
    const fakeModel = RunnableLambda.from(
      async (_: unknown): Promise<BaseMessage> =>
        new AIMessage({ content: "", tool_calls: [{ id: "1", name: "extract", args: { a: 1 } }] }),
    );
    const chain = RunnableSequence.from([
      fakeModel,
      new ToolCallStructuredOutputParser<{ a: number }>({ name: "extract", zodSchema: z.object({ a: z.number() }) }),
    ]);
    assert.deepEqual(await chain.invoke("hi"), { a: 1 });
  });
});

describe("buildStructuredOutputRunnable", () => {
  const good = new AIMessage('{"a": 1}');
  const bad = new AIMessage("not json");
  const model = (reply: AIMessage) => RunnableLambda.from(async (_: unknown): Promise<BaseMessage> => reply);
  const parser = new JsonTextStructuredOutputParser<{ a: number }>({ zodSchema: z.object({ a: z.number() }) });

  test("without includeRaw: parsed value; parse errors throw", async () => {
    assert.deepEqual(await buildStructuredOutputRunnable(model(good), parser, false).invoke("q"), { a: 1 });
    await assert.rejects(buildStructuredOutputRunnable(model(bad), parser, false).invoke("q"), OutputParserException);
  });

  test("includeRaw: {raw, parsed, parsingError: null} on success; {raw, parsed: null, parsingError} on failure", async () => {
    const ok = await buildStructuredOutputRunnable(model(good), parser, true).invoke("q");
    assert.deepEqual(ok, { raw: good, parsed: { a: 1 }, parsingError: null });
    const failed = await buildStructuredOutputRunnable(model(bad), parser, true).invoke("q");
    assert.equal(failed.raw, bad);
    assert.equal(failed.parsed, null);
    assert.ok(failed.parsingError instanceof OutputParserException);
  });

  test("includeRaw: model errors still throw", async () => {
    const broken = RunnableLambda.from(async (_: unknown): Promise<BaseMessage> => {
      throw new Error("throttled");
    });
    await assert.rejects(buildStructuredOutputRunnable(broken, parser, true).invoke("q"), /throttled/);
  });
});
