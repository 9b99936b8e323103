import assert from "node:assert/strict";
import { test } from "node:test";
import { DocumentNamer, documentNameProblem, sanitizeDocumentName } from "./document-names.js";

test("sanitizeDocumentName: extension, accents, disallowed characters, whitespace, length", () => {
  assert.equal(sanitizeDocumentName("report.pdf"), "report");
  assert.equal(sanitizeDocumentName("John's report.pdf"), "Johns report");
  assert.equal(sanitizeDocumentName("résumé.pdf"), "resume");
  assert.equal(sanitizeDocumentName("Ångström über naïve.docx"), "Angstrom uber naive");
  assert.equal(sanitizeDocumentName("a  b.txt"), "a b");
  assert.equal(sanitizeDocumentName(" tab\there\nnewline .md "), "tab here newline");
  assert.equal(sanitizeDocumentName("Q&A #3, final.txt"), "QA 3 final");
  assert.equal(sanitizeDocumentName("snake_case [v2] (draft).csv"), "snake_case [v2] (draft)");
  assert.equal(sanitizeDocumentName("日本語.pdf"), "");
  assert.equal(sanitizeDocumentName("x".repeat(300)), "x".repeat(200));
  assert.equal(sanitizeDocumentName(`${"y".repeat(199)} z`), "y".repeat(199), "no trailing space after the cut");
  for (const name of ["report", "Johns report", "a b", "x".repeat(200)])
    assert.equal(documentNameProblem(sanitizeDocumentName(name)), undefined);
});

test("documentNameProblem says what is wrong", () => {
  assert.equal(documentNameProblem("ok name (1) [a]-b_c"), undefined);
  assert.match(documentNameProblem("report.pdf")!, /"\."/);
  assert.match(documentNameProblem("a  b")!, /consecutive whitespace/);
  assert.match(documentNameProblem("")!, /missing or empty/);
  assert.match(documentNameProblem("x".repeat(201))!, /201 characters/);
});

test("DocumentNamer: case-insensitive, numbered repeats within 200 characters", () => {
  const namer = new DocumentNamer();
  assert.equal(namer.unique("report"), "report");
  assert.equal(namer.unique("Report"), "Report (2)");
  assert.equal(namer.unique("report"), "report (3)");
  const long = "z".repeat(200);
  assert.equal(namer.unique(long), long);
  assert.equal(namer.unique(long), `${"z".repeat(196)} (2)`);
});
