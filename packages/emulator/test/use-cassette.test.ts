// useCassette(name) with node:test hooks: the first run records (cassette missing), the next
// replays, and under CI a missing cassette is an error rather than a live call. Also the CLI flags.
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { startEmulator, useCassette, type Cassette, type Emulator } from "bedrock-runtime-emulator";
import { bytesRequest } from "./cassette-support.js";
import { client, CREDENTIALS, MODEL, TIMEOUT, userMessage } from "./helpers.js";

const RECORDER = { accessKeyId: "AKIARECORDER0000TEST", secretAccessKey: "recorder-secret" };
const dir = mkdtempSync(join(tmpdir(), "use-cassette-"));

// Started before the suites are declared, since useCassette reads its options right away.
const upstream: Emulator = await startEmulator({ requireAuth: true });
after(() => upstream.close());

// A developer's machine: CI unset, whatever the environment running this suite says (under CI a
// missing cassette is an error, tested below).
function outsideCi<T>(fn: () => T): T {
  const previous = process.env.CI;
  delete process.env.CI;
  try {
    return fn();
  } finally {
    if (previous !== undefined) process.env.CI = previous;
  }
}

describe("first run: the cassette is missing, so it records", () => {
  const session = outsideCi(() =>
    useCassette("greeting", { dir, upstream: upstream.url, upstreamCredentials: RECORDER, hooks: { before, after } }),
  );
  test("records through the emulator; AWS_ENDPOINT_URL_BEDROCK_RUNTIME points at it", TIMEOUT, async () => {
    assert.equal(session.mode, "record");
    assert.equal(process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME, session.url);
    // No endpoint given: the SDK reads it from the environment.
    const c = new BedrockRuntimeClient({ region: "us-east-1", credentials: CREDENTIALS });
    try {
      const out = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("Hi cassette") }));
      assert.deepEqual(out.output?.message?.content, [{ text: "You said: Hi cassette" }]);
    } finally {
      c.destroy();
    }
  });
});

describe("later runs: the cassette exists, so it replays", () => {
  test("mode once -> replay, same answer with no upstream reachable", TIMEOUT, async () => {
    assert.equal(process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME, undefined, "stop() restores the environment");
    const session = useCassette("greeting", { dir, setEndpointEnv: false });
    assert.equal(session.mode, "replay");
    assert.throws(() => session.url, /not started; call start\(\) or pass hooks/);
    await session.start();
    const c = client(session.url);
    try {
      const out = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("Hi cassette") }));
      assert.deepEqual(out.output?.message?.content, [{ text: "You said: Hi cassette" }]);
    } finally {
      c.destroy();
      await session.stop();
    }
    const cassette = JSON.parse(readFileSync(session.path, "utf8")) as Cassette;
    assert.equal(cassette.interactions.length, 1);
  });

  test("under CI a missing cassette throws instead of calling the network", () => {
    const previous = process.env.CI;
    process.env.CI = "true";
    try {
      assert.throws(
        () => useCassette("never-recorded", { dir }),
        /does not exist and CI is set: record it locally \(BEDROCK_CASSETTE_MODE=record\)/,
      );
      assert.throws(
        () => useCassette("x", { dir, mode: "sometimes" as never }),
        /cassette mode must be one of once, replay, record, record-missing/,
      );
      // CI=false / CI=0 switch it off: a missing cassette records again (nothing starts here).
      for (const off of ["false", "0", ""]) {
        process.env.CI = off;
        assert.equal(useCassette("never-recorded", { dir }).mode, "record", `CI=${JSON.stringify(off)}`);
      }
    } finally {
      if (previous === undefined) delete process.env.CI;
      else process.env.CI = previous;
    }
  });
});

describe("bedrock-emulator --record / --replay", () => {
  const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
  async function runCli(args: string[], env: Record<string, string> = {}) {
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", CLI, "--port", "0", "--quiet", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      let errText = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.stderr.on("data", (c: Buffer) => (errText += c.toString()));
      child.on("exit", (code) => reject(new Error(`CLI exited ${code}: ${errText}`)));
    });
    return {
      url,
      stop: () =>
        new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    };
  }

  // Two CLI processes through tsx, one after the other: seconds each on a loaded machine.
  test("records with credentials from the default chain (environment), replays with none", { timeout: 90_000 }, async () => {
    const file = join(dir, "cli.json");
    const body = JSON.stringify({ messages: userMessage("from the CLI") });
    const recorder = await runCli(["--record", file, "--upstream", upstream.url], {
      AWS_ACCESS_KEY_ID: RECORDER.accessKeyId,
      AWS_SECRET_ACCESS_KEY: RECORDER.secretAccessKey,
      AWS_PROFILE: "",
    });
    let recorded: Awaited<ReturnType<typeof bytesRequest>>;
    try {
      recorded = await bytesRequest(recorder.url, "POST", `/model/${MODEL}/converse`, body);
    } finally {
      await recorder.stop();
    }
    assert.equal(recorded.status, 200);
    assert.ok(existsSync(file));
    const replayer = await runCli(["--replay", file]);
    try {
      const replayed = await bytesRequest(replayer.url, "POST", `/model/${MODEL}/converse`, body);
      assert.equal(replayed.status, 200);
      assert.ok(replayed.body.equals(recorded.body));
      const miss = await bytesRequest(replayer.url, "POST", `/model/${MODEL}/converse`, JSON.stringify({ messages: userMessage("other") }));
      assert.equal(miss.status, 400);
    } finally {
      await replayer.stop();
    }
  });
});
