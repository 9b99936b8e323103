// Deciding whether to call tools, which ones, how many times, and with which input.
//
// toolChoice `tool: {name}` -> exactly one call of that tool.
// toolChoice `any`          -> the tools the prompt points at (see below), else the best-scoring
//                              tool, else the first tool.
// toolChoice `auto` / none  -> the tools the prompt points at; no tool when none is pointed at
//                              (unless the user text says to use/call a tool/function, or the system
//                              prompt insists with "always"/"must", then the best-scoring tool). After toolResult blocks in the last user
//                              turn, auto never calls a tool: the model answers in text.
// A tool is pointed at when the user text or system prompt contains its name (any case, with or
// without separators: "get_current_weather", "GetCurrentWeather", "get current weather"), when a
// meaningful word of its name appears in the user text (stemmed and through a small table of related
// words: "hotter" -> weather, "bigger" -> population, "sum" or "+" -> add), or when two meaningful
// words of its description appear in the user text.
// Fan-out: a tool with a subject-like top-level string parameter (location, city, name...) is called
// once per subject when the user text names several subjects; a prompt saying "twice"/"two calls"
// doubles a single call; "both tools" with one tool chosen adds the next best one.
import type { ConverseRequest, JsonObject } from "../types.js";
import { canonicalJson, isObject, lastUserMessage, lastUserText, systemText, toolSpecs, type ToolSpec } from "./conversation.js";
import { expandPlace, identifierWords, isLocationField, isSubjectField } from "./field-text.js";
import { toolUseId } from "./ids.js";
import { deref, valueFromSchema } from "./json-schema.js";
import { withNamedValue } from "./named-value.js";
import { extractFacts, normalizeLabel, type PromptFacts } from "./prompt-facts.js";

interface PlannedToolCall {
  toolUseId: string;
  name: string;
  input: JsonObject;
}

export interface ToolPlan {
  calls: PlannedToolCall[];
  /** Short text before the calls (auto tool choice only). */
  preamble?: string;
}

// Related words, mapped to one concept key each.
const CONCEPTS: Record<string, string[]> = {
  weather: [
    "weather",
    "hot",
    "hotter",
    "hottest",
    "cold",
    "colder",
    "coldest",
    "warm",
    "warmer",
    "warmest",
    "temperature",
    "rain",
    "raining",
    "rainy",
    "sunny",
    "snow",
    "snowing",
    "forecast",
    "humid",
    "humidity",
    "wind",
    "windy",
    "degree",
    "degrees",
    "climate",
    "cloudy",
  ],
  population: [
    "population",
    "populous",
    "big",
    "bigger",
    "biggest",
    "large",
    "larger",
    "largest",
    "people",
    "inhabitant",
    "inhabitants",
    "resident",
    "residents",
    "small",
    "smaller",
    "smallest",
  ],
  time: ["time", "clock", "hour", "hours", "timezone", "o'clock"],
  add: ["add", "adder", "addition", "adding", "sum", "plus", "+", "total"],
  subtract: ["subtract", "subtraction", "minus", "difference"],
  multiply: ["multiply", "multiplier", "multiplication", "times", "product", "*", "×"],
  divide: ["divide", "divider", "division", "quotient", "÷"],
  stock: ["stock", "stocks", "share", "shares", "ticker", "quote"],
  translate: ["translate", "translation", "translator"],
  email: ["email", "mail", "e-mail"],
};
const CONCEPT_OF = new Map<string, string>();
for (const [concept, words] of Object.entries(CONCEPTS)) for (const w of words) CONCEPT_OF.set(w, concept);

// Words of tool names that say nothing about what the tool is for.
const GENERIC = new Set(
  (
    "get set fetch find lookup look up retrieve query tool tools do run call current make create list the a an of for by to " +
    "in on info information data api func fn function check compute calculate calc math helper service util utils handle " +
    "process execute perform my new simple basic value values v1 v2 now given specified provided return returns using " +
    "based about into with from that this which their some other used input output specific details location city name " +
    "what when where how does will your you"
  ).split(" "),
);

function stem(word: string): string {
  const w = word.toLowerCase().replace(/['’]s$/, "");
  if (CONCEPT_OF.has(w)) return CONCEPT_OF.get(w) as string;
  for (const cut of [/ies$/, /es$/, /s$/]) {
    if (w.length > 4 && cut.test(w)) {
      const base = cut.source === "ies$" ? w.replace(/ies$/, "y") : w.replace(cut, "");
      if (CONCEPT_OF.has(base)) return CONCEPT_OF.get(base) as string;
      if (cut.source === "s$") return base;
    }
  }
  return w;
}

function textKeys(text: string): Set<string> {
  const keys = new Set<string>();
  for (const m of text.matchAll(/[\p{L}\p{N}'’]+|[+*×÷]/gu)) keys.add(stem(m[0]));
  return keys;
}

function meaningful(words: string[], minLength: number): string[] {
  return [...new Set(words.filter((w) => w.length >= minLength && !GENERIC.has(w)).map(stem))];
}

/** Does the text name the tool (any case, with or without separators)? */
export function mentionsToolName(text: string, name: string): boolean {
  const target = normalizeLabel(name);
  if (!target) return false;
  const tokens = [...text.matchAll(/[\p{L}\p{N}_-]+/gu)].map((m) => normalizeLabel(m[0]));
  if (tokens.includes(target)) return true;
  const words = identifierWords(name).length;
  for (let i = 0; i + words <= tokens.length; i++) if (tokens.slice(i, i + words).join("") === target) return true;
  return false;
}

const ASKS_FOR_TOOL = /\b(use|call|using|invoke|run)\b[^.?!\n]{0,60}\b(tool|tools|function|functions)\b/i;
// A system prompt must insist ("always"/"must") before it forces a call: "Use tools when needed" does not.
const SYSTEM_INSISTS = /\b(always|must)\b[^.?!\n]{0,20}\b(use|call|invoke)\b[^.?!\n]{0,60}\b(tool|tools|function|functions)\b/i;

interface Scored {
  tool: ToolSpec;
  index: number;
  named: boolean;
  nameHits: number;
  descHits: number;
}

function score(tool: ToolSpec, index: number, userText: string, sysText: string): Scored {
  const keys = textKeys(userText);
  const named = mentionsToolName(userText, tool.name) || mentionsToolName(sysText, tool.name);
  const nameHits = meaningful(identifierWords(tool.name), 2).filter((w) => keys.has(w)).length;
  const descWords = [...tool.description.toLowerCase().matchAll(/[\p{L}\p{N}'’]+/gu)].map((m) => m[0]);
  const descHits = meaningful(descWords, 4).filter((w) => keys.has(w)).length;
  return { tool, index, named, nameHits, descHits };
}

function pointedAt(s: Scored): boolean {
  return s.named || s.nameHits > 0 || s.descHits >= 2;
}

function rank(a: Scored, b: Scored): number {
  const va = (a.named ? 100 : 0) + a.nameHits * 2 + a.descHits;
  const vb = (b.named ? 100 : 0) + b.nameHits * 2 + b.descHits;
  return vb - va || a.index - b.index;
}

/** The top-level string property that takes the subject (location, city, name...), if any. */
function subjectProperty(tool: ToolSpec): string | undefined {
  const schema = deref(tool.schema, tool.schema);
  if (!isObject(schema) || !isObject(schema.properties)) return undefined;
  for (const [key, prop] of Object.entries(schema.properties)) {
    const p = deref(prop, tool.schema);
    if (isSubjectField(key) && isObject(p) && (p.type === "string" || (Array.isArray(p.type) && p.type.includes("string")))) return key;
  }
  return undefined;
}

/** The tool input for one call: the schema's value, with the call's subject. */
function toolInput(tool: ToolSpec, facts: PromptFacts, subject?: string): JsonObject {
  const prop = subjectProperty(tool);
  const subj = subject && prop && isLocationField(prop) ? expandPlace(subject) : subject;
  const value = valueFromSchema(tool.schema, { facts, subject: subj, numberCursor: { next: 0 } });
  if (!isObject(value)) return { value };
  // One call per quoted name: the call's own name when the names fan out, else the first.
  return withNamedValue(tool.schema, value, subject && facts.named.includes(subject) ? [subject] : facts.named);
}

function choiceOf(request: ConverseRequest): { kind: "auto" | "any" | "tool"; name?: string } {
  const choice = request.toolConfig?.toolChoice;
  if (isObject(choice)) {
    if (isObject(choice.any)) return { kind: "any" };
    if (isObject(choice.tool) && typeof choice.tool.name === "string") return { kind: "tool", name: choice.tool.name };
  }
  return { kind: "auto" };
}

/** Seed for tool-use ids: the whole conversation and the tools. */
function idSeed(request: ConverseRequest, modelId: string): string {
  return canonicalJson({ modelId, messages: request.messages ?? [], system: request.system ?? [], tools: request.toolConfig?.tools ?? [] });
}

/** The tool calls this request gets, or undefined when the model answers without tools. */
export function planToolCalls(request: ConverseRequest, modelId: string): ToolPlan | undefined {
  const tools = toolSpecs(request);
  if (!tools.length) return undefined;
  const choice = choiceOf(request);
  const userText = lastUserText(request);
  const sysText = systemText(request);
  const last = lastUserMessage(request);
  const answeringResults = !!last?.content.some((b) => isObject(b.toolResult));
  if (choice.kind === "auto" && answeringResults) return undefined;

  const facts = extractFacts(
    userText,
    tools.flatMap((t) => [t.name, ...identifierWords(t.name)]),
  );
  const seed = idSeed(request, modelId);
  const makeCalls = (chosen: ToolSpec[], fanOut: boolean) => {
    const calls: PlannedToolCall[] = [];
    for (const tool of chosen) {
      const subjects = fanOut && subjectProperty(tool) && facts.subjects.length > 1 ? facts.subjects : [facts.subjects[0]];
      for (const subject of subjects) {
        calls.push({ toolUseId: toolUseId(seed, calls.length), name: tool.name, input: toolInput(tool, facts, subject) });
      }
    }
    return calls;
  };

  if (choice.kind === "tool") {
    const tool = tools.find((t) => t.name === choice.name) ?? tools[0];
    return { calls: makeCalls([tool], false) };
  }

  const scored = tools.map((t, i) => score(t, i, userText, sysText)).sort(rank);
  let chosen = scored.filter(pointedAt);
  if (!chosen.length && (choice.kind === "any" || ASKS_FOR_TOOL.test(userText) || SYSTEM_INSISTS.test(sysText))) {
    chosen = [scored[0]];
  }
  if (!chosen.length) return undefined;
  if (chosen.length === 1 && tools.length > 1 && /\bboth\s+(tools|functions)\b/i.test(userText)) {
    chosen.push(scored.find((s) => s !== chosen[0]) as Scored);
  }
  chosen.sort((a, b) => a.index - b.index);
  let calls = makeCalls(
    chosen.map((s) => s.tool),
    true,
  );
  if (calls.length === 1 && /\b(twice|two\s+(calls|times)|2\s+(calls|times))\b/i.test(userText)) {
    calls = [calls[0], { ...calls[0], toolUseId: toolUseId(seed, 1) }];
  }
  const names = [...new Set(calls.map((c) => c.name))];
  const preamble = choice.kind === "auto" ? `I'll use ${joinNames(names)} to answer this.` : undefined;
  return { calls, preamble };
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
