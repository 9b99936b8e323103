// Issue 16, model class: items 12 (Python's snake_case init args, secrets never sent or serialised),
// 13 (a default per-attempt inactivity limit, `timeout` overrides) and 14 (a stream without its
// metadata event raises instead of ending quietly). Over real HTTP against the emulator on 127.0.0.1.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { AIMessageChunk } from "@langchain/core/messages";
import type { Emulator } from "bedrock-runtime-emulator";
import {
  BedrockConfigError,
  BedrockTimeoutError,
  ChatBedrockConverse,
  StreamIncompleteError,
  type ChatBedrockConverseArgs,
} from "langchain-bedrock-converse";
import { MODEL, emulator, lastBody, runtimeRequests, translation } from "./helpers.js";

const KEY_ID = "AKIAPYTHONSTYLEKEY01";
const SECRET = "pythonStyleSecretKeyZZZ/wJalrXUtnFEMIK7MDENGbPxRfiCY";
const SESSION = "FwoGZXIvYXdzPYTHONSTYLEsessionTOKENqwertyuiop0123456789";
const API_KEY = "ABSKcHl0aG9uLXN0eWxlLWFwaS1rZXktMDEyMzQ1Njc4OQ";
const SECRETS = [KEY_ID, SECRET, SESSION, API_KEY];
const DEADLINE = { timeout: 20_000 };

let emu: Emulator;
before(async () => {
  emu = await emulator({ requireAuth: true });
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

function assertClean(text: string, where: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${where} holds the secret ${s.slice(0, 8)}...`);
}

/** The constructor call of a Python user porting `ChatBedrockConverse(...)` line by line. */
function pythonStyle(extra: ChatBedrockConverseArgs = {}): ChatBedrockConverse {
  return new ChatBedrockConverse({
    model_id: MODEL,
    region_name: "eu-west-1",
    endpoint_url: emu.url,
    aws_access_key_id: KEY_ID,
    aws_secret_access_key: SECRET,
    aws_session_token: SESSION,
    max_tokens: 64,
    top_p: 0.5,
    stop_sequences: ["END"],
    max_retries: 0,
    ...extra,
  });
}
const withApiKey = () => pythonStyle({ bedrock_api_key: API_KEY });

/** Records everything a tracer (LangSmith) is handed. */
class Recorder extends BaseCallbackHandler {
  name = "python-style-recorder";
  seen: string[] = [];
  override handleChatModelStart(...args: unknown[]): void {
    this.seen.push(JSON.stringify(args));
  }
  override handleLLMEnd(...args: unknown[]): void {
    this.seen.push(JSON.stringify(args));
  }
}

async function drain(stream: AsyncIterable<AIMessageChunk>, got: AIMessageChunk[]): Promise<void> {
  for await (const chunk of stream) got.push(chunk);
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail("expected a rejection");
}

describe("item 12: Python's init arg names are recognised and secrets are never sent or serialised", () => {
  test("12: snake_case args configure the model and the request; nothing lands in additionalModelRequestFields", DEADLINE, async () => {
    const llm = pythonStyle();
    assert.equal(llm.modelId, MODEL);
    assert.equal(llm.regionName, "eu-west-1");
    assert.equal(llm.endpointUrl, emu.url);
    assert.equal(llm.additionalModelRequestFields, undefined);
    assert.equal(await llm.client.config.region(), "eu-west-1");
    const identity = await (llm.client.config.credentials as () => Promise<{ accessKeyId: string; sessionToken?: string }>)();
    assert.equal(identity.accessKeyId, KEY_ID);
    assert.equal(identity.sessionToken, SESSION);

    const reply = await llm.invoke("hello");
    assert.equal(reply.response_metadata.stopReason, "end_turn");
    const body = lastBody(emu);
    assert.deepEqual(body.inferenceConfig, { maxTokens: 64, topP: 0.5, stopSequences: ["END"] });
    assert.equal(body.additionalModelRequestFields, undefined);
    const logged = runtimeRequests(emu)[0];
    assert.match(logged.headers.authorization, /^AWS4-HMAC-SHA256 /, "signed with the given keys");
    assert.ok(logged.headers["x-amz-security-token"], "the session token was sent as a header");
    assertClean(JSON.stringify(emu.requests()), "the emulator's request log");
  });

  test("12: bedrock_api_key selects bearer auth and stays out of the request body and log", DEADLINE, async () => {
    const llm = withApiKey();
    await llm.invoke("hello");
    const logged = runtimeRequests(emu)[0];
    assert.match(logged.headers.authorization, /^Bearer /);
    assert.equal(lastBody(emu).additionalModelRequestFields, undefined);
    assertClean(JSON.stringify(emu.requests()), "the emulator's request log");
  });

  test("12: toJSON() holds no secret", () => {
    for (const llm of [pythonStyle(), withApiKey()]) {
      const json = llm.toJSON() as { kwargs?: Record<string, unknown> };
      assertClean(JSON.stringify(json), "toJSON()");
      assert.equal(json.kwargs?.aws_secret_access_key === SECRET, false);
    }
  });

  test("12: JSON.stringify(model) holds no secret", () => {
    for (const llm of [pythonStyle(), withApiKey()]) assertClean(JSON.stringify(llm), "JSON.stringify(model)");
  });

  test("12: util.inspect(model) holds no secret", () => {
    for (const llm of [pythonStyle(), withApiKey()]) {
      assertClean(inspect(llm, { depth: 6 }), "util.inspect(model)");
      assertClean(inspect(llm.lc_kwargs, { depth: 6 }), "util.inspect(lc_kwargs)");
    }
  });

  test("12: invocationParams() and getLsParams() hold no secret and no stray request fields", () => {
    for (const llm of [pythonStyle(), withApiKey()]) {
      const params = llm.invocationParams({} as never);
      assertClean(JSON.stringify(params), "invocationParams()");
      assert.deepEqual(params.additionalModelRequestFields, {});
      assert.equal(params.maxTokens, 64);
      assertClean(JSON.stringify(llm.getLsParams({} as never)), "getLsParams()");
    }
  });

  test("12: callback (LangSmith) payloads of invoke and stream hold no secret", DEADLINE, async () => {
    for (const llm of [pythonStyle(), withApiKey()]) {
      const recorder = new Recorder();
      await llm.invoke("hello", { callbacks: [recorder] });
      for await (const _ of await llm.stream("hello", { callbacks: [recorder] })) void _;
      assert.ok(recorder.seen.length >= 4, "the recorder saw both runs");
      assertClean(recorder.seen.join("\n"), "callback payloads");
    }
  });

  test("12: an unknown arg that looks like a credential is refused with BedrockConfigError before any request", DEADLINE, async () => {
    // A typo of Python's name (aws_secret_key), and the environment variable's spelling.
    const refused: Array<Record<string, string>> = [{ aws_secret_key: SECRET }, { AWS_SESSION_TOKEN: SESSION }, { x_api_token: API_KEY }];
    for (const fields of refused) {
      let err: unknown;
      try {
        new ChatBedrockConverse({ model: MODEL, endpoint_url: emu.url, region_name: "us-east-1", ...fields });
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof BedrockConfigError, `refused: ${Object.keys(fields)[0]}`);
      assert.match(err.message, new RegExp(`"${Object.keys(fields)[0]}" is not a constructor argument and looks like a credential`));
      assertClean(`${err.message}\n${err.stack}\n${JSON.stringify(err)}\n${inspect(err)}`, "the configuration error");
    }
    assert.equal(runtimeRequests(emu).length, 0);
  });
});

describe("item 13: every attempt has an inactivity limit, so invoke cannot hang", () => {
  // Far above a loaded machine's answer time, far below the injected delays.
  const LIMIT_MS = 1500;

  test("13: a server that never answers ends invoke with BedrockTimeoutError (timeout overrides the 60 s default)", DEADLINE, async () => {
    emu.addFault({ kind: "latency", delayMs: 100_000 });
    for (const streaming of [false, true]) {
      const err = await rejection(pythonStyle({ timeout: LIMIT_MS, streaming }).invoke("hello"));
      assert.ok(err instanceof BedrockTimeoutError, `streaming ${streaming}: ${err.name}: ${err.message}`);
      assert.match(err.message, /timed out/);
    }
  });

  test("13: without timeout, every attempt runs under botocore's 60 s connect and read limits", DEADLINE, async () => {
    const llm = pythonStyle();
    await llm.invoke("hello");
    const handler = llm.client.config.requestHandler as unknown as { httpHandlerConfigs(): Record<string, unknown> };
    const used = handler.httpHandlerConfigs();
    assert.equal(used.socketTimeout, 60_000);
    assert.equal(used.connectionTimeout, 60_000);
  });

  test("13: the stream idle watchdog never cuts in below the inactivity limit `timeout` sets", () => {
    assert.equal(pythonStyle().streamIdleTimeout, 60_000);
    assert.equal(pythonStyle({ timeout: LIMIT_MS }).streamIdleTimeout, 60_000);
    assert.equal(pythonStyle({ timeout: 120_000 }).streamIdleTimeout, 120_000);
    assert.equal(pythonStyle({ timeout: 120_000, streamIdleTimeout: 5_000 }).streamIdleTimeout, 5_000);
  });

  test("13: the limit is per attempt: a retry after an attempt that timed out gets the answer", DEADLINE, async () => {
    emu.addFault({ kind: "latency", delayMs: 100_000, times: 1 });
    const reply = await pythonStyle({ timeout: LIMIT_MS, max_retries: 1 }).invoke("hello");
    assert.equal(reply.response_metadata.stopReason, "end_turn");
    assert.equal((reply.response_metadata as { ResponseMetadata: { RetryAttempts: number } }).ResponseMetadata.RetryAttempts, 1);
    assert.equal(runtimeRequests(emu).length, 2);
  });

  test("13: the limit also bounds the gaps between stream events, even with the idle watchdog off", DEADLINE, async () => {
    const slow = await emulator({ streamEventDelayMs: 100_000 });
    try {
      const llm = new ChatBedrockConverse({
        model: MODEL,
        endpointUrl: slow.url,
        region: "us-east-1",
        awsAccessKeyId: KEY_ID,
        awsSecretAccessKey: SECRET,
        timeout: LIMIT_MS,
        streamIdleTimeout: 0,
        maxRetries: 0,
      });
      const got: AIMessageChunk[] = [];
      const err = await rejection(drain(await llm.stream("hello"), got));
      assert.ok(err instanceof BedrockTimeoutError, `${err.name}: ${err.message}`);
      assert.equal((err as unknown as { partial?: boolean }).partial, true);
      assert.ok(got.length >= 1, "the chunks that arrived were yielded");
    } finally {
      await slow.close();
    }
  });
});

describe("item 14: a stream that ends without its metadata event raises", () => {
  /** A stream cut after messageStop, just before the metadata event (a stream fault never lets metadata through). */
  function cutBeforeMetadata(): void {
    emu.setScript([translation]);
    emu.addFault({ kind: "stream-cut", afterEvents: 1_000, times: 1 });
  }
  const text = (chunks: AIMessageChunk[]) =>
    chunks
      .flatMap((c) => (Array.isArray(c.content) ? c.content : []))
      .map((b) => (b as { text?: string }).text ?? "")
      .join("");

  test("14: stream() yields every chunk up to messageStop, then raises StreamIncompleteError (partial)", DEADLINE, async () => {
    for (const callbacks of [undefined, [new Recorder()]]) {
      cutBeforeMetadata();
      const got: AIMessageChunk[] = [];
      const err = await rejection(drain(await pythonStyle().stream(translation.match, { callbacks }), got));
      assert.ok(err instanceof StreamIncompleteError, `${err.name}: ${err.message}`);
      assert.equal(err.partial, true);
      assert.match(err.message, /after messageStop but before its metadata event/);
      assert.equal(text(got), "J'aime la programmation.");
      assert.ok(
        got.some((c) => c.response_metadata.stopReason === "end_turn"),
        "the messageStop chunk arrived",
      );
      assert.ok(
        got.every((c) => c.usage_metadata === undefined),
        "no usage arrived",
      );
      const events = runtimeRequests(emu).at(-1)?.streamEvents ?? [];
      assert.equal(events.at(-1), "messageStop");
      assert.ok(!events.includes("metadata"));
    }
  });

  test("14: invoke with streaming: true raises StreamIncompleteError instead of a reply without usage", DEADLINE, async () => {
    for (const callbacks of [undefined, [new Recorder()]]) {
      cutBeforeMetadata();
      const err = await rejection(pythonStyle({ streaming: true }).invoke(translation.match, { callbacks }));
      assert.ok(err instanceof StreamIncompleteError, `${err.name}: ${err.message}`);
      assert.equal(err.partial, true);
    }
    // The same call with the whole stream succeeds and carries usage.
    emu.setScript([translation]);
    const reply = await pythonStyle({ streaming: true }).invoke(translation.match);
    assert.deepEqual(reply.usage_metadata && { i: reply.usage_metadata.input_tokens, o: reply.usage_metadata.output_tokens }, {
      i: 25,
      o: 11,
    });
  });
});
