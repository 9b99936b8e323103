// Property tests (fast-check):
//  1. Random LangChain histories built from every content block type and dialect we accept convert
//     either to a request the emulator accepts, or to our typed error before any request is sent.
//  2. An AI message converted from a Converse response and back to Converse is lossless.
//  3. For a scripted reply (text, tool use, reasoning), the stream's chunks concatenate to the
//     invoke result.
// PROPERTY_RUNS sets the total number of generated cases (default 500; the full run uses 10000),
// split 40% / 40% / 20% between the three properties. PROPERTY_SEED replays a run.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { load } from "@langchain/core/load";
import {
  AIMessage,
  type AIMessageChunk,
  ChatMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from "@langchain/core/messages";
import type { ContentBlock, ConverseCommandOutput } from "@aws-sdk/client-bedrock-runtime";
import type { Emulator, ScriptReply } from "bedrock-runtime-emulator";
import { BedrockConverseError, BedrockInputError } from "langchain-bedrock-converse";
import { convertMessagesToConverse } from "../../src/convert/messages.js";
import { converseResponseToMessage } from "../../src/convert/response.js";
import { emulator, model, runtimeRequests } from "../helpers.js";

const TOTAL = Number(process.env.PROPERTY_RUNS ?? 500);
const RUNS = { history: Math.ceil(TOTAL * 0.4), roundTrip: Math.ceil(TOTAL * 0.4), stream: Math.ceil(TOTAL * 0.2) };
const SEED = process.env.PROPERTY_SEED !== undefined ? Number(process.env.PROPERTY_SEED) : undefined;
const opts = (numRuns: number) => ({ numRuns, ...(SEED !== undefined ? { seed: SEED } : {}) });
const DEADLINE = { timeout: Math.max(60_000, TOTAL * 60) };

let emu: Emulator;
before(async () => {
  emu = await emulator({ maxLoggedRequests: 50 });
  const thinker = model(emu, {
    model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
    maxTokens: 2048,
    additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
  });
  const reply = await thinker.invoke("Think about the sea.");
  const r = (reply.content as Array<Record<string, any>>).find((b) => b.type === "reasoning_content")!.reasoning_content;
  SIGNED = { text: r.text, signature: r.signature };
});
after(async () => {
  await emu.close();
  console.log(
    `properties: ${counts.history} histories (${counts.accepted} accepted by the emulator, ${counts.rejected} typed errors before any request), ` +
      `${counts.roundTrip} AI message round trips, ${counts.stream} stream-vs-invoke replies; ${counts.history + counts.roundTrip + counts.stream} cases`,
  );
});
beforeEach(() => emu.reset());

const counts = { history: 0, accepted: 0, rejected: 0, roundTrip: 0, stream: 0 };

// ------------------------------------------------------------------ 1. histories

// A 1x1 PNG and a tiny PDF: real formats, small payloads.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").toString("base64");
// A reasoning text and the signature the emulator gave it (it verifies signatures sent back, as Bedrock does).
let SIGNED = { text: "", signature: "" };
const REDACTED = Buffer.from("opaque redacted reasoning bytes").toString("base64");

const word = fc.constantFrom("alpha", "beta", "river", "sea", "wind", "ship", "Paris", "data", "quick", "report", "42", "émigré", "日本");
const words = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(" "));
const blank = fc.constantFrom("", " ", "\n", " \t\n ");

/** A block recipe; `build` makes fresh objects and numbers documents so names stay unique. */
type Recipe = { kind: string; text?: string };
const humanRecipe: fc.Arbitrary<Recipe> = fc.oneof(
  words.map((text) => ({ kind: "text", text })),
  words.map((text) => ({ kind: "string", text })),
  blank.map((text) => ({ kind: "text", text })),
  fc
    .constantFrom(
      "image-v1",
      "image-base64-source-type",
      "image_url-object",
      "image_url-string",
      "image-anthropic-source",
      "image-native",
      "file-pdf",
      "document-text-source",
      "file-text",
      "document-native",
      "guard_content",
      "cache_point",
      "cachePoint-native",
    )
    .map((kind) => ({ kind })),
);
const aiRecipe: fc.Arbitrary<Recipe> = fc.oneof(
  words.map((text) => ({ kind: "text", text })),
  blank.map((text) => ({ kind: "text", text })),
  words.map((text) => ({ kind: "string", text })),
  fc
    .constantFrom(
      "thinking",
      "reasoning_content",
      "reasoning-v1",
      "redacted_thinking",
      "reasoning-unsigned",
      "reasoning_content-langchain-aws",
    )
    .map((kind) => ({ kind })),
);
const systemRecipe: fc.Arbitrary<Recipe> = fc.oneof(
  words.map((text) => ({ kind: "text", text })),
  blank.map((text) => ({ kind: "text", text })),
  fc.constantFrom("cache_point", "guard_content").map((kind) => ({ kind })),
);
// Content we refuse, each with a typed error before any request.
const INVALID = [
  "unknown-type",
  "image-https-url",
  "image-no-mime",
  "number-block",
  "search_result-image",
  "system-image",
  "chat-role-robot",
  "image-bad-data-url",
  "video-in-tool-result-text",
] as const;

type Turn =
  | { role: "human"; content: Recipe[] | string }
  | { role: "system"; content: Recipe[] | string }
  | { role: "ai"; content: Recipe[] | string; toolCalls: number }
  | { role: "generic-user"; text: string };

const turn: fc.Arbitrary<Turn> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .oneof(fc.array(humanRecipe, { minLength: 0, maxLength: 4 }), words, blank)
      .map((content) => ({ role: "human" as const, content })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.oneof(fc.array(aiRecipe, { minLength: 0, maxLength: 3 }), words, blank), fc.nat(2))
      .map(([content, toolCalls]) => ({ role: "ai" as const, content, toolCalls })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.array(systemRecipe, { minLength: 1, maxLength: 2 }), words, blank)
      .map((content) => ({ role: "system" as const, content })),
  },
  { weight: 1, arbitrary: words.map((text) => ({ role: "generic-user" as const, text })) },
);

interface Built {
  messages: BaseMessage[];
  usesTools: boolean;
}

function build(first: Recipe[] | string, turns: Turn[], invalid: (typeof INVALID)[number] | undefined, invalidAt: number): Built {
  let docs = 0;
  let images = 0;
  let cachePoints = 0;
  let toolIds = 0;
  let usesTools = false;
  const block = (r: Recipe, role: "human" | "ai" | "system"): unknown => {
    switch (r.kind) {
      case "string":
        return r.text;
      case "text":
        return { type: "text", text: r.text };
      case "image-v1":
        return { type: "image", data: PNG, mimeType: "image/png" };
      case "image-base64-source-type":
        return { type: "image", source_type: "base64", data: PNG, mime_type: "image/png" };
      case "image_url-object":
        return { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } };
      case "image_url-string":
        return { type: "image_url", image_url: `data:image/png;base64,${PNG}` };
      case "image-anthropic-source":
        return { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } };
      case "image-native":
        return { image: { format: "png", source: { bytes: Buffer.from(PNG, "base64") } } };
      case "file-pdf":
        return { type: "file", data: PDF, mimeType: "application/pdf", name: `report ${++docs}` };
      case "document-text-source":
        return { type: "document", source: { type: "text", data: "Some notes about the sea." }, name: `notes ${++docs}` };
      case "file-text":
        return { type: "file", source_type: "text", text: "Plain text file body.", name: `plain ${++docs}` };
      case "document-native":
        return { document: { format: "txt", name: `native ${++docs}`, source: { bytes: Buffer.from("native document") } } };
      case "guard_content":
        return { type: "guard_content", text: "Is this allowed?" };
      case "cache_point":
        return role === "system" ? { type: "cache_point" } : { type: "cache_point", ttl: "5m" };
      case "cachePoint-native":
        return { cachePoint: { type: "default" } };
      case "thinking":
        return { type: "thinking", thinking: SIGNED.text, signature: SIGNED.signature };
      case "reasoning_content":
        return { type: "reasoning_content", reasoning_content: { type: "text", text: SIGNED.text, signature: SIGNED.signature } };
      case "reasoning-v1":
        return { type: "reasoning", reasoning: SIGNED.text, extras: { signature: SIGNED.signature } };
      case "redacted_thinking":
        return { type: "redacted_thinking", data: REDACTED };
      case "reasoning-unsigned":
        return { type: "reasoning_content", reasoning_content: { type: "text", text: "unsigned, dropped" } };
      case "reasoning_content-langchain-aws":
        return { type: "reasoning_content", reasoningText: { text: SIGNED.text, signature: SIGNED.signature } };
      default:
        throw new Error(`no recipe ${r.kind}`);
    }
  };
  // Bedrock's limits per request: keep the generated media and cache points within them.
  const fits = (r: Recipe) => {
    if (/^(file|document)/.test(r.kind)) return docs < 5;
    if (/^image/.test(r.kind)) return images++ < 20;
    if (/cache/i.test(r.kind)) return cachePoints++ < 4;
    return true;
  };
  const content = (c: Recipe[] | string, role: "human" | "ai" | "system") =>
    typeof c === "string" ? c : (c.filter(fits).map((r) => block(r, role)) as never);

  const out: BaseMessage[] = [new HumanMessage({ content: content(first, "human") })];
  let lastAiHadTools = false;
  for (const t of turns) {
    if (t.role === "human") out.push(new HumanMessage({ content: content(t.content, "human") }));
    else if (t.role === "system") out.push(new SystemMessage({ content: content(t.content, "system") }));
    else if (t.role === "generic-user") out.push(new ChatMessage({ role: "user", content: t.text }));
    else {
      const ids = Array.from({ length: t.toolCalls }, () => `call_${++toolIds}`);
      out.push(
        new AIMessage({
          content: content(t.content, "ai"),
          tool_calls: ids.map((id) => ({ id, name: "lookup", args: { q: id }, type: "tool_call" as const })),
        }),
      );
      // Every tool call is answered by the next turn.
      for (const id of ids)
        out.push(
          new ToolMessage({
            tool_call_id: id,
            content: id.endsWith("1")
              ? [
                  { type: "text", text: `result ${id}` },
                  { type: "json", json: { ok: true } },
                ]
              : `result ${id}`,
          }),
        );
      usesTools ||= ids.length > 0;
      lastAiHadTools = ids.length > 0;
    }
  }
  void lastAiHadTools;
  if (invalid) {
    const at = Math.min(invalidAt, out.length);
    const bad: Record<(typeof INVALID)[number], () => BaseMessage> = {
      "unknown-type": () => new HumanMessage({ content: [{ type: "hologram", data: "x" } as never] }),
      "image-https-url": () =>
        new HumanMessage({ content: [{ type: "image", url: "https://example.com/cat.png", mimeType: "image/png" } as never] }),
      "image-no-mime": () => new HumanMessage({ content: [{ type: "image", data: PNG } as never] }),
      "number-block": () => new HumanMessage({ content: [42 as never] }),
      "search_result-image": () =>
        new HumanMessage({ content: [{ type: "search_result", source: "s", title: "t", content: [{ type: "image" }] } as never] }),
      "system-image": () => new SystemMessage({ content: [{ type: "image", data: PNG, mimeType: "image/png" } as never] }),
      "chat-role-robot": () => new ChatMessage({ role: "robot", content: "beep" }),
      "image-bad-data-url": () =>
        new HumanMessage({ content: [{ type: "image_url", image_url: { url: "data:image/png,notbase64" } } as never] }),
      "video-in-tool-result-text": () =>
        new HumanMessage({ content: [{ type: "image", source: { type: "url", url: "https://x" } } as never] }),
    };
    out.splice(at, 0, bad[invalid]());
  }
  return { messages: out, usesTools };
}

const LOOKUP = { name: "lookup", description: "Look something up", schema: { type: "object", properties: { q: { type: "string" } } } };

describe("histories: accepted by the emulator, or a typed error before any request", () => {
  test(`${RUNS.history} random histories`, DEADLINE, async () => {
    const llm = model(emu, { maxRetries: 0 });
    const withTools = llm.bindTools([LOOKUP]);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.array(humanRecipe, { minLength: 1, maxLength: 4 }), words),
        fc.array(turn, { maxLength: 6 }),
        // One history in four carries one block we refuse.
        fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...INVALID) }),
        fc.nat(8),
        async (first, turns, invalid, invalidAt) => {
          emu.reset();
          const { messages, usesTools } = build(first, turns, invalid ?? undefined, invalidAt);
          const runnable = usesTools ? withTools : llm;
          let error: unknown;
          try {
            await runnable.invoke(messages);
          } catch (e) {
            error = e;
          }
          counts.history++;
          if (invalid) {
            assert.ok(error instanceof BedrockInputError, `${invalid}: expected a BedrockInputError, got ${String(error)}`);
            assert.equal(runtimeRequests(emu).length, 0, "no request was sent");
            counts.rejected++;
          } else if (error !== undefined) {
            // Our typed error before any request is the only other acceptable outcome.
            assert.ok(error instanceof BedrockConverseError, `not a typed error: ${String(error)}`);
            assert.equal(runtimeRequests(emu).length, 0, `the request was sent and refused: ${(error as Error).message}`);
            counts.rejected++;
          } else {
            const reqs = runtimeRequests(emu);
            assert.equal(reqs.length, 1);
            assert.equal(reqs[0].status, 200);
            counts.accepted++;
          }
        },
      ),
      opts(RUNS.history),
    );
  });
});

// ------------------------------------------------------------------ 2. round trip

const nonBlank = fc.string({ minLength: 1, maxLength: 40, unit: "grapheme" }).filter((s) => s.trim() !== "");
const jsonObject = fc
  .dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
  .map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>);
const toolName = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,15}$/);
const toolId = fc.stringMatching(/^[A-Za-z0-9_-]{6,22}$/).map((s) => `tooluse_${s}`);

const outputBlock: fc.Arbitrary<ContentBlock> = fc.oneof(
  nonBlank.map((text) => ({ text }) as ContentBlock),
  fc
    .tuple(
      fc.string({ maxLength: 40 }),
      fc.base64String({ minLength: 4, maxLength: 60 }).filter((s) => s.length > 0),
    )
    .map(([text, signature]) => ({ reasoningContent: { reasoningText: { text, signature } } }) as ContentBlock),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bytes) => ({ reasoningContent: { redactedContent: bytes } }) as ContentBlock),
  fc.tuple(toolId, toolName, jsonObject).map(([toolUseId, name, input]) => ({ toolUse: { toolUseId, name, input } }) as ContentBlock),
  fc.tuple(nonBlank, nonBlank, fc.nat(100), fc.nat(100)).map(
    ([text, title, start, len]) =>
      ({
        citationsContent: {
          content: [{ text }],
          citations: [
            { title, sourceContent: [{ text: title }], location: { documentChar: { documentIndex: 0, start, end: start + len } } },
          ],
        },
      }) as unknown as ContentBlock,
  ),
);

/** Uint8Array and Buffer compare by bytes. */
function normalize(v: unknown): unknown {
  return JSON.parse(
    JSON.stringify(v, (_k, x) =>
      x instanceof Uint8Array || (x && x.type === "Buffer" && Array.isArray(x.data))
        ? { bytes: Buffer.from(x instanceof Uint8Array ? x : x.data).toString("base64") }
        : x,
    ),
  );
}

describe("an AI message converted to Bedrock and back is lossless", () => {
  test(`${RUNS.roundTrip} random Converse replies`, DEADLINE, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(outputBlock, { minLength: 1, maxLength: 6 })
          .filter(
            (blocks) =>
              new Set(blocks.flatMap((b) => (b.toolUse ? [b.toolUse.toolUseId] : []))).size === blocks.filter((b) => b.toolUse).length,
          ),
        async (blocks) => {
          const output = {
            output: { message: { role: "assistant", content: blocks } },
            stopReason: blocks.some((b) => b.toolUse) ? "tool_use" : "end_turn",
            usage: { inputTokens: 3, outputTokens: 5, totalTokens: 8 },
            metrics: { latencyMs: 12 },
            $metadata: { httpStatusCode: 200, requestId: "11111111-2222-3333-4444-555555555555", attempts: 1 },
          } as unknown as ConverseCommandOutput;
          const ai = converseResponseToMessage(output, { modelName: "anthropic.claude-3-haiku-20240307-v1:0" });
          const warnings: string[] = [];
          // Every tool call answered, as Bedrock requires (an unanswered one gets an error result and a warning).
          const results = (ai.tool_calls ?? []).map((c) => new ToolMessage({ content: "done", tool_call_id: c.id! }));
          const { messages } = convertMessagesToConverse([new HumanMessage("q"), ai, ...results, new HumanMessage("next")], {
            hasToolConfig: true,
            warn: (w) => warnings.push(w),
          });
          assert.equal(messages.length, 3);
          assert.deepEqual(normalize(messages[1].content), normalize(blocks));
          assert.deepEqual(warnings, []);
          // The message survives LangChain's own serialization too (what checkpointers store).
          const loaded = await load<AIMessage>(JSON.stringify(ai));
          const again = convertMessagesToConverse([new HumanMessage("q"), loaded, ...results, new HumanMessage("next")], {
            hasToolConfig: true,
            warn: () => {},
          });
          assert.deepEqual(normalize(again.messages[1].content), normalize(blocks));
          counts.roundTrip++;
        },
      ),
      opts(RUNS.roundTrip),
    );
  });
});

// ------------------------------------------------------------------ 3. stream vs invoke

const scriptBlock = fc.oneof(
  { weight: 3, arbitrary: fc.array(word, { minLength: 1, maxLength: 25 }).map((w) => ({ text: w.join(" ") })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.array(word, { minLength: 1, maxLength: 15 }), fc.base64String({ minLength: 8, maxLength: 40 }))
      .map(([w, signature]) => ({ reasoningContent: { reasoningText: { text: w.join(" "), signature } } })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(toolName, jsonObject, fc.nat(1_000_000))
      .map(([name, input, n]) => ({ toolUse: { toolUseId: `tooluse_${n}`, name, input } })),
  },
);

/** The comparable parts of a reply: text and reasoning per block, tool calls, usage, stop reason. */
function essence(msg: AIMessage | AIMessageChunk) {
  const blocks = (msg.content as Array<Record<string, any>>).flatMap((b): Array<Record<string, unknown>> => {
    if (b.type === "text") return [{ text: b.text }];
    if (b.type === "reasoning_content") return [{ reasoning: b.reasoning_content.text ?? "", signature: b.reasoning_content.signature }];
    return [];
  });
  return {
    blocks,
    toolCalls: (msg.tool_calls ?? []).map((c) => ({ id: c.id, name: c.name, args: c.args })),
    usage: { input: msg.usage_metadata?.input_tokens, output: msg.usage_metadata?.output_tokens, total: msg.usage_metadata?.total_tokens },
    stopReason: (msg.response_metadata as Record<string, unknown>).stopReason,
  };
}

describe("stream chunks concatenate to the invoke result", () => {
  test(`${RUNS.stream} random scripted replies`, DEADLINE, async () => {
    const llm = model(emu, { maxRetries: 0 });
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(scriptBlock, { minLength: 1, maxLength: 5 })
          .filter(
            (b) => new Set(b.flatMap((x) => ("toolUse" in x ? [x.toolUse.toolUseId] : []))).size === b.filter((x) => "toolUse" in x).length,
          ),
        fc.integer({ min: 1, max: 4 }),
        async (content, chunkSize) => {
          emu.reset();
          const reply = { output: { message: { content } }, chunkSize } as unknown as ScriptReply;
          emu.setScript([reply, reply]);
          const invoked = await llm.invoke("hello");
          let full: AIMessageChunk | undefined;
          for await (const c of await llm.stream("hello")) full = full ? full.concat(c) : c;
          assert.ok(full);
          const a = essence(invoked);
          const b = essence(full);
          // Stream blocks are merged per index by LangChain; text and reasoning are concatenated.
          assert.deepEqual(b, a);
          assert.equal(a.blocks.length, content.filter((x) => !("toolUse" in x)).length);
          counts.stream++;
        },
      ),
      opts(RUNS.stream),
    );
  });
});
