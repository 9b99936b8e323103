import { test } from "node:test";
import assert from "node:assert/strict";
import {
  extractFacts,
  extractLabels,
  extractNamed,
  extractNumbers,
  extractSubjects,
  extractTopic,
  normalizeLabel,
} from "./prompt-facts.js";

test("subjects: capitalized names and abbreviations, skipping question words and quotes", () => {
  assert.deepEqual(extractSubjects("Which city is hotter today and which is bigger: LA or NY?"), ["LA", "NY"]);
  assert.deepEqual(extractSubjects("What's the weather like in San Francisco today?"), ["San Francisco"]);
  assert.deepEqual(extractSubjects("Compare Paris, New York City and Tokyo."), ["Paris", "New York City", "Tokyo"]);
  assert.deepEqual(extractSubjects("What's the weather in Boston?\nEnsure you ALWAYS call the 'Get_Weather' tool."), ["Boston"]);
  assert.deepEqual(extractSubjects("Use GetWeather for Rome", ["GetWeather"]), ["Rome"]);
  assert.deepEqual(extractSubjects("hello there"), []);
  // a lone capitalized word that only starts a sentence is a subject only when nothing else is
  assert.deepEqual(extractSubjects("Weather in LA? Service name: MyService"), ["LA", "MyService"]);
  assert.deepEqual(extractSubjects("Paris is nice."), ["Paris"]);
  assert.deepEqual(extractSubjects("Paris or Rome: which is warmer?"), ["Paris", "Rome"]);
});

test("numbers in order, with decimals and negatives, not inside words", () => {
  assert.deepEqual(extractNumbers("What is 1 + 2?"), [1, 2]);
  assert.deepEqual(extractNumbers("adderTool(1, 2)"), [1, 2]);
  assert.deepEqual(extractNumbers("sum of 1836281973 and 19973286"), [1836281973, 19973286]);
  assert.deepEqual(extractNumbers("3.5 and -4 but not v2 or b52"), [3.5, -4]);
});

test("labels from 'label: value' lines and inline key=value", () => {
  const labels = extractLabels("Service name: MyService\nParameters: {\"p\": 1}\nadder a=1 b='two'");
  assert.equal(labels.get("servicename"), "MyService");
  assert.equal(labels.get("parameters"), '{"p": 1}');
  assert.equal(labels.get("a"), "1");
  assert.equal(labels.get("b"), "two");
  const codes = extractLabels("Jane wants 2 units of SKU ABC-123 and order #A17, not Claude 3 or LA.");
  assert.equal(codes.get("sku"), "ABC-123");
  assert.equal(codes.get("order"), "A17");
  assert.equal(codes.has("units"), false);
  assert.equal(codes.has("claude"), false);
  assert.equal(normalizeLabel("extraction_path"), normalizeLabel("Extraction path"));
});

test("topic and formatted values", () => {
  assert.equal(extractTopic("Tell me a joke about cats, please"), "cats");
  assert.equal(extractTopic("Hello"), undefined);
  const facts = extractFacts("Meet on 2024-05-06 at https://example.org/x, mail bob@example.com, 3 people");
  assert.deepEqual(facts.dates, ["2024-05-06"]);
  assert.deepEqual(facts.urls, ["https://example.org/x"]);
  assert.deepEqual(facts.emails, ["bob@example.com"]);
  assert.deepEqual(facts.numbers, [3]);
});

test('"City, ST" and "City, Country" are one subject; a list of cities stays a list', () => {
  assert.deepEqual(extractSubjects("What's the weather in San Francisco, CA?"), ["San Francisco, CA"]);
  assert.deepEqual(extractSubjects("Paris, France or Austin, Texas?"), ["Paris, France", "Austin, Texas"]);
  assert.deepEqual(extractSubjects("Compare Paris, Rome and Berlin"), ["Paris", "Rome", "Berlin"]);
  assert.deepEqual(extractSubjects("Weather in LA, NY"), ["LA", "NY"], "two abbreviations stay two places");
});

test("quoted names after named / called / titled, which then are the subjects", () => {
  const text = "Create a customer named '你好啊集团' (Hello Group) - a Chinese technology company";
  assert.deepEqual(extractNamed(text), ["你好啊集团"]);
  assert.deepEqual(extractFacts(text).subjects, ["你好啊集团"]);
  assert.deepEqual(extractNamed('a project called "Acme" and a file titled “Q3 plan”'), ["Acme", "Q3 plan"]);
  assert.deepEqual(extractNamed("call the tool named 'get_weather'", ["get_weather"]), [], "tool names are not names of things");
  assert.deepEqual(extractNamed("a dog named Rex"), [], "only quoted values count");
});
