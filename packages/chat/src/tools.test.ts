import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { z as z3 } from "zod/v3";
import { DynamicStructuredTool, StructuredTool, tool } from "@langchain/core/tools";
import { RunnableLambda } from "@langchain/core/runnables";
import { BedrockToolChoiceError, BedrockToolFormatError } from "./errors.js";
import {
  dropSafeIntegerBounds,
  formatTool,
  formatToolsForBedrock,
  hasOnlySystemTools,
  hasSystemTools,
  resolveToolChoice,
  stripNullFromSchema,
} from "./tools.js";
import { supportedToolChoiceValues } from "./capabilities.js";

/** The schema zod v4 and v3 both produce for the weather tool below, as Bedrock receives it. */
const WEATHER_JSON = {
  type: "object",
  properties: {
    city: { type: "string", description: "City name" },
    unit: { type: "string", enum: ["c", "f"] },
    days: {
      type: "array",
      items: {
        type: "object",
        properties: { date: { type: "string" }, hours: { type: "array", items: { type: "number" } } },
        required: ["date", "hours"],
        additionalProperties: false,
      },
    },
    limit: { type: "number" },
  },
  required: ["city", "days", "limit"],
  additionalProperties: false,
};

const weather4 = z.object({
  city: z.string().describe("City name"),
  unit: z.enum(["c", "f"]).optional(),
  days: z.array(z.object({ date: z.string(), hours: z.array(z.number()) })),
  limit: z.number().nullable(),
});
const weather3 = z3.object({
  city: z3.string().describe("City name"),
  unit: z3.enum(["c", "f"]).optional(),
  days: z3.array(z3.object({ date: z3.string(), hours: z3.array(z3.number()) })),
  limit: z3.number().nullable(),
});

const spec = (name: string, description: string, json: unknown, strict?: boolean) => ({
  toolSpec: { name, description, inputSchema: { json }, ...(strict === undefined ? {} : { strict }) },
});

describe("formatToolsForBedrock: input forms", () => {
  test("tool() with a zod v4 schema (nested object, array, enum, optional, nullable)", () => {
    const t = tool(async () => "sunny", { name: "get_weather", description: "Weather by city", schema: weather4 });
    assert.deepEqual(formatToolsForBedrock([t]), [spec("get_weather", "Weather by city", WEATHER_JSON)]);
  });

  test("tool() with a zod v3 schema gives the same toolSpec", () => {
    const t = tool(async () => "sunny", { name: "get_weather", description: "Weather by city", schema: weather3 });
    assert.deepEqual(formatToolsForBedrock([t]), [spec("get_weather", "Weather by city", WEATHER_JSON)]);
  });

  test("a StructuredTool subclass", () => {
    class Adder extends StructuredTool {
      name = "add";
      description = "Adds two numbers";
      schema = z.object({ a: z.number(), b: z.number() });
      async _call({ a, b }: { a: number; b: number }) {
        return String(a + b);
      }
    }
    assert.deepEqual(formatToolsForBedrock([new Adder()]), [
      spec("add", "Adds two numbers", {
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number" } },
        required: ["a", "b"],
        additionalProperties: false,
      }),
    ]);
  });

  test("a DynamicStructuredTool with a JSON schema", () => {
    const t = new DynamicStructuredTool({
      name: "lookup",
      description: "Looks up a word",
      schema: { type: "object", properties: { word: { type: "string" } }, required: ["word"] },
      func: async () => "x",
    });
    assert.deepEqual(formatToolsForBedrock([t]), [
      spec("lookup", "Looks up a word", { type: "object", properties: { word: { type: "string" } }, required: ["word"] }),
    ]);
  });

  test("RunnableLambda.asTool()", () => {
    const t = RunnableLambda.from(async (x: { q: string }) => x.q).asTool({
      name: "echo",
      description: "Echoes q",
      schema: z.object({ q: z.string() }),
    });
    assert.deepEqual(formatToolsForBedrock([t]), [
      spec("echo", "Echoes q", {
        type: "object",
        properties: { q: { type: "string" } },
        required: ["q"],
        additionalProperties: false,
      }),
    ]);
  });

  test("{name, description, schema} objects (zod and JSON schema)", () => {
    const zodParams = { name: "p1", description: "zod params", schema: z.object({ x: z.boolean() }) };
    const jsonParams = { name: "p2", schema: { type: "object", properties: { y: { type: "integer" } } } };
    assert.deepEqual(formatToolsForBedrock([zodParams, jsonParams]), [
      spec("p1", "zod params", { type: "object", properties: { x: { type: "boolean" } }, required: ["x"], additionalProperties: false }),
      spec("p2", "p2", { type: "object", properties: { y: { type: "integer" } } }),
    ]);
  });

  test("{name, schema} whose JSON schema has no type (not core's StructuredToolParams)", () => {
    const loose = { name: "loose", description: "Loose", schema: { properties: { a: { anyOf: [{ type: "string" }, { type: "null" }] } } } };
    assert.deepEqual(formatToolsForBedrock([loose]), [spec("loose", "Loose", { properties: { a: { type: "string" } } })]);
  });

  test("OpenAI function format; function.strict kept", () => {
    const openai = {
      type: "function",
      function: {
        name: "search",
        description: "Web search",
        parameters: { type: "object", properties: { q: { type: "string" } } },
        strict: true,
      },
    };
    assert.deepEqual(formatToolsForBedrock([openai]), [
      spec("search", "Web search", { type: "object", properties: { q: { type: "string" } } }, true),
    ]);
  });

  test("Anthropic format", () => {
    const anthropic = {
      name: "calc",
      description: "Calculator",
      input_schema: { type: "object", properties: { expr: { type: "string" } } },
    };
    assert.deepEqual(formatToolsForBedrock([anthropic]), [
      spec("calc", "Calculator", { type: "object", properties: { expr: { type: "string" } } }),
    ]);
  });

  test("Bedrock toolSpec passthrough", () => {
    const native = spec("native", "Native tool", { type: "object", properties: {} }, false);
    assert.deepEqual(formatToolsForBedrock([native]), [native]);
  });

  test("plain JSON schema with a title: title → name, description moved out", () => {
    const schema = {
      title: "Person",
      description: "A person",
      type: "object",
      properties: { name: { type: "string" } },
      required: ["name"],
    };
    assert.deepEqual(formatToolsForBedrock([schema]), [
      spec("Person", "A person", { type: "object", properties: { name: { type: "string" } }, required: ["name"] }),
    ]);
  });

  test("a bare zod schema named with .meta({title})", () => {
    const schema = z.object({ n: z.number() }).meta({ title: "counter", description: "Counts" });
    assert.deepEqual(formatToolsForBedrock([schema]), [
      spec("counter", "Counts", { type: "object", properties: { n: { type: "number" } }, required: ["n"], additionalProperties: false }),
    ]);
  });

  test("a bare zod schema without a title is rejected with advice", () => {
    assert.throws(
      () => formatToolsForBedrock([z.object({ n: z.number() })]),
      (e: unknown) => e instanceof BedrockToolFormatError && /needs a name/.test(e.message) && /meta\(\{ title/.test(e.message),
    );
  });

  test("cache points and Nova system tools", () => {
    const out = formatToolsForBedrock([
      "nova_grounding",
      { systemTool: { name: "nova_code_interpreter" } },
      { cachePoint: { type: "default" } },
    ]);
    assert.deepEqual(out, [
      { systemTool: { name: "nova_grounding" } },
      { systemTool: { name: "nova_code_interpreter" } },
      { cachePoint: { type: "default" } },
    ]);
    assert.equal(hasSystemTools(out), true);
    assert.equal(hasOnlySystemTools(out), true);
  });

  test("mixed system and custom tools keep their order; strict only on toolSpecs", () => {
    const custom = { name: "calc", input_schema: { type: "object", properties: {} } };
    const out = formatToolsForBedrock([custom, "nova_grounding"], { strict: true });
    assert.deepEqual(out, [spec("calc", "calc", { type: "object", properties: {} }, true), { systemTool: { name: "nova_grounding" } }]);
    assert.equal(hasOnlySystemTools(out), false);
  });

  test("unknown strings and shapes are rejected", () => {
    assert.throws(() => formatToolsForBedrock(["web_search"]), /Unknown tool "web_search"/);
    assert.throws(
      () => formatToolsForBedrock([{ foo: 1 }]),
      (e: unknown) => e instanceof BedrockToolFormatError && /Got keys: foo/.test(e.message),
    );
    assert.throws(() => formatToolsForBedrock([null]), BedrockToolFormatError);
    assert.throws(() => formatToolsForBedrock([{ toolSpec: { description: "no name" } }]), /non-empty name/);
  });

  test("description defaults to the name", () => {
    const out = formatToolsForBedrock([{ name: "noDesc", description: "", input_schema: { type: "object" } }]);
    assert.equal(out[0]!.toolSpec!.description, "noDesc");
  });
});

describe("strict", () => {
  const t = { name: "s", description: "d", input_schema: { type: "object", properties: {} } };
  test("absent unless given", () => {
    assert.equal("strict" in formatToolsForBedrock([t])[0]!.toolSpec!, false);
  });
  test("true and false pass through", () => {
    assert.equal(formatToolsForBedrock([t], { strict: true })[0]!.toolSpec!.strict, true);
    assert.equal(formatToolsForBedrock([t], { strict: false })[0]!.toolSpec!.strict, false);
  });
  test("the option overrides OpenAI function.strict; a native toolSpec's own strict wins", () => {
    const openai = { type: "function", function: { name: "o", parameters: { type: "object" }, strict: true } };
    assert.equal(formatToolsForBedrock([openai], { strict: false })[0]!.toolSpec!.strict, false);
    const native = spec("n", "n", { type: "object" }, true);
    assert.equal(formatToolsForBedrock([native], { strict: false })[0]!.toolSpec!.strict, true);
    const nativeNoStrict = spec("m", "m", { type: "object" });
    assert.equal(formatToolsForBedrock([nativeNoStrict], { strict: false })[0]!.toolSpec!.strict, false);
  });
});

describe("null stripping", () => {
  test("anyOf with one non-null branch collapses, parent keys kept", () => {
    assert.deepEqual(stripNullFromSchema({ anyOf: [{ type: "string" }, { type: "null" }], description: "maybe", default: null }), {
      type: "string",
      description: "maybe",
      default: null,
    });
  });
  test("anyOf with several non-null branches keeps them", () => {
    assert.deepEqual(stripNullFromSchema({ anyOf: [{ type: "string" }, { type: "integer" }, { type: "null" }] }), {
      anyOf: [{ type: "string" }, { type: "integer" }],
    });
  });
  test("type arrays", () => {
    assert.deepEqual(stripNullFromSchema({ type: ["number", "null"] }), { type: "number" });
    assert.deepEqual(stripNullFromSchema({ type: ["number", "string", "null"] }), { type: ["number", "string"] });
    assert.deepEqual(stripNullFromSchema({ type: ["null"] }), { type: ["null"] });
  });
  test("only-null anyOf is left alone; anyOf without null untouched", () => {
    assert.deepEqual(stripNullFromSchema({ anyOf: [{ type: "null" }] }), { anyOf: [{ type: "null" }] });
    assert.deepEqual(stripNullFromSchema({ anyOf: [{ type: "string" }, { type: "number" }] }), {
      anyOf: [{ type: "string" }, { type: "number" }],
    });
  });
  test("recursive through properties, items, $defs; data keys untouched", () => {
    const input = {
      type: "object",
      properties: {
        tags: { type: "array", items: { anyOf: [{ $ref: "#/$defs/Tag" }, { type: "null" }] } },
        mode: { enum: ["a", null], default: { type: ["x", "null"] } },
      },
      $defs: { Tag: { type: "object", properties: { v: { type: ["string", "null"] } } } },
    };
    assert.deepEqual(stripNullFromSchema(input), {
      type: "object",
      properties: {
        tags: { type: "array", items: { $ref: "#/$defs/Tag" } },
        mode: { enum: ["a", null], default: { type: ["x", "null"] } },
      },
      $defs: { Tag: { type: "object", properties: { v: { type: "string" } } } },
    });
  });
  test("the input object is not mutated, in stripNull and in formatting", () => {
    const schema = {
      type: "object",
      properties: { a: { anyOf: [{ type: "string" }, { type: "null" }] }, b: { type: ["integer", "null"] } },
    };
    const before = structuredClone(schema);
    const tool = { name: "t", description: "d", input_schema: schema };
    const out = formatToolsForBedrock([tool]);
    assert.deepEqual(schema, before);
    assert.deepEqual(out[0]!.toolSpec!.inputSchema!.json, {
      type: "object",
      properties: { a: { type: "string" }, b: { type: "integer" } },
    });
    assert.deepEqual(stripNullFromSchema(before).properties.b, { type: "integer" });
    assert.deepEqual(before.properties.b, { type: ["integer", "null"] });
  });
});

describe("zod 4 safe-integer bounds", () => {
  test("dropped from zod schemas only, at any depth; real bounds and JSON schemas kept", () => {
    const schema = z.object({ n: z.number().int(), items: z.array(z.object({ k: z.number().int().min(1) })) });
    const out = formatToolsForBedrock([{ name: "t", schema }]);
    assert.deepEqual(out[0]!.toolSpec!.inputSchema!.json, {
      type: "object",
      properties: {
        n: { type: "integer" },
        items: {
          type: "array",
          items: { type: "object", properties: { k: { type: "integer", minimum: 1 } }, required: ["k"], additionalProperties: false },
        },
      },
      required: ["n", "items"],
      additionalProperties: false,
    });
    const json = {
      type: "object",
      properties: { n: { type: "integer", minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER } },
    };
    assert.deepEqual(formatToolsForBedrock([{ name: "t", schema: json }])[0]!.toolSpec!.inputSchema!.json, json);
    assert.deepEqual(dropSafeIntegerBounds(json), { type: "object", properties: { n: { type: "integer" } } });
    assert.equal(json.properties.n.minimum, Number.MIN_SAFE_INTEGER, "not mutated");
  });
});

describe("per-object cache", () => {
  test("the same input object returns the same frozen Tool; strict is part of the key", () => {
    const t = tool(async () => "x", { name: "c", description: "cached", schema: z.object({ a: z.string() }) });
    const first = formatTool(t);
    assert.equal(formatTool(t), first);
    assert.equal(Object.isFrozen(first), true);
    assert.equal(Object.isFrozen(first.toolSpec!.inputSchema!.json), true);
    const strict = formatTool(t, true);
    assert.notEqual(strict, first);
    assert.equal(strict.toolSpec!.strict, true);
    assert.equal(formatTool(t, true), strict);
  });
});

describe("tool choice", () => {
  const all = ["auto", "any", "tool"];
  /** The ToolChoice alone; the tests that care about warnings read `resolveToolChoice` whole. */
  const toolChoiceOf = (...args: Parameters<typeof resolveToolChoice>) => resolveToolChoice(...args).toolChoice;
  test("string forms", () => {
    assert.deepEqual(toolChoiceOf("auto", all), { auto: {} });
    assert.deepEqual(toolChoiceOf("any", all), { any: {} });
    assert.deepEqual(toolChoiceOf("required", all), { any: {} });
    assert.deepEqual(toolChoiceOf("get_weather", all), { tool: { name: "get_weather" } });
    assert.equal(toolChoiceOf(undefined, all), undefined);
  });
  test("a Bedrock ToolChoice object is used verbatim", () => {
    const choice = { tool: { name: "x" } };
    assert.equal(toolChoiceOf(choice, all), choice);
    assert.deepEqual(toolChoiceOf({ any: {} }, all), { any: {} });
  });
  test('"none" sends no toolChoice and asks for the tools to be left out', () => {
    assert.deepEqual(resolveToolChoice("none", all), { omitTools: true, warnings: [] });
    assert.deepEqual(resolveToolChoice("none", []), { omitTools: true, warnings: [] });
    assert.equal(toolChoiceOf("none", all), undefined);
  });

  const perModel: Array<[base: string, choice: string, ok: boolean]> = [
    ["anthropic.claude-3-haiku-20240307-v1:0", "auto", true],
    ["anthropic.claude-3-haiku-20240307-v1:0", "any", true],
    ["anthropic.claude-3-haiku-20240307-v1:0", "my_tool", true],
    ["amazon.nova-pro-v1:0", "any", true],
    ["amazon.nova-pro-v1:0", "my_tool", true],
    ["mistral.mistral-large-2407-v1:0", "any", true],
    ["mistral.mistral-large-2407-v1:0", "my_tool", false],
    ["meta.llama3-1-70b-instruct-v1:0", "auto", true],
    ["meta.llama3-1-70b-instruct-v1:0", "any", false],
    ["meta.llama3-8b-instruct-v1:0", "auto", false],
    ["deepseek.v3-v1:0", "any", true],
    ["deepseek.v3-v1:0", "auto", false],
    ["deepseek.r1-v1:0", "any", false],
  ];
  for (const [base, choice, ok] of perModel) {
    test(`${base} + ${choice} → ${ok ? "accepted" : "BedrockToolChoiceError"}`, () => {
      const supported = supportedToolChoiceValues(base);
      if (ok) assert.notEqual(toolChoiceOf(choice, supported, { modelId: base }), undefined);
      else assert.throws(() => toolChoiceOf(choice, supported, { modelId: base }), BedrockToolChoiceError);
    });
  }

  test("unsupported type: Python's message naming the supported values", () => {
    assert.throws(
      () => toolChoiceOf("any", ["auto"], { modelId: "meta.llama3-1-70b-instruct-v1:0" }),
      (e: unknown) =>
        e instanceof BedrockToolChoiceError &&
        e.requested === "any" &&
        e.supported.join() === "auto" &&
        e.message ===
          "Model meta.llama3-1-70b-instruct-v1:0 does not currently support tool_choice of type any. " +
            "The following tool_choice types are supported: auto. Please see " +
            "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolChoice.html " +
            "for the latest documentation on models that support tool choice.",
    );
  });

  test("no tool choice support at all", () => {
    assert.throws(
      () => toolChoiceOf("auto", [], { modelId: "deepseek.r1-v1:0" }),
      /^BedrockToolChoiceError: Model deepseek\.r1-v1:0 does not currently support tool_choice\. Please see/,
    );
  });

  test("unknown Bedrock ToolChoice keys are rejected", () => {
    assert.throws(() => toolChoiceOf({ forced: {} }, all), BedrockToolChoiceError);
  });

  test("thinking on: forced choice downgrades to auto with one warning", () => {
    const supported = supportedToolChoiceValues("anthropic.claude-sonnet-4-5-20250929-v1:0", {
      thinking: { type: "enabled", budget_tokens: 2000 },
    });
    const { toolChoice: choice, warnings } = resolveToolChoice("get_weather", supported, {
      thinkingEnabled: true,
      modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0",
    });
    assert.deepEqual(choice, { auto: {} });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /Downgrading to tool_choice='auto'/);
    assert.match(warnings[0]!, /type tool/);
  });

  test("thinking on but auto unsupported: still an error", () => {
    assert.throws(() => toolChoiceOf("any", [], { thinkingEnabled: true }), BedrockToolChoiceError);
  });

  test("supported choice with thinking on: no warning", () => {
    const r = resolveToolChoice("any", all, { thinkingEnabled: true });
    assert.deepEqual(r, { toolChoice: { any: {} }, omitTools: false, warnings: [] });
  });

  test("only system tools: forced choices downgrade to auto with a warning", () => {
    const r = resolveToolChoice("any", all, { systemToolsOnly: true });
    assert.deepEqual(r.toolChoice, { auto: {} });
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /Nova system tools/);
    assert.deepEqual(resolveToolChoice("auto", all, { systemToolsOnly: true }), {
      toolChoice: { auto: {} },
      omitTools: false,
      warnings: [],
    });
  });
});
