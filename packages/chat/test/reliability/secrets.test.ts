// Secrets: access keys, secret keys, session tokens and Bedrock API keys never appear in an error
// (message, stack, cause chain, toJSON, util.inspect), a log line (console, process warnings, the
// emulator's log lines), the model's serialized or inspected form, LangSmith params, tracing
// callbacks, or the emulator's request log. Each path is exercised with recognizable fake secrets,
// including AWS errors whose message echoes them back.
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Emulator } from "bedrock-runtime-emulator";
import { ChatBedrockConverse, type ChatBedrockConverseInput } from "langchain-bedrock-converse";
import { MODEL, emulator, withEnv } from "../helpers.js";

const KEY_ID = "AKIAFAKESECRET7KEYID1";
const SECRET = "fakeSecretAccessKeyZZZ/wJalrXUtnFEMIK7MDENGbPxRfiCY";
const SESSION = "FwoGZXIvYXdzSESSIONFAKEtokenQWERTYUIOPasdfghjkl0123456789";
const API_KEY = "ABSKFAKEAPIKEYbm90LWEtcmVhbC1rZXktMDEyMzQ1Njc4OQ";
const SECRETS = [KEY_ID, SECRET, SESSION, API_KEY];
const DEADLINE = { timeout: 20_000 };

function assertClean(text: string, where: string): void {
  for (const s of SECRETS) {
    assert.ok(
      !text.includes(s),
      `${where} leaks ${s.slice(0, 12)}...: ${text.slice(Math.max(0, text.indexOf(s) - 80), text.indexOf(s) + s.length + 20)}`,
    );
  }
}

/** Every readable form of an error: message, stack, toJSON, JSON, inspect (with the cause chain). */
function errorForms(err: unknown): string {
  const e = err as Error & { toJSON?: () => unknown };
  return [String(e), e.message, e.stack ?? "", JSON.stringify(e), JSON.stringify(e.toJSON?.() ?? {}), inspect(e, { depth: 10 })].join("\n");
}

let emu: Emulator;
const emulatorLines: string[] = [];
const captured: string[] = [];
const originals: Partial<Record<"log" | "warn" | "error" | "info" | "debug", (...a: unknown[]) => void>> = {};
const onWarning = (w: Error) => captured.push(`${w.name}: ${w.message}`);

before(async () => {
  emu = await emulator({ log: (line) => emulatorLines.push(line) });
  for (const k of ["log", "warn", "error", "info", "debug"] as const) {
    originals[k] = console[k];
    console[k] = (...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 10 }))).join(" "));
    };
  }
  process.on("warning", onWarning);
});
after(async () => {
  for (const k of Object.keys(originals) as Array<keyof typeof originals>) console[k] = originals[k]!;
  process.off("warning", onWarning);
  // Everything printed during the file: console, warnings, the emulator's lines, its request log.
  assertClean(captured.join("\n"), "console output or a process warning");
  assertClean(emulatorLines.join("\n"), "the emulator's log lines");
  await emu.close();
});
beforeEach(() => emu.reset());
afterEach(() => assertClean(JSON.stringify(emu.requests()), "the emulator's request log"));

const AWS_KEYS = [KEY_ID, SECRET, SESSION];
// How the model is given credentials, and the secrets a server could echo back for it.
const AUTH_VARIANTS: Array<[string, ChatBedrockConverseInput, string[]]> = [
  ["access key, secret key and session token", { awsAccessKeyId: KEY_ID, awsSecretAccessKey: SECRET, awsSessionToken: SESSION }, AWS_KEYS],
  ["a Bedrock API key", { bedrockApiKey: API_KEY }, [API_KEY]],
  ["the apiKey alias", { apiKey: API_KEY }, [API_KEY]],
  ["a credentials object", { credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: SESSION } }, AWS_KEYS],
  [
    "a credentials provider",
    { credentials: async () => ({ accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: SESSION }) },
    AWS_KEYS,
  ],
  ["an API key and AWS keys at once", { bedrockApiKey: API_KEY, awsAccessKeyId: KEY_ID, awsSecretAccessKey: SECRET }, SECRETS],
];

function make(fields: ChatBedrockConverseInput): ChatBedrockConverse {
  return new ChatBedrockConverse({ model: MODEL, endpointUrl: emu.url, region: "us-east-1", maxRetries: 0, ...fields });
}

/** Captures everything a tracer (LangSmith) would receive. */
class Recorder extends BaseCallbackHandler {
  name = "secret-recorder";
  seen: string[] = [];
  override handleChatModelStart(...args: unknown[]): void {
    this.seen.push(JSON.stringify(args));
  }
  override handleLLMEnd(...args: unknown[]): void {
    this.seen.push(JSON.stringify(args));
  }
  override handleLLMError(...args: unknown[]): void {
    this.seen.push(errorForms(args[0]), JSON.stringify(args.slice(1)));
  }
}

describe("the model's own forms", () => {
  for (const [what, fields] of AUTH_VARIANTS) {
    test(`${what}: toJSON, JSON.stringify, util.inspect, lc_kwargs, LangSmith params, invocationParams`, DEADLINE, async () => {
      const llm = make(fields);
      assertClean(JSON.stringify(llm.toJSON()), "toJSON()");
      assertClean(JSON.stringify(llm), "JSON.stringify(model)");
      assertClean(inspect(llm, { depth: 4 }), "util.inspect(model)");
      assertClean(JSON.stringify(llm.lc_kwargs), "lc_kwargs");
      assertClean(JSON.stringify(llm.getLsParams({} as never)), "getLsParams()");
      assertClean(JSON.stringify(llm.invocationParams({} as never)), "invocationParams()");
      const bound = llm.bindTools([{ name: "t", description: "d", schema: { type: "object", properties: {} } }]);
      assertClean(JSON.stringify(bound), "a bound model");
      const recorder = new Recorder();
      await llm.invoke("hello", { callbacks: [recorder] });
      for await (const _ of await llm.stream("hello", { callbacks: [recorder] })) void _;
      assertClean(recorder.seen.join("\n"), "tracing callbacks");
    });
  }

  test("secrets from the environment (SDK chain and AWS_BEARER_TOKEN_BEDROCK) stay out too", DEADLINE, async () => {
    for (const env of [
      { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: SESSION, AWS_BEARER_TOKEN_BEDROCK: undefined },
      { AWS_BEARER_TOKEN_BEDROCK: API_KEY },
    ]) {
      await withEnv(env, async () => {
        const llm = make({});
        assertClean(JSON.stringify(llm.toJSON()), "toJSON() with env secrets");
        assertClean(inspect(llm, { depth: 4 }), "util.inspect with env secrets");
        assertClean(JSON.stringify(llm.getLsParams({} as never)), "getLsParams() with env secrets");
        await llm.invoke("hello");
      });
    }
  });

  test("a configuration error does not echo the key it complains about", () => {
    for (const fields of [{ awsAccessKeyId: KEY_ID }, { awsSecretAccessKey: SECRET }, { awsSessionToken: SESSION }]) {
      let err: unknown;
      try {
        make(fields);
      } catch (e) {
        err = e;
      }
      assert.ok(err, "a lone key is refused");
      assertClean(errorForms(err), "a configuration error");
    }
  });
});

describe("errors whose AWS message echoes the secrets", () => {
  const echo = (secrets: string[]) =>
    `The security token included in the request is invalid: ${secrets.map((x, i) => `credential ${i} ${x}`).join(", ")}`;
  const ECHO = echo(SECRETS);

  for (const [what, fields, used] of AUTH_VARIANTS) {
    test(`${what}: an HTTP error (invoke, stream, batch) and an in-stream exception`, DEADLINE, async () => {
      const recorder = new Recorder();
      const llm = make(fields);
      emu.addFault({ kind: "error", errorType: "UnrecognizedClientException", message: echo(used), times: 3 });
      const errors: unknown[] = [];
      await llm.invoke("hello", { callbacks: [recorder] }).catch((e) => errors.push(e));
      await (async () => {
        for await (const _ of await llm.stream("hello", { callbacks: [recorder] })) void _;
      })().catch((e) => errors.push(e));
      for (const r of await llm.batch(["a"], {}, { returnExceptions: true })) errors.push(r);
      emu.addFault({ kind: "stream-exception", errorType: "validationException", message: echo(used), afterEvents: 2 });
      await (async () => {
        for await (const _ of await llm.stream("hello there, how are you doing today?", { callbacks: [recorder] })) void _;
      })().catch((e) => errors.push(e));
      assert.equal(errors.length, 4);
      for (const e of errors) {
        assert.ok(e instanceof Error, `an error: ${String(e)}`);
        assert.match(e.message, /\[REDACTED\]/, "the echoed secrets are replaced, not dropped silently");
        assertClean(errorForms(e), `${(e as Error).name}`);
      }
      assertClean(recorder.seen.join("\n"), "tracing callbacks of failed calls");
    });
  }

  test("a CountTokens failure warns without the secrets", DEADLINE, async () => {
    const llm = new ChatBedrockConverse({
      model: "anthropic.claude-3-5-haiku-20241022-v1:0",
      endpointUrl: emu.url,
      region: "us-east-1",
      maxRetries: 0,
      awsAccessKeyId: KEY_ID,
      awsSecretAccessKey: SECRET,
      awsSessionToken: SESSION,
    });
    emu.addFault({ kind: "error", errorType: "AccessDeniedException", message: ECHO, operations: ["count-tokens"] });
    const n = await llm.getNumTokensFromMessages([["human", "hello"]] as never);
    assert.ok(n > 0);
  });

  test("an inference profile lookup failure", DEADLINE, async () => {
    const llm = make({
      model: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/doesnotexist",
      provider: "anthropic",
      awsAccessKeyId: KEY_ID,
      awsSecretAccessKey: SECRET,
      awsSessionToken: SESSION,
    });
    const err = await llm.invoke("hello").then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof Error);
    assertClean(errorForms(err), "a GetInferenceProfile error");
  });
});
