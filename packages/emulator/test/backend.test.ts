// --backend openai: Converse and ConverseStream answered by an OpenAI-compatible server (the fake
// one beside this file), through the real AWS SDK and @langchain/aws.
import {
  ConverseCommand,
  ConverseStreamCommand,
  ModelStreamErrorException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { ChatBedrockConverse } from "@langchain/aws";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { after, before, beforeEach, describe, test } from "node:test";
import { startEmulator, type Emulator } from "bedrock-runtime-emulator";
import { backendOptionsFromArgs } from "../src/backend/cli-options.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fake-openai-server.js";
import { client, collect, kinds, MODEL, TIMEOUT, userMessage } from "./helpers.js";

const NOVA = "amazon.nova-lite-v1:0";

describe("a local model behind Converse", () => {
  let fake: FakeOpenAI;
  let emu: Emulator;
  before(async () => {
    fake = await startFakeOpenAI();
    emu = await startEmulator({ backend: { type: "openai", url: fake.url, model: "default-model", modelMap: "anthropic.*=qwen2.5:7b" } });
  });
  after(async () => {
    await emu.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  test("Converse: the backend's text, stop reason and usage; the model map picks the backend model", TIMEOUT, async () => {
    fake.push({ content: "Hello from qwen.", usage: { prompt_tokens: 20, completion_tokens: 4 } });
    const c = client(emu.url);
    try {
      const out = await c.send(
        new ConverseCommand({
          modelId: MODEL,
          system: [{ text: "Be nice." }],
          messages: userMessage("Hi"),
          inferenceConfig: { maxTokens: 64, temperature: 0 },
        }),
      );
      assert.deepEqual(out.output?.message?.content, [{ text: "Hello from qwen." }]);
      assert.equal(out.stopReason, "end_turn");
      assert.deepEqual(out.usage, { inputTokens: 20, outputTokens: 4, totalTokens: 24 });
      assert.equal(typeof out.metrics?.latencyMs, "number");
      assert.deepEqual(fake.requests[0], {
        model: "qwen2.5:7b",
        messages: [
          { role: "system", content: "Be nice." },
          { role: "user", content: "Hi" },
        ],
        max_tokens: 64,
        temperature: 0,
      });
      await c.send(new ConverseCommand({ modelId: NOVA, messages: userMessage("Hi") }));
      assert.equal(fake.requests[1].model, "default-model");
    } finally {
      c.destroy();
    }
  });

  test("ConverseStream: reasoning and text deltas, then messageStop and metadata with usage", TIMEOUT, async () => {
    fake.push({
      reasoning: "The user greets me.",
      content: "Hi there, nice to meet you!",
      usage: { prompt_tokens: 9, completion_tokens: 12 },
    });
    const c = client(emu.url, "http1");
    try {
      const events = await collect((await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("Hello") }))).stream);
      const deltas = (i: number, key: "text" | "reasoningContent") =>
        events
          .filter((e) => e.contentBlockDelta?.contentBlockIndex === i)
          .map((e) => (key === "text" ? e.contentBlockDelta!.delta!.text : e.contentBlockDelta!.delta!.reasoningContent!.text))
          .join("");
      assert.equal(kinds(events)[0], "messageStart");
      assert.equal(deltas(0, "reasoningContent"), "The user greets me.");
      assert.equal(deltas(1, "text"), "Hi there, nice to meet you!");
      assert.deepEqual(
        events.filter((e) => e.contentBlockStop).map((e) => e.contentBlockStop!.contentBlockIndex),
        [0, 1],
      );
      assert.deepEqual(kinds(events).slice(-2), ["messageStop", "metadata"]);
      assert.equal(events.at(-2)!.messageStop!.stopReason, "end_turn");
      assert.deepEqual(events.at(-1)!.metadata!.usage, { inputTokens: 9, outputTokens: 12, totalTokens: 21 });
      assert.deepEqual(fake.requests[0].stream_options, { include_usage: true });
    } finally {
      c.destroy();
    }
  });

  test("ConverseStream: tool calls whose arguments arrive split across chunks become toolUse blocks", TIMEOUT, async () => {
    fake.push({
      content: "Let me look.",
      toolCalls: [
        { id: "call_w", name: "GetWeather", arguments: '{"city":"San Francisco","unit":"celsius"}' },
        { id: "call_t", name: "GetTime", arguments: '{"zone":"PST"}' },
      ],
    });
    const c = client(emu.url);
    const tools = ["GetWeather", "GetTime"].map((name) => ({ toolSpec: { name, inputSchema: { json: { type: "object" } } } }));
    try {
      const events: ConverseStreamOutput[] = await collect(
        (
          await c.send(
            new ConverseStreamCommand({
              modelId: MODEL,
              messages: userMessage("Weather and time in SF?"),
              toolConfig: { tools, toolChoice: { auto: {} } },
            }),
          )
        ).stream,
      );
      const starts = events
        .filter((e) => e.contentBlockStart)
        .map((e) => [e.contentBlockStart!.contentBlockIndex, e.contentBlockStart!.start!.toolUse]);
      assert.deepEqual(starts, [
        [1, { toolUseId: "call_w", name: "GetWeather" }],
        [2, { toolUseId: "call_t", name: "GetTime" }],
      ]);
      const input = (i: number) =>
        JSON.parse(
          events
            .filter((e) => e.contentBlockDelta?.contentBlockIndex === i)
            .map((e) => e.contentBlockDelta!.delta!.toolUse!.input)
            .join(""),
        );
      assert.deepEqual(input(1), { city: "San Francisco", unit: "celsius" });
      assert.deepEqual(input(2), { zone: "PST" });
      assert.ok(events.filter((e) => e.contentBlockDelta?.contentBlockIndex === 1).length > 3, "arguments came in several deltas");
      assert.equal(events.find((e) => e.messageStop)!.messageStop!.stopReason, "tool_use");
      assert.deepEqual(
        fake.requests[0].tools,
        tools.map((t) => ({ type: "function", function: { name: t.toolSpec.name, parameters: { type: "object" } } })),
      );
      assert.equal(fake.requests[0].tool_choice, "auto");
    } finally {
      c.destroy();
    }
  });

  test("Converse: a tool round trip; finish reasons length and content_filter", TIMEOUT, async () => {
    const c = client(emu.url);
    try {
      fake.push({ toolCalls: [{ id: "call_1", name: "Add", arguments: '{"a":2,"b":3}' }] });
      const tools = [{ toolSpec: { name: "Add", inputSchema: { json: { type: "object" } } } }];
      const first = await c.send(
        new ConverseCommand({
          modelId: MODEL,
          messages: userMessage("2+3?"),
          toolConfig: { tools, toolChoice: { tool: { name: "Add" } } },
        }),
      );
      assert.equal(first.stopReason, "tool_use");
      assert.deepEqual(first.output?.message?.content, [{ toolUse: { toolUseId: "call_1", name: "Add", input: { a: 2, b: 3 } } }]);
      fake.push({ content: "5", finish: "length" });
      const second = await c.send(
        new ConverseCommand({
          modelId: MODEL,
          toolConfig: { tools },
          messages: [
            ...userMessage("2+3?"),
            first.output!.message!,
            { role: "user", content: [{ toolResult: { toolUseId: "call_1", content: [{ json: { sum: 5 } }] } }] },
          ],
        }),
      );
      assert.equal(second.stopReason, "max_tokens");
      assert.deepEqual((fake.requests[1].messages as unknown[]).slice(1), [
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "Add", arguments: '{"a":2,"b":3}' } }],
        },
        { role: "tool", tool_call_id: "call_1", content: '{"sum":5}' },
      ]);
      assert.deepEqual(fake.requests[0].tool_choice, { type: "function", function: { name: "Add" } });
      fake.push({ content: "", finish: "content_filter" });
      assert.equal((await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("x") }))).stopReason, "content_filtered");
    } finally {
      c.destroy();
    }
  });

  test("the emulator's validation runs first; unsupported content is refused before the backend sees it", TIMEOUT, async () => {
    const c = client(emu.url, "h2", { maxAttempts: 1 });
    try {
      const empty = await c.send(new ConverseCommand({ modelId: MODEL, messages: [] })).catch((e: Error) => e);
      assert.ok(empty instanceof ValidationException);
      const pdf = await c
        .send(
          new ConverseCommand({
            modelId: MODEL,
            messages: [
              {
                role: "user",
                content: [
                  { text: "read" },
                  { document: { name: "report", format: "pdf", source: { bytes: new Uint8Array([37, 80, 68, 70]) } } },
                ],
              },
            ],
          }),
        )
        .catch((e: Error) => e);
      assert.ok(pdf instanceof ValidationException);
      assert.equal(
        pdf.message,
        'The local model backend reads only text documents (txt, md, csv, html or a text source); document "report" is pdf.',
      );
      assert.equal(fake.requests.length, 0);
    } finally {
      c.destroy();
    }
  });

  test(
    "backend 429 -> ThrottlingException, 4xx -> ValidationException with its message, broken stream -> modelStreamErrorException",
    TIMEOUT,
    async () => {
      const c = client(emu.url, "h2", { maxAttempts: 1 });
      try {
        fake.push({ status: 429, errorMessage: "Rate limit reached for requests" });
        const throttled = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("x") })).catch((e: Error) => e);
        assert.ok(throttled instanceof ThrottlingException);
        assert.equal(throttled.message, "Rate limit reached for requests");
        fake.push({ status: 404, errorMessage: 'model "qwen2.5:7b" not found, try pulling it first' });
        const missing = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("x") })).catch((e: Error) => e);
        assert.ok(missing instanceof ValidationException);
        assert.equal(missing.message, 'model "qwen2.5:7b" not found, try pulling it first');
        fake.push({ content: "This answer will be cut off somewhere in the middle", cutAfterEvents: 4 });
        const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("x") }));
        const seen: string[] = [];
        const err = await (async () => {
          for await (const event of out.stream!) seen.push(kinds([event])[0]);
        })().catch((e: Error) => e);
        assert.ok(err instanceof ModelStreamErrorException, String(err));
        assert.deepEqual(seen.slice(0, 2), ["messageStart", "contentBlockDelta"]);
      } finally {
        c.destroy();
      }
    },
  );

  test("@langchain/aws streams a tool call from the local model", TIMEOUT, async () => {
    fake.push({ toolCalls: [{ id: "call_lc", name: "get_weather", arguments: '{"location":"Paris"}' }] });
    const sdk = client(emu.url);
    const model = new ChatBedrockConverse({ model: MODEL, region: "us-east-1", client: sdk, streaming: true });
    const bound = model.bindTools([
      { name: "get_weather", description: "Weather", schema: { type: "object", properties: { location: { type: "string" } } } },
    ]);
    let full: Awaited<ReturnType<typeof bound.invoke>> | undefined;
    try {
      for await (const chunk of await bound.stream("Weather in Paris?")) full = full ? (full.concat(chunk) as typeof full) : chunk;
    } finally {
      sdk.destroy();
    }
    assert.deepEqual(
      full?.tool_calls?.map((t) => [t.id, t.name, t.args]),
      [["call_lc", "get_weather", { location: "Paris" }]],
    );
  });
});

describe("backend failures and configuration", () => {
  test("a backend that is down -> ServiceUnavailableException; no model for an id -> ValidationException", TIMEOUT, async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const emu = await startEmulator({
      backend: { type: "openai", url: `http://127.0.0.1:${port}/v1`, modelMap: { "anthropic.*": "qwen" } },
    });
    const c = client(emu.url, "h2", { maxAttempts: 1 });
    try {
      const down = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("x") })).catch((e: Error) => e);
      assert.ok(down instanceof ServiceUnavailableException);
      assert.equal(down.message, `The local model backend at http://127.0.0.1:${port}/v1 is not reachable (ECONNREFUSED).`);
      const unmapped = await c.send(new ConverseCommand({ modelId: NOVA, messages: userMessage("x") })).catch((e: Error) => e);
      assert.ok(unmapped instanceof ValidationException);
      assert.match(
        unmapped.message,
        /^No backend model for amazon\.nova-lite-v1:0: add it to the backend model map or set a default backend model\.$/,
      );
    } finally {
      c.destroy();
      await emu.close();
    }
    await assert.rejects(startEmulator({ backend: { type: "openai", url: "http://x/v1" } }), /a backend needs a model/);
    await assert.rejects(
      startEmulator({ backend: { type: "openai", url: "not a url", model: "m" } }),
      /backend url must be an http\(s\) URL/,
    );
  });

  // Spawning the CLI through tsx takes seconds on a loaded machine: a longer timeout, one process.
  test("CLI: --backend openai answers from the server", { timeout: 90_000 }, async () => {
    const fake = await startFakeOpenAI();
    const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
    const child = spawn(
      process.execPath,
      [
        "--conditions=source",
        "--import",
        "tsx",
        CLI,
        "--port",
        "0",
        "--quiet",
        "--backend",
        "openai",
        "--backend-url",
        fake.url,
        "--backend-model",
        "llama3.2:3b",
      ],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (c: Buffer) => {
          const m = /listening on (\S+)/.exec(c.toString());
          if (m) resolve(m[1]);
        });
        child.on("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      const c = client(url);
      try {
        const out = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("ping") }));
        assert.deepEqual(out.output?.message?.content, [{ text: "You asked: ping" }]);
        assert.equal(fake.requests[0].model, "llama3.2:3b");
      } finally {
        c.destroy();
      }
    } finally {
      child.kill("SIGTERM");
      await fake.close();
    }
  });

  test("CLI flags: what is missing or stray is named", () => {
    assert.equal(
      backendOptionsFromArgs({ backend: "openai", "backend-model": "m" }),
      "--backend openai needs --backend-url, e.g. http://127.0.0.1:11434/v1",
    );
    assert.equal(
      backendOptionsFromArgs({ backend: "openai", "backend-url": "http://h/v1" }),
      "--backend openai needs --backend-model or --backend-model-map",
    );
    assert.equal(backendOptionsFromArgs({ backend: "ollama" }), "--backend must be openai, got ollama");
    assert.equal(backendOptionsFromArgs({ "backend-model": "m" }), "--backend-model needs --backend openai");
    assert.equal(
      backendOptionsFromArgs({ backend: "openai", "backend-url": "http://h/v1", "backend-model": "m", "backend-timeout": "0" }),
      "--backend-timeout must be a positive integer (milliseconds)",
    );
    assert.deepEqual(
      backendOptionsFromArgs({ backend: "openai", "backend-url": "http://h/v1", "backend-model-map": "a*=b", "backend-timeout": "5000" }),
      {
        backend: { type: "openai", url: "http://h/v1", modelMap: "a*=b", timeoutMs: 5000 },
      },
    );
  });
});
