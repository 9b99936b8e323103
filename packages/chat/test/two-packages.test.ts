// Two Bedrock packages side by side. Both stamp their messages `model_provider: "bedrock-converse"`,
// the key of core's block translator; importing ours wraps that translator and delegates the shapes it
// does not know. With @langchain/aws loaded too, in either order, each package's messages must give
// the contentBlocks they give alone. Each order runs in a fresh process (the registry is global).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Emulator, ScriptReply } from "bedrock-runtime-emulator";
import { emulator } from "./helpers.js";

const child = fileURLToPath(new URL("./two-packages/child.ts", import.meta.url));

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});

const reply: ScriptReply = {
  output: {
    message: {
      content: [
        { reasoningContent: { reasoningText: { text: "The user wants the weather.", signature: "c2lnbmF0dXJl" } } },
        { text: "Let me check." },
        { toolUse: { toolUseId: "tooluse_paris0001", name: "get_weather", input: { city: "Paris" } } },
      ],
    },
  },
  chunkSize: 2,
};

type Blocks = Record<string, { invoke: Record<string, unknown>[]; stream: Record<string, unknown>[] }>;

function run(order: string, calls: number): Promise<Blocks> {
  emu.reset();
  emu.setScript(Array.from({ length: calls }, () => reply));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--conditions=source", "--import", "tsx", child, order, emu.url],
      { timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${order}: ${err.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split("\n").pop()!) as Blocks);
      },
    );
  });
}

/** Blocks without the stream's `index` keys (the comparison is per package, so they match anyway). */
const types = (blocks: Record<string, unknown>[]) => blocks.map((b) => b.type);

describe("@langchain/aws and langchain-bedrock-converse loaded together", () => {
  test("either order: each package's contentBlocks are the ones it gives alone", async () => {
    // One after the other: the emulator's scripted replies are one queue.
    const awsOnly = await run("aws-only", 2);
    const oursOnly = await run("ours-only", 2);
    const awsFirst = await run("aws-first", 4);
    const oursFirst = await run("ours-first", 4);
    // @langchain/aws keeps an invoke reply's tool calls in `tool_calls` only, and core's translator
    // alone never turns `tool_calls` into blocks: its contentBlocks miss the call. The wrapper appends
    // the message's tool calls, as core does for a message without a translator; nothing else changes.
    const awsInvokeFixed = [
      ...awsOnly.aws!.invoke,
      { type: "tool_call", id: "tooluse_paris0001", name: "get_weather", args: { city: "Paris" } },
    ];
    assert.ok(!types(awsOnly.aws!.invoke).includes("tool_call"), "core alone drops @langchain/aws's invoke tool call");
    for (const [label, both] of [
      ["aws first", awsFirst],
      ["ours first", oursFirst],
    ] as const) {
      assert.deepEqual(both.aws!.stream, awsOnly.aws!.stream, `${label}: @langchain/aws stream`);
      assert.deepEqual(both.aws!.invoke, awsInvokeFixed, `${label}: @langchain/aws invoke`);
      assert.deepEqual(both.ours, oursOnly.ours, `${label}: our messages`);
    }
    // Ours alone: reasoning, text and the tool call in LangChain's standard form, invoke and stream.
    assert.deepEqual(oursOnly.ours!.invoke, [
      { type: "reasoning", reasoning: "The user wants the weather.", signature: "c2lnbmF0dXJl" },
      { type: "text", text: "Let me check." },
      { type: "tool_call", id: "tooluse_paris0001", name: "get_weather", args: { city: "Paris" } },
    ]);
    assert.deepEqual(types(oursOnly.ours!.stream), ["reasoning", "text", "tool_call"]);
    // @langchain/aws's own shapes are delegated to core's translator: its reasoning and text survive.
    assert.deepEqual(types(awsFirst.aws!.invoke), ["reasoning", "text", "tool_call"]);
    assert.deepEqual(types(awsFirst.aws!.stream).slice(0, 2), ["reasoning", "text"]);
  });
});
