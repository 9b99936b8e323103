// Images, documents and video over real HTTP: every input dialect reaches the wire as the exact
// Converse block, unsupported input fails with a typed error before any request, citations come back
// as citation-carrying text blocks (invoke and stream), and the emulator enforces Bedrock's media limits.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { HumanMessage } from "@langchain/core/messages";
import type { Emulator } from "bedrock-runtime-emulator";
import { BedrockConverseError, BedrockInputError } from "langchain-bedrock-converse";
import { emulator, lastBody, model, runtimeRequests, collect } from "./helpers.js";

const PNG = readFileSync(new URL("../../../examples/assets/sunny-sky.png", import.meta.url));
const PNG_B64 = PNG.toString("base64");
const NOVA = "amazon.nova-pro-v1:0";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

const human = (...content: unknown[]) => new HumanMessage({ content: content as never });
const userContent = () => (lastBody(emu).messages as any[])[0].content as unknown[];
const textOf = (content: unknown) =>
  (content as any[])
    .filter((b) => b.type === "text")
    .map((b) => b.text)
    .join("");

describe("images", () => {
  test("every input dialect gives the exact image block on the wire", async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    const webp = new Uint8Array([82, 73, 70, 70, 9, 8, 7]);
    const gif = new Uint8Array([71, 73, 70, 56, 57, 97]);
    const msg = await model(emu).invoke([
      human(
        { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_B64 } },
        { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_B64}` } },
        { type: "image_url", image_url: `data:image/jpeg;base64,${jpeg.toString("base64")}` },
        { type: "image", data: PNG_B64, mimeType: "image/png" },
        { type: "image", url: `data:image/jpeg;base64,${jpeg.toString("base64")}` },
        { type: "image", data: webp, mimeType: "image/webp" },
        { image: { format: "gif", source: { bytes: gif } } },
        { type: "image", source_type: "base64", data: PNG_B64, mime_type: "image/png" },
        { type: "text", text: "What is in these pictures?" },
      ),
    ]);
    const png = { image: { format: "png", source: { bytes: PNG_B64 } } };
    const jpg = { image: { format: "jpeg", source: { bytes: jpeg.toString("base64") } } };
    assert.deepEqual(userContent(), [
      png,
      png,
      jpg,
      png,
      jpg,
      { image: { format: "webp", source: { bytes: Buffer.from(webp).toString("base64") } } },
      { image: { format: "gif", source: { bytes: Buffer.from(gif).toString("base64") } } },
      png,
      { text: "What is in these pictures?" },
    ]);
    assert.equal(
      textOf(msg.content),
      "I see an image (png, 109 bytes). I see an image (png, 109 bytes). I see an image (jpeg, 8 bytes). " +
        "I see an image (png, 109 bytes). I see an image (jpeg, 8 bytes). I see an image (webp, 7 bytes). " +
        "I see an image (gif, 6 bytes). I see an image (png, 109 bytes). You said: What is in these pictures?",
    );
  });

  test("S3 locations (v1 url, Anthropic-style source, native) on a model that reads S3", async () => {
    const msg = await model(emu, { model: NOVA }).invoke([
      human(
        { type: "image", url: "s3://my-bucket/sky.png", mimeType: "image/png" },
        {
          type: "image",
          source: { type: "s3Location", uri: "s3://my-bucket/sky.jpg", bucket_owner: "123456789012", media_type: "image/jpeg" },
        },
        { image: { format: "webp", source: { s3Location: { uri: "s3://my-bucket/sky.webp" } } } },
        "Describe them.",
      ),
    ]);
    assert.deepEqual(userContent(), [
      { image: { format: "png", source: { s3Location: { uri: "s3://my-bucket/sky.png" } } } },
      { image: { format: "jpeg", source: { s3Location: { uri: "s3://my-bucket/sky.jpg", bucketOwner: "123456789012" } } } },
      { image: { format: "webp", source: { s3Location: { uri: "s3://my-bucket/sky.webp" } } } },
      { text: "Describe them." },
    ]);
    assert.equal(
      textOf(msg.content),
      "I see an image (png, s3://my-bucket/sky.png). I see an image (jpeg, s3://my-bucket/sky.jpg). " +
        "I see an image (webp, s3://my-bucket/sky.webp). You said: Describe them.",
    );
  });

  const bad: Array<[string, unknown, string, RegExp]> = [
    [
      "an unsupported image type",
      { type: "image", data: PNG_B64, mimeType: "image/bmp" },
      "UNSUPPORTED_MIME_TYPE",
      /Unsupported MIME type: "image\/bmp"/,
    ],
    [
      "an unsupported data URL type",
      { type: "image_url", image_url: { url: `data:image/tiff;base64,${PNG_B64}` } },
      "UNSUPPORTED_MIME_TYPE",
      /image\/tiff/,
    ],
    [
      "a remote http URL (v1)",
      { type: "image", url: "https://example.com/cat.png" },
      "UNSUPPORTED_SOURCE",
      /cannot fetch image content from "https:\/\/example\.com\/cat\.png".*S3/,
    ],
    [
      "a remote http URL (image_url)",
      { type: "image_url", image_url: { url: "http://example.com/cat.png" } },
      "UNSUPPORTED_SOURCE",
      /cannot fetch image URLs \("http:\/\/example\.com\/cat\.png"\)/,
    ],
    [
      "an Anthropic url source",
      { type: "image", source: { type: "url", url: "https://example.com/cat.png" } },
      "UNSUPPORTED_SOURCE",
      /Unsupported image source type "url"/,
    ],
    ["an image without a MIME type", { type: "image", data: PNG_B64 }, "MISSING_MIME_TYPE", /needs a MIME type/],
  ];
  for (const [what, block, code, message] of bad) {
    test(`${what}: a typed BedrockInputError before any request (invoke and stream)`, async () => {
      const check = (e: unknown) => {
        assert.ok(e instanceof BedrockInputError);
        assert.ok(e instanceof BedrockConverseError);
        assert.equal(e.name, "BedrockInputError");
        assert.equal(e.code, code);
        assert.match(e.message, message);
        return true;
      };
      await assert.rejects(model(emu).invoke([human(block, "look")]), check);
      await assert.rejects(async () => collect(await model(emu).stream([human(block, "look")])), check);
      assert.deepEqual(runtimeRequests(emu), []);
    });
  }
});

describe("documents", () => {
  const formats: Array<[string, string]> = [
    ["application/pdf", "pdf"],
    ["text/csv", "csv"],
    ["application/msword", "doc"],
    ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"],
    ["application/vnd.ms-excel", "xls"],
    ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"],
    ["text/html", "html"],
    ["text/plain", "txt"],
    ["text/markdown", "md"],
  ];

  test("every format, with names from name / metadata / extras and citations on request", async () => {
    // Bedrock takes at most five documents per request: two requests.
    for (const group of [formats.slice(0, 5), formats.slice(5)]) {
      const blocks = group.map(([mimeType, format], i) => {
        const data = Buffer.from(`Report ${format}. The figures are in.`).toString("base64");
        const name = `report ${format}`;
        if (i % 3 === 0) return { type: "file", data, mimeType, name, citations: { enabled: false } };
        if (i % 3 === 1) return { type: "file", data, mimeType, metadata: { name } };
        return { type: "file", data, mimeType, extras: { filename: name } };
      });
      const msg = await model(emu).invoke([human(...blocks, "Summarize.")]);
      assert.deepEqual(userContent(), [
        ...group.map(([, format], i) => ({
          document: {
            format,
            name: `report ${format}`,
            source: { bytes: Buffer.from(`Report ${format}. The figures are in.`).toString("base64") },
            ...(i % 3 === 0 ? { citations: { enabled: false } } : {}),
          },
        })),
        { text: "Summarize." },
      ]);
      const expected = group.map(
        ([, format]) => `I see a document "report ${format}" (${format}, ${`Report ${format}. The figures are in.`.length} bytes).`,
      );
      assert.equal(textOf(msg.content), `${expected.join(" ")} You said: Summarize.`);
    }
  });

  test("Anthropic-style base64 source, native blocks, S3 and text sources", async () => {
    // Nova: Claude on Bedrock refuses S3 sources (MED-5).
    await model(emu, { model: "amazon.nova-pro-v1:0" }).invoke([
      human(
        { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQ=" }, name: "deck" },
        { type: "document", document: { format: "md", name: "notes", source: { text: "# Notes" } } },
        { document: { format: "csv", name: "table", source: { s3Location: { uri: "s3://docs/table.csv" } } } },
        { type: "file", url: "s3://docs/book.pdf", mimeType: "application/pdf", name: "book" },
        { type: "file", source_type: "text", text: "plain words", name: "memo" },
        "Compare.",
      ),
    ]);
    assert.deepEqual(userContent(), [
      { document: { format: "pdf", name: "deck", source: { bytes: "JVBERi0xLjQ=" } } },
      { document: { format: "md", name: "notes", source: { bytes: "IyBOb3Rlcw==" } } }, // DOC-4: no citations, so bytes
      { document: { format: "csv", name: "table", source: { s3Location: { uri: "s3://docs/table.csv" } } } },
      { document: { format: "pdf", name: "book", source: { s3Location: { uri: "s3://docs/book.pdf" } } } },
      { document: { format: "txt", name: "memo", source: { bytes: Buffer.from("plain words").toString("base64") } } }, // DOC-4
      { text: "Compare." },
    ]);
  });

  test("unsupported document types and remote URLs fail before any request", async () => {
    await assert.rejects(
      model(emu).invoke([human({ type: "file", data: "AAAA", mimeType: "application/zip", name: "z" }, "x")]),
      (e: unknown) => e instanceof BedrockInputError && e.code === "UNSUPPORTED_MIME_TYPE" && /application\/zip/.test(e.message),
    );
    await assert.rejects(
      model(emu).invoke([human({ type: "file", url: "https://example.com/report.pdf", mimeType: "application/pdf", name: "r" }, "x")]),
      (e: unknown) => e instanceof BedrockInputError && e.code === "UNSUPPORTED_SOURCE" && /upload it to S3/.test(e.message),
    );
    assert.deepEqual(runtimeRequests(emu), []);
  });
});

describe("citations", () => {
  const doc = "Paris is the capital of France. The Eiffel Tower is in Paris. Berlin is the capital of Germany.";
  const question = () =>
    human(
      { type: "file", data: Buffer.from(doc).toString("base64"), mimeType: "text/plain", name: "capitals", citations: { enabled: true } },
      "What is the capital of Germany?",
    );
  const citation = {
    title: "capitals",
    source_content: [{ text: "Berlin is the capital of Germany." }],
    location: { document_char: { document_index: 0, start: 62, end: 95 } },
  };

  // The emulator lays a cited answer out as real Claude does: text, cited text, text.
  const LEAD = { type: "text", text: 'According to "capitals": ' };
  const CLOSE = { type: "text", text: " That is what the document says." };

  test("invoke: a text block carrying its citations between plain text blocks; contentBlocks has citation annotations", async () => {
    const msg = await model(emu).invoke([question()]);
    assert.deepEqual(userContent()[0], {
      document: { format: "txt", name: "capitals", source: { bytes: Buffer.from(doc).toString("base64") }, citations: { enabled: true } },
    });
    assert.deepEqual(msg.content, [LEAD, { type: "text", text: "Berlin is the capital of Germany.", citations: [citation] }, CLOSE]);
    assert.deepEqual(msg.contentBlocks, [
      LEAD,
      {
        type: "text",
        text: "Berlin is the capital of Germany.",
        annotations: [
          {
            type: "citation",
            title: "capitals",
            citedText: "Berlin is the capital of Germany.",
            source: "0",
            startIndex: 62,
            endIndex: 95,
            extras: { bedrock_citation: citation },
          },
        ],
      },
      CLOSE,
    ]);
  });

  test("stream: the cited block's text deltas then its citation delta on the same index; the concatenation equals invoke", async () => {
    const invoked = await model(emu).invoke([question()]);
    const { chunks, full } = await collect(await model(emu).stream([question()]));
    const blocks = chunks.flatMap((c) => c.content as any[]).filter((b) => b.type === "text");
    const citationChunk = blocks.find((b) => Array.isArray(b.citations));
    assert.deepEqual(citationChunk, { type: "text", citations: [citation], index: 1 });
    const cited = blocks.filter((b) => b.index === 1);
    assert.equal(cited.indexOf(citationChunk), cited.length - 1, "the citation comes after the cited text");
    assert.ok(blocks.indexOf(citationChunk) < blocks.findIndex((b) => b.index === 2), "and before the closing text");
    const content = (full.content as any[]).map(({ index: _i, ...rest }) => rest);
    assert.deepEqual(content, invoked.content);
  });

  test("a cited answer goes back to Bedrock as citationsContent", async () => {
    const llm = model(emu);
    const answer = await llm.invoke([question()]);
    await llm.invoke([question(), answer, human("Thanks.")]);
    assert.deepEqual((lastBody(emu).messages as any[])[1].content, [
      { text: 'According to "capitals": ' },
      {
        citationsContent: {
          content: [{ text: "Berlin is the capital of Germany." }],
          citations: [
            {
              title: "capitals",
              sourceContent: [{ text: "Berlin is the capital of Germany." }],
              location: { documentChar: { documentIndex: 0, start: 62, end: 95 } },
            },
          ],
        },
      },
      { text: " That is what the document says." },
    ]);
  });
});

describe("video", () => {
  test("bytes, data URLs and S3 reach the wire as video blocks", async () => {
    const mp4 = Buffer.from("....ftypisom-video-bytes");
    const msg = await model(emu, { model: NOVA }).invoke([
      human(
        { type: "video", data: mp4.toString("base64"), mimeType: "video/mp4" },
        { type: "video", source: { type: "base64", media_type: "video/webm", data: mp4.toString("base64") } },
        { type: "video_url", video_url: { url: `data:video/quicktime;base64,${mp4.toString("base64")}` } },
        { type: "video", url: "s3://videos/clip.mkv", mimeType: "video/x-matroska" },
        { type: "video", source: { type: "s3Location", uri: "s3://videos/clip.mp4", media_type: "video/mp4" } },
        "What happens?",
      ),
    ]);
    const bytes = { bytes: mp4.toString("base64") };
    assert.deepEqual(userContent(), [
      { video: { format: "mp4", source: bytes } },
      { video: { format: "webm", source: bytes } },
      { video: { format: "mov", source: bytes } },
      { video: { format: "mkv", source: { s3Location: { uri: "s3://videos/clip.mkv" } } } },
      { video: { format: "mp4", source: { s3Location: { uri: "s3://videos/clip.mp4" } } } },
      { text: "What happens?" },
    ]);
    assert.equal(
      textOf(msg.content),
      `I see a video (mp4, ${mp4.length} bytes). I see a video (webm, ${mp4.length} bytes). I see a video (mov, ${mp4.length} bytes). ` +
        "I see a video (mkv, s3://videos/clip.mkv). I see a video (mp4, s3://videos/clip.mp4). You said: What happens?",
    );
  });
});

describe("media limits enforced by the emulator", () => {
  const rejects = async (fields: Record<string, unknown>, content: unknown[], message: RegExp) => {
    await assert.rejects(model(emu, fields).invoke([human(...content)]), (e: unknown) => {
      assert.ok(e instanceof BedrockConverseError);
      assert.equal((e as Error).name, "ValidationException");
      assert.match((e as Error).message, message);
      return true;
    });
    assert.equal(runtimeRequests(emu).at(-1)!.status, 400);
  };

  test("images: over 5 MB base64 on Claude, over 3.75 MB on Nova, more than 20", async () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 1);
    // The client refuses these first (MED-2 in traps.test.ts); rawBlocks reach the service as written.
    const raw = (...blocks: unknown[]) => ({ rawBlocks: [{ role: "user", content: [...blocks, { text: "x" }] }] });
    const image = { image: { format: "png", source: { bytes: big } } };
    await rejects(
      raw(image),
      ["x"],
      /^The model returned the following errors: messages\.0\.content\.0\.image\.source: image exceeds 5 MB maximum: 5592408 bytes > 5242880 bytes\b/,
    );
    await rejects({ model: NOVA, ...raw(image) }, ["x"], /^The image at messages\.0\.content\.0 exceeds the maximum size of 3\.75 MB/);
    for (const fields of [{}, { model: NOVA }]) {
      await assert.rejects(
        model(emu, fields).invoke([human({ type: "image", data: big, mimeType: "image/png" }, "x")]),
        (e: unknown) => e instanceof BedrockInputError && e.code === "IMAGE_TOO_LARGE",
      );
    }
    const many = Array.from({ length: 21 }, () => ({ type: "image", data: PNG_B64, mimeType: "image/png" }));
    await rejects({ model: NOVA }, [...many, "x"], /^You can't include more than 20 images in a request\. /);
  });

  test("documents: over 4.5 MB, more than five, duplicate or invalid names", async () => {
    const doc = (name: string, size = 10) => ({ type: "file", data: Buffer.alloc(size, 65), mimeType: "text/plain", name });
    await rejects({}, [doc("big", 5 * 1024 * 1024), "x"], /^The document at messages\.0\.content\.0 exceeds the maximum size of 4\.5 MB/);
    await rejects(
      {},
      [doc("a"), doc("b"), doc("c"), doc("d"), doc("e"), doc("f"), "x"],
      /^You can't include more than 5 documents in a request\. /,
    );
    // The client renames and refuses such names itself (real-traffic.test.ts); rawBlocks reach the service as written.
    const raw = (...names: string[]) => ({
      rawBlocks: [
        {
          role: "user",
          content: [...names.map((name) => ({ document: { format: "txt", name, source: { bytes: Buffer.from("x") } } })), { text: "x" }],
        },
      ],
    });
    await rejects(raw("same", "same"), ["x"], /^Messages can't contain duplicate document names\. /);
    await rejects(raw("bad/name.txt"), ["x"], /^The document file name can only contain alphanumeric characters/);
  });

  test("formats outside Bedrock's enums and media a model cannot read", async () => {
    await rejects(
      {},
      [{ image: { format: "bmp", source: { bytes: PNG_B64 } } }, "x"],
      /Value at 'messages\.1\.member\.content\.1\.member\.image\.format' failed to satisfy constraint: Member must satisfy enum value set/,
    );
    await rejects(
      {},
      [{ type: "video", data: "AAAA", mimeType: "video/mp4" }, "x"],
      /^This model doesn't support the video field for user messages\. /,
    );
    await rejects(
      { model: "amazon.nova-micro-v1:0" },
      [{ type: "image", data: PNG_B64, mimeType: "image/png" }, "x"],
      /^This model doesn't support the image field for user messages\. /,
    );
  });

  test("video: inline bytes over 25 MB are refused; S3 has no inline limit", async () => {
    const big = Buffer.alloc(25 * 1024 * 1024 + 1, 1);
    await rejects(
      { model: NOVA },
      [{ type: "video", data: big, mimeType: "video/mp4" }, "x"],
      /^The video at messages\.0\.content\.0 exceeds the maximum size of 25 MB/,
    );
    await model(emu, { model: NOVA }).invoke([human({ type: "video", url: "s3://videos/huge.mp4", mimeType: "video/mp4" }, "x")]);
    assert.equal(runtimeRequests(emu).at(-1)!.status, 200);
  });
});
