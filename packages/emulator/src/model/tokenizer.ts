// The default model's tokenizer: one rule shared by usage numbers, CountTokens and max_tokens cuts.
//
// Rule: a token is
//   - a run of letters (any script), counted as one token per started 5 characters
//     ("cat" = 1, "weather" = 2, "internationalization" = 4): English prose comes out near
//     Claude's ~4 characters per token (spaces included);
//   - a run of digits, counted as one token per started 3 digits ("2024" = 2);
//   - any other single non-whitespace character (punctuation, symbols, emoji code point) = 1.
// Whitespace is free: it belongs to the token that follows it.

export interface TokenSpan {
  start: number;
  end: number;
}

const LETTERS_PER_TOKEN = 5;
const PIECE = /\p{L}+|\p{N}+|[^\s\p{L}\p{N}]/gu;

/** Token spans of `text` in order. Concatenating text.slice(0, span.end) gives prefixes on token boundaries. */
export function tokenSpans(text: string): TokenSpan[] {
  const spans: TokenSpan[] = [];
  for (const m of text.matchAll(PIECE)) {
    const start = m.index ?? 0;
    const piece = m[0];
    const chars = Array.from(piece);
    const size = /^\p{L}/u.test(piece) ? LETTERS_PER_TOKEN : /^\p{N}/u.test(piece) ? 3 : chars.length;
    let offset = start;
    for (let i = 0; i < chars.length; i += size) {
      const chunk = chars.slice(i, i + size).join("");
      spans.push({ start: offset, end: offset + chunk.length });
      offset += chunk.length;
    }
  }
  return spans;
}

// PIECE with the letter and digit runs captured, for counting without building spans.
const COUNTED_PIECE = /(\p{L}+)|(\p{N}+)|[^\s\p{L}\p{N}]/gu;

/** Code points in `s`, as Array.from counts them (a surrogate pair is one). */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Number of tokens in a text: tokenSpans(text).length, counted without building the spans. */
export function countTextTokens(text: string): number {
  let n = 0;
  COUNTED_PIECE.lastIndex = 0;
  for (let m = COUNTED_PIECE.exec(text); m; m = COUNTED_PIECE.exec(text)) {
    if (m[1] !== undefined) n += Math.ceil(codePoints(m[1]) / LETTERS_PER_TOKEN);
    else if (m[2] !== undefined) n += Math.ceil(codePoints(m[2]) / 3);
    else n++;
  }
  return n;
}

/**
 * The longest prefix of `text` holding at most `maxTokens` tokens, cut right after the last kept
 * token (trailing whitespace dropped).
 */
export function truncateToTokens(text: string, maxTokens: number): { text: string; truncated: boolean } {
  const spans = tokenSpans(text);
  if (spans.length <= maxTokens) return { text, truncated: false };
  if (maxTokens <= 0) return { text: "", truncated: true };
  return { text: text.slice(0, spans[maxTokens - 1].end), truncated: true };
}

/** Tokens for a binary attachment: a fixed cost per started KiB (images, documents, video, audio). */
const TOKENS_PER_KIB = 85;
export function countBinaryTokens(byteLength: number): number {
  return Math.max(1, Math.ceil(byteLength / 1024)) * TOKENS_PER_KIB;
}

/** Tokens for a JSON value (tool specs, tool inputs, json tool results): its compact JSON text. */
export function countJsonTokens(value: unknown): number {
  return countTextTokens(JSON.stringify(value) ?? "");
}
