import assert from "node:assert/strict";
import { test } from "node:test";
import { contentText } from "./content-text.js";

test("contentText: strings, text blocks and bare strings joined; other blocks skipped", () => {
  assert.equal(contentText("plain"), "plain");
  assert.equal(
    contentText([
      { type: "reasoning_content", reasoning_content: { type: "text", text: "hidden" } },
      { type: "text", text: "Hello" },
      " ",
      { text: "untyped" },
      { type: "tool_use", id: "t1", name: "f", input: {} },
      { type: "text", text: "!", index: 1 },
    ]),
    "Hello untyped!",
  );
  assert.equal(contentText([]), "");
  assert.equal(contentText(undefined), "");
  assert.equal(contentText([{ type: "text", text: 3 }]), "");
});
