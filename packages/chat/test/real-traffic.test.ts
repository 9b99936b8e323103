// Requests shaped like real users' and replies shaped like the real service's (issue 13): document names
// Bedrock accepts, citations in v0 and v1 from invoke and stream and back across a turn, tool blocks rebuilt
// from content, Python's spelling of standard blocks, model_name as configured, and cache writes per TTL.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AIMessage, AIMessageChunk, HumanMessage } from "@langchain/core/messages";
import type { Emulator } from "bedrock-runtime-emulator";
import { BedrockInputError } from "langchain-bedrock-converse";
import { collect, emulator, lastBody, model, runtimeRequests } from "./helpers.js";

let emu: Emulator;
before(async () => { emu = await emulator(); });
after(async () => { await emu.close(); });
beforeEach(() => emu.reset());

const human = (...content: unknown[]) => new HumanMessage({ content: content as never });
const b64 = (text: string) => Buffer.from(text).toString("base64");
const wire = () => lastBody(emu).messages as any[];
const docNames = () => wire().flatMap((m) => m.content).filter((b: any) => b.document).map((b: any) => b.document.name);

describe("document names (DOC-1, DOC-2)", () => {
  const file = (name: string, extra: Record<string, unknown> = {}) =>
    ({ type: "file", data: b64(`contents of ${name}`), mimeType: "text/plain", ...extra, ...(name ? { name } : {}) });

  test("file names users send are sanitised into names Bedrock accepts; the LangChain block keeps its name", async () => {
    const blocks = [file("report.pdf"), file("John's report.pdf"), file("résumé.pdf"), file("a  b.txt"), file("notes_v2 [final] (1).txt")];
    const msg = human(...blocks, "Summarise.");
    await model(emu).invoke([msg]);
    assert.deepEqual(docNames(), ["report", "Johns report", "resume", "a b", "notes_v2 [final] (1)"]);
    assert.equal((msg.content as any[])[0].name, "report.pdf", "the original file name stays on the LangChain block");
  });

  test("names from filename / title / metadata / extras; nothing left → document-N; repeats → (2)", async () => {
    await model(emu).invoke([
      human(file("", { filename: "hello.txt" }), file("", { metadata: { filename: "hello.md" } }), file("", { extras: { name: "日本語.txt" } }), "a"),
      new AIMessage("ok"),
      human(file("", { title: "Hello" }), file("", { metadata: { name: "x".repeat(250) } }), "b"),
    ]);
    assert.deepEqual(docNames(), ["hello", "hello (2)", "document-3", "Hello (3)", "x".repeat(200)]);
  });

  test("a native {document} with a name Bedrock refuses fails before any request", async () => {
    const native = (name: string) => ({ document: { format: "txt", name, source: { bytes: b64("x") } } });
    for (const name of ["report.pdf", "a  b", "", "x".repeat(201)]) {
      await assert.rejects(model(emu).invoke([human(native(name), "x")]),
        (e: unknown) => e instanceof BedrockInputError && e.code === "INVALID_DOCUMENT_NAME" && e.message.includes("Rename it"));
    }
    await assert.rejects(model(emu).invoke([human(native("same"), native("same"), "x")]),
      (e: unknown) => e instanceof BedrockInputError && e.code === "DUPLICATE_DOCUMENT_NAME");
    assert.deepEqual(runtimeRequests(emu), []);
  });

  test("a derived name steps aside for a native one wherever it is", async () => {
    await model(emu).invoke([human(file("report.txt"), "a"), new AIMessage("ok"), human({ document: { format: "txt", name: "report", source: { bytes: b64("x") } } }, "b")]);
    assert.deepEqual(docNames(), ["report (2)", "report"]);
  });
});
