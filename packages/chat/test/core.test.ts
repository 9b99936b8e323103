// ChatBedrockConverse over real HTTP against the emulator: invoke, stream, batch, metadata, usage,
// init args on the wire, environment variables, serialization.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { AIMessage, type AIMessageChunk, HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { Emulator } from "bedrock-runtime-emulator";
import { ChatBedrockConverse } from "langchain-bedrock-converse";
import {
  FAKE_KEY_ID,
  FAKE_SECRET,
  MODEL,
  emulator,
  lastBody,
  model,
  runtimeRequests,
  translateMessages,
  translation,
  withEnv,
} from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

describe("invoke", () => {
  test("returns the documented AIMessage: list content, id, metadata, usage", async () => {
    emu.setScript([translation]);
    const msg = await model(emu).invoke(translateMessages);
    assert.ok(msg instanceof AIMessage);
    assert.deepEqual(msg.content, [{ type: "text", text: "J'aime la programmation." }]);
    assert.deepEqual(msg.usage_metadata, { input_tokens: 25, output_tokens: 11, total_tokens: 36 });
    const md = msg.response_metadata as Record<string, any>;
    const requestId = md.ResponseMetadata.RequestId;
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    // One id per reply in LangChain's form; Bedrock's request id is metadata, not the message id.
    assert.match(msg.id!, /^run-[0-9a-f-]{36}$/);
    assert.notEqual(msg.id, `run-${requestId}`);
    assert.equal(md.ResponseMetadata.HTTPStatusCode, 200);
    assert.equal(md.ResponseMetadata.RetryAttempts, 0);
    assert.equal(md.ResponseMetadata.HTTPHeaders["x-amzn-requestid"], requestId);
    assert.equal(md.ResponseMetadata.HTTPHeaders["content-type"], "application/json");
    assert.match(md.ResponseMetadata.HTTPHeaders.date, /GMT$/);
    assert.equal(md.usage, undefined);
    assert.equal(md.stopReason, "end_turn");
    assert.equal(typeof md.metrics.latencyMs, "number");
    assert.equal(md.model, MODEL);
    assert.equal(md.model_name, MODEL);
    assert.equal(md.model_provider, "bedrock-converse");
  });

  test("sends system messages as system blocks and the human turn as a user message", async () => {
    emu.setScript([translation]);
    await model(emu).invoke(translateMessages);
    const body = lastBody(emu);
    assert.deepEqual(body.system, [{ text: "You are a helpful translator. Translate the user sentence to French." }]);
    assert.deepEqual(body.messages, [{ role: "user", content: [{ text: "I love programming." }] }]);
  });

  test("a plain string input and several system messages anywhere", async () => {
    const llm = model(emu, { system: ["Be brief."] });
    await llm.invoke("Hello there");
    assert.deepEqual(lastBody(emu).messages, [{ role: "user", content: [{ text: "Hello there" }] }]);
    assert.deepEqual(lastBody(emu).system, [{ text: "Be brief." }]);
    await llm.invoke([new SystemMessage("one"), new HumanMessage("a"), new SystemMessage("two"), new HumanMessage("b")]);
    const body = lastBody(emu);
    assert.deepEqual(body.system, [{ text: "Be brief." }, { text: "one" }, { text: "two" }]);
    assert.deepEqual(body.messages, [{ role: "user", content: [{ text: "a" }, { text: "b" }] }]);
  });

  test("the default model answers from the conversation with real usage", async () => {
    const msg = await model(emu).invoke("Say hello");
    assert.equal(msg.content.length, 1);
    const block = (msg.content as Array<{ type: string; text: string }>)[0];
    assert.equal(block.type, "text");
    assert.match(block.text, /Say hello/);
    const u = msg.usage_metadata!;
    assert.ok(u.input_tokens > 0 && u.output_tokens > 0);
    assert.equal(u.total_tokens, u.input_tokens + u.output_tokens);
  });
});

describe("stream", () => {
  test("yields the documented chunk sequence", async () => {
    emu.setScript([translation]);
    const chunks: AIMessageChunk[] = [];
    for await (const c of await model(emu).stream(translateMessages)) chunks.push(c);
    assert.deepEqual(chunks[0].content, []);
    const textChunks = chunks.filter((c) => Array.isArray(c.content) && c.content.some((b: any) => typeof b.text === "string"));
    assert.ok(textChunks.length >= 2, "the reply arrives in several text deltas");
    const first = (textChunks[0].content as any[])[0];
    assert.equal(first.type, "text");
    assert.equal(first.index, 0);
    for (const c of textChunks) for (const b of c.content as any[]) assert.equal(b.index, 0);
    const stopChunk = chunks.find((c) => c.response_metadata?.stopReason !== undefined)!;
    assert.equal(stopChunk.response_metadata.stopReason, "end_turn");
    const last = chunks[chunks.length - 1];
    assert.deepEqual(last.usage_metadata, { input_tokens: 25, output_tokens: 11, total_tokens: 36 });
    assert.equal(typeof (last.response_metadata as any).metrics.latencyMs, "number");
    assert.ok(chunks.indexOf(stopChunk) < chunks.length - 1, "usage comes after stopReason");
  });

  test("concatenated chunks equal the invoke result", async () => {
    emu.setScript([translation, translation]);
    const llm = model(emu);
    const invoked = await llm.invoke(translateMessages);
    let full: AIMessageChunk | undefined;
    for await (const c of await llm.stream(translateMessages)) full = full ? full.concat(c) : c;
    assert.ok(full);
    const content = (full.content as any[]).map(({ index: _i, ...rest }) => rest);
    assert.deepEqual(content, invoked.content);
    // @langchain/core's concat adds empty input/output_token_details objects; the counts must match.
    const { input_tokens, output_tokens, total_tokens } = full.usage_metadata!;
    assert.deepEqual({ input_tokens, output_tokens, total_tokens }, invoked.usage_metadata);
    for (const key of ["stopReason", "model", "model_name", "model_provider"]) {
      assert.deepEqual(full.response_metadata[key], (invoked.response_metadata as any)[key], key);
    }
    assert.equal(typeof (full.response_metadata as any).metrics.latencyMs, "number");
    assert.equal((full.response_metadata as any).ResponseMetadata.HTTPStatusCode, 200);
  });

  test("handleLLMNewToken fires once per text delta", async () => {
    emu.setScript([translation]);
    const tokens: string[] = [];
    const chunks: AIMessageChunk[] = [];
    const stream = await model(emu).stream(translateMessages, {
      callbacks: [
        {
          handleLLMNewToken: (t: string) => {
            tokens.push(t);
          },
        },
      ],
    });
    for await (const c of stream) chunks.push(c);
    assert.equal(tokens.join(""), "J'aime la programmation.");
    assert.ok(tokens.length >= 2);
  });

  test("streaming: true routes invoke through the stream and aggregates", async () => {
    emu.setScript([translation]);
    const msg = await model(emu, { streaming: true }).invoke(translateMessages);
    assert.equal(runtimeRequests(emu)[0].operation, "converse-stream");
    assert.equal((msg.content as any[]).map((b) => b.text).join(""), "J'aime la programmation.");
    const { input_tokens, output_tokens, total_tokens } = msg.usage_metadata!;
    assert.deepEqual({ input_tokens, output_tokens, total_tokens }, { input_tokens: 25, output_tokens: 11, total_tokens: 36 });
  });

  test("disableStreaming: true makes stream() call Converse", async () => {
    emu.setScript([translation]);
    const chunks: AIMessageChunk[] = [];
    for await (const c of await model(emu, { disableStreaming: true }).stream(translateMessages)) chunks.push(c);
    assert.equal(runtimeRequests(emu)[0].operation, "converse");
    assert.equal(chunks.length, 1);
    assert.deepEqual(chunks[0].content, [{ type: "text", text: "J'aime la programmation." }]);
  });
});

describe("batch", () => {
  test("answers each input in order", async () => {
    const out = await model(emu).batch(["first question", "second question"], { maxConcurrency: 2 });
    assert.equal(out.length, 2);
    assert.match((out[0].content as any[])[0].text, /first question/);
    assert.match((out[1].content as any[])[0].text, /second question/);
  });
});

describe("init args and call options on the wire", () => {
  test("every request field set in the constructor reaches the request", async () => {
    const llm = model(emu, {
      temperature: 0.3,
      maxTokens: 200,
      topP: 0.8,
      stopSequences: ["STOP"],
      system: ["You are terse.", { cachePoint: { type: "default" } }],
      additionalModelRequestFields: { top_k: 7 },
      additionalModelResponseFieldPaths: ["/stop_sequence"],
      performanceConfig: { latency: "optimized" },
      serviceTier: "priority",
      requestMetadata: { team: "search" },
      guardrailConfig: { guardrailIdentifier: "gr1abc", guardrailVersion: "1", trace: "enabled" },
      defaultHeaders: { "x-custom-header": "hello" },
    });
    await llm.invoke("hi");
    const req = runtimeRequests(emu)[0];
    const body = req.body as Record<string, unknown>;
    assert.deepEqual(body.inferenceConfig, { maxTokens: 200, temperature: 0.3, topP: 0.8, stopSequences: ["STOP"] });
    assert.deepEqual(body.system, [{ text: "You are terse." }, { cachePoint: { type: "default" } }]);
    assert.deepEqual(body.additionalModelRequestFields, { top_k: 7 });
    assert.deepEqual(body.additionalModelResponseFieldPaths, ["/stop_sequence"]);
    assert.deepEqual(body.performanceConfig, { latency: "optimized" });
    assert.deepEqual(body.serviceTier, { type: "priority" });
    assert.deepEqual(body.requestMetadata, { team: "search" });
    assert.deepEqual(body.guardrailConfig, { guardrailIdentifier: "gr1abc", guardrailVersion: "1", trace: "enabled" });
    assert.equal(req.headers["x-custom-header"], "hello");
    assert.match(req.headers.authorization, /^AWS4-HMAC-SHA256 /);
  });

  test("call options override constructor values and merge additionalModelRequestFields", async () => {
    const llm = model(emu, {
      temperature: 0.3,
      maxTokens: 200,
      additionalModelRequestFields: { top_k: 7, metadata: { user_id: "u1" } },
      serviceTier: "flex",
    });
    await llm.invoke("hi", { temperature: 0.9, stop: ["X"], additionalModelRequestFields: { top_k: 2 }, serviceTier: "priority" });
    const body = lastBody(emu);
    assert.deepEqual(body.inferenceConfig, { maxTokens: 200, temperature: 0.9, stopSequences: ["X"] });
    assert.deepEqual(body.additionalModelRequestFields, { top_k: 2, metadata: { user_id: "u1" } });
    assert.deepEqual(body.serviceTier, { type: "priority" });
  });

  test("unknown constructor args move into additionalModelRequestFields with a warning", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      const llm = model(emu, { top_k: 3 } as never);
      assert.deepEqual(llm.additionalModelRequestFields, { top_k: 3 });
      await llm.invoke("hi");
      assert.deepEqual(lastBody(emu).additionalModelRequestFields, { top_k: 3 });
      await new Promise((r) => setImmediate(r));
      assert.ok(warnings.some((w) => w.includes('"top_k"') && w.includes("additionalModelRequestFields")));
    } finally {
      process.off("warning", onWarning);
    }
  });

  test("aliases: modelId, regionName, baseUrl, stop", async () => {
    const llm = new ChatBedrockConverse({
      modelId: MODEL,
      regionName: "eu-west-1",
      baseUrl: emu.url,
      stop: ["END"],
      awsAccessKeyId: FAKE_KEY_ID,
      awsSecretAccessKey: FAKE_SECRET,
    });
    assert.equal(llm.model, MODEL);
    assert.equal(llm.region, "eu-west-1");
    assert.equal(llm.endpointUrl, emu.url);
    await llm.invoke("hi");
    const req = runtimeRequests(emu)[0];
    assert.deepEqual((req.body as any).inferenceConfig, { stopSequences: ["END"] });
    assert.equal(req.path, `/model/${encodeURIComponent(MODEL)}/converse`);
  });

  test("a ready client (the SDK's default HTTP/2 handler) is used as given, with our headers and metadata", async () => {
    const client = new BedrockRuntimeClient({
      endpoint: emu.url,
      region: "us-east-1",
      credentials: { accessKeyId: FAKE_KEY_ID, secretAccessKey: FAKE_SECRET },
    });
    try {
      emu.setScript([translation, translation]);
      const llm = new ChatBedrockConverse({ model: MODEL, client, defaultHeaders: { "x-team": "core" } });
      assert.equal(llm.client, client);
      const msg = await llm.invoke(translateMessages);
      assert.deepEqual(msg.content, [{ type: "text", text: "J'aime la programmation." }]);
      const md = msg.response_metadata as Record<string, any>;
      assert.equal(md.ResponseMetadata.HTTPHeaders["x-amzn-requestid"], md.ResponseMetadata.RequestId);
      let text = "";
      for await (const c of await llm.stream(translateMessages)) text += (c.content as any[]).map((b) => b.text ?? "").join("");
      assert.equal(text, "J'aime la programmation.");
      const reqs = runtimeRequests(emu);
      assert.deepEqual(
        reqs.map((r) => [r.protocol, r.headers["x-team"]]),
        [
          ["h2", "core"],
          ["h2", "core"],
        ],
      );
    } finally {
      client.destroy();
    }
  });

  test("reasoningEffort is translated per family on the wire, the call's value winning", async () => {
    const nova = model(emu, { model: "us.amazon.nova-2-lite-v1:0", reasoningEffort: "medium", maxTokens: 300 });
    await nova.invoke("hi");
    let body = lastBody(emu);
    assert.deepEqual(body.additionalModelRequestFields, { reasoningConfig: { type: "enabled", maxReasoningEffort: "medium" } });
    assert.deepEqual(body.inferenceConfig, { maxTokens: 300 });
    await nova.invoke("hi", { reasoningEffort: "high" });
    body = lastBody(emu);
    assert.deepEqual(body.additionalModelRequestFields, { reasoningConfig: { type: "enabled", maxReasoningEffort: "high" } });
    assert.equal(body.inferenceConfig, undefined, "Nova 2 with high effort takes no maxTokens");
    await model(emu, { model: "openai.gpt-oss-20b-1:0", reasoningEffort: "low" }).invoke("hi");
    assert.deepEqual(lastBody(emu).additionalModelRequestFields, { reasoning_effort: "low" });
  });

  test("a reasoningEffort level the family does not offer fails before any request", async () => {
    await assert.rejects(model(emu, { model: "openai.gpt-oss-20b-1:0", reasoningEffort: "max" }).invoke("hi"), /low, medium, high/);
    assert.equal(runtimeRequests(emu).length, 0);
  });

  test("properties are readable and inferred from the model id", () => {
    const llm = model(emu, { model: "us.anthropic.claude-3-5-haiku-20241022-v1:0" });
    assert.equal(llm.modelId, "us.anthropic.claude-3-5-haiku-20241022-v1:0");
    assert.equal(llm.baseModelId, "anthropic.claude-3-5-haiku-20241022-v1:0");
    assert.equal(llm.provider, "anthropic");
    assert.equal(llm.regionName, "us-east-1");
    assert.ok(llm.client);
  });

  test("an ARN without provider is rejected with Python's message", () => {
    assert.throws(
      () => model(emu, { model: "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc" }),
      /Model provider should be supplied when passing a model ARN as model_id/,
    );
  });

  test("a missing model is a config error", () => {
    assert.throws(() => new ChatBedrockConverse({}), /Either model or modelId must be specified/);
  });
});

describe("environment", () => {
  test("AWS_ENDPOINT_URL_BEDROCK_RUNTIME and AWS_REGION are used when no args are given", async () => {
    await withEnv({ AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emu.url, AWS_REGION: "ap-south-1", AWS_DEFAULT_REGION: undefined }, async () => {
      const llm = new ChatBedrockConverse({ model: MODEL, awsAccessKeyId: FAKE_KEY_ID, awsSecretAccessKey: FAKE_SECRET });
      assert.equal(llm.regionName, "ap-south-1");
      await llm.invoke("hi");
    });
    assert.equal(runtimeRequests(emu).length, 1);
  });

  test("AWS_DEFAULT_REGION is the fallback after AWS_REGION", () => {
    return withEnv({ AWS_REGION: undefined, AWS_DEFAULT_REGION: "eu-central-1" }, () => {
      assert.equal(new ChatBedrockConverse({ model: MODEL }).regionName, "eu-central-1");
    });
  });

  test("AWS_BEARER_TOKEN_BEDROCK sends Authorization: Bearer and no SigV4", async () => {
    await withEnv({ AWS_BEARER_TOKEN_BEDROCK: "ABSKZmFrZS1rZXktZm9yLXRlc3Rz" }, async () => {
      const llm = new ChatBedrockConverse({ model: MODEL, endpointUrl: emu.url, region: "us-east-1" });
      await llm.invoke("hi");
    });
    const req = runtimeRequests(emu)[0];
    assert.equal(req.headers.authorization, "Bearer [REDACTED]");
    assert.equal(req.headers["x-amz-date"], undefined);
    assert.doesNotMatch(JSON.stringify(emu.requests()), /ABSKZmFrZS1rZXktZm9yLXRlc3Rz/);
  });

  test("bedrockApiKey does the same per instance", async () => {
    await model(emu, { bedrockApiKey: "ABSKcGVyLWluc3RhbmNl" }).invoke("hi");
    assert.equal(runtimeRequests(emu)[0].headers.authorization, "Bearer [REDACTED]");
  });

  test("session tokens are sent as x-amz-security-token", async () => {
    await model(emu, { awsSessionToken: "FwoGZXIvYXdzEFAKESESSION" }).invoke("hi");
    assert.equal(runtimeRequests(emu)[0].headers["x-amz-security-token"], "[REDACTED]");
  });
});

describe("serialization and tracing", () => {
  test("toJSON holds secret references, never secret values", () => {
    const llm = model(emu, { awsSessionToken: "FwoGZXIvYXdzEFAKESESSION", bedrockApiKey: undefined });
    const json = JSON.stringify(llm.toJSON());
    assert.doesNotMatch(json, new RegExp(FAKE_SECRET));
    assert.doesNotMatch(json, /FwoGZXIvYXdzEFAKESESSION/);
    assert.doesNotMatch(json, new RegExp(FAKE_KEY_ID));
    assert.match(json, /"AWS_SECRET_ACCESS_KEY"/);
    assert.match(json, /"AWS_SESSION_TOKEN"/);
    const inspected = inspect(llm, { depth: 5 });
    assert.doesNotMatch(inspected, new RegExp(FAKE_SECRET));
  });

  test("lc_secrets maps every secret to its env var", () => {
    assert.deepEqual(model(emu).lc_secrets, {
      awsAccessKeyId: "AWS_ACCESS_KEY_ID",
      awsSecretAccessKey: "AWS_SECRET_ACCESS_KEY",
      awsSessionToken: "AWS_SESSION_TOKEN",
      bedrockApiKey: "AWS_BEARER_TOKEN_BEDROCK",
      apiKey: "AWS_BEARER_TOKEN_BEDROCK",
    });
  });

  test("LangSmith params", () => {
    const llm = model(emu, { temperature: 0.5, maxTokens: 99, stopSequences: ["s"] });
    const params = llm.getLsParams({} as never);
    assert.equal(params.ls_provider, "amazon_bedrock");
    assert.equal(params.ls_model_name, MODEL);
    assert.equal(params.ls_model_type, "chat");
    assert.equal(params.ls_temperature, 0.5);
    assert.equal(params.ls_max_tokens, 99);
    assert.deepEqual(params.ls_stop, ["s"]);
  });
});

describe("application inference profiles and tokens", () => {
  test("an application inference profile ARN resolves to its base model", async () => {
    const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/emulator-claude";
    const llm = model(emu, { model: arn, provider: "anthropic" });
    const msg = await llm.invoke("hi");
    assert.equal(llm.baseModelId, "anthropic.claude-3-5-sonnet-20240620-v1:0");
    const md = msg.response_metadata as Record<string, unknown>;
    assert.equal(md.model_name, "anthropic.claude-3-5-sonnet-20240620-v1:0");
    assert.equal(md.inference_profile_id, "emulator-claude");
    assert.equal(runtimeRequests(emu)[0].path, `/model/${encodeURIComponent(arn)}/converse`);
  });

  test("getNumTokensFromMessages calls CountTokens for bare Claude ids", async () => {
    const llm = model(emu, { model: "anthropic.claude-3-5-haiku-20241022-v1:0" });
    const n = await llm.getNumTokensFromMessages([new HumanMessage("How many tokens is this?")]);
    const req = runtimeRequests(emu)[0];
    assert.equal(req.operation, "count-tokens");
    assert.ok(Number.isInteger(n) && n > 0);
  });

  test("getNumTokensFromMessages falls back to the local estimate where CountTokens is not offered", async () => {
    const llm = model(emu, { model: "amazon.nova-lite-v1:0" });
    const n = await llm.getNumTokensFromMessages([new HumanMessage("abcdefgh")]);
    assert.equal(n, Math.ceil("abcdefgh".length / 4) + 3);
    assert.equal(runtimeRequests(emu).length, 0);
  });
});
