// Model ids over real HTTP: ids newer than the catalog work through the AWS SDK in every form,
// ids naming no provider get the service's error, and --strict-models / --strict-signatures (the
// option and the CLI flag) restore the exact catalog and the strict signature check.
import {
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  ValidationException,
  type ContentBlock,
} from "@aws-sdk/client-bedrock-runtime";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { startEmulator, type Emulator } from "../src/index.js";
import { client, collect, TIMEOUT, userMessage } from "./helpers.js";

const ACCOUNT = "123456789012";
const NEW_IDS = [
  "us.anthropic.claude-sonnet-5",
  "anthropic.claude-sonnet-4-6",
  "global.anthropic.claude-opus-4-6-v1",
  `arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-5`,
  `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/eu.anthropic.claude-sonnet-5`,
  `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/q1w2e3r4t5y6`, // registered below
  "apac.amazon.nova-2-pro-v1:0",
  "mistral.magistral-small-2509-v1:0",
];
const FOREIGN_SIGNATURE = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 53 + 7) % 256)).toString("base64");
const replayedHistory = (signature: string) => [
  { role: "user" as const, content: [{ text: "Think, then answer." }] },
  {
    role: "assistant" as const,
    content: [
      { reasoningContent: { reasoningText: { text: "Recorded thoughts.", signature } } },
      { text: "Recorded answer." },
    ] as ContentBlock[],
  },
  { role: "user" as const, content: [{ text: "And now?" }] },
];
const THINKING = { thinking: { type: "enabled", budget_tokens: 1024 } };

async function rejection(p: Promise<unknown>): Promise<ValidationException> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ValidationException, String(e));
    assert.equal(e.$metadata.httpStatusCode, 400);
    return e;
  }
  assert.fail("expected a ValidationException");
}

describe("model ids over HTTP (default: every id of a known provider)", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0 });
    emu.addInferenceProfile(`arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/q1w2e3r4t5y6`, {
      modelId: "us.anthropic.claude-sonnet-5",
    });
  });
  after(async () => {
    await emu.close();
  });

  test("new ids answer Converse and ConverseStream", TIMEOUT, async () => {
    const c = client(emu.url);
    try {
      for (const modelId of NEW_IDS) {
        const out = await c.send(new ConverseCommand({ modelId, messages: userMessage("Say hello.") }));
        assert.equal(out.stopReason, "end_turn", modelId);
        assert.equal(typeof out.output?.message?.content?.[0]?.text, "string", modelId);
        const events = await collect((await c.send(new ConverseStreamCommand({ modelId, messages: userMessage("Say hello.") }))).stream);
        assert.ok(
          events.some((e) => "messageStop" in e),
          modelId,
        );
      }
      const counted = await c.send(
        new CountTokensCommand({ modelId: "anthropic.claude-sonnet-5", input: { converse: { messages: userMessage("Hello there.") } } }),
      );
      assert.ok((counted.inputTokens ?? 0) > 0);
    } finally {
      c.destroy();
    }
  });

  test("an id naming no known provider is invalid", TIMEOUT, async () => {
    const c = client(emu.url);
    try {
      const e = await rejection(c.send(new ConverseCommand({ modelId: "acme.super-model-v1:0", messages: userMessage("hi") })));
      assert.equal(e.message, "The provided model identifier is invalid.");
    } finally {
      c.destroy();
    }
  });

  test("a reasoning block signed by the real service replays", TIMEOUT, async () => {
    const c = client(emu.url);
    try {
      const out = await c.send(
        new ConverseCommand({
          modelId: "us.anthropic.claude-sonnet-4-20250514-v1:0",
          messages: replayedHistory(FOREIGN_SIGNATURE),
          inferenceConfig: { maxTokens: 2048 },
          additionalModelRequestFields: THINKING,
        }),
      );
      assert.equal(out.stopReason, "end_turn");
    } finally {
      c.destroy();
    }
  });
});

describe("strict modes (options)", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0, strictModels: true, strictSignatures: true });
  });
  after(async () => {
    await emu.close();
  });

  test("strictModels: only the catalog", TIMEOUT, async () => {
    const c = client(emu.url);
    try {
      const e = await rejection(c.send(new ConverseCommand({ modelId: "us.anthropic.claude-sonnet-5", messages: userMessage("hi") })));
      assert.equal(e.message, "The provided model identifier is invalid.");
      const ok = await c.send(
        new ConverseCommand({ modelId: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages: userMessage("hi") }),
      );
      assert.equal(ok.stopReason, "end_turn");
    } finally {
      c.destroy();
    }
  });

  test("strictSignatures: a foreign signature is refused", TIMEOUT, async () => {
    const c = client(emu.url);
    try {
      const e = await rejection(
        c.send(
          new ConverseCommand({
            modelId: "us.anthropic.claude-sonnet-4-20250514-v1:0",
            messages: replayedHistory(FOREIGN_SIGNATURE),
            inferenceConfig: { maxTokens: 2048 },
            additionalModelRequestFields: THINKING,
          }),
        ),
      );
      assert.equal(e.message, "The model returned the following errors: messages.1.content.0: Invalid `signature` in `thinking` block");
    } finally {
      c.destroy();
    }
  });
});

test("CLI: --strict-models and --strict-signatures", TIMEOUT, async () => {
  const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", cli, "--port", "0", "--quiet", "--strict-models", "--strict-signatures"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buffer = "";
      child.stdout.on("data", (chunk: Buffer) => {
        buffer += chunk.toString("utf8");
        const m = /listening on (http:\/\/\S+)\n/.exec(buffer);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`CLI exited with ${code}`)));
    });
    const c = client(url);
    try {
      const e = await rejection(c.send(new ConverseCommand({ modelId: "anthropic.claude-sonnet-4-6", messages: userMessage("hi") })));
      assert.equal(e.message, "The provided model identifier is invalid.");
      const s = await rejection(
        c.send(
          new ConverseCommand({
            modelId: "us.anthropic.claude-sonnet-4-20250514-v1:0",
            messages: replayedHistory(FOREIGN_SIGNATURE),
            inferenceConfig: { maxTokens: 2048 },
            additionalModelRequestFields: THINKING,
          }),
        ),
      );
      assert.match(s.message, /Invalid `signature` in `thinking` block/);
    } finally {
      c.destroy();
    }
  } finally {
    child.kill("SIGTERM");
  }
});
