// Property: every request that is valid for the real service is accepted. The generator follows the
// service model's shapes and the documented service rules (roles alternate, tool results answer the
// previous turn's tool uses, documents need a text block, thinking budgets below maxTokens, ...) over
// models of every family, using only features each model supports. A refusal of a valid request
// blocks a user completely, so one counterexample fails the test.
//
// Runs: 300 by default; VALID_REQUESTS=20000 for a long run.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { validateRequest } from "./index.js";
import { resolveModel, type ModelInfo } from "../model/catalog.js";
import { forcedToolChoiceAllowedWithThinking } from "../model/families.js";
import { signReasoning } from "../model/signature.js";
import type { Operation } from "../types.js";

const RUNS = Number(process.env.VALID_REQUESTS ?? 300);

/** 36 models of 11 families, in the form the service accepts on demand. */
const MODELS = [
  "anthropic.claude-3-haiku-20240307-v1:0",
  "anthropic.claude-3-5-sonnet-20240620-v1:0",
  "anthropic.claude-3-5-haiku-20241022-v1:0",
  "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
  "us.anthropic.claude-sonnet-4-20250514-v1:0",
  "us.anthropic.claude-opus-4-1-20250805-v1:0",
  "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
  "us.anthropic.claude-haiku-4-5-20251001-v1:0",
  "us.anthropic.claude-opus-4-5-20251101-v1:0",
  "anthropic.claude-sonnet-4-6",
  "us.anthropic.claude-sonnet-5",
  "anthropic.claude-opus-4-7",
  "amazon.nova-micro-v1:0",
  "amazon.nova-lite-v1:0",
  "amazon.nova-pro-v1:0",
  "us.amazon.nova-premier-v1:0",
  "us.amazon.nova-2-lite-v1:0",
  "amazon.titan-text-express-v1",
  "meta.llama3-8b-instruct-v1:0",
  "meta.llama3-1-70b-instruct-v1:0",
  "us.meta.llama3-2-11b-instruct-v1:0",
  "us.meta.llama3-3-70b-instruct-v1:0",
  "us.meta.llama4-scout-17b-instruct-v1:0",
  "mistral.mistral-7b-instruct-v0:2",
  "mistral.mistral-large-2407-v1:0",
  "mistral.mistral-small-2402-v1:0",
  "us.mistral.pixtral-large-2502-v1:0",
  "cohere.command-r-v1:0",
  "cohere.command-r-plus-v1:0",
  "ai21.jamba-1-5-mini-v1:0",
  "us.deepseek.r1-v1:0",
  "deepseek.v3-v1:0",
  "openai.gpt-oss-20b-1:0",
  "openai.gpt-oss-120b-1:0",
  "qwen.qwen3-32b-v1:0",
  "us.writer.palmyra-x5-v1:0",
];

const TOOL_NAMES = ["get_weather", "search-docs", "fetchUrl", "calc_2", "lookup"];
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex").toString("base64");
const FOREIGN_SIGNATURE = Buffer.from(Array.from({ length: 240 }, (_, i) => (i * 29 + 3) % 256)).toString("base64");

type Gen = fc.GeneratorValue;
type Json = Record<string, unknown>;

const bool = (g: Gen) => g(fc.boolean);
const int = (g: Gen, min: number, max: number) => g(fc.integer, { min, max });
const pick = <T>(g: Gen, items: readonly T[]): T => items[int(g, 0, items.length - 1)];
/** Non-blank text: a word, then anything (unicode included). */
const words = (g: Gen) => `${pick(g, ["Hello", "What", "Tell", "Why", "Résumé", "你好"])} ${g(fc.string, { maxLength: 40 })}`;

interface Plan {
  model: ModelInfo;
  operation: Operation;
  tools: string[];
  thinking: boolean;
  claude: boolean;
}

function reasoningBlock(g: Gen): Json {
  const text = `Thinking about ${g(fc.string, { maxLength: 20 })}`;
  return { reasoningContent: { reasoningText: { text, signature: bool(g) ? signReasoning(text) : FOREIGN_SIGNATURE } } };
}

function userTurn(g: Gen, p: Plan, docIndex: { n: number }): Json {
  const content: Json[] = [{ text: words(g) }];
  if (p.model.supportsImages && int(g, 0, 4) === 0) content.push({ image: { format: "png", source: { bytes: PNG } } });
  if (p.model.supportsDocuments && docIndex.n < 5 && int(g, 0, 4) === 0) {
    const name = `notes ${docIndex.n++}`;
    content.push({ document: { format: "txt", name, source: { bytes: Buffer.from(words(g)).toString("base64") } } });
  }
  return { role: "user", content };
}

/** An assistant turn calling tools, and the user turn answering every call. */
function toolExchange(g: Gen, p: Plan, turn: number): Json[] {
  const assistant: Json[] = [];
  if (p.thinking) assistant.push(reasoningBlock(g));
  if (p.model.mixedToolTurns && bool(g)) assistant.push({ text: words(g) });
  const calls = int(g, 1, 3);
  const results: Json[] = [];
  for (let k = 0; k < calls; k++) {
    // Mistral takes nine letters and digits (trap TOOL-2)
    const toolUseId =
      p.model.provider === "mistral"
        ? `m${turn}${k}${String(int(g, 0, 999999)).padStart(6, "0")}`
        : `tooluse_${turn}_${k}_${int(g, 0, 999)}`;
    // any valid name: the history may call a tool the current toolConfig no longer lists
    assistant.push({ toolUse: { toolUseId, name: pick(g, TOOL_NAMES), input: bool(g) ? {} : { q: words(g), n: int(g, -5, 5) } } });
    const result: Json = { toolUseId, content: [bool(g) ? { text: words(g) } : { json: { ok: bool(g), value: int(g, 0, 100) } }] };
    if ((p.claude || p.model.provider === "amazon") && bool(g)) result.status = pick(g, ["success", "error"]);
    results.push({ toolResult: result });
  }
  return [
    { role: "assistant", content: assistant },
    { role: "user", content: results },
  ];
}

function conversation(g: Gen, p: Plan): Json[] {
  const docIndex = { n: 0 };
  const messages: Json[] = [userTurn(g, p, docIndex)];
  const exchanges = int(g, 0, 3);
  for (let t = 0; t < exchanges; t++) {
    if (p.tools.length > 0 && bool(g)) {
      messages.push(...toolExchange(g, p, t));
    } else {
      const content: Json[] = [];
      if (p.thinking && bool(g)) content.push(reasoningBlock(g));
      content.push({ text: words(g) });
      messages.push({ role: "assistant", content }, userTurn(g, p, docIndex));
    }
  }
  return messages;
}

function toolConfig(g: Gen, p: Plan): Json | undefined {
  if (p.tools.length === 0) return undefined;
  const tools: Json[] = p.tools.map((name) => ({
    toolSpec: {
      name,
      ...(bool(g) ? { description: words(g) } : {}),
      inputSchema: {
        json: { type: "object", properties: { q: { type: "string" }, n: { type: "integer" } }, ...(bool(g) ? { required: ["q"] } : {}) },
      },
    },
  }));
  if (p.claude && bool(g)) tools.push({ cachePoint: { type: "default" } });
  const config: Json = { tools };
  let choices = [...p.model.toolChoice];
  if (p.thinking && !forcedToolChoiceAllowedWithThinking(p.model.baseModelId)) choices = choices.filter((c) => c === "auto");
  if (choices.length > 0 && bool(g)) {
    const kind = pick(g, choices);
    config.toolChoice = kind === "tool" ? { tool: { name: pick(g, p.tools) } } : { [kind]: {} };
  }
  return config;
}

function inferenceConfig(g: Gen, p: Plan, budget: number | undefined): Json | undefined {
  const cfg: Json = {};
  const max = p.model.maxOutputTokens;
  if (budget !== undefined) {
    if (budget + 1 <= max && bool(g)) cfg.maxTokens = int(g, budget + 1, Math.min(max, budget + 8000));
  } else if (bool(g)) {
    cfg.maxTokens = int(g, 1, max);
  }
  if (budget === undefined && p.model.temperature !== "rejected") {
    const temperature = bool(g);
    const topP = bool(g) && !(temperature && p.model.temperature === "exclusive-with-top-p");
    if (temperature) cfg.temperature = g(fc.double, { min: 0, max: 1, noNaN: true });
    if (topP) cfg.topP = g(fc.double, { min: 0, max: 1, noNaN: true });
  }
  if (bool(g)) cfg.stopSequences = Array.from({ length: int(g, 1, 4) }, () => pick(g, ["STOP", "\n\nHuman:", "###", "END"]));
  return Object.keys(cfg).length ? cfg : undefined;
}

const validRequest = fc.gen().map((g) => {
  const modelId = pick(g, MODELS);
  const model = resolveModel(modelId)!;
  const claude = model.provider === "anthropic";
  const direct = !modelId.includes(".anthropic.") && !/^(us|eu|global)\./.test(modelId);
  const operations: Operation[] = ["converse", "converse-stream"];
  if (claude && model.supportsCountTokens && direct) operations.push("count-tokens");
  const operation = pick(g, operations);
  const toolsAllowed = model.supportsTools && (operation !== "converse-stream" || model.supportsToolStreaming);
  const tools = toolsAllowed && bool(g) ? TOOL_NAMES.filter(() => bool(g)).slice(0, 3) : [];
  const thinking = claude && model.supportsReasoning && bool(g);
  const p: Plan = { model, operation, tools, thinking, claude };

  const body: Json = { messages: conversation(g, p) };
  if (model.supportsSystem && bool(g)) {
    const system: Json[] = [{ text: words(g) }];
    if ((claude || model.provider === "amazon") && bool(g)) system.push({ cachePoint: { type: "default" } });
    body.system = system;
  }
  const tc = toolConfig(g, p);
  if (tc) body.toolConfig = tc;
  let budget: number | undefined;
  if (thinking) {
    budget = int(g, 1024, 4096);
    const fields: Json = { thinking: { type: "enabled", budget_tokens: budget } };
    body.additionalModelRequestFields = fields;
  }
  if (operation !== "count-tokens") {
    const ic = inferenceConfig(g, p, budget);
    if (ic) body.inferenceConfig = ic;
    // the interleaved-thinking beta lets the budget reach maxTokens on Claude 4+
    const fields = body.additionalModelRequestFields as Json | undefined;
    if (thinking && tools.length && !/claude-3/.test(modelId) && bool(g)) {
      fields!.anthropic_beta = ["interleaved-thinking-2025-05-14"];
      body.inferenceConfig = { ...(ic ?? {}), maxTokens: Math.max(1, budget! - int(g, 0, 500)) };
    }
    return { modelId, operation, body };
  }
  // CountTokens takes only messages, system, toolConfig and additionalModelRequestFields (and has no maxTokens)
  if (thinking && bool(g)) (body.additionalModelRequestFields as Json).thinking = { type: "enabled", budget_tokens: int(g, 4097, 32000) };
  return { modelId, operation, body: { input: { converse: body } } };
});

test(`valid requests are accepted (${RUNS} generated requests over ${MODELS.length} models)`, () => {
  for (const id of MODELS) assert.ok(resolveModel(id), id);
  fc.assert(
    fc.property(validRequest, ({ modelId, operation, body }) => {
      const r = validateRequest(operation, modelId, body);
      if (!r.ok) throw new Error(`${operation} ${modelId} refused: ${r.error.message}\n${JSON.stringify(body).slice(0, 2000)}`);
    }),
    { numRuns: RUNS, seed: process.env.VALID_REQUESTS_SEED ? Number(process.env.VALID_REQUESTS_SEED) : undefined },
  );
});
