import { test } from "node:test";
import assert from "node:assert/strict";
import { imageDimensions, pngHeader } from "./image-size.js";

test("image dimensions: PNG, GIF, JPEG, WebP headers", () => {
  assert.deepEqual(imageDimensions(pngHeader(8001, 20)), { width: 8001, height: 20 });
  const gif = Buffer.from("474946383961", "hex");
  assert.deepEqual(imageDimensions(Buffer.concat([gif, Buffer.from([0x10, 0x27, 0xd0, 0x07, 0, 0, 0, 0])])), {
    width: 10000,
    height: 2000,
  });
  const jpeg = Buffer.from("ffd8ffe000104a46494600010100000100010000ffc0001108012c0190030122000211010311", "hex");
  assert.deepEqual(imageDimensions(jpeg), { width: 400, height: 300 });
  const webp = Buffer.alloc(30);
  webp.write("RIFF", 0, "latin1");
  webp.write("WEBP", 8, "latin1");
  webp.write("VP8X", 12, "latin1");
  webp.writeUIntLE(2999, 24, 3);
  webp.writeUIntLE(99, 27, 3);
  assert.deepEqual(imageDimensions(webp), { width: 3000, height: 100 });
  assert.equal(imageDimensions(Buffer.from("not an image")), undefined);
});
