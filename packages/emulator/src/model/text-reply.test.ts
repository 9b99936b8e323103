import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConverseRequest } from "../types.js";
import { describeMedia, textReply, toolResultsReply } from "./text-reply.js";

test("restates the last user text; greets when there is nothing to restate", () => {
  assert.equal(textReply({ messages: [{ role: "user", content: [{ text: "  Hello  " }] }] }), "You said: Hello");
  assert.equal(textReply({ messages: [{ role: "user", content: [{ text: "a" }, { text: "b" }] }] }), "You said: a\nb");
  assert.equal(textReply({ messages: [] }), "Hello! How can I help you today?");
  assert.equal(
    textReply({ messages: [{ role: "user", content: [{ guardContent: { text: { text: "guarded question" } } }] }] }),
    "You said: guarded question",
  );
});

test("media descriptions: size, S3 location or character count", () => {
  assert.deepEqual(
    describeMedia([
      { image: { format: "jpeg", source: { bytes: "AAAA" } } },
      { document: { format: "md", name: "readme", source: { text: "Hi there" } } },
      { video: { format: "mp4", source: { s3Location: { uri: "s3://b/v.mp4" } } } },
      { text: "ignored" },
    ]),
    ["I see an image (jpeg, 3 bytes).", 'I see a document "readme" (md, 8 characters).', "I see a video (mp4, s3://b/v.mp4)."],
  );
});

test("tool results: named from the assistant's toolUse, errors and media reported, user text kept", () => {
  const req: ConverseRequest = {
    messages: [
      { role: "user", content: [{ text: "go" }] },
      { role: "assistant", content: [{ toolUse: { toolUseId: "t1", name: "Fetch", input: {} } }] },
      {
        role: "user",
        content: [
          { toolResult: { toolUseId: "t1", content: [{ text: "boom" }], status: "error" } },
          { toolResult: { toolUseId: "t9", content: [{ image: { format: "png", source: { bytes: "AAAA" } } }] } },
          { text: "and now?" },
        ],
      },
    ],
  };
  assert.equal(
    toolResultsReply(req),
    'Based on the tool results: Fetch failed with "boom"; t9 returned an image (png, 3 bytes). You said: and now?',
  );
  assert.equal(toolResultsReply({ messages: [{ role: "user", content: [{ text: "x" }] }] }), undefined);
});
