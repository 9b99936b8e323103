import { test } from "node:test";
import assert from "node:assert/strict";
import type { JsonValue } from "../types.js";
import { sampleFromPattern, schemaErrors, valueFromSchema } from "./json-schema.js";
import { extractFacts } from "./prompt-facts.js";

const gen = (schema: JsonValue, text = "") => valueFromSchema(schema, { facts: extractFacts(text) });

function assertValid(schema: JsonValue, value: JsonValue) {
  assert.deepEqual(schemaErrors(schema, value), [], `${JSON.stringify(value)} should satisfy ${JSON.stringify(schema)}`);
}

test("the checker rejects what it should (so the validity checks below mean something)", () => {
  const obj = { type: "object", properties: { a: { type: "integer", minimum: 1 } }, required: ["a"], additionalProperties: false };
  assert.deepEqual(schemaErrors(obj, { a: 1 }), []);
  assert.deepEqual(schemaErrors(obj, {}), ['$: missing required property "a"']);
  assert.deepEqual(schemaErrors(obj, { a: 1.5 }), ["$.a: expected integer, got number"]);
  assert.deepEqual(schemaErrors(obj, { a: 0 }), ["$.a: below minimum 1"]);
  assert.deepEqual(schemaErrors(obj, { a: 1, b: 2 }), ['$: unexpected property "b"']);
  assert.deepEqual(schemaErrors({ type: "string", format: "date" }, "2024-13-01"), ["$: not a valid date"]);
  assert.deepEqual(schemaErrors({ type: "string", pattern: "^a+$" }, "b"), ["$: does not match /^a+$/"]);
  assert.deepEqual(schemaErrors({ enum: ["x"] }, "y"), ['$: must be one of ["x"]']);
  assert.deepEqual(schemaErrors({ type: "array", minItems: 2, uniqueItems: true }, [1, 1]), ["$: items not unique"]);
  assert.deepEqual(schemaErrors({ oneOf: [{ type: "integer" }, { type: "number" }] }, 1), [
    "$: matches 2 oneOf branches, expected exactly 1",
  ]);
  assert.deepEqual(schemaErrors({ type: "number", multipleOf: 0.5 }, 0.7), ["$: not a multiple of 0.5"]);
  assert.deepEqual(schemaErrors({ $defs: { N: { type: "string" } }, type: "array", items: { $ref: "#/$defs/N" } }, ["a", 2]), [
    "$[1]: expected string, got number",
  ]);
});

test("primitive types, const, enum, null", () => {
  assert.equal(gen({ type: "string" }), "text");
  assert.equal(gen({ type: "integer" }), 1);
  assert.equal(gen({ type: "number" }), 1);
  assert.equal(gen({ type: "boolean" }), true);
  assert.equal(gen({ type: "null" }), null);
  assert.equal(gen({ const: "fixed" }), "fixed");
  assert.equal(gen({ enum: ["celsius", "fahrenheit"] }), "celsius");
  assert.equal(gen({ enum: ["celsius", "fahrenheit"] }, "in Fahrenheit please"), "fahrenheit");
  assert.equal(gen({ type: ["null", "integer"] }), 1);
});

test("numbers come from the prompt in order, then honour bounds", () => {
  const adder = { type: "object", properties: { a: { type: "integer" }, b: { type: "integer" } }, required: ["a", "b"] };
  assert.deepEqual(gen(adder, "What is 1 + 2?"), { a: 1, b: 2 });
  assert.deepEqual(gen(adder, "adder b=5 a=4"), { a: 4, b: 5 });
  assert.deepEqual(gen(adder, "What is 2.6 + 3?"), { a: 3, b: 3 });
  const bounded = {
    type: "object",
    properties: {
      n: { type: "number", exclusiveMinimum: 10, maximum: 20, multipleOf: 0.5 },
      k: { type: "integer", minimum: 100 },
      old: { type: "integer", minimum: 0, maximum: 5, exclusiveMaximum: true },
    },
  };
  const v = gen(bounded, "numbers 3 and 7 and 9");
  assert.deepEqual(v, { n: 10.5, k: 100, old: 4 });
  assertValid(bounded, v);
});

test("strings: labels, subjects, formats, field words, length and pattern", () => {
  const schema = {
    type: "object",
    properties: {
      city: { type: "string" },
      serviceName: { type: "string" },
      day: { type: "string", format: "date" },
      when: { type: "string", format: "date-time" },
      email: { type: "string", format: "email" },
      site: { type: "string", format: "uri" },
      id: { type: "string", format: "uuid" },
      code: { type: "string", pattern: "^[A-Z]{3}-\\d{2}$" },
      short: { type: "string", maxLength: 3 },
      long: { type: "string", minLength: 12 },
    },
  };
  const v = gen(schema, "Weather in LA on 2025-02-03?\nService name: MyService\nwrite to ann@example.com");
  assert.deepEqual(v, {
    city: "Los Angeles, CA",
    serviceName: "MyService",
    day: "2025-02-03",
    when: "2025-02-03T12:00:00Z",
    email: "ann@example.com",
    site: "https://example.com",
    id: "123e4567-e89b-42d3-a456-426614174000",
    code: "AAA-00",
    short: "sho",
    long: "long........",
  });
  assertValid(schema, v);
});

test("nested objects, arrays with minItems, $ref to $defs and definitions, unique enum items", () => {
  const schema = {
    $defs: { Item: { type: "object", properties: { name: { type: "string" }, qty: { type: "integer" } }, required: ["name"] } },
    definitions: { Tag: { enum: ["a", "b", "c"] } },
    type: "object",
    properties: {
      items: { type: "array", items: { $ref: "#/$defs/Item" }, minItems: 2 },
      tags: { type: "array", items: { $ref: "#/definitions/Tag" }, uniqueItems: true, minItems: 3 },
      pair: { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }] },
      none: { type: "array", items: { type: "string" }, maxItems: 0 },
      meta: { type: "object", properties: { inner: { type: "object", properties: { flag: { type: "boolean" } } } } },
    },
    required: ["items"],
  };
  const v = gen(schema);
  assert.deepEqual(v, {
    items: [
      { name: "Example", qty: 1 },
      { name: "Example", qty: 1 },
    ],
    tags: ["a", "b", "c"],
    pair: ["pair", 1],
    none: [],
    meta: { inner: { flag: true } },
  });
  assertValid(schema, v);
});

test("anyOf/oneOf take the first non-null branch that validates; allOf merges", () => {
  const schema: JsonValue = {
    type: "object",
    properties: {
      maybe: { anyOf: [{ type: "null" }, { type: "string", enum: ["x", "y"] }] },
      either: { oneOf: [{ type: "integer" }, { type: "number" }, { type: "string" }] },
      both: {
        allOf: [
          { type: "object", properties: { p: { type: "string" } }, required: ["p"] },
          { properties: { q: { type: "number" } }, required: ["q"] },
        ],
      },
    },
  };
  const v = gen(schema);
  assert.deepEqual(v, { maybe: "x", either: "either", both: { p: "p", q: 1 } });
  assertValid(schema, v);
});

test("recursive schemas terminate and stay valid", () => {
  const schema = {
    definitions: {
      Node: {
        type: "object",
        properties: { value: { type: "integer" }, children: { type: "array", items: { $ref: "#/definitions/Node" } } },
        required: ["value", "children"],
      },
    },
    $ref: "#/definitions/Node",
  };
  const v = gen(schema);
  assertValid(schema, v);
  assert.ok(JSON.stringify(v).length < 2000);
});

test("records accept a labeled JSON object; minProperties adds keys", () => {
  const schema = {
    type: "object",
    properties: {
      parameters: { type: "object", additionalProperties: {} },
      extra: { type: "object", additionalProperties: { type: "integer" }, minProperties: 2 },
    },
  };
  const v = gen(schema, 'Parameters: {"param1":"value1"}');
  assert.deepEqual(v, { parameters: { param1: "value1" }, extra: { key1: 1, key2: 1 } });
  assertValid(schema, v);
});

test("pattern samples", () => {
  assert.equal(sampleFromPattern("^[A-Z]{3}-\\d{2}$"), "AAA-00");
  assert.equal(sampleFromPattern("^(foo|bar)+[^0-9]?x*$"), "foo");
  assert.equal(sampleFromPattern("^\\w+@\\w+\\.com$"), "a@a.com");
  assert.equal(sampleFromPattern("^(?=x)y$"), undefined);
});
