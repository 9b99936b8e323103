// The model-family traps of bedrock-traps.md the client prevents on the final request (src/convert/family-limits.ts),
// one describe per trap id, over real HTTP against the emulator: the typed error before any request, or
// the exact wire body the emulator accepted and the warning the user sees. Other traps: traps.test.ts.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import type { Emulator } from "bedrock-runtime-emulator";
import { BedrockInputError, createCachePoint } from "langchain-bedrock-converse";
import { collectWarnings, emulator, lastBody, model, runtimeRequests } from "./helpers.js";

const PNG = readFileSync(new URL("../../../examples/assets/sunny-sky.png", import.meta.url));
const NOVA = "amazon.nova-pro-v1:0";
const LLAMA = "meta.llama3-1-70b-instruct-v1:0";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

const lookup = {
  name: "lookup",
  description: "Look a word up",
  schema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
};
const human = (...content: unknown[]) => new HumanMessage({ content: content as never });
const wire = () => lastBody(emu).messages as any[];
const accepted = () => assert.equal(runtimeRequests(emu).at(-1)!.status, 200, "the emulator accepted the request");
const png = (bytes: Buffer) => ({ type: "image", data: bytes.toString("base64"), mimeType: "image/png" });
/** The sample PNG padded with zeros to `size` bytes (the header, all the service reads for limits, stays). */
const pngOfSize = (size: number) => Buffer.concat([PNG, Buffer.alloc(size - PNG.length)]);
const refused = (code: string, message: RegExp) => (e: unknown) => {
  assert.ok(e instanceof BedrockInputError, String(e));
  assert.equal(e.code, code);
  assert.match(e.message, message);
  return true;
};

describe("MED-2 the 5 MB image limit is measured on the base64 size", () => {
  const LIMIT = 3_932_160; // 5 MiB of base64

  test("Claude: one byte over 3.75 MiB is refused before the upload, naming the base64 size; the limit itself is accepted", async () => {
    await assert.rejects(
      model(emu).invoke([human(png(pngOfSize(LIMIT + 1)), "What is this?")]),
      refused(
        "IMAGE_TOO_LARGE",
        /^The image at messages\.0\.content\.0 is 5242884 bytes once base64-encoded, over Claude's 5 MB maximum \(5242880\)\. .*downscale it or recompress it/,
      ),
    );
    assert.deepEqual(runtimeRequests(emu), []);
    await model(emu).invoke([human(png(pngOfSize(LIMIT)), "What is this?")]);
    accepted();
    // The log keeps only a preview of a body this big; its size shows the whole image went out.
    assert.ok(runtimeRequests(emu).at(-1)!.bodyBytes! > 5_242_880);
  });

  test("Nova: the same budget in raw bytes; an image inside a tool result is checked too", async () => {
    await assert.rejects(
      model(emu, { model: NOVA }).invoke([human(png(pngOfSize(LIMIT + 1)), "What is this?")]),
      refused("IMAGE_TOO_LARGE", /^The image at messages\.0\.content\.0 is 3932161 bytes, over Bedrock's 3\.75 MB maximum \(3932160\)/),
    );
    await assert.rejects(
      model(emu)
        .bindTools([lookup])
        .invoke([
          new HumanMessage("Take a screenshot."),
          new AIMessage({ content: "", tool_calls: [{ id: "tooluse_1", name: "lookup", args: { q: "x" } }] }),
          new ToolMessage({ content: [png(pngOfSize(LIMIT + 1))] as never, tool_call_id: "tooluse_1" }),
        ]),
      refused("IMAGE_TOO_LARGE", /^The image at messages\.2\.content\.0\.toolResult\.content\.0 is 5242884 bytes/),
    );
    assert.deepEqual(runtimeRequests(emu), []);
  });
});

describe("MED-3 at most 20 images and documents per Claude request; 2000 px with more than 20 images", () => {
  test("an agent history of 22 screenshots and a document: the 3 oldest images become a text note, with a warning", async () => {
    const turns: Array<HumanMessage | AIMessage> = [];
    for (let i = 0; i < 11; i++) turns.push(human(png(PNG), png(PNG), `step ${i}`), new AIMessage(`seen ${i}`));
    turns.push(human({ type: "file", data: Buffer.from("notes").toString("base64"), mimeType: "text/plain", name: "notes" }, "And now?"));
    const warnings = await collectWarnings(() => model(emu).invoke(turns));
    accepted();
    const note = { text: "[image omitted: Claude accepts at most 20 images and documents per request]" };
    assert.deepEqual(wire()[0].content.slice(0, 2), [note, note]);
    assert.deepEqual(wire()[2].content[0], note);
    assert.equal(Object.keys(wire()[2].content[1])[0], "image");
    const media = wire()
      .flatMap((m) => m.content)
      .filter((b: object) => "image" in b || "document" in b);
    assert.equal(media.length, 20);
    assert.ok(
      warnings.some(
        (w) =>
          w.includes("carried 23 images and documents") &&
          w.includes("3 oldest image(s) were replaced by a text note (messages.0.content.0, messages.0.content.1, messages.2.content.0)"),
      ),
      warnings.join("\n"),
    );
  });

  test("21 images with one of 3000 px: the old one is dropped, so the 2000 px many-image cap never applies", async () => {
    const wide = Buffer.from(PNG);
    wide.writeUInt32BE(3000, 16); // IHDR width
    const images = [png(wide), ...Array.from({ length: 20 }, () => png(PNG))];
    await model(emu).invoke([human(...images, "Compare them.")]);
    accepted();
    assert.equal(wire()[0].content.filter((b: object) => "image" in b).length, 20);
    assert.equal(wire()[0].content[0].text, "[image omitted: Claude accepts at most 20 images and documents per request]");
  });
});

describe("MED-5 s3Location sources only work for Nova", () => {
  test("Claude: a typed error names the block, the cause and the fix, before any request", async () => {
    await assert.rejects(
      model(emu).invoke([human("Read it.", { type: "file", url: "s3://docs/book.pdf", mimeType: "application/pdf", name: "book" })]),
      refused(
        "UNSUPPORTED_SOURCE",
        /^The document at messages\.0\.content\.1 comes from Amazon S3 \(s3:\/\/docs\/book\.pdf\), but only Amazon Nova models read s3Location sources; .*Download the object and pass its bytes/,
      ),
    );
    await assert.rejects(
      model(emu, { model: LLAMA }).invoke([human({ type: "image", url: "s3://my-bucket/sky.png", mimeType: "image/png" }, "x")]),
      refused("UNSUPPORTED_SOURCE", /^The image at messages\.0\.content\.0 comes from Amazon S3/),
    );
    assert.deepEqual(runtimeRequests(emu), []);
  });

  test("Nova: the S3 source is sent as written", async () => {
    await model(emu, { model: NOVA }).invoke([human({ type: "image", url: "s3://my-bucket/sky.png", mimeType: "image/png" }, "x")]);
    accepted();
    assert.deepEqual(wire()[0].content[0], { image: { format: "png", source: { s3Location: { uri: "s3://my-bucket/sky.png" } } } });
  });
});

describe("TOOL-7 toolResult status only for models known to accept it", () => {
  const history = () => [
    new HumanMessage("Look up cat."),
    new AIMessage({ content: "", tool_calls: [{ id: "tooluse_1", name: "lookup", args: { q: "cat" } }] }),
    new ToolMessage({ content: "lookup failed: timeout", tool_call_id: "tooluse_1", status: "error" }),
  ];

  test("Claude and Nova get status; Llama gets the result without it, and a warning for the error status", async () => {
    for (const name of [undefined, NOVA]) {
      await model(emu, name ? { model: name } : {})
        .bindTools([lookup])
        .invoke(history());
      accepted();
      assert.deepEqual(wire()[2].content, [
        { toolResult: { toolUseId: "tooluse_1", content: [{ text: "lookup failed: timeout" }], status: "error" } },
      ]);
    }
    const warnings = await collectWarnings(() => model(emu, { model: LLAMA }).bindTools([lookup]).invoke(history()));
    accepted();
    assert.deepEqual(wire()[2].content, [{ toolResult: { toolUseId: "tooluse_1", content: [{ text: "lookup failed: timeout" }] } }]);
    assert.ok(
      warnings.some(
        (w) => w.includes(`Model "${LLAMA}" does not accept a toolResult status`) && w.includes("1 tool result(s) marked as errors"),
      ),
      warnings.join("\n"),
    );
  });
});

describe("CACHE-3 at most 4 cache points over tools, system and messages", () => {
  test("six points: the last four are kept in prompt order (tools, system, messages), with a warning", async () => {
    const p = createCachePoint();
    const warnings = await collectWarnings(() =>
      model(emu)
        .bindTools([lookup, p])
        .invoke([
          new SystemMessage({ content: [{ type: "text", text: "Rule one." }, p, { type: "text", text: "Rule two." }, p] }),
          human("First.", p, "Second.", p, "Third.", p),
        ]),
    );
    accepted();
    const body = lastBody(emu) as any;
    assert.equal(body.toolConfig.tools.length, 1, "the tools point went first");
    assert.deepEqual(body.system, [{ text: "Rule one." }, { text: "Rule two." }, { cachePoint: { type: "default" } }]);
    assert.deepEqual(
      wire()[0].content.map((b: object) => Object.keys(b)[0]),
      ["text", "cachePoint", "text", "cachePoint", "text", "cachePoint"],
    );
    assert.ok(
      warnings.some((w) => w.includes("had 6 cache points") && w.includes("dropped: toolConfig.tools.1, system.1")),
      warnings.join("\n"),
    );
  });
});

describe("CACHE-4 which models accept cachePoint, and where", () => {
  const request = (llm: ReturnType<typeof model>) =>
    llm
      .bindTools([lookup, createCachePoint()])
      .invoke([
        new SystemMessage({ content: [{ type: "text", text: "Be brief." }, createCachePoint()] }),
        human("Question.", createCachePoint()),
      ]);
  const points = () => {
    const body = lastBody(emu) as any;
    const has = (blocks: object[] = []) => blocks.some((b) => "cachePoint" in b);
    return { tools: has(body.toolConfig?.tools), system: has(body.system), messages: has(wire()[0].content) };
  };

  test("Claude: tools, system and messages", async () => {
    await request(model(emu));
    accepted();
    assert.deepEqual(points(), { tools: true, system: true, messages: true });
  });

  test("Nova: the tools point is dropped with a warning; system and message points stay", async () => {
    const warnings = await collectWarnings(() => request(model(emu, { model: NOVA })));
    accepted();
    assert.deepEqual(points(), { tools: false, system: true, messages: true });
    assert.ok(
      warnings.includes("Cache points in toolConfig.tools were left out of the request: Amazon Nova does not accept cache points there."),
      warnings.join("\n"),
    );
  });

  test("Llama (no prompt caching): every point is dropped with a warning", async () => {
    const warnings = await collectWarnings(() => request(model(emu, { model: LLAMA })));
    accepted();
    assert.deepEqual(points(), { tools: false, system: false, messages: false });
    assert.ok(
      warnings.includes(
        `Cache points in toolConfig.tools, system, messages were left out of the request: "${LLAMA}" has no prompt caching on Bedrock.`,
      ),
      warnings.join("\n"),
    );
  });
});
