import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConverseRequest, JsonObject } from "../types.js";
import { citationBlocks, pdfText, sentences } from "./citations.js";

const b64 = (s: string, enc: BufferEncoding = "utf8") => Buffer.from(s, enc).toString("base64");
const doc = (format: string, name: string, source: JsonObject, citations = true) => ({
  document: { format, name, source, ...(citations ? { citations: { enabled: true } } : {}) },
});

test("sentences carry exact offsets", () => {
  const text = "One. Two two!\nThree?";
  assert.deepEqual(
    sentences(text).map((s) => [s.text, s.start, s.end, text.slice(s.start, s.end)]),
    [
      ["One.", 0, 4, "One."],
      ["Two two!", 5, 13, "Two two!"],
      ["Three?", 14, 20, "Three?"],
    ],
  );
});

test("bytes of a text document decode as UTF-8; documentIndex counts earlier documents too", () => {
  const req: ConverseRequest = {
    messages: [
      { role: "user", content: [doc("txt", "old", { text: "Earlier." }, false), { text: "Keep this." }] },
      { role: "assistant", content: [{ text: "Ok." }] },
      {
        role: "user",
        content: [
          doc("md", "notes", { bytes: b64("# Notes\nThe meeting is on Tuesday. Bring coffee.") }),
          doc("txt", "plain", { text: "Nothing to see." }, false),
          { text: "When is the meeting?" },
        ],
      },
    ],
  };
  assert.deepEqual(citationBlocks(req), [
    { text: 'According to "notes": ' },
    {
      citationsContent: {
        content: [{ text: "The meeting is on Tuesday." }],
        citations: [
          {
            title: "notes",
            sourceContent: [{ text: "The meeting is on Tuesday." }],
            location: { documentChar: { documentIndex: 1, start: 8, end: 34 } },
          },
        ],
      },
    },
    { text: " That is what the document says." },
  ]);
});

test("pdf documents cite page 1 and quote the page's text operators", () => {
  const pdf = "%PDF-1.4\n1 0 obj<<>>stream\nBT /F1 12 Tf (Revenue grew 12% in 2024.) Tj [(Costs ) -20 (fell.)] TJ ET\nendstream\n%%EOF";
  assert.equal(pdfText(b64(pdf, "latin1")), "Revenue grew 12% in 2024. Costs fell.");
  const req: ConverseRequest = {
    messages: [{ role: "user", content: [doc("pdf", "report", { bytes: b64(pdf, "latin1") }), { text: "How did costs change?" }] }],
  };
  const [, block] = citationBlocks(req);
  const c = block.citationsContent as JsonObject;
  assert.deepEqual(c.content, [{ text: "Costs fell." }]);
  assert.deepEqual((c.citations as JsonObject[])[0].location, { documentPage: { documentIndex: 0, start: 1, end: 2 } });
  const opaque = citationBlocks({ messages: [{ role: "user", content: [doc("pdf", "scan", { bytes: b64("%PDF-1.7 binary") })] }] });
  assert.deepEqual((opaque[1].citationsContent as JsonObject).content, [{ text: "Page 1 of scan" }]);
});

test("chunked documents cite the best chunk with documentChunk", () => {
  const req: ConverseRequest = {
    messages: [
      {
        role: "user",
        content: [doc("txt", "kb", { content: [{ text: "Cats sleep a lot." }, { text: "Dogs bark loudly." }] }), { text: "Do dogs bark?" }],
      },
    ],
  };
  const c = citationBlocks(req)[1].citationsContent as JsonObject;
  assert.deepEqual(c.content, [{ text: "Dogs bark loudly." }]);
  assert.deepEqual((c.citations as JsonObject[])[0].location, { documentChunk: { documentIndex: 0, start: 1, end: 2 } });
});

test("no citations without citations.enabled, and none for unreadable sources", () => {
  assert.deepEqual(citationBlocks({ messages: [{ role: "user", content: [doc("txt", "a", { text: "Hi." }, false)] }] }), []);
  assert.deepEqual(citationBlocks({ messages: [{ role: "user", content: [doc("txt", "a", { s3Location: { uri: "s3://b/k" } })] }] }), []);
});

test("a document from an earlier turn is cited when a later question asks about it", () => {
  const req: ConverseRequest = {
    messages: [
      {
        role: "user",
        content: [doc("txt", "colors", { text: "The grass is green. The sky is blue." }), { text: "What color is the grass?" }],
      },
      { role: "assistant", content: [{ text: "Green." }] },
      { role: "user", content: [{ text: "And what color is the sky?" }] },
    ],
  };
  const blocks = citationBlocks(req);
  assert.deepEqual(
    blocks.map((b) => Object.keys(b)[0]),
    ["text", "citationsContent", "text"],
  );
  assert.deepEqual(blocks[1], {
    citationsContent: {
      content: [{ text: "The sky is blue." }],
      citations: [
        {
          title: "colors",
          sourceContent: [{ text: "The sky is blue." }],
          location: { documentChar: { documentIndex: 0, start: 20, end: 36 } },
        },
      ],
    },
  });
});

test("several documents: text, then each document's cited text after its own lead-in, then a closing text", () => {
  const req: ConverseRequest = {
    messages: [
      {
        role: "user",
        content: [doc("txt", "a", { text: "Alpha is first." }), doc("txt", "b", { text: "Beta is second." }), { text: "Which is first?" }],
      },
    ],
  };
  const blocks = citationBlocks(req);
  assert.deepEqual(
    blocks.map((b) => (typeof b.text === "string" ? b.text : ((b.citationsContent as JsonObject).content as JsonObject[])[0].text)),
    ['According to "a": ', "Alpha is first.", ' And according to "b": ', "Beta is second.", " That is what the documents say."],
  );
});
