import { test } from "node:test";
import assert from "node:assert/strict";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { DEFAULT_TIMEOUT_MS, buildClientConfig, httpTimeouts, resolveCredentials } from "./client.js";
import { BedrockConfigError } from "./errors.js";

test("explicit keys become static credentials", () => {
  assert.deepEqual(resolveCredentials({ awsAccessKeyId: "AKID1", awsSecretAccessKey: "s3cr3t", awsSessionToken: "tok" }), {
    accessKeyId: "AKID1",
    secretAccessKey: "s3cr3t",
    sessionToken: "tok",
  });
  assert.equal(resolveCredentials({}), undefined);
});

test("half a key pair is a config error that names both fields", () => {
  assert.throws(
    () => resolveCredentials({ awsAccessKeyId: "AKID1" }),
    (e: unknown) => {
      assert.ok(e instanceof BedrockConfigError);
      assert.match((e as Error).message, /Both awsAccessKeyId and awsSecretAccessKey must be specified/);
      return true;
    },
  );
  assert.throws(() => resolveCredentials({ awsSessionToken: "tok" }), BedrockConfigError);
});

test("an API key selects bearer auth and ignores AWS keys", async () => {
  const config = buildClientConfig({ bedrockApiKey: "ABSKexample", awsAccessKeyId: "AKID", awsSecretAccessKey: "s" });
  assert.deepEqual(config.authSchemePreference, ["httpBearerAuth"]);
  assert.equal(config.credentials, undefined);
  const token = await (config.token as () => Promise<{ token: string }>)();
  assert.deepEqual(token, { token: "ABSKexample" });
});

test("region, endpoint, profile, retries and a keep-alive handler", () => {
  const config = buildClientConfig({
    region: "eu-west-1",
    endpointUrl: "http://127.0.0.1:1",
    credentialsProfileName: "dev",
    maxRetries: 4,
    timeout: 1500,
  });
  assert.equal(config.region, "eu-west-1");
  assert.equal(config.endpoint, "http://127.0.0.1:1");
  assert.equal(config.profile, "dev");
  assert.equal(config.maxAttempts, 5);
  assert.ok(config.requestHandler instanceof NodeHttpHandler);
});

test("a user's requestHandler in config is kept", () => {
  const handler = new NodeHttpHandler();
  const config = buildClientConfig({ config: { requestHandler: handler } });
  assert.equal(config.requestHandler, handler);
});

test("bad maxRetries and timeout are config errors", () => {
  assert.throws(() => buildClientConfig({ maxRetries: -1 }), /maxRetries must be a whole number >= 0, got -1/);
  assert.throws(() => buildClientConfig({ timeout: 0 }), /timeout must be a positive number of milliseconds, got 0/);
});

test("our clients resolve the SDK middleware stack once per command; a user's choice wins", () => {
  assert.equal(buildClientConfig({}).cacheMiddleware, true);
  assert.equal(buildClientConfig({ config: { cacheMiddleware: false } }).cacheMiddleware, false);
});

test("every attempt has a 60 s connect and inactivity limit by default, like botocore; timeout overrides both", () => {
  assert.equal(DEFAULT_TIMEOUT_MS, 60_000);
  assert.deepEqual(httpTimeouts(undefined), { connectionTimeout: 60_000, socketTimeout: 60_000 });
  assert.deepEqual(httpTimeouts(1500), { connectionTimeout: 1500, socketTimeout: 1500, requestTimeout: 1500, throwOnRequestTimeout: true });
});
