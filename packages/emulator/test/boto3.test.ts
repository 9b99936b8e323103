// boto3 / botocore against the emulator (HTTP/1.1): the three operations, in-stream exceptions, and
// retry counts in both retry modes. Skipped when python3 with boto3 is not available.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { after, before, beforeEach, describe, test, type TestContext } from "node:test";
import { startEmulator, type Emulator } from "bedrock-runtime-emulator";
import { countTokens } from "../src/model/index.js";
import { MODEL } from "./helpers.js";

// One Python program, several commands. Retries must not wait, so time.sleep records and returns.
const PROGRAM = `
import json, sys, time
slept = []
time.sleep = lambda s: slept.append(s)
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError

command, url, model = sys.argv[1], sys.argv[2], sys.argv[3]
mode = sys.argv[4] if len(sys.argv) > 4 else "legacy"
client = boto3.client(
    "bedrock-runtime", endpoint_url=url, region_name="us-east-1",
    aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="botosecret",
    config=Config(retries={"mode": mode}),
)
messages = [{"role": "user", "content": [{"text": "Hello from boto3, how are you today?"}]}]
out = {}
if command == "ops":
    r = client.converse(modelId=model, messages=messages)
    out["converse"] = {"output": r["output"], "stopReason": r["stopReason"], "usage": r["usage"],
                       "requestId": r["ResponseMetadata"]["RequestId"],
                       "headerRequestId": r["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"],
                       "attempts": r["ResponseMetadata"]["RetryAttempts"]}
    s = client.converse_stream(modelId=model, messages=messages)
    events = list(s["stream"])
    out["stream"] = {"kinds": [next(iter(e)) for e in events],
                     "text": "".join(e.get("contentBlockDelta", {}).get("delta", {}).get("text", "") for e in events),
                     "stop": events[-2]["messageStop"], "usage": events[-1]["metadata"]["usage"]}
    t = client.count_tokens(modelId=model, input={"converse": {"messages": messages}})
    out["countTokens"] = t["inputTokens"]
elif command == "error":
    try:
        client.converse(modelId=model, messages=messages)
        out["error"] = None
    except ClientError as e:
        out["error"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"],
                        "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                        "attempts": e.response["ResponseMetadata"]["RetryAttempts"]}
elif command == "stream-error":
    s = client.converse_stream(modelId=model, messages=messages)
    kinds = []
    try:
        for e in s["stream"]:
            kinds.append(next(iter(e)))
        out["error"] = None
    except EventStreamError as e:
        out["error"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}
    out["kinds"] = kinds
print(json.dumps(out))
`;

// Checked once, before the emulator starts (spawnSync blocks this process).
const HAVE_BOTO3 = spawnSync("python3", ["-c", "import boto3"], { stdio: "ignore" }).status === 0;
// Importing boto3 takes seconds on a cold machine.
const SLOW = { timeout: 60_000 };

// Async on purpose: the emulator runs in this process, so a blocking spawnSync would starve it.
async function runPython(t: TestContext, args: string[]): Promise<Record<string, any> | undefined> {
  if (!HAVE_BOTO3) {
    t.skip("python3 with boto3 is not installed");
    return undefined;
  }
  const child = spawn("python3", ["-c", PROGRAM, ...args], {
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout);
}

let emu: Emulator;
before(async () => {
  emu = await startEmulator();
});
beforeEach(() => emu.reset());
after(() => emu.close());

describe("boto3", () => {
  test("converse, converse_stream and count_tokens", SLOW, async (t) => {
    const out = await runPython(t, ["ops", emu.url, MODEL]);
    if (!out) return;
    const log = emu.requests();
    assert.deepEqual(
      log.map((r) => [r.operation, r.protocol, r.status]),
      [
        ["converse", "http/1.1", 200],
        ["converse-stream", "http/1.1", 200],
        ["count-tokens", "http/1.1", 200],
      ],
    );
    assert.equal(out.converse.requestId, log[0].id);
    assert.equal(out.converse.headerRequestId, log[0].id);
    assert.equal(out.converse.attempts, 0);
    assert.equal(out.converse.output.message.role, "assistant");
    assert.equal(out.stream.text, out.converse.output.message.content.map((b: { text?: string }) => b.text ?? "").join(""));
    // Claude's Converse usage also carries zero cache counters; the stream's metadata usage does not
    const { cacheReadInputTokens: _r, cacheWriteInputTokens: _w, ...counted } = out.converse.usage;
    assert.deepEqual(out.stream.usage, counted);
    assert.equal(out.converse.usage.cacheReadInputTokens, 0);
    assert.deepEqual(out.stream.stop, { stopReason: out.converse.stopReason });
    assert.equal(out.stream.kinds[0], "messageStart");
    assert.deepEqual(out.stream.kinds.slice(-2), ["messageStop", "metadata"]);
    const messages = [{ role: "user" as const, content: [{ text: "Hello from boto3, how are you today?" }] }];
    assert.equal(out.countTokens, countTokens({ input: { converse: { messages } } }, MODEL));
  });

  for (const [mode, attempts] of [
    ["legacy", 5],
    ["standard", 3],
  ] as const) {
    test(`ThrottlingException is retried: ${attempts} attempts in ${mode} mode`, SLOW, async (t) => {
      emu.addFault({ kind: "error", errorType: "ThrottlingException" });
      const out = await runPython(t, ["error", emu.url, MODEL, mode]);
      if (!out) return;
      assert.deepEqual(out.error, {
        code: "ThrottlingException",
        message: "Too many requests, please wait before trying again.",
        status: 429,
        attempts: attempts - 1,
      });
      assert.equal(emu.requests().length, attempts);
    });
  }

  test("ValidationException is not retried", SLOW, async (t) => {
    emu.addFault({ kind: "error", errorType: "ValidationException", message: "bad" });
    const out = await runPython(t, ["error", emu.url, MODEL]);
    if (!out) return;
    assert.deepEqual(out.error, { code: "ValidationException", message: "bad", status: 400, attempts: 0 });
  });

  test("an in-stream exception raises EventStreamError with the lowerCamel code", SLOW, async (t) => {
    emu.addFault({ kind: "stream-exception", errorType: "throttlingException", afterEvents: 2 });
    const out = await runPython(t, ["stream-error", emu.url, MODEL]);
    if (!out) return;
    assert.deepEqual(out.error, { code: "throttlingException", message: "Too many requests, please wait before trying again." });
    assert.deepEqual(out.kinds, ["messageStart", "contentBlockDelta"]);
  });
});
