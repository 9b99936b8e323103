// Strict auth mode with the real service's messages, and the GetInferenceProfile control plane.
import { BedrockClient, GetInferenceProfileCommand, ResourceNotFoundException } from "@aws-sdk/client-bedrock";
import { AccessDeniedException, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startEmulator, type Emulator } from "bedrock-runtime-emulator";
import { adminPost, client, CREDENTIALS, MODEL, rawRequest, TIMEOUT, userMessage } from "./helpers.js";

describe("requireAuth", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ requireAuth: true });
  });
  after(() => emu.close());
  const body = JSON.stringify({ messages: userMessage("hi") });

  test("SigV4 and ABSK bearer keys pass", TIMEOUT, async () => {
    const sigv4 = client(emu.url);
    const bearer = client(emu.url, "http1", { token: { token: "ABSKZW11bGF0b3I=" }, authSchemePreference: ["httpBearerAuth"] });
    try {
      assert.equal((await sigv4.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("hi") }))).$metadata.httpStatusCode, 200);
      assert.equal((await bearer.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("hi") }))).$metadata.httpStatusCode, 200);
    } finally {
      sigv4.destroy();
      bearer.destroy();
    }
  });

  test("a bearer key without the ABSK prefix -> 403 AccessDeniedException, not retried", TIMEOUT, async () => {
    const c = client(emu.url, "h2", { token: { token: "sk-not-a-bedrock-key" }, authSchemePreference: ["httpBearerAuth"] });
    try {
      const err = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("hi") })).catch((e: Error) => e);
      assert.ok(err instanceof AccessDeniedException);
      assert.equal(err.message, "Invalid API Key format: Must start with pre-defined prefix");
      assert.equal(err.$metadata.httpStatusCode, 403);
      assert.equal(err.$metadata.attempts, 1);
    } finally {
      c.destroy();
    }
  });

  test("no credentials -> 403 AccessDeniedException", TIMEOUT, async () => {
    const res = await rawRequest(emu.url, "POST", `/model/${MODEL}/converse`, body);
    assert.equal(res.status, 403);
    assert.equal(res.headers["x-amzn-errortype"], "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/");
    assert.deepEqual(JSON.parse(res.body), { message: "Missing Authentication Token" });
  });

  test("a malformed SigV4 header -> 403 UnrecognizedClientException", TIMEOUT, async () => {
    const res = await rawRequest(emu.url, "POST", `/model/${MODEL}/converse`, body, {
      authorization: "AWS4-HMAC-SHA256 Credential=garbage",
      "x-amz-date": "20260101T000000Z",
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers["x-amzn-errortype"], "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/");
    assert.deepEqual(JSON.parse(res.body), { Message: "The security token included in the request is invalid." });
  });

  test("without requireAuth, anything goes", TIMEOUT, async () => {
    const open = await startEmulator();
    try {
      assert.equal((await rawRequest(open.url, "POST", `/model/${MODEL}/converse`, body)).status, 200);
    } finally {
      await open.close();
    }
  });
});

describe("GetInferenceProfile (bedrock control plane)", () => {
  let emu: Emulator;
  let bedrock: BedrockClient;
  const BUILT_IN = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/emulator-claude";
  before(async () => {
    emu = await startEmulator({
      inferenceProfiles: {
        "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/haiku-45": {
          modelId: "anthropic.claude-haiku-4-5-20251001-v1:0",
        },
        "arn:aws:bedrock:eu-west-1:111122223333:application-inference-profile/team-haiku": {
          modelId: "anthropic.claude-3-haiku-20240307-v1:0",
          name: "team haiku",
          description: "Haiku for the team",
        },
      },
    });
    bedrock = new BedrockClient({ endpoint: emu.url, region: "us-east-1", credentials: CREDENTIALS });
  });
  after(async () => {
    bedrock.destroy();
    await emu.close();
  });

  test("the built-in profile, by ARN and by id", TIMEOUT, async () => {
    for (const id of [BUILT_IN, "emulator-claude"]) {
      const out = await bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: id }));
      const { $metadata, ...profile } = out;
      assert.equal($metadata.httpStatusCode, 200);
      assert.deepEqual(profile, {
        inferenceProfileArn: BUILT_IN,
        inferenceProfileId: "emulator-claude",
        inferenceProfileName: "emulator-claude",
        description: "Built-in emulator application inference profile for Claude 3.5 Sonnet",
        models: [{ modelArn: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0" }],
        status: "ACTIVE",
        type: "APPLICATION",
        createdAt: new Date("2024-11-01T00:00:00.000Z"),
        updatedAt: new Date("2024-11-01T00:00:00.000Z"),
      });
    }
  });

  test("profiles from options and from POST /_emulator/inference-profiles", TIMEOUT, async () => {
    const configured = await bedrock.send(
      new GetInferenceProfileCommand({
        inferenceProfileIdentifier: "arn:aws:bedrock:eu-west-1:111122223333:application-inference-profile/team-haiku",
      }),
    );
    assert.equal(configured.inferenceProfileName, "team haiku");
    assert.deepEqual(configured.models, [
      { modelArn: "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0" },
    ]);

    const res = await adminPost(emu.url, "/_emulator/inference-profiles", {
      inferenceProfileId: "added-later",
      modelId: "anthropic.claude-3-5-haiku-20241022-v1:0",
    });
    assert.equal(res.status, 200);
    const added = await bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: "added-later" }));
    assert.equal(added.inferenceProfileArn, "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/added-later");
    assert.deepEqual(added.models, [{ modelArn: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0" }]);
  });

  test("an unknown profile -> ResourceNotFoundException 404", TIMEOUT, async () => {
    const err = await bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: "nope" })).catch((e: Error) => e);
    assert.ok(err instanceof ResourceNotFoundException);
    assert.equal(err.message, "Inference profile nope not found.");
    assert.equal(err.$metadata.httpStatusCode, 404);
  });

  test("a profile-only model works through its application profile, not by bare id", TIMEOUT, async () => {
    const c = client(emu.url, "h2", { maxAttempts: 1 });
    try {
      const arn = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/haiku-45";
      const out = await c.send(new ConverseCommand({ modelId: arn, messages: userMessage("hi") }));
      assert.equal(out.$metadata.httpStatusCode, 200);
      const bare = await c
        .send(new ConverseCommand({ modelId: "anthropic.claude-haiku-4-5-20251001-v1:0", messages: userMessage("hi") }))
        .then(
          () => assert.fail("a bare id of a profile-only model is refused"),
          (e: Error) => e,
        );
      assert.equal(bare.name, "ValidationException");
      const unknown = await c
        .send(
          new ConverseCommand({
            modelId: "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/nope",
            messages: userMessage("hi"),
          }),
        )
        .then(
          () => assert.fail("an unknown profile is refused"),
          (e: Error) => e,
        );
      assert.equal(unknown.name, "ValidationException");
      assert.equal(unknown.message, "The provided model identifier is invalid.");
    } finally {
      c.destroy();
    }
  });

  test("Converse through a known application profile ARN runs on its base model", TIMEOUT, async () => {
    const c = client(emu.url);
    try {
      const out = await c.send(new ConverseCommand({ modelId: BUILT_IN, messages: userMessage("hi") }));
      assert.equal(out.$metadata.httpStatusCode, 200);
      assert.equal(emu.requests().at(-1)!.modelId, BUILT_IN);
    } finally {
      c.destroy();
    }
  });
});
