// boto3 (its own signer, HTTP/1.1, its own event-stream parser) through the recorder, the replayer
// and the local-model backend. Skipped when python3 with boto3 is not available.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { startEmulator } from "bedrock-runtime-emulator";
import { startFakeOpenAI } from "./fake-openai-server.js";
import { MODEL } from "./helpers.js";

const PROGRAM = `
import json, sys
import boto3
url, model = sys.argv[1], sys.argv[2]
client = boto3.client("bedrock-runtime", endpoint_url=url, region_name="eu-west-1",
                      aws_access_key_id="AKIDBOTO", aws_secret_access_key="boto-secret")
messages = [{"role": "user", "content": [{"text": "Weather in Lisbon?"}]}]
tools = {"tools": [{"toolSpec": {"name": "GetWeather", "inputSchema": {"json": {"type": "object"}}}}], "toolChoice": {"any": {}}}
r = client.converse(modelId=model, messages=messages)
s = client.converse_stream(modelId=model, messages=messages, toolConfig=tools)
events = list(s["stream"])
print(json.dumps({"converse": r["output"], "stop": r["stopReason"], "usage": r["usage"],
                  "stream": [{k: v for k, v in e.items()} for e in events]}))
`;

const HAVE_BOTO3 = spawnSync("python3", ["-c", "import boto3"], { stdio: "ignore" }).status === 0;

function boto3(url: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", PROGRAM, url, MODEL], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`boto3 exited ${code}: ${err}`))));
  });
}

const stripPadding = (events: Record<string, Record<string, unknown>>[]) =>
  events.map((e) =>
    Object.fromEntries(Object.entries(e).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([key]) => key !== "p"))])),
  );

test("boto3: record through a re-signing proxy, replay the same answers", { timeout: 60_000 }, async (t: TestContext) => {
  if (!HAVE_BOTO3) return t.skip("python3 with boto3 is not installed");
  const upstream = await startEmulator({ requireAuth: true });
  const file = join(mkdtempSync(join(tmpdir(), "boto3-cassette-")), "boto3.json");
  try {
    const recorder = await startEmulator({
      record: file,
      upstream: upstream.url,
      upstreamCredentials: { accessKeyId: "AKIARECORDER", secretAccessKey: "r" },
    });
    const live = await boto3(recorder.url).finally(() => recorder.close());
    const replayer = await startEmulator({ replay: file });
    const replayed = await boto3(replayer.url).finally(() => replayer.close());
    assert.deepEqual(replayed, live);
    const kinds = (live.stream as object[]).map((e) => Object.keys(e)[0]);
    assert.deepEqual([kinds[0], kinds.at(-1)], ["messageStart", "metadata"]);
    assert.ok(kinds.includes("contentBlockStart"), "the default model called the tool");
  } finally {
    await upstream.close();
  }
});

test("boto3: a streamed tool call from the local-model backend", { timeout: 60_000 }, async (t: TestContext) => {
  if (!HAVE_BOTO3) return t.skip("python3 with boto3 is not installed");
  const fake = await startFakeOpenAI();
  const emu = await startEmulator({ backend: { type: "openai", url: fake.url, model: "qwen2.5:7b" } });
  try {
    fake.push({ content: "Sunny." }, { toolCalls: [{ id: "call_b", name: "GetWeather", arguments: '{"city":"Lisbon"}' }] });
    const out = await boto3(emu.url);
    assert.deepEqual(out.converse, { message: { role: "assistant", content: [{ text: "Sunny." }] } });
    assert.deepEqual(stripPadding(out.stream as Record<string, Record<string, unknown>>[]), [
      { messageStart: { role: "assistant" } },
      { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: "call_b", name: "GetWeather" } } } },
      ...['{"c', "ity", '":"', "Lis", "bon", '"}'].map((input) => ({
        contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input } } },
      })),
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: "tool_use" } },
      {
        metadata: {
          usage: { inputTokens: 11, outputTokens: 5, totalTokens: 16 },
          metrics: { latencyMs: (out.stream as { metadata?: { metrics: { latencyMs: number } } }[]).at(-1)!.metadata!.metrics.latencyMs },
        },
      },
    ]);
  } finally {
    await emu.close();
    await fake.close();
  }
});
