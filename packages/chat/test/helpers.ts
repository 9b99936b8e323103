// Shared set-up for tests over HTTP: one emulator on 127.0.0.1 (port 0) and models pointed at it.
import { startEmulator, type Emulator, type EmulatorOptions, type LoggedRequest } from "bedrock-runtime-emulator";
import type { AIMessageChunk } from "@langchain/core/messages";
import { ChatBedrockConverse, type ChatBedrockConverseInput } from "langchain-bedrock-converse";

export const MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
export const FAKE_KEY_ID = "AKIDTESTFAKEKEY00001";
export const FAKE_SECRET = "fake-secret-Zm9vYmFyYmF6cXV4";

export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ port: 0, host: "127.0.0.1", ...options });
}

export function model(emu: Emulator, fields: ChatBedrockConverseInput = {}): ChatBedrockConverse {
  return new ChatBedrockConverse({
    model: MODEL,
    endpointUrl: emu.url,
    region: "us-east-1",
    awsAccessKeyId: FAKE_KEY_ID,
    awsSecretAccessKey: FAKE_SECRET,
    ...fields,
  });
}

/** The runtime requests (Converse, ConverseStream, CountTokens) the emulator received, in order. */
export function runtimeRequests(emu: Emulator): LoggedRequest[] {
  return emu.requests().filter((r) => r.operation === "converse" || r.operation === "converse-stream" || r.operation === "count-tokens");
}

export function lastBody(emu: Emulator): Record<string, unknown> {
  const reqs = runtimeRequests(emu);
  const last = reqs[reqs.length - 1];
  if (!last) throw new Error("the emulator received no runtime request");
  return last.body as Record<string, unknown>;
}

/** Runs fn with the given env vars set, restoring them afterwards. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T> | T): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export const translation = {
  match: "I love programming.",
  output: { message: { role: "assistant" as const, content: [{ text: "J'aime la programmation." }] } },
  stopReason: "end_turn",
  usage: { inputTokens: 25, outputTokens: 11, totalTokens: 36 },
  chunkSize: 1,
};

export const translateMessages: [string, string][] = [
  ["system", "You are a helpful translator. Translate the user sentence to French."],
  ["human", "I love programming."],
];

/** Collects process warnings emitted while fn runs (they are delivered on the next tick). */
export async function collectWarnings(fn: () => Promise<unknown>): Promise<string[]> {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on("warning", onWarning);
  try {
    await fn();
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off("warning", onWarning);
  }
  return warnings;
}

/** Drains a stream, keeping every chunk and their concatenation. */
export async function collect(stream: AsyncIterable<AIMessageChunk>): Promise<{ chunks: AIMessageChunk[]; full: AIMessageChunk }> {
  const chunks: AIMessageChunk[] = [];
  let full: AIMessageChunk | undefined;
  for await (const c of stream) {
    chunks.push(c);
    full = full ? full.concat(c) : c;
  }
  if (!full) throw new Error("the stream yielded no chunk");
  return { chunks, full };
}
