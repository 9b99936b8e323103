// Facts the default model reads from the user's words: subjects (capitalized names and
// abbreviations), numbers in order, "label: value" pairs, a topic ("about X"), quoted names
// ("named 'Acme'") and formatted values.
import { isRegionName } from "./regions.js";

export interface PromptFacts {
  text: string;
  subjects: string[];
  /** Quoted values after "named"/"called"/"titled", in order ("a customer named 'Acme'" -> Acme). */
  named: string[];
  numbers: number[];
  /** normalized label (lowercase letters and digits only) -> value */
  labels: Map<string, string>;
  topic?: string;
  dates: string[];
  emails: string[];
  urls: string[];
}

/** Lowercase letters and digits only: "Service name" and "serviceName" both give "servicename". */
export function normalizeLabel(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

// Capitalized words that start sentences or give orders rather than name things.
const NOT_SUBJECTS = new Set(
  (
    "what what's whats which who whom whose where when why how is are was were am be been can could would should will shall " +
    "may might must do does did don't please use using ensure make tell give show find get call check compare write say let " +
    "let's list i i'm i'd i'll i've me my we our you your it its it's this that these those there here the a an and or but " +
    "if then so also now today tonight tomorrow yesterday hi hello hey thanks thank yes no ok okay sure in on at for of to " +
    "from with by about after before always never answer explain describe based both either each all some any one two three " +
    "first second next finally note hint question task context system user assistant human ai search look return add " +
    "calculate sum multiply translate summarize generate create help run fetch what're is it consider given assume " +
    "monday tuesday wednesday thursday friday saturday sunday january february march april june july august september " +
    "october november december"
  ).split(" "),
);

// Title case with at least one lowercase letter ("Paris", "McDonald"): all-caps words only count as abbreviations.
const TITLE_WORD = /^\p{Lu}[\p{L}\p{N}'’&-]*$/u;
const HAS_LOWER = /\p{Ll}/u;
const ABBREVIATION = /^\p{Lu}{2,5}$/u;

/**
 * Subjects: runs of capitalized words ("San Francisco", "New York City") and 2-5 letter
 * abbreviations ("LA", "NYC"), in order of appearance, without duplicates. Capitalized stop words
 * (What, Which, Use, I...), quoted text and the names in `exclude` (e.g. tool names) are skipped.
 * A single capitalized word that only starts a sentence or line ("Weather in LA") counts only when
 * nothing else does, or when "or"/"and"/","/"vs" joins it to another name ("Paris or Rome").
 */
export function extractSubjects(text: string, exclude: string[] = []): string[] {
  const excluded = new Set(exclude.map(normalizeLabel));
  const unquoted = text.replace(/(["'`])[^"'`\n]*\1/g, (m) => " ".repeat(m.length));
  interface Run {
    words: string[];
    start: number;
    end: number;
  }
  const runs: Run[] = [];
  let run: Run | undefined;
  let lastEnd = -1;
  for (const m of unquoted.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’&-]*/gu)) {
    let word = m[0].replace(/['’-]+$/u, "");
    const start = m.index ?? 0;
    if (word.endsWith("'s") || word.endsWith("’s")) word = word.slice(0, -2);
    const isName =
      ((TITLE_WORD.test(word) && HAS_LOWER.test(word)) || ABBREVIATION.test(word)) &&
      !NOT_SUBJECTS.has(word.toLowerCase()) &&
      !excluded.has(normalizeLabel(word));
    const between = lastEnd >= 0 ? unquoted.slice(lastEnd, start) : "";
    if (!isName) {
      run = undefined;
    } else if (run && between === " ") {
      run.words.push(word);
      run.end = start + word.length;
    } else {
      run = { words: [word], start, end: start + word.length };
      runs.push(run);
    }
    lastEnd = start + m[0].length;
  }
  // "San Francisco, CA", "Paris, France": a place and its state or country are one subject.
  for (let i = 0; i + 1 < runs.length; i++) {
    const [place, region] = [runs[i], runs[i + 1]];
    const placeIsName = place.words.some((w) => HAS_LOWER.test(w));
    if (placeIsName && /^,\s*$/.test(unquoted.slice(place.end, region.start)) && isRegionName(region.words.join(" "))) {
      place.words = [`${place.words.join(" ")},`, ...region.words];
      place.end = region.end;
      runs.splice(i + 1, 1);
    }
  }
  const atSentenceStart = (r: Run) => /(^|[.!?\n])\s*$/.test(unquoted.slice(0, r.start));
  const joined = (r: Run) => /^\s*(,|\bor\b|\band\b|\bvs\b\.?|\bversus\b)\s*\p{Lu}/u.test(unquoted.slice(r.end));
  const weak = (r: Run) => r.words.length === 1 && !ABBREVIATION.test(r.words[0]) && atSentenceStart(r) && !joined(r);
  const strong = runs.filter((r) => !weak(r));
  const chosen = strong.length ? strong : runs;
  const out: string[] = [];
  for (const r of chosen) {
    const s = r.words.join(" ");
    if (!out.includes(s) && !excluded.has(normalizeLabel(s))) out.push(s);
  }
  return out;
}

/** Numbers in order of appearance: "What is 1 + 2?" -> [1, 2]; "3.5 and -4" -> [3.5, -4]. */
export function extractNumbers(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/(?<![\p{L}\p{N}.])-?\d+(?:\.\d+)?(?![\p{L}\d])/gu)) out.push(Number(m[0]));
  return out;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) return t.slice(1, -1);
  return t;
}

/**
 * "label: value" lines ("Service name: MyService"), inline "key=value" pairs ("a=1 b=2") and a word
 * followed by a code that mixes letters and digits ("SKU ABC-123", "order #A17"), keyed by
 * normalizeLabel(label). The first occurrence of a label wins.
 */
export function extractLabels(text: string): Map<string, string> {
  const labels = new Map<string, string>();
  const put = (k: string, v: string) => {
    const key = normalizeLabel(k);
    if (key && v && !labels.has(key)) labels.set(key, v);
  };
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*[-*]?\s*([\p{L}][\p{L}\p{N} _-]{0,40}?)\s*[:=]\s*(.+?)\s*$/u.exec(line);
    if (m && !/^https?$/i.test(m[1])) put(m[1], unquote(m[2]));
  }
  for (const m of text.matchAll(/(?<![\p{L}\p{N}_])([\p{L}_][\p{L}\p{N}_]*)\s*=\s*("[^"]*"|'[^']*'|[^\s,;)]+)/gu)) {
    put(m[1], unquote(m[2]));
  }
  for (const m of text.matchAll(
    /(?<![\p{L}\p{N}_])(\p{L}+)\s+#?((?=[A-Z0-9_-]*\d)(?=[A-Z0-9_-]*[A-Z])[A-Z0-9][A-Z0-9_-]*)(?![\p{L}\p{N}_])/gu,
  )) {
    put(m[1], m[2]);
  }
  return labels;
}

/** "a joke about cats" -> "cats"; "tell me about the ocean." -> "the ocean". */
export function extractTopic(text: string): string | undefined {
  const m = /\b(?:about|regarding|on the topic of)\s+([^.?!,;:\n]{1,60})/i.exec(text);
  return m ? m[1].trim() : undefined;
}

// Opening quote -> closing quote.
const QUOTES: Record<string, string> = { "'": "'", '"': '"', "`": "`", "“": "”", "‘": "’", "「": "」", "«": "»" };

/** Quoted values after "named", "called" or "titled": `a customer named '你好啊集团'` -> ["你好啊集团"]. */
export function extractNamed(text: string, exclude: string[] = []): string[] {
  const excluded = new Set(exclude.map(normalizeLabel));
  const out: string[] = [];
  for (const m of text.matchAll(/\b(?:named|called|titled)\s+(['"`“‘「«])/giu)) {
    const open = m[1];
    const from = (m.index ?? 0) + m[0].length;
    const close = text.indexOf(QUOTES[open], from);
    if (close <= from) continue;
    const value = text.slice(from, close).trim();
    if (value && !value.includes("\n") && !out.includes(value) && !excluded.has(normalizeLabel(value))) out.push(value);
  }
  return out;
}

export function extractFacts(text: string, exclude: string[] = []): PromptFacts {
  const named = extractNamed(text, exclude);
  const subjects = extractSubjects(text, exclude);
  return {
    text,
    // A name the prompt quotes is what it is about: "a customer named 'Acme' (a tech company)" is one subject.
    subjects: named.length ? named : subjects,
    named,
    numbers: extractNumbers(text.replace(/\b\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?/g, " ")),
    labels: extractLabels(text),
    topic: extractTopic(text),
    dates: [...text.matchAll(/\b\d{4}-\d{2}-\d{2}\b/g)].map((m) => m[0]),
    emails: [...text.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)].map((m) => m[0]),
    urls: [...text.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0].replace(/[.,;:!?]+$/, "")),
  };
}
