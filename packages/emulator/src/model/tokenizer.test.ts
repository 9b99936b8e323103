import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { countBinaryTokens, countJsonTokens, countTextTokens, tokenSpans, truncateToTokens } from "./tokenizer.js";

test("letters count per started 5, digits per started 3, other symbols 1 each, whitespace free", () => {
  assert.equal(countTextTokens(""), 0);
  assert.equal(countTextTokens("   \n\t "), 0);
  assert.equal(countTextTokens("cat"), 1);
  assert.equal(countTextTokens("weather"), 2);
  assert.equal(countTextTokens("internationalization"), 4);
  assert.equal(countTextTokens("2024"), 2);
  assert.equal(countTextTokens("Hello, world!"), 4);
  assert.equal(countTextTokens("What is 1 + 2?"), 6);
  assert.equal(countTextTokens("café 🙂"), 2);
});

test("the token count is the number of token spans, for any text", () => {
  const piece = fc.oneof(
    fc.string({ unit: "binary", maxLength: 12 }),
    fc.constantFrom(" ", "\n", "weather", "2024", "café", "🙂", "𝐀𝐁𝐂𝐃𝐄", "١٢٣٤", "\ud83d", "\ude42x", "日本語のテキスト", "!?"),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
      const text = parts.join("");
      assert.equal(countTextTokens(text), tokenSpans(text).length);
    }),
    { numRuns: 2000 },
  );
});

test("token spans cover the pieces in order", () => {
  const text = "Hi there, weather";
  const spans = tokenSpans(text);
  assert.deepEqual(
    spans.map((s) => text.slice(s.start, s.end)),
    ["Hi", "there", ",", "weath", "er"],
  );
});

test("truncation keeps exactly N tokens and says whether it cut", () => {
  assert.deepEqual(truncateToTokens("You said: Hello there", 3), { text: "You said:", truncated: true });
  assert.equal(countTextTokens(truncateToTokens("You said: Hello there", 3).text), 3);
  assert.deepEqual(truncateToTokens("weather", 1), { text: "weath", truncated: true });
  assert.deepEqual(truncateToTokens("short", 10), { text: "short", truncated: false });
  assert.deepEqual(truncateToTokens("abc", 0), { text: "", truncated: true });
});

test("binary content costs 85 tokens per started KiB; JSON counts its compact text", () => {
  assert.equal(countBinaryTokens(0), 85);
  assert.equal(countBinaryTokens(68), 85);
  assert.equal(countBinaryTokens(1024), 85);
  assert.equal(countBinaryTokens(1025), 170);
  // {"a":1} -> { " a " : 1 } = 7 tokens
  assert.equal(countJsonTokens({ a: 1 }), 7);
});
