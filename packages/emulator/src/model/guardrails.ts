// Guardrails. With guardrailConfig in the request, the guarded text is checked against a
// configurable policy. Each emulator keeps its own policy in a GuardrailPolicyStore (changed with
// emu.setGuardrailPolicy or the admin API); the checks take the policy as an argument:
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

export const DEFAULT_GUARDRAIL_POLICY: Readonly<GuardrailPolicy> = Object.freeze({
  blockedWords: ["blockedword", "forbidden-topic"],
  deniedTopics: [],
  contentFilters: [],
  blockedInputMessage: "Sorry, the model cannot answer this question.",
  blockedOutputMessage: "Sorry, the model cannot answer this question.",
});

function clonePolicy(p: Readonly<GuardrailPolicy>): GuardrailPolicy {
  return {
    blockedWords: [...p.blockedWords],
    deniedTopics: p.deniedTopics.map((t) => ({ name: t.name, keywords: [...t.keywords] })),
    contentFilters: p.contentFilters.map((f) => ({ type: f.type, phrases: [...f.phrases] })),
    blockedInputMessage: p.blockedInputMessage,
    blockedOutputMessage: p.blockedOutputMessage,
  };
}

/**
 * One emulator's guardrail policy. Every emulator has its own store, so two emulators in one
 * process (parallel test servers) never see each other's policy.
 */
export class GuardrailPolicyStore {
  private readonly initial: GuardrailPolicy;
  private policy: GuardrailPolicy;

  /** `initial` is what reset() restores (default: DEFAULT_GUARDRAIL_POLICY). */
  constructor(initial: Partial<GuardrailPolicy> = {}) {
    this.initial = clonePolicy({ ...DEFAULT_GUARDRAIL_POLICY, ...initial });
    this.policy = clonePolicy(this.initial);
  }

  /** A copy of the policy in force. */
  get(): GuardrailPolicy {
    return clonePolicy(this.policy);
  }

  /** The policy in force, for the model to read without copying it per request. */
  current(): Readonly<GuardrailPolicy> {
    return this.policy;
  }

  /** Replaces parts of the policy (the rest stays as it is). */
  set(update: Partial<GuardrailPolicy>): void {
    this.policy = clonePolicy({ ...this.policy, ...update });
  }

  /** Restores the policy the store started with. */
  reset(): void {
    this.policy = clonePolicy(this.initial);
  }
}

const isStringList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");

/** Checks a partial GuardrailPolicy from outside (admin API, start-up option): only known members, each of the right shape. */
export function checkGuardrailPolicyUpdate(body: unknown): string | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return "Send a JSON object with the policy members to change.";
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case "blockedWords":
        if (!isStringList(value)) return "blockedWords must be a list of strings.";
        break;
      case "deniedTopics":
        if (!Array.isArray(value) || !value.every((t) => typeof t?.name === "string" && isStringList(t?.keywords))) {
          return "deniedTopics must be a list of {name, keywords: [string]}.";
        }
        break;
      case "contentFilters":
        if (!Array.isArray(value) || !value.every((f) => typeof f?.type === "string" && isStringList(f?.phrases))) {
          return "contentFilters must be a list of {type, phrases: [string]}.";
        }
        break;
      case "blockedInputMessage":
      case "blockedOutputMessage":
        if (typeof value !== "string") return `${key} must be a string.`;
        break;
      default:
        return `Unknown guardrail policy member ${JSON.stringify(key)}.`;
    }
  }
  return undefined;
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

function assessText(texts: string[], p: Readonly<GuardrailPolicy> = DEFAULT_GUARDRAIL_POLICY): GuardrailFindings {
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
  const guarded = [...guardTextOfBlocks(request.system ?? []), ...(request.messages ?? []).flatMap((m) => guardTextOfBlocks(m.content))];
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

/** Check the request's input against `policy`. */
export function checkInput(request: ConverseRequest, policy: Readonly<GuardrailPolicy> = DEFAULT_GUARDRAIL_POLICY): GuardrailOutcome {
  const config = request.guardrailConfig;
  if (!config) return {};
  const texts = guardedTexts(request);
  const findings = assessText(texts, policy);
  const id = guardrailId(config);
  const trace = tracing(config) ? { inputAssessment: { [id]: assessment(findings, texts) } } : undefined;
  if (blocked(findings)) return { intervened: "input", message: policy.blockedInputMessage, trace };
  return { trace };
}

/** Check the generated answer text against `policy`, extending the input trace. */
export function checkOutput(
  request: ConverseRequest,
  outputText: string,
  inputTrace: JsonObject | undefined,
  policy: Readonly<GuardrailPolicy> = DEFAULT_GUARDRAIL_POLICY,
): GuardrailOutcome {
  const config = request.guardrailConfig;
  if (!config) return {};
  const findings = assessText([outputText], policy);
  const id = guardrailId(config);
  const trace = tracing(config) ? { ...(inputTrace ?? {}), outputAssessments: { [id]: [assessment(findings, [outputText])] } } : undefined;
  if (blocked(findings)) return { intervened: "output", message: policy.blockedOutputMessage, trace };
  return { trace };
}
