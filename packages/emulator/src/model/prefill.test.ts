import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConverseRequest } from "../types.js";
import { continuePrefill, prefillOf, schemaInText } from "./prefill.js";
import { schemaErrors } from "./json-schema.js";

const joke = {
  type: "object",
  properties: { setup: { type: "string" }, punchline: { type: "string" }, rating: { type: "integer" } },
  required: ["setup", "punchline"],
};
const system = `Answer with one JSON value that conforms to the JSON schema below.\n\nJSON schema:\n${JSON.stringify(joke, null, 2)}`;
const withPrefill = (prefill: string): ConverseRequest => ({
  system: [{ text: system }],
  messages: [
    { role: "user", content: [{ text: "Tell me a joke about cats" }] },
    { role: "assistant", content: [{ text: prefill }] },
  ],
});

test("the prefill is the text of a final assistant turn only", () => {
  assert.equal(prefillOf(withPrefill("```json")), "```json");
  assert.equal(prefillOf({ messages: [{ role: "user", content: [{ text: "Hi" }] }] }), undefined);
});

test("a schema is found in the prompt text; other JSON objects are skipped", () => {
  assert.deepEqual(schemaInText(`Example: {"a": 1}. Schema: ${JSON.stringify(joke)}`), joke);
  assert.equal(schemaInText("no braces { here"), undefined);
});

test("JSON prefills are continued so that prefill + continuation is JSON matching the prompt's schema", () => {
  for (const prefill of ["```json", "```json\n{", "{"]) {
    const rest = continuePrefill(withPrefill(prefill), prefill);
    const whole = `${prefill}${rest}`;
    const fenced = /^```json\s*([\s\S]*?)\s*```$/.exec(whole);
    const json = JSON.parse(fenced ? fenced[1] : whole);
    assert.deepEqual(schemaErrors(joke, json), [], prefill);
    assert.equal(json.setup, "Why did the cats bring a ladder to work?");
    assert.equal(rest.endsWith("```"), prefill.startsWith("```"), "an opened fence is closed");
  }
  assert.equal(continuePrefill(withPrefill("```json"), "```json").startsWith("\n{"), true);
});

test("without a schema a JSON prefill gets an answer object; other prefills get the plain reply", () => {
  const req: ConverseRequest = {
    messages: [
      { role: "user", content: [{ text: "Hi" }] },
      { role: "assistant", content: [{ text: "{" }] },
    ],
  };
  assert.equal(continuePrefill(req, "{"), '"answer":"You said: Hi"}');
  assert.equal(continuePrefill(req, "Sure,"), " You said: Hi");
});
