// The work every client is given, in each client's own vocabulary (LangChain messages, Converse
// JSON, AI SDK model messages), and the precomputed wire answers both transports send back.
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import type { Message as ConverseMessage, Tool } from "@aws-sdk/client-bedrock-runtime";
import { z } from "zod";

export const MODEL_ID = "anthropic.claude-3-5-haiku-20241022-v1:0";
export const REGION = "us-east-1";
export const FAKE_CREDENTIALS = { accessKeyId: "AKIDBENCHFAKE0000000", secretAccessKey: "bench-fake-secret-key-0000000000000000000" };

export const SHORT_REPLY = "Hello! How can I help you today?";
export const PROMPT = "Say hello.";

// --- wire answers ---------------------------------------------------------------------------

const usage = { inputTokens: 12, outputTokens: 9, totalTokens: 21 };

function converseBody(content: unknown[], stopReason: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      output: { message: { role: "assistant", content } },
      stopReason,
      usage,
      metrics: { latencyMs: 42 },
    }),
  );
}

/** Converse answer: one short text block. */
export const SHORT_BODY = converseBody([{ text: SHORT_REPLY }], "end_turn");

const codec = new EventStreamCodec(toUtf8, fromUtf8);
function frame(eventType: string, payload: unknown): Buffer {
  const bytes = codec.encode({
    headers: {
      ":event-type": { type: "string", value: eventType },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The ConverseStream frames of a reply of `deltas` text deltas, one Buffer per event. */
export function streamFrames(deltas: number): Buffer[] {
  const frames = [frame("messageStart", { role: "assistant", p: "abcdefgh" })];
  for (let i = 0; i < deltas; i++) {
    frames.push(frame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: i === 0 ? "Hello" : " word" }, p: "abcd" }));
  }
  frames.push(frame("contentBlockStop", { contentBlockIndex: 0, p: "abcdefghij" }));
  frames.push(frame("messageStop", { stopReason: "end_turn", p: "abcdefghijklm" }));
  frames.push(
    frame("metadata", { usage: { inputTokens: 12, outputTokens: deltas, totalTokens: 12 + deltas }, metrics: { latencyMs: 42 }, p: "ab" }),
  );
  return frames;
}

/**
 * The two ConverseStream replies of one agent turn: a short text and a get_weather tool call (its
 * input in `argDeltas` pieces), then a text answer of `textDeltas` deltas.
 */
export function agentTurnFrames(argDeltas = 4, textDeltas = 20): Buffer[][] {
  const call = [frame("messageStart", { role: "assistant" })];
  call.push(frame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Let me check." } }));
  call.push(frame("contentBlockStop", { contentBlockIndex: 0 }));
  call.push(
    frame("contentBlockStart", { contentBlockIndex: 1, start: { toolUse: { toolUseId: "tooluse_agent0001", name: HISTORY_TOOL_NAME } } }),
  );
  const args = JSON.stringify({ city: "Paris" });
  const step = Math.ceil(args.length / argDeltas);
  for (let i = 0; i < args.length; i += step)
    call.push(frame("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: args.slice(i, i + step) } } }));
  call.push(frame("contentBlockStop", { contentBlockIndex: 1 }));
  call.push(frame("messageStop", { stopReason: "tool_use" }));
  call.push(frame("metadata", { usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 }, metrics: { latencyMs: 42 } }));
  const answer = streamFrames(textDeltas);
  return [call, answer];
}

// --- structured output: 20 fields -------------------------------------------------------------

export const STRUCTURED_NAME = "Record";
const fieldNames = Array.from({ length: 20 }, (_, i) => `field${String(i + 1).padStart(2, "0")}`);

/** A 20-field zod object: strings, numbers, booleans, an enum and an array. */
export const recordSchema = z
  .object(
    Object.fromEntries(
      fieldNames.map((name, i) => {
        const kind = i % 5;
        const t =
          kind === 0
            ? z.string()
            : kind === 1
              ? z.number()
              : kind === 2
                ? z.boolean()
                : kind === 3
                  ? z.enum(["low", "mid", "high"])
                  : z.array(z.string());
        return [name, t.describe(`Value number ${i + 1}`)];
      }),
    ),
  )
  .describe("A record with twenty fields");

export const STRUCTURED_VALUE: Record<string, unknown> = Object.fromEntries(
  fieldNames.map((name, i) => {
    const kind = i % 5;
    return [name, kind === 0 ? `text ${i}` : kind === 1 ? i * 1.5 : kind === 2 ? i % 2 === 0 : kind === 3 ? "mid" : ["a", "b", "c"]];
  }),
);

/** The JSON schema the raw SDK sends (what a hand-written request would carry). */
export const STRUCTURED_TOOL: Tool = {
  toolSpec: {
    name: STRUCTURED_NAME,
    description: "A record with twenty fields",
    inputSchema: { json: z.toJSONSchema(recordSchema) as never },
  },
};

/** Converse answer of the structured case: one toolUse named `toolName` with the 20 fields. */
export function structuredBody(toolName: string): Buffer {
  return converseBody([{ toolUse: { toolUseId: "tooluse_bench0001", name: toolName, input: STRUCTURED_VALUE } }], "tool_use");
}

// --- a long history with tool calls and results -----------------------------------------------

export const HISTORY_TOOL_NAME = "get_weather";
export const historyToolSchema = z.object({ city: z.string().describe("City name") }).describe("Current weather for a city");
export const HISTORY_TOOL: Tool = {
  toolSpec: {
    name: HISTORY_TOOL_NAME,
    description: "Current weather for a city",
    inputSchema: { json: z.toJSONSchema(historyToolSchema) as never },
  },
};
export const SYSTEM_PROMPT = "You are a concise weather assistant.";

type Turn =
  | { kind: "human"; text: string }
  | { kind: "call"; text: string; id: string; city: string }
  | { kind: "result"; id: string; text: string }
  | { kind: "ai"; text: string };

/** `n` turns cycling human → AI with a tool call → tool result → AI text, ending on a human turn. */
function turns(n: number): Turn[] {
  const out: Turn[] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor(i / 4);
    const id = `tooluse_${String(k).padStart(6, "0")}`;
    const city = `City ${k}`;
    switch (i % 4) {
      case 0:
        out.push({ kind: "human", text: `What is the weather in ${city} today? Please answer briefly (${k}).` });
        break;
      case 1:
        out.push({ kind: "call", text: "Let me check.", id, city });
        break;
      case 2:
        out.push({ kind: "result", id, text: `{"city":"${city}","tempC":${k % 35},"sky":"clear"}` });
        break;
      default:
        out.push({ kind: "ai", text: `It is ${k % 35} degrees and clear in ${city}.` });
    }
  }
  if (n > 0) out[n - 1] = { kind: "human", text: "And tomorrow?" };
  return out;
}

export interface History {
  /** LangChain messages, system first. */
  langchain: BaseMessage[];
  /** The Converse request a hand-written caller would send (consecutive same-role turns merged). */
  converse: { messages: ConverseMessage[]; system: { text: string }[] };
  /** AI SDK model messages (the system prompt goes in generateText's `system`). */
  aiSdk: unknown[];
}

export function buildHistory(n: number): History {
  const ts = turns(n);
  const langchain: BaseMessage[] = [new SystemMessage(SYSTEM_PROMPT)];
  const aiSdk: unknown[] = [];
  const converse: ConverseMessage[] = [];
  const push = (role: "user" | "assistant", blocks: ConverseMessage["content"] & unknown[]) => {
    const last = converse[converse.length - 1];
    if (last && last.role === role) last.content!.push(...blocks);
    else converse.push({ role, content: [...blocks] });
  };
  for (const t of ts) {
    if (t.kind === "human") {
      langchain.push(new HumanMessage(t.text));
      aiSdk.push({ role: "user", content: t.text });
      push("user", [{ text: t.text }]);
    } else if (t.kind === "call") {
      langchain.push(
        new AIMessage({ content: t.text, tool_calls: [{ id: t.id, name: HISTORY_TOOL_NAME, args: { city: t.city }, type: "tool_call" }] }),
      );
      aiSdk.push({
        role: "assistant",
        content: [
          { type: "text", text: t.text },
          { type: "tool-call", toolCallId: t.id, toolName: HISTORY_TOOL_NAME, input: { city: t.city } },
        ],
      });
      push("assistant", [{ text: t.text }, { toolUse: { toolUseId: t.id, name: HISTORY_TOOL_NAME, input: { city: t.city } } }]);
    } else if (t.kind === "result") {
      langchain.push(new ToolMessage({ content: t.text, tool_call_id: t.id }));
      aiSdk.push({
        role: "tool",
        content: [{ type: "tool-result", toolCallId: t.id, toolName: HISTORY_TOOL_NAME, output: { type: "text", value: t.text } }],
      });
      push("user", [{ toolResult: { toolUseId: t.id, content: [{ text: t.text }], status: "success" } }]);
    } else {
      langchain.push(new AIMessage(t.text));
      aiSdk.push({ role: "assistant", content: t.text });
      push("assistant", [{ text: t.text }]);
    }
  }
  return { langchain, converse: { messages: converse, system: [{ text: SYSTEM_PROMPT }] }, aiSdk };
}
