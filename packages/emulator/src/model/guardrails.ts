// Guardrails. With guardrailConfig in the request, the guarded text is checked against a
// configurable policy (the server's admin API changes it with setGuardrailPolicy/setBlockedWords):
//   blockedWords  -> wordPolicy.customWords   (default: "blockedword", "forbidden-topic")
//   deniedTopics  -> topicPolicy.topics       (a topic is hit when one of its keywords appears)
//   contentFilters-> contentPolicy.filters    (a filter is hit when one of its phrases appears)
// Matching is case-insensitive on whole words. Guarded text: the guardContent blocks when the
// request has any (messages or system), otherwise the text of every message.
// A hit makes the reply `blockedInputMessage` with stopReason "guardrail_intervened"; with
// trace "enabled"/"enabled_full" the response carries trace.guardrail (GuardrailTraceAssessment):
// inputAssessment keyed by guardrail id. The generated answer is checked the same way (outputAssessments).
import type { ConverseRequest, JsonObject } from "../types.js";
import { guardTextOfBlocks, textOfBlocks } from "./conversation.js";

type ContentFilterType = "INSULTS" | "HATE" | "SEXUAL" | "VIOLENCE" | "MISCONDUCT" | "PROMPT_ATTACK";

export interface GuardrailPolicy {
  blockedWords: string[];
  deniedTopics: { name: string; keywords: string[] }[];
  contentFilters: { type: ContentFilterType; phrases: string[] }[];
  blockedInputMessage: string;
  blockedOutputMessage: string;
}

const DEFAULT_GUARDRAIL_POLICY: Readonly<GuardrailPolicy> = Object.freeze({
  blockedWords: ["blockedword", "forbidden-topic"],
  deniedTopics: [],
  contentFilters: [],
  blockedInputMessage: "Sorry, the model cannot answer this question.",
  blockedOutputMessage: "Sorry, the model cannot answer this question.",
});

let policy: GuardrailPolicy = clonePolicy(DEFAULT_GUARDRAIL_POLICY);

function clonePolicy(p: Readonly<GuardrailPolicy>): GuardrailPolicy {
  return {
    blockedWords: [...p.blockedWords],
    deniedTopics: p.deniedTopics.map((t) => ({ name: t.name, keywords: [...t.keywords] })),
    contentFilters: p.contentFilters.map((f) => ({ type: f.type, phrases: [...f.phrases] })),
    blockedInputMessage: p.blockedInputMessage,
    blockedOutputMessage: p.blockedOutputMessage,
  };
}

export function getGuardrailPolicy(): GuardrailPolicy {
  return clonePolicy(policy);
}

/** Replace parts of the policy (the rest stays as it is). */
export function setGuardrailPolicy(update: Partial<GuardrailPolicy>): void {
  policy = clonePolicy({ ...policy, ...update });
}

export function setBlockedWords(words: string[]): void {
  setGuardrailPolicy({ blockedWords: words });
}

export function getBlockedWords(): string[] {
  return [...policy.blockedWords];
}

export function resetGuardrailPolicy(): void {
  policy = clonePolicy(DEFAULT_GUARDRAIL_POLICY);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whole-word, case-insensitive occurrence of `word` in `text`. */
export function containsWord(text: string, word: string): boolean {
  if (!word.trim()) return false;
  return new RegExp(`(?<![\\p{L}\\p{N}_-])${escapeRegex(word.trim())}(?![\\p{L}\\p{N}_-])`, "iu").test(text);
}

interface GuardrailFindings {
  words: string[];
  topics: string[];
  filters: ContentFilterType[];
}

function assessText(texts: string[], p: GuardrailPolicy = policy): GuardrailFindings {
  const all = texts.join("\n");
  return {
    words: p.blockedWords.filter((w) => containsWord(all, w)),
    topics: p.deniedTopics.filter((t) => t.keywords.some((k) => containsWord(all, k))).map((t) => t.name),
    filters: p.contentFilters.filter((f) => f.phrases.some((k) => containsWord(all, k))).map((f) => f.type),
  };
}

function blocked(f: GuardrailFindings): boolean {
  return f.words.length + f.topics.length + f.filters.length > 0;
}

/** The texts the guardrail reads in this request. */
function guardedTexts(request: ConverseRequest): string[] {
  const guarded = [
    ...guardTextOfBlocks(request.system ?? []),
    ...(request.messages ?? []).flatMap((m) => guardTextOfBlocks(m.content)),
  ];
  if (guarded.length) return guarded;
  return (request.messages ?? []).map((m) => textOfBlocks(m.content)).filter(Boolean);
}

/** The guardrail id used as the key of the assessment maps (the id part of an ARN). */
export function guardrailId(config: JsonObject): string {
  const ident = typeof config.guardrailIdentifier === "string" ? config.guardrailIdentifier : "";
  const m = /guardrail\/([a-z0-9]+)/.exec(ident);
  return m ? m[1] : ident || "default";
}

function assessment(findings: GuardrailFindings, texts: string[]): JsonObject {
  const chars = texts.reduce((n, t) => n + t.length, 0);
  const units = Math.max(1, Math.ceil(chars / 1000));
  const out: JsonObject = {};
  if (findings.topics.length) {
    out.topicPolicy = { topics: findings.topics.map((name) => ({ name, type: "DENY", action: "BLOCKED", detected: true })) };
  }
  if (findings.filters.length) {
    out.contentPolicy = {
      filters: findings.filters.map((type) => ({ type, confidence: "HIGH", filterStrength: "HIGH", action: "BLOCKED", detected: true })),
    };
  }
  if (findings.words.length) {
    out.wordPolicy = {
      customWords: findings.words.map((match) => ({ match, action: "BLOCKED", detected: true })),
      managedWordLists: [],
    };
  }
  out.invocationMetrics = {
    guardrailProcessingLatency: 10 + units,
    usage: {
      topicPolicyUnits: units,
      contentPolicyUnits: units,
      wordPolicyUnits: units,
      sensitiveInformationPolicyUnits: units,
      sensitiveInformationPolicyFreeUnits: 0,
      contextualGroundingPolicyUnits: 0,
    },
    guardrailCoverage: { textCharacters: { guarded: chars, total: chars } },
  };
  return out;
}

export interface GuardrailOutcome {
  /** "input" or "output" when the guardrail blocked, else undefined. */
  intervened?: "input" | "output";
  /** The text to answer with when it blocked. */
  message?: string;
  /** trace.guardrail when tracing is on. */
  trace?: JsonObject;
}

function tracing(config: JsonObject): boolean {
  return config.trace === "enabled" || config.trace === "enabled_full";
}

/** Check the request's input. */
export function checkInput(request: ConverseRequest): GuardrailOutcome {
  const config = request.guardrailConfig;
  if (!config) return {};
  const texts = guardedTexts(request);
  const findings = assessText(texts);
  const id = guardrailId(config);
  const trace = tracing(config) ? { inputAssessment: { [id]: assessment(findings, texts) } } : undefined;
  if (blocked(findings)) return { intervened: "input", message: policy.blockedInputMessage, trace };
  return { trace };
}

/** Check the generated answer text, extending the input trace. */
export function checkOutput(request: ConverseRequest, outputText: string, inputTrace: JsonObject | undefined): GuardrailOutcome {
  const config = request.guardrailConfig;
  if (!config) return {};
  const findings = assessText([outputText]);
  const id = guardrailId(config);
  const trace = tracing(config)
    ? { ...(inputTrace ?? {}), outputAssessments: { [id]: [assessment(findings, [outputText])] } }
    : undefined;
  if (blocked(findings)) return { intervened: "output", message: policy.blockedOutputMessage, trace };
  return { trace };
}
