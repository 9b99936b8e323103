// Record and replay over real HTTP: a second emulator (strict auth) is the upstream, the recorder
// re-signs with its own credentials (checked by recomputing the signature), and the replayer
// answers with no upstream at all.
import { BedrockClient, GetInferenceProfileCommand } from "@aws-sdk/client-bedrock";
import {
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  ModelStreamErrorException,
  ThrottlingException,
  ValidationException,
} from "@aws-sdk/client-bedrock-runtime";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startEmulator, type Cassette, type Emulator } from "bedrock-runtime-emulator";
import { bytesRequest, startSignatureCheck } from "./cassette-support.js";
import { client, collect, kinds, MODEL, TIMEOUT, userMessage } from "./helpers.js";

// The recorder's own credentials: different from the client's, so a forwarded client signature fails.
const RECORDER = { accessKeyId: "AKIARECORDER0000TEST", secretAccessKey: "recorder/secret/key/not/used/anywhere/else" };
const PROFILE_ARN = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/emulator-claude";
const tmp = () => mkdtempSync(join(tmpdir(), "cassette-"));
const readCassette = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Cassette;
const streamBody = JSON.stringify({ messages: userMessage("Tell me a short story about streams") });

describe("record, then replay with no upstream", () => {
  let upstream: Emulator;
  let check: Awaited<ReturnType<typeof startSignatureCheck>>;
  const file = join(tmp(), "session.json");
  const live: Record<string, unknown> = {};
  let liveBytes: Buffer;

  before(async () => {
    upstream = await startEmulator({ requireAuth: true });
    check = await startSignatureCheck(upstream.url, RECORDER);
    const recorder = await startEmulator({ record: file, upstream: check.url, upstreamCredentials: RECORDER });
    const c = client(recorder.url, "h2", { region: "us-west-2" });
    const control = new BedrockClient({ endpoint: recorder.url, region: "us-east-1", credentials: c.config.credentials });
    try {
      live.converse = await c.send(
        new ConverseCommand({ modelId: MODEL, messages: userMessage("Hello there"), inferenceConfig: { maxTokens: 50 } }),
      );
      live.stream = await collect(
        (await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("Stream this please") }))).stream,
      );
      live.tokens = await c.send(new CountTokensCommand({ modelId: MODEL, input: { converse: { messages: userMessage("count me") } } }));
      live.profile = await control.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: PROFILE_ARN }));
      live.invalid = await c.send(new ConverseCommand({ modelId: MODEL, messages: [] })).catch((e: Error) => e);
      // No client credentials at all: the upstream (strict auth) still accepts, since the recorder signs.
      liveBytes = (await bytesRequest(recorder.url, "POST", `/model/${MODEL}/converse-stream`, streamBody)).body;
    } finally {
      c.destroy();
      control.destroy();
      await recorder.close();
    }
    await check.close();
    await upstream.close(); // replay below has no upstream to reach
  });

  test("every upstream request carried the recorder's valid signature, in the client's region", () => {
    assert.equal(check.seen.length, 6);
    for (const seen of check.seen) {
      assert.equal(seen.scheme, "sigv4");
      assert.equal(seen.valid, true, `bad signature for ${seen.path}`);
      assert.match(seen.authorization!, /^AWS4-HMAC-SHA256 Credential=AKIARECORDER0000TEST\//);
    }
    assert.deepEqual(
      check.seen.slice(0, 5).map((s) => s.region),
      ["us-west-2", "us-west-2", "us-west-2", "us-east-1", "us-west-2"],
    );
  });

  test("the cassette is versioned, readable JSON with no credentials and no account id", () => {
    const text = readFileSync(file, "utf8");
    const cassette = readCassette(file);
    assert.equal(cassette.version, 1);
    assert.deepEqual(
      cassette.interactions.map((i) => `${i.request.operation} ${i.response.status}`),
      ["converse 200", "converse-stream 200", "count-tokens 200", "get-inference-profile 200", "converse 400", "converse-stream 200"],
    );
    for (const secret of [
      "AKIDEXAMPLE",
      "AKIARECORDER",
      RECORDER.secretAccessKey,
      "wJalrXUtnFEMI",
      "Signature=",
      "AWS4-HMAC",
      "123456789012",
    ]) {
      assert.ok(!text.includes(secret), `cassette contains ${secret}`);
    }
    const profile = cassette.interactions[3];
    assert.equal(profile.request.modelId, "arn:aws:bedrock:us-east-1:{account}:application-inference-profile/emulator-claude");
    assert.match(JSON.stringify(profile.response.body), /arn:aws:bedrock:us-east-1:\{account\}:application-inference-profile/);
    const stream = cassette.interactions[1].response;
    assert.equal(stream.headers["content-type"], "application/vnd.amazon.eventstream");
    assert.deepEqual(stream.events!.map((e) => e.type).slice(0, 2), ["messageStart", "contentBlockDelta"]);
    assert.equal(stream.events!.at(-1)!.type, "metadata");
    assert.deepEqual(cassette.interactions[0].request.body, { messages: userMessage("Hello there"), inferenceConfig: { maxTokens: 50 } });
    assert.match(cassette.interactions[4].response.headers["x-amzn-errortype"], /^ValidationException:/);
  });

  test("replay answers every operation as recorded, errors included", TIMEOUT, async () => {
    const replayer = await startEmulator({ replay: file });
    const c = client(replayer.url, "http1", { region: "eu-central-1" });
    const control = new BedrockClient({ endpoint: replayer.url, region: "us-east-1", credentials: c.config.credentials });
    try {
      const converse = await c.send(
        new ConverseCommand({ inferenceConfig: { maxTokens: 50 }, messages: userMessage("Hello there"), modelId: MODEL }),
      );
      const l = live.converse as typeof converse;
      assert.deepEqual(converse.output, l.output);
      assert.deepEqual(converse.usage, l.usage);
      assert.equal(converse.$metadata.requestId, l.$metadata.requestId);
      const stream = await collect(
        (await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("Stream this please") }))).stream,
      );
      assert.deepEqual(stream, live.stream);
      assert.deepEqual(kinds(stream).at(-1), "metadata");
      const tokens = await c.send(new CountTokensCommand({ modelId: MODEL, input: { converse: { messages: userMessage("count me") } } }));
      assert.equal(tokens.inputTokens, (live.tokens as typeof tokens).inputTokens);
      const profile = await control.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: PROFILE_ARN }));
      // The placeholder goes back to the requester's account id.
      assert.equal(profile.inferenceProfileArn, PROFILE_ARN);
      assert.deepEqual(profile.models, (live.profile as typeof profile).models);
      const invalid = await c.send(new ConverseCommand({ modelId: MODEL, messages: [] })).catch((e: Error) => e);
      assert.ok(invalid instanceof ValidationException);
      assert.equal(invalid.message, (live.invalid as Error).message);
      const logged = replayer.requests().map((r) => [r.operation, r.status, r.notes?.[0]]);
      assert.deepEqual(logged[0], ["converse", 200, `replayed interaction #0 of ${file}`]);
      assert.deepEqual(logged.at(-1), ["converse", 400, `replayed interaction #4 of ${file}`]);
    } finally {
      c.destroy();
      control.destroy();
      await replayer.close();
    }
  });

  test("a replayed event stream is byte-exact, padding included", TIMEOUT, async () => {
    const replayer = await startEmulator({ replay: file });
    try {
      // The same body as the last recording (the other stream interaction has a different body).
      await bytesRequest(
        replayer.url,
        "POST",
        `/model/${MODEL}/converse-stream`,
        JSON.stringify({ messages: userMessage("Stream this please") }),
      );
      const replayed = await bytesRequest(replayer.url, "POST", `/model/${MODEL}/converse-stream`, streamBody);
      assert.equal(replayed.headers["content-type"], "application/vnd.amazon.eventstream");
      assert.ok(liveBytes.length > 200);
      assert.ok(replayed.body.equals(liveBytes), "replayed bytes differ from the recorded stream");
    } finally {
      await replayer.close();
    }
    // With the recorded pauses the bytes are the same (how long it takes is not asserted).
    const timed = await startEmulator({ replay: file, replayTiming: true });
    try {
      await bytesRequest(
        timed.url,
        "POST",
        `/model/${MODEL}/converse-stream`,
        JSON.stringify({ messages: userMessage("Stream this please") }),
      );
      assert.ok((await bytesRequest(timed.url, "POST", `/model/${MODEL}/converse-stream`, streamBody)).body.equals(liveBytes));
    } finally {
      await timed.close();
    }
  });

  test("a request with no match gets a 400 naming the nearest interaction and the first difference", TIMEOUT, async () => {
    const replayer = await startEmulator({ replay: file });
    const c = client(replayer.url);
    try {
      const err = await c
        .send(new ConverseCommand({ modelId: MODEL, messages: userMessage("Hello there!"), inferenceConfig: { maxTokens: 50 } }))
        .catch((e: Error) => e);
      assert.ok(err instanceof ValidationException);
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.equal(
        err.message,
        `No recorded interaction in cassette ${file} matches converse ${MODEL}. Nearest is #0 (converse ${MODEL}). ` +
          `First difference at body.messages[0].content[0].text: recorded "Hello there", got "Hello there!". Re-record, or add the field to matchIgnore.`,
      );
      const other = await c
        .send(
          new ConverseCommand({
            modelId: "amazon.nova-lite-v1:0",
            messages: userMessage("Hello there"),
            inferenceConfig: { maxTokens: 50 },
          }),
        )
        .catch((e: Error) => e);
      assert.match(
        (other as Error).message,
        /Nearest is #0 .* First difference at modelId: recorded anthropic\.claude-3-5-sonnet-20240620-v1:0, got amazon\.nova-lite-v1:0\./,
      );
    } finally {
      c.destroy();
      await replayer.close();
    }
  });

  test("matching ignores key order and requestMetadata; matchIgnore adds fields", TIMEOUT, async () => {
    const replayer = await startEmulator({ replay: file, matchIgnore: ["requestMetadata", "inferenceConfig.maxTokens"] });
    try {
      const reordered = JSON.stringify({
        requestMetadata: { run: "42" },
        inferenceConfig: { maxTokens: 7 },
        messages: userMessage("Hello there"),
      });
      const res = await bytesRequest(replayer.url, "POST", `/model/${MODEL}/converse`, reordered);
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body.toString()).output, (live.converse as { output: unknown }).output);
    } finally {
      await replayer.close();
    }
  });
});

describe("recorded failures and repeats", () => {
  let upstream: Emulator;
  before(async () => {
    upstream = await startEmulator({ requireAuth: true });
  });
  after(() => upstream.close());

  test("a throttle then a success replay in that order; then the last answer repeats", TIMEOUT, async () => {
    const file = join(tmp(), "retry.json");
    upstream.addFault({ kind: "error", errorType: "ThrottlingException", times: 1 });
    const recorder = await startEmulator({ record: file, upstream: upstream.url, upstreamCredentials: RECORDER });
    const send = async (url: string) => {
      const c = client(url, "h2", { maxAttempts: 1 });
      try {
        return await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("retry me") })).catch((e: Error) => e);
      } finally {
        c.destroy();
      }
    };
    try {
      assert.ok((await send(recorder.url)) instanceof ThrottlingException);
      assert.equal(((await send(recorder.url)) as { stopReason?: string }).stopReason, "end_turn");
    } finally {
      await recorder.close();
    }
    const replayer = await startEmulator({ replay: file });
    try {
      const first = await send(replayer.url);
      assert.ok(first instanceof ThrottlingException);
      assert.equal(first.message, "Too many requests, please wait before trying again.");
      for (let i = 0; i < 2; i++) assert.equal(((await send(replayer.url)) as { stopReason?: string }).stopReason, "end_turn");
    } finally {
      await replayer.close();
    }
  });

  test("an in-stream exception is recorded and replayed as the same frames", TIMEOUT, async () => {
    const file = join(tmp(), "stream-error.json");
    upstream.addFault({
      kind: "stream-exception",
      errorType: "modelStreamErrorException",
      afterEvents: 2,
      times: 1,
      message: "upstream model broke",
    });
    const run = async (url: string) => {
      const c = client(url);
      const seen: string[] = [];
      try {
        const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("break please") }));
        for await (const event of out.stream!) seen.push(kinds([event])[0]);
        return { seen, error: undefined as Error | undefined };
      } catch (error) {
        return { seen, error: error as Error };
      } finally {
        c.destroy();
      }
    };
    const recorder = await startEmulator({ record: file, upstream: upstream.url, upstreamCredentials: RECORDER });
    const recorded = await run(recorder.url).finally(() => recorder.close());
    const replayer = await startEmulator({ replay: file });
    const replayed = await run(replayer.url).finally(() => replayer.close());
    assert.ok(recorded.error instanceof ModelStreamErrorException);
    assert.ok(replayed.error instanceof ModelStreamErrorException);
    assert.equal(replayed.error.message, "upstream model broke");
    assert.deepEqual(replayed.seen, recorded.seen);
    assert.deepEqual(replayed.seen, ["messageStart", "contentBlockDelta"]);
    const events = readCassette(file).interactions[0].response.events!;
    assert.deepEqual(events.map((e) => `${e.messageType}:${e.type}`).at(-1), "exception:modelStreamErrorException");
  });

  test("an upstream that drops the connection mid-stream is recorded as aborted and replayed the same way", TIMEOUT, async () => {
    const file = join(tmp(), "reset.json");
    upstream.addFault({ kind: "connection-reset", afterEvents: 2, times: 1 });
    const run = async (url: string) => {
      const c = client(url, "http1", { maxAttempts: 1 });
      const seen: string[] = [];
      try {
        const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: userMessage("reset please") }));
        for await (const event of out.stream!) seen.push(kinds([event])[0]);
        return { seen, failed: false };
      } catch {
        return { seen, failed: true };
      } finally {
        c.destroy();
      }
    };
    const recorder = await startEmulator({ record: file, upstream: upstream.url, upstreamCredentials: RECORDER });
    const recorded = await run(recorder.url).finally(() => recorder.close());
    const response = readCassette(file).interactions[0].response;
    assert.equal(response.aborted, true);
    assert.deepEqual(
      response.events!.map((e) => e.type),
      ["messageStart", "contentBlockDelta"],
    );
    const replayer = await startEmulator({ replay: file });
    const replayed = await run(replayer.url).finally(() => replayer.close());
    // How many events a client yields before the reset depends on how the bytes were chunked; the
    // failure itself does not.
    assert.equal(recorded.failed, true);
    assert.equal(replayed.failed, true);
  });

  test("recordMissing replays hits and records misses; an unreachable upstream records nothing", TIMEOUT, async () => {
    const file = join(tmp(), "missing.json");
    const body = (text: string) => JSON.stringify({ messages: userMessage(text) });
    const first = await startEmulator({ record: file, upstream: upstream.url, upstreamCredentials: RECORDER });
    await bytesRequest(first.url, "POST", `/model/${MODEL}/converse`, body("one")).finally(() => first.close());
    const both = await startEmulator({ replay: file, recordMissing: true, upstream: upstream.url, upstreamCredentials: RECORDER });
    const before = upstream.requests().length;
    try {
      assert.equal((await bytesRequest(both.url, "POST", `/model/${MODEL}/converse`, body("one"))).status, 200);
      assert.equal(upstream.requests().length, before, "a hit must not reach the upstream");
      assert.equal((await bytesRequest(both.url, "POST", `/model/${MODEL}/converse`, body("two"))).status, 200);
      assert.equal(upstream.requests().length, before + 1);
    } finally {
      await both.close();
    }
    assert.deepEqual(
      readCassette(file).interactions.map(
        (i) => (i.request.body as { messages: { content: { text: string }[] }[] }).messages[0].content[0].text,
      ),
      ["one", "two"],
    );

    const dead = await startEmulator({ replay: file, recordMissing: true, upstream: "http://127.0.0.1:9", upstreamCredentials: RECORDER });
    try {
      const res = await bytesRequest(dead.url, "POST", `/model/${MODEL}/converse`, body("three"));
      assert.equal(res.status, 503);
      assert.match(String(res.headers["x-amzn-errortype"]), /^ServiceUnavailableException/);
      assert.match(
        JSON.parse(res.body.toString()).message,
        /^The upstream http:\/\/127\.0\.0\.1:9 could not be reached \(ECONNREFUSED\); nothing was recorded\.$/,
      );
    } finally {
      await dead.close();
    }
    assert.equal(readCassette(file).interactions.length, 2);

    // A recorder with nothing to sign with says so (and names no secret).
    const unsigned = await startEmulator({
      replay: file,
      recordMissing: true,
      upstream: upstream.url,
      upstreamCredentials: async () => {
        throw new Error("Could not load credentials from any providers");
      },
    });
    try {
      const res = await bytesRequest(unsigned.url, "POST", `/model/${MODEL}/converse`, body("four"));
      assert.equal(res.status, 503);
      assert.equal(
        JSON.parse(res.body.toString()).message,
        "The recorder could not sign the upstream request (Could not load credentials from any providers). Give it AWS credentials (environment, profile, SSO, ...) or a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK. Nothing was recorded.",
      );
    } finally {
      await unsigned.close();
    }
  });

  test("a Bedrock API key from AWS_BEARER_TOKEN_BEDROCK is sent as a bearer token and never recorded", TIMEOUT, async () => {
    const file = join(tmp(), "bearer.json");
    const token = "ABSKbWVtb3J5LWtleS1mb3ItdGVzdHM=";
    const check = await startSignatureCheck(upstream.url, RECORDER, token);
    const previous = process.env.AWS_BEARER_TOKEN_BEDROCK;
    process.env.AWS_BEARER_TOKEN_BEDROCK = token;
    try {
      const recorder = await startEmulator({ record: file, upstream: check.url });
      const res = await bytesRequest(
        recorder.url,
        "POST",
        `/model/${MODEL}/converse`,
        JSON.stringify({ messages: userMessage("bearer") }),
      ).finally(() => recorder.close());
      assert.equal(res.status, 200);
    } finally {
      if (previous === undefined) delete process.env.AWS_BEARER_TOKEN_BEDROCK;
      else process.env.AWS_BEARER_TOKEN_BEDROCK = previous;
      await check.close();
    }
    assert.deepEqual(
      check.seen.map((s) => [s.scheme, s.valid]),
      [["bearer", true]],
    );
    assert.ok(!readFileSync(file, "utf8").includes(token));
  });

  test("contradictory or broken options fail at start with a clear message", async () => {
    await assert.rejects(startEmulator({ record: "a.json", replay: "b.json" }), /record and replay are exclusive/);
    await assert.rejects(startEmulator({ replay: join(tmp(), "nope.json") }), /does not exist; record it first/);
    const bad = join(tmp(), "bad.json");
    writeFileSync(bad, JSON.stringify({ version: 99, interactions: [] }));
    await assert.rejects(startEmulator({ replay: bad }), /unsupported version 99 \(this emulator reads version 1\)/);
    await assert.rejects(startEmulator({ record: join(tmp(), "x.json"), upstream: "ftp://example" }), /upstream URL must be http or https/);
    await assert.rejects(
      startEmulator({ record: join(tmp(), "y.json"), upstream: "http://me:pw@127.0.0.1:1" }),
      /must not carry credentials/,
    );
  });
});
