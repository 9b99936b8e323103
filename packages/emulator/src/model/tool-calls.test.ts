import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConverseRequest, JsonObject } from "../types.js";
import { schemaErrors } from "./json-schema.js";
import { mentionsToolName, planToolCalls } from "./tool-calls.js";

const location = { type: "object", properties: { location: { type: "string", description: "The city" } }, required: ["location"] };
const adder = {
  type: "object",
  properties: {
    a: { type: "integer", description: "The first integer to add." },
    b: { type: "integer", description: "The second integer to add." },
  },
  required: ["a", "b"],
  additionalProperties: false,
};
const tool = (name: string, description: string, json: JsonObject) => ({ toolSpec: { name, description, inputSchema: { json } } });
const weather = tool("GetWeather", "Get the current weather for a city", location);
const population = tool("GetPopulation", "Get the population of a city", location);

function request(text: string, tools: JsonObject[], extra: Partial<ConverseRequest> = {}): ConverseRequest {
  return { messages: [{ role: "user", content: [{ text }] }], toolConfig: { tools, ...(extra.toolConfig ?? {}) }, ...extra };
}

function calls(req: ConverseRequest) {
  return planToolCalls(req, "anthropic.claude-3-haiku-20240307-v1:0")?.calls.map((c) => ({ name: c.name, input: c.input }));
}

function assertInputsValid(req: ConverseRequest) {
  const plan = planToolCalls(req, "m");
  for (const c of plan?.calls ?? []) {
    const spec = req.toolConfig?.tools.find((t) => (t.toolSpec as JsonObject).name === c.name)?.toolSpec as JsonObject;
    const schema = (spec.inputSchema as JsonObject).json;
    assert.deepEqual(schemaErrors(schema, c.input), [], `${c.name} ${JSON.stringify(c.input)}`);
  }
}

test("seed example: two tools x two subjects = four calls in tool order, places expanded", () => {
  const req = request("Which city is hotter today and which is bigger: LA or NY?", [weather, population]);
  assert.deepEqual(calls(req), [
    { name: "GetWeather", input: { location: "Los Angeles, CA" } },
    { name: "GetWeather", input: { location: "New York, NY" } },
    { name: "GetPopulation", input: { location: "Los Angeles, CA" } },
    { name: "GetPopulation", input: { location: "New York, NY" } },
  ]);
  const plan = planToolCalls(req, "m");
  assert.equal(plan?.preamble, "I'll use GetWeather and GetPopulation to answer this.");
  assertInputsValid(req);
});

test("tool-use ids: tooluse_ + 22 url-safe base64 chars, distinct, stable, conversation-dependent", () => {
  const req = request("Which city is hotter today and which is bigger: LA or NY?", [weather, population]);
  const ids = planToolCalls(req, "m")?.calls.map((c) => c.toolUseId) ?? [];
  assert.equal(ids.length, 4);
  for (const id of ids) assert.match(id, /^tooluse_[A-Za-z0-9_-]{22}$/);
  assert.equal(new Set(ids).size, 4);
  assert.deepEqual(
    planToolCalls(req, "m")?.calls.map((c) => c.toolUseId),
    ids,
  );
  const other = request("Which city is hotter today and which is bigger: LA or SF?", [weather, population]);
  assert.notEqual(planToolCalls(other, "m")?.calls[0].toolUseId, ids[0]);
});

test("naming two tools gets two calls (LangChain parallel tool calling prompt)", () => {
  const t1 = tool("get_current_weather", "Get the current weather in a given location", location);
  const t2 = tool("get_current_time", "Get the current time in a given location", location);
  const req = request(
    "What's the weather and current time in San Francisco?\nEnsure you ALWAYS call the 'get_current_weather' tool for weather and 'get_current_time' tool for time.",
    [t1, t2],
  );
  assert.deepEqual(calls(req), [
    { name: "get_current_weather", input: { location: "San Francisco" } },
    { name: "get_current_time", input: { location: "San Francisco" } },
  ]);
});

test("auto: a plain greeting calls no tool; a related word does", () => {
  assert.equal(calls(request("Hello", [weather])), undefined);
  assert.equal(calls(request("how are you", [weather, population])), undefined);
  assert.deepEqual(calls(request("Is it raining in Oslo?", [weather, population])), [{ name: "GetWeather", input: { location: "Oslo" } }]);
  const t = tool("get_current_weather", "Get the current weather in a given location", location);
  assert.deepEqual(calls(request("What's the weather like in San Francisco today?", [t])), [
    { name: "get_current_weather", input: { location: "San Francisco" } },
  ]);
});

test("numbers from the prompt fill number parameters in order (standard adder prompts)", () => {
  const t = tool("AdderTool", "Add two integers", adder);
  assert.deepEqual(calls(request("What is the value of adderTool(1, 2)? Use the tool.", [t])), [
    { name: "AdderTool", input: { a: 1, b: 2 } },
  ]);
  assert.deepEqual(calls(request("What is 3 + 4", [t])), [{ name: "AdderTool", input: { a: 3, b: 4 } }]);
  // the system prompt insists on calling a (differently named) function: the best tool is called
  const math = request("What is the sum of 1836281973 and 19973286?", [t], {
    system: [{ text: "You are bad at math and must ALWAYS call the math_addition function." }],
  });
  assert.deepEqual(calls(math), [{ name: "AdderTool", input: { a: 1836281973, b: 19973286 } }]);
  assertInputsValid(math);
  // a system prompt that merely allows tools does not force one
  const relaxed = request("Hello", [t], { system: [{ text: "You are helpful. Use the tools when needed." }] });
  assert.equal(calls(relaxed), undefined);
});

test("toolChoice tool: exactly that tool, once, without preamble, even for a greeting", () => {
  const req = request("Hello", [weather, population], {
    toolConfig: { tools: [weather, population], toolChoice: { tool: { name: "GetPopulation" } } },
  });
  const plan = planToolCalls(req, "m");
  assert.deepEqual(
    plan?.calls.map((c) => ({ name: c.name, input: c.input })),
    [{ name: "GetPopulation", input: { location: "Seattle, WA" } }],
  );
  assert.equal(plan?.preamble, undefined);
  const two = request("LA or NY?", [weather], { toolConfig: { tools: [weather], toolChoice: { tool: { name: "GetWeather" } } } });
  assert.equal(calls(two)?.length, 1);
});

test("toolChoice any: the pointed-at tool, else the first one", () => {
  const any = (text: string) =>
    request(text, [weather, population], { toolConfig: { tools: [weather, population], toolChoice: { any: {} } } });
  assert.deepEqual(calls(any("Hello")), [{ name: "GetWeather", input: { location: "Seattle, WA" } }]);
  assert.deepEqual(calls(any("How many people live in Lima?")), [{ name: "GetPopulation", input: { location: "Lima" } }]);
  assert.equal(planToolCalls(any("Hello"), "m")?.preamble, undefined);
});

test("'twice' doubles a single call; 'both tools' adds the other tool", () => {
  assert.deepEqual(calls(request("Check the weather in Oslo twice", [weather])), [
    { name: "GetWeather", input: { location: "Oslo" } },
    { name: "GetWeather", input: { location: "Oslo" } },
  ]);
  assert.deepEqual(calls(request("Use both tools for Oslo weather", [weather, population])), [
    { name: "GetWeather", input: { location: "Oslo" } },
    { name: "GetPopulation", input: { location: "Oslo" } },
  ]);
});

test("after tool results, auto answers in text; a forced choice still calls", () => {
  const history: ConverseRequest = {
    messages: [
      { role: "user", content: [{ text: "Weather in Oslo?" }] },
      { role: "assistant", content: [{ toolUse: { toolUseId: "tooluse_1", name: "GetWeather", input: { location: "Oslo" } } }] },
      { role: "user", content: [{ toolResult: { toolUseId: "tooluse_1", content: [{ text: "cold" }] } }] },
    ],
    toolConfig: { tools: [weather] },
  };
  assert.equal(planToolCalls(history, "m"), undefined);
  assert.equal(planToolCalls({ ...history, toolConfig: { tools: [weather], toolChoice: { any: {} } } }, "m")?.calls.length, 1);
});

test("tool names match in any case and spelling", () => {
  assert.ok(mentionsToolName("please run get current weather now", "get_current_weather"));
  assert.ok(mentionsToolName("call GETCURRENTWEATHER", "getCurrentWeather"));
  assert.ok(!mentionsToolName("the address book", "add"));
});

test('"San Francisco, CA" is one place: one call with the whole place, never two', () => {
  assert.deepEqual(calls(request("What's the weather in San Francisco, CA?", [weather])), [
    { name: "GetWeather", input: { location: "San Francisco, CA" } },
  ]);
  assert.deepEqual(
    calls(request("Weather in Paris, France and Austin, Texas?", [weather]))?.map((c) => c.input.location),
    ["Paris, France", "Austin, Texas"],
  );
});

test("a quoted name after 'named' fills the tool's name field, in one call", () => {
  const customer = tool("unicode_customer", "Tool for creating a customer with Unicode name.", {
    type: "object",
    properties: { customer_name: { type: "string" }, description: { type: "string" } },
    required: ["customer_name", "description"],
  });
  const got = calls(request("Create a customer named '你好啊集团' (Hello Group) - a Chinese technology company", [customer]));
  assert.equal(got?.length, 1);
  assert.equal(got?.[0].input.customer_name, "你好啊集团");
  const project = tool("create_project", "Create a project", {
    type: "object",
    properties: { slug: { type: "string" }, size: { type: "integer" } },
    required: ["slug"],
  });
  assert.deepEqual(calls(request('Create a project called "Acme"', [project]))?.[0].input.slug, "Acme");
});
