// Words for string fields the prompt does not fill: what a tool argument or a structured-output
// field called `setup`, `explanation`, `city`... gets, always the same for the same prompt.
import type { PromptFacts } from "./prompt-facts.js";

/** Lowercase words of an identifier: "getCurrentWeather", "get_current-weather" -> [get, current, weather]. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const LOCATION_WORDS = new Set([
  "location",
  "locations",
  "city",
  "cities",
  "place",
  "places",
  "town",
  "destination",
  "origin",
  "address",
  "region",
  "area",
  "where",
  "country",
  "countries",
  "state",
]);
// Every location field names the prompt's subject, and so do these.
const SUBJECT_WORDS = new Set([
  ...LOCATION_WORDS,
  "subject",
  "subjects",
  "entity",
  "company",
  "ticker",
  "symbol",
  "person",
  "target",
  "name",
  "names",
]);

/** A field that names what the prompt is about (location, city, name...). */
export function isSubjectField(name: string | undefined): boolean {
  return !!name && identifierWords(name).some((w) => SUBJECT_WORDS.has(w));
}

export function isLocationField(name: string | undefined): boolean {
  return !!name && identifierWords(name).some((w) => LOCATION_WORDS.has(w));
}

// Well-known abbreviations expanded in location fields ("LA" -> "Los Angeles, CA").
const PLACES: Record<string, string> = {
  LA: "Los Angeles, CA",
  NY: "New York, NY",
  NYC: "New York, NY",
  SF: "San Francisco, CA",
  DC: "Washington, DC",
  UK: "United Kingdom",
  US: "United States",
  USA: "United States",
  UAE: "United Arab Emirates",
};

export function expandPlace(subject: string): string {
  return PLACES[subject] ?? subject;
}

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(oneLine);
  return chars.length <= max
    ? oneLine
    : `${chars
        .slice(0, max - 3)
        .join("")
        .trimEnd()}...`;
}

function firstSentence(text: string): string {
  const m = /^[^.?!\n]*[.?!]?/.exec(text.trim());
  return clip(m ? m[0] : text, 100);
}

/** Text for a string field named `name`, from the prompt facts. */
export function fieldText(name: string | undefined, facts: PromptFacts, subject?: string): string {
  const words = identifierWords(name ?? "");
  const has = (...ws: string[]) => ws.some((w) => words.includes(w));
  const topic = facts.topic ?? subject ?? facts.subjects[0] ?? "programmer";
  const asked = facts.text ? firstSentence(facts.text) : "";
  if (has("setup")) return `Why did the ${topic} bring a ladder to work?`;
  if (has("punchline")) return `Because the ${topic} heard the job came with a step up.`;
  if (has("joke")) return `Why did the ${topic} bring a ladder to work? Because the ${topic} heard the job came with a step up.`;
  if (has("explanation", "reason", "reasoning", "rationale", "justification", "why"))
    return asked ? `Chosen from the request: "${asked}"` : "Chosen by the emulator's default model.";
  if (has("summary", "abstract", "overview")) return asked ? `A request that says: "${asked}"` : "An empty request.";
  if (has("answer", "response", "reply", "result", "output")) return asked ? `You asked: "${asked}"` : "There was no question.";
  if (has("query", "question", "prompt", "input", "search", "keyword", "keywords", "term", "message", "text", "content", "body"))
    return facts.text ? clip(facts.text, 200) : "hello";
  if (has("description", "details", "comment", "note", "notes")) return asked ? `About: ${asked}` : `A ${words.join(" ") || "value"}.`;
  if (has("topic", "theme")) return facts.topic ?? subject ?? facts.subjects[0] ?? "general";
  if (has("title", "headline", "heading")) return subject ?? facts.topic ?? facts.subjects[0] ?? "Untitled";
  if (has("language", "lang")) return "English";
  if (has("currency")) return "USD";
  if (has("unit", "units")) return /fahrenheit|°f\b/i.test(facts.text) ? "fahrenheit" : "celsius";
  if (has("color", "colour")) return "blue";
  if (has("id", "identifier")) return "id-1";
  if (isSubjectField(name)) return subject ?? facts.subjects[0] ?? (isLocationField(name) ? "Seattle, WA" : "Example");
  return words.length ? words.join(" ") : "text";
}

/** Default for a number field nobody filled. */
export function fieldNumber(name: string | undefined): number {
  const words = identifierWords(name ?? "");
  const has = (...ws: string[]) => ws.some((w) => words.includes(w));
  if (has("year")) return 2024;
  if (has("age")) return 30;
  if (has("rating", "score", "stars")) return 8;
  if (has("temperature", "temp")) return 21;
  if (has("percent", "percentage")) return 50;
  return 1;
}
