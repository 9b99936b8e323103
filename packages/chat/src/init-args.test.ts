import { test } from "node:test";
import assert from "node:assert/strict";
import { BedrockConfigError } from "./errors.js";
import { SAME_NAME_INIT_ARGS, SNAKE_CASE_INIT_ARGS, identifierWords, looksLikeCredentialName, normalizeInitArgs } from "./init-args.js";
import { isKnownInitArg } from "./options.js";

const noWarn = (m: string) => assert.fail(`unexpected warning: ${m}`);
const normalize = (input: Record<string, unknown>, warn: (m: string) => void = noWarn) => normalizeInitArgs(input, isKnownInitArg, warn);

/** Every init arg of Python's ChatBedrockConverse (fields, aliases, inherited), as of langchain-aws 1.7. */
const PYTHON_INIT_ARGS = [
  "client",
  "bedrock_client",
  "model_id",
  "model",
  "base_model_id",
  "base_model",
  "system",
  "max_tokens",
  "stop_sequences",
  "stop",
  "temperature",
  "top_p",
  "region_name",
  "credentials_profile_name",
  "aws_access_key_id",
  "aws_secret_access_key",
  "aws_session_token",
  "bedrock_api_key",
  "api_key",
  "provider",
  "streaming",
  "endpoint_url",
  "base_url",
  "default_headers",
  "config",
  "timeout",
  "max_retries",
  "guardrail_config",
  "guardrails",
  "additional_model_request_fields",
  "reasoning_effort",
  "additional_model_response_field_paths",
  "supports_tool_choice_values",
  "performance_config",
  "service_tier",
  "output_config",
  "request_metadata",
  "guard_last_turn_only",
  "raw_blocks",
  "disable_streaming",
  "output_version",
  "cache",
  "callbacks",
  "tags",
  "metadata",
  "verbose",
];

test("every Python init arg maps to an argument the class knows", () => {
  const covered = new Set<string>([...Object.keys(SNAKE_CASE_INIT_ARGS), ...SAME_NAME_INIT_ARGS]);
  for (const name of PYTHON_INIT_ARGS) {
    assert.ok(covered.has(name), `${name} has no entry`);
    const out = normalize({ [name]: 5000 });
    const keys = Object.keys(out);
    assert.equal(keys.length, 1, name);
    assert.ok(isKnownInitArg(keys[0]), `${name} → ${keys[0]} is not a known constructor argument`);
    assert.equal(out[keys[0]], 5000);
  }
});

test("snake_case names become the camelCase args, the snake key is gone", () => {
  const headers = { "x-team": "a" };
  const out = normalize({
    model_id: "m",
    region_name: "eu-west-1",
    endpoint_url: "http://127.0.0.1:1",
    aws_access_key_id: "id",
    aws_secret_access_key: "s",
    aws_session_token: "t",
    bedrock_api_key: "k",
    max_tokens: 10,
    top_p: 0.5,
    stop_sequences: ["x"],
    default_headers: headers,
    max_retries: 0,
    guard_last_turn_only: true,
    temperature: 0,
  });
  assert.deepEqual(out, {
    modelId: "m",
    regionName: "eu-west-1",
    endpointUrl: "http://127.0.0.1:1",
    awsAccessKeyId: "id",
    awsSecretAccessKey: "s",
    awsSessionToken: "t",
    bedrockApiKey: "k",
    maxTokens: 10,
    topP: 0.5,
    stopSequences: ["x"],
    defaultHeaders: headers,
    maxRetries: 0,
    guardLastTurnOnly: true,
    temperature: 0,
  });
});

test("the same arg under both names: equal values are fine, different ones are a config error", () => {
  assert.deepEqual(normalize({ maxTokens: 5, max_tokens: 5 }), { maxTokens: 5 });
  assert.deepEqual(normalize({ max_tokens: undefined, maxTokens: 5 }), { maxTokens: 5 });
  assert.throws(
    () => normalize({ maxTokens: 5, max_tokens: 6 }),
    (e: unknown) => {
      assert.ok(e instanceof BedrockConfigError);
      assert.match((e as Error).message, /both maxTokens and max_tokens were given, with different values/);
      return true;
    },
  );
});

test("a secret under both names with different values is refused without echoing either", () => {
  assert.throws(
    () => normalize({ awsSecretAccessKey: "first-secret-value", aws_secret_access_key: "second-secret-value" }),
    (e: unknown) => {
      assert.ok(e instanceof BedrockConfigError);
      assert.doesNotMatch((e as Error).message, /secret-value/);
      return true;
    },
  );
});

test("model_kwargs merges under additionalModelRequestFields (explicit keys win) with a warning", () => {
  const warnings: string[] = [];
  const out = normalize({ model_kwargs: { top_k: 5, anthropic_beta: ["a"] }, additional_model_request_fields: { top_k: 7 } }, (m) =>
    warnings.push(m),
  );
  assert.deepEqual(out, { additionalModelRequestFields: { top_k: 7, anthropic_beta: ["a"] } });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /model_kwargs is deprecated/);
  assert.throws(() => normalize({ model_kwargs: "top_k=5" }), BedrockConfigError);
});

test("identifier words split camelCase, acronyms and separators", () => {
  assert.deepEqual(identifierWords("awsSecretAccessKey"), ["aws", "secret", "access", "key"]);
  assert.deepEqual(identifierWords("AWS_SECRET_ACCESS_KEY"), ["aws", "secret", "access", "key"]);
  assert.deepEqual(identifierWords("x-api-key"), ["x", "api", "key"]);
  assert.deepEqual(identifierWords("APIKey"), ["api", "key"]);
});

const CREDENTIAL_NAMES = [
  "aws_secret_key",
  "awsSecretKey",
  "secret_access_key",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "access_key",
  "accessKeyId",
  "session_token",
  "sessionToken",
  "AWS_SESSION_TOKEN",
  "AWS_BEARER_TOKEN_BEDROCK",
  "bearer_token",
  "api_token",
  "x-api-key",
  "apikey",
  "password",
  "db_passwd",
  "private_key",
  "authorization",
  "auth",
  "signature",
  "key",
  "aws_key",
  "secret",
  "client_secret",
];
const MODEL_FIELD_NAMES = [
  "top_k",
  "thinking",
  "anthropic_beta",
  "reasoning_config",
  "inferenceConfig",
  "max_completion_tokens",
  "budget_tokens",
  "response_format",
  "tokens",
  "max_new_tokens",
  "keywords",
  "monkey",
  "author",
];

test("credential-shaped names are recognised; model field names are not", () => {
  for (const name of CREDENTIAL_NAMES) assert.ok(looksLikeCredentialName(name), name);
  for (const name of MODEL_FIELD_NAMES) assert.ok(!looksLikeCredentialName(name), name);
});

test("an unknown arg that looks like a credential is refused by name, never echoing its value", () => {
  for (const name of CREDENTIAL_NAMES) {
    assert.throws(
      () => normalize({ model: "m", [name]: "the-value-itself-42" }),
      (e: unknown) => {
        assert.ok(e instanceof BedrockConfigError, name);
        assert.ok((e as Error).message.includes(`"${name}"`), (e as Error).message);
        assert.doesNotMatch((e as Error).message, /the-value-itself-42/);
        assert.doesNotMatch(JSON.stringify(e), /the-value-itself-42/);
        return true;
      },
    );
  }
  assert.throws(() => normalize({ model_kwargs: { aws_secret_key: "v" } }), /model_kwargs key "aws_secret_key"/);
});

test("an unknown arg whose value is shaped like an AWS key or Bedrock API key is refused too", () => {
  for (const value of ["AKIAIOSFODNN7EXAMPLE", "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl", { nested: ["ASIAIOSFODNN7EXAMPLE"] }]) {
    assert.throws(
      () => normalize({ region_hint: value }),
      (e: unknown) => {
        assert.ok(e instanceof BedrockConfigError);
        assert.doesNotMatch((e as Error).message, /IOSFODNN7|QmVkcm9ja0/);
        return true;
      },
    );
  }
});

test("other unknown args pass through for build_extra, known credential args are untouched", () => {
  assert.deepEqual(normalize({ top_k: 5, thinking: { type: "enabled", budget_tokens: 1024 } }), {
    top_k: 5,
    thinking: { type: "enabled", budget_tokens: 1024 },
  });
  assert.deepEqual(normalize({ awsSecretAccessKey: "AKIA-looking-but-known", credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE" } }), {
    awsSecretAccessKey: "AKIA-looking-but-known",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE" },
  });
});

test("a timeout below one second warns that it is in milliseconds, unlike Python's seconds", () => {
  const warnings: string[] = [];
  assert.deepEqual(
    normalize({ timeout: 30 }, (m) => warnings.push(m)),
    { timeout: 30 },
  );
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0],
    /timeout is in milliseconds \(Python's is in seconds\), so 30 allows 30 ms per attempt\. For 30 seconds pass 30000\./,
  );
  assert.deepEqual(normalize({ timeout: 30_000 }), { timeout: 30_000 });
});
