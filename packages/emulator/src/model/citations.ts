// Citations: documents with citations {enabled: true}, in any user turn of the conversation (real
// Claude cites a document given turns earlier), are answered as real Claude lays them out: a text
// block, then one citationsContent block per document quoting the sentence of the document that
// shares the most words with the question (the first sentence when none does), then a closing text:
//   [{text: 'According to "report": '}, {citationsContent: ...},
//    {text: ' And according to "notes": '}, {citationsContent: ...}, {text: " That is what the documents say."}]
//   text documents (source.text, or bytes of txt/md/html/csv/doc that decode as UTF-8)
//     -> location.documentChar {documentIndex, start, end}: character offsets, end exclusive
//   chunked documents (source.content [{text}]) -> location.documentChunk {documentIndex, start, end}
//   pdf -> location.documentPage {documentIndex, start: 1, end: 2}, quoting the text found in the
//     page's text-showing operators ("(...) Tj"), when the PDF keeps them uncompressed
// documentIndex counts document blocks across the whole conversation, in order.
import type { ConverseRequest, JsonObject } from "../types.js";
import { isObject, lastUserText } from "./conversation.js";

interface CitedDocument {
  index: number;
  name: string;
  format: string;
  block: JsonObject;
}

/** Documents of the conversation's user turns that ask for citations, with their documentIndex. */
export function citedDocuments(request: ConverseRequest): CitedDocument[] {
  const out: CitedDocument[] = [];
  let index = 0;
  for (const m of request.messages ?? []) {
    for (const b of m.content) {
      const doc = b.document;
      if (!isObject(doc)) continue;
      const enabled = isObject(doc.citations) && doc.citations.enabled === true;
      if (m.role === "user" && enabled) {
        out.push({ index, name: String(doc.name ?? "document"), format: String(doc.format ?? "txt"), block: doc });
      }
      index++;
    }
  }
  return out;
}

interface Sentence {
  text: string;
  start: number;
  end: number;
}

/** Sentences with offsets (end exclusive), trimmed of surrounding whitespace. */
export function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const m of text.matchAll(/[^.!?\n]+[.!?]*/g)) {
    const raw = m[0];
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (!trimmed) continue;
    const start = (m.index ?? 0) + lead;
    out.push({ text: trimmed, start, end: start + trimmed.length });
  }
  return out;
}

// Short words that say nothing about what a sentence is about.
const STOP_WORDS = new Set(
  "the and for are was were what which who how why does did has have had you your its this that with from".split(" "),
);

/** Words of 3+ letters or digits (lowercase) other than stop words. */
function words(text: string): Set<string> {
  return new Set([...text.toLowerCase().matchAll(/[\p{L}\p{N}]{3,}/gu)].map((m) => m[0]).filter((w) => !STOP_WORDS.has(w)));
}

function bestSentence(text: string, question: string): Sentence | undefined {
  const all = sentences(text);
  const q = words(question);
  let best: Sentence | undefined;
  let bestScore = 0;
  for (const s of all) {
    const score = [...words(s.text)].filter((w) => q.has(w)).length;
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best ?? all[0];
}

const TEXT_FORMATS = new Set(["txt", "md", "html", "csv", "doc", "docx", "xls", "xlsx"]);

function decodeUtf8(b64: string): string | undefined {
  const bytes = Buffer.from(b64, "base64");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Text shown by an uncompressed PDF's "(...) Tj" / "[(...)] TJ" operators. */
export function pdfText(b64: string): string {
  const raw = Buffer.from(b64, "base64").toString("latin1");
  const pieces: string[] = [];
  for (const m of raw.matchAll(/\(((?:\\.|[^\\)])*)\)\s*Tj|\[((?:\((?:\\.|[^\\)])*\)|[^\]])*)\]\s*TJ/g)) {
    if (m[1] !== undefined) pieces.push(m[1]);
    else for (const s of (m[2] ?? "").matchAll(/\(((?:\\.|[^\\)])*)\)/g)) pieces.push(s[1]);
  }
  return pieces
    .join(" ")
    .replace(/\\([nrt()\\])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c)
    .replace(/\s+/g, " ")
    .trim();
}

function citationBlock(doc: CitedDocument, quote: string, location: JsonObject): JsonObject {
  return {
    citationsContent: {
      content: [{ text: quote }],
      citations: [{ title: doc.name, sourceContent: [{ text: quote }], location }],
    },
  };
}

/** The reply blocks citing the conversation's documents: text, cited text (per document), text; empty when nothing is cited. */
export function citationBlocks(request: ConverseRequest): JsonObject[] {
  const cited = citationsOnly(request);
  if (!cited.length) return [];
  const out: JsonObject[] = [];
  cited.forEach(({ doc, block }, i) => {
    out.push({ text: i === 0 ? `According to "${doc.name}": ` : ` And according to "${doc.name}": ` });
    out.push(block);
  });
  out.push({ text: cited.length === 1 ? " That is what the document says." : " That is what the documents say." });
  return out;
}

/** One citationsContent block per citable document, in document order. */
function citationsOnly(request: ConverseRequest): Array<{ doc: CitedDocument; block: JsonObject }> {
  const question = lastUserText(request);
  const out: Array<{ doc: CitedDocument; block: JsonObject }> = [];
  for (const doc of citedDocuments(request)) {
    const source = isObject(doc.block.source) ? doc.block.source : {};
    if (Array.isArray(source.content)) {
      const chunks = source.content.map((c) => (isObject(c) && typeof c.text === "string" ? c.text : ""));
      let pick = 0;
      let bestScore = -1;
      chunks.forEach((c, i) => {
        const score = [...words(c)].filter((w) => words(question).has(w)).length;
        if (score > bestScore) {
          pick = i;
          bestScore = score;
        }
      });
      const quote = bestSentence(chunks[pick] ?? "", question)?.text ?? chunks[pick] ?? "";
      out.push({ doc, block: citationBlock(doc, quote, { documentChunk: { documentIndex: doc.index, start: pick, end: pick + 1 } }) });
      continue;
    }
    if (doc.format === "pdf") {
      const text = typeof source.bytes === "string" ? pdfText(source.bytes) : "";
      const quote = (text && bestSentence(text, question)?.text) || `Page 1 of ${doc.name}`;
      out.push({ doc, block: citationBlock(doc, quote, { documentPage: { documentIndex: doc.index, start: 1, end: 2 } }) });
      continue;
    }
    let text: string | undefined;
    if (typeof source.text === "string") text = source.text;
    else if (typeof source.bytes === "string" && TEXT_FORMATS.has(doc.format)) text = decodeUtf8(source.bytes);
    if (text === undefined) continue;
    const s = bestSentence(text, question);
    if (!s) continue;
    out.push({ doc, block: citationBlock(doc, s.text, { documentChar: { documentIndex: doc.index, start: s.start, end: s.end } }) });
  }
  return out;
}
