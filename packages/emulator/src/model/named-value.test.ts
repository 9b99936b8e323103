import { test } from "node:test";
import assert from "node:assert/strict";
import { namedProperty, withNamedValue } from "./named-value.js";

const customer = {
  type: "object",
  properties: { description: { type: "string" }, customer_name: { type: "string" } },
  required: ["description", "customer_name"],
};

test("the name-like string field takes the quoted name, else the first required string", () => {
  assert.equal(namedProperty(customer), "customer_name");
  assert.equal(
    namedProperty({ type: "object", properties: { n: { type: "integer" }, slug: { type: "string" } }, required: ["slug"] }),
    "slug",
  );
  assert.equal(namedProperty({ type: "object", properties: { n: { type: "integer" } } }), undefined);
  assert.deepEqual(withNamedValue(customer, { description: "d", customer_name: "x" }, ["你好啊集团"]), {
    description: "d",
    customer_name: "你好啊集团",
  });
});

test("nothing changes without a name or when the schema refuses it", () => {
  assert.deepEqual(withNamedValue(customer, { customer_name: "x" }, []), { customer_name: "x" });
  const short = { type: "object", properties: { name: { type: "string", maxLength: 2 } } };
  assert.deepEqual(withNamedValue(short, { name: "ab" }, ["Acme"]), { name: "ab" });
});
