import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { BedrockCapabilityError } from "./errors.js";
import {
  applyReasoningEffort,
  baseModelFromInferenceProfileArn,
  claudeVersion,
  defaultToolChoice,
  disableStreamingDecision,
  inferBaseModelId,
  inferProvider,
  isAnthropicModel,
  isApplicationInferenceProfile,
  isNova2Model,
  isNovaModel,
  isThinkingEnabled,
  omitsMaxTokens,
  reasoningEffortLevels,
  supportedToolChoiceValues,
  supportsCountTokens,
  supportsTemperature,
  validateNova2ReasoningConfig,
} from "./capabilities.js";

const AIP_ARN = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123xyz";

describe("provider and base model", () => {
  const cases: Array<[modelId: string, provider: string, base: string]> = [
    ["anthropic.claude-3-haiku-20240307-v1:0", "anthropic", "anthropic.claude-3-haiku-20240307-v1:0"],
    ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic", "anthropic.claude-sonnet-4-5-20250929-v1:0"],
    ["eu.amazon.nova-pro-v1:0", "amazon", "amazon.nova-pro-v1:0"],
    ["us-gov.meta.llama3-1-70b-instruct-v1:0", "meta", "meta.llama3-1-70b-instruct-v1:0"],
    ["apac.amazon.nova-lite-v1:0", "amazon", "amazon.nova-lite-v1:0"],
    ["global.anthropic.claude-opus-4-6-v1", "anthropic", "anthropic.claude-opus-4-6-v1"],
    ["jp.anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic", "anthropic.claude-haiku-4-5-20251001-v1:0"],
    ["au.anthropic.claude-sonnet-4-6", "anthropic", "anthropic.claude-sonnet-4-6"],
    ["ca.amazon.nova-micro-v1:0", "amazon", "amazon.nova-micro-v1:0"],
    ["sa.amazon.nova-lite-v1:0", "amazon", "amazon.nova-lite-v1:0"],
    ["amer.amazon.nova-lite-v1:0", "amazon", "amazon.nova-lite-v1:0"],
    ["deepseek.v3-v1:0", "deepseek", "deepseek.v3-v1:0"],
    ["my-model", "my-model", "my-model"],
  ];
  for (const [modelId, provider, base] of cases) {
    test(`${modelId} → ${provider}, ${base}`, () => {
      assert.equal(inferProvider(modelId), provider);
      assert.equal(inferBaseModelId(modelId), base);
    });
  }

  test("explicit provider and base model win", () => {
    assert.equal(inferProvider("us.anthropic.claude-3-haiku", "Meta"), "meta");
    assert.equal(inferBaseModelId("us.anthropic.claude-3-haiku", "amazon.nova-pro-v1:0"), "amazon.nova-pro-v1:0");
  });

  test("ARN without provider throws Python's error", () => {
    assert.throws(
      () => inferProvider("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"),
      (e: unknown) =>
        e instanceof BedrockCapabilityError && e.message === "Model provider should be supplied when passing a model ARN as model_id.",
    );
    assert.throws(() => inferProvider(AIP_ARN), BedrockCapabilityError);
    assert.equal(inferProvider(AIP_ARN, "anthropic"), "anthropic");
  });

  test("empty model id throws", () => {
    assert.throws(() => inferProvider(""), /Either model_id or model must be specified/);
  });

  test("ARNs stay ARNs as base model", () => {
    assert.equal(inferBaseModelId(AIP_ARN), AIP_ARN);
  });

  test("application inference profiles", () => {
    assert.equal(isApplicationInferenceProfile(AIP_ARN), true);
    assert.equal(isApplicationInferenceProfile("us.anthropic.claude-3-haiku"), false);
    assert.equal(
      baseModelFromInferenceProfileArn("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"),
      "anthropic.claude-3-haiku-20240307-v1:0",
    );
  });
});

describe("families", () => {
  test("claudeVersion reads both naming styles", () => {
    assert.deepEqual(claudeVersion("anthropic.claude-3-7-sonnet-20250219-v1:0"), { family: "sonnet", major: 3, minor: 7 });
    assert.deepEqual(claudeVersion("anthropic.claude-3-haiku-20240307-v1:0"), { family: "haiku", major: 3, minor: 0 });
    assert.deepEqual(claudeVersion("anthropic.claude-opus-4-20250514-v1:0"), { family: "opus", major: 4, minor: 0 });
    assert.deepEqual(claudeVersion("anthropic.claude-opus-4-1-20250805-v1:0"), { family: "opus", major: 4, minor: 1 });
    assert.deepEqual(claudeVersion("anthropic.claude-sonnet-5"), { family: "sonnet", major: 5, minor: 0 });
    assert.equal(claudeVersion("anthropic.claude-v2:1"), undefined);
    assert.equal(claudeVersion("anthropic.claude-instant-v1"), undefined);
    assert.equal(claudeVersion("amazon.nova-pro-v1:0"), undefined);
  });

  test("predicates", () => {
    assert.equal(isAnthropicModel("anthropic.claude-3-haiku"), true);
    assert.equal(isAnthropicModel("arn:aws:whatever", "anthropic"), true);
    assert.equal(isAnthropicModel("amazon.nova-pro-v1:0", "amazon"), false);
    assert.equal(isNovaModel("amazon.nova-pro-v1:0"), true);
    assert.equal(isNovaModel("amazon.titan-text-express-v1"), false);
    assert.equal(isNova2Model("amazon.nova-2-lite-v1:0"), true);
    assert.equal(isNova2Model("amazon.nova-lite-v1:0"), false);
  });
});

describe("tool choice support", () => {
  const thinking = { thinking: { type: "enabled", budget_tokens: 1024 } };
  const adaptive = { thinking: { type: "adaptive" } };
  const matrix: Array<[base: string, fields: Record<string, unknown> | undefined, expected: string[]]> = [
    ["anthropic.claude-3-haiku-20240307-v1:0", undefined, ["auto", "any", "tool"]],
    ["anthropic.claude-3-haiku-20240307-v1:0", thinking, ["auto", "any", "tool"]],
    ["anthropic.claude-3-7-sonnet-20250219-v1:0", undefined, ["auto", "any", "tool"]],
    ["anthropic.claude-3-7-sonnet-20250219-v1:0", thinking, ["auto"]],
    ["anthropic.claude-sonnet-4-5-20250929-v1:0", thinking, ["auto"]],
    ["anthropic.claude-opus-4-6-v1", adaptive, ["auto"]],
    ["anthropic.claude-haiku-4-5-20251001-v1:0", thinking, ["auto"]],
    ["anthropic.claude-opus-4-8", adaptive, ["auto", "any", "tool"]],
    ["anthropic.claude-sonnet-5", adaptive, ["auto", "any", "tool"]],
    ["anthropic.claude-opus-4-6-v1", { thinking: { type: "disabled" } }, ["auto", "any", "tool"]],
    ["meta.llama4-maverick-17b-instruct-v1:0", undefined, ["auto"]],
    ["meta.llama3-1-70b-instruct-v1:0", undefined, ["auto"]],
    ["meta.llama3-3-70b-instruct-v1:0", undefined, ["auto"]],
    ["meta.llama3-2-90b-instruct-v1:0", undefined, ["auto"]],
    ["meta.llama3-2-11b-instruct-v1:0", undefined, ["auto"]],
    ["meta.llama3-2-3b-instruct-v1:0", undefined, []],
    ["meta.llama3-8b-instruct-v1:0", undefined, []],
    ["mistral.mistral-large-2407-v1:0", undefined, ["auto", "any"]],
    ["mistral.mistral-small-2402-v1:0", undefined, []],
    ["amazon.nova-pro-v1:0", undefined, ["auto", "any", "tool"]],
    ["amazon.nova-2-lite-v1:0", undefined, ["auto", "any", "tool"]],
    ["deepseek.v3-v1:0", undefined, ["any"]],
    ["deepseek.v3.2", undefined, ["any", "tool"]],
    ["deepseek.r1-v1:0", undefined, []],
    ["cohere.command-r-plus-v1:0", undefined, []],
  ];
  for (const [base, fields, expected] of matrix) {
    test(`${base}${fields ? ` with ${JSON.stringify(fields)}` : ""} → [${expected.join(", ")}]`, () => {
      assert.deepEqual(supportedToolChoiceValues(base, fields), expected);
    });
  }

  test("isThinkingEnabled", () => {
    assert.equal(isThinkingEnabled(thinking), true);
    assert.equal(isThinkingEnabled(adaptive), true);
    assert.equal(isThinkingEnabled({ thinking: { type: "disabled" } }), false);
    assert.equal(isThinkingEnabled(undefined), false);
    assert.equal(isThinkingEnabled({ thinking: "enabled" }), false);
  });

  test("DeepSeek V3 gets a forced any by default; others none", () => {
    assert.equal(defaultToolChoice("deepseek.v3-v1:0"), "any");
    assert.equal(defaultToolChoice("deepseek.r1-v1:0"), undefined);
    assert.equal(defaultToolChoice("anthropic.claude-3-haiku"), undefined);
  });
});

describe("disable streaming", () => {
  const matrix: Array<[provider: string, base: string, expected: boolean | "tool_calling"]> = [
    ["ai21", "ai21.jamba-1-5-large-v1:0", false],
    ["ai21", "ai21.jamba-instruct-v1:0", "tool_calling"],
    ["amazon", "amazon.nova-lite-v1:0", false],
    ["amazon", "amazon.nova-micro-v1:0", false],
    ["amazon", "amazon.nova-pro-v1:0", false],
    ["amazon", "amazon.nova-premier-v1:0", false],
    ["amazon", "amazon.nova-2-lite-v1:0", false],
    ["amazon", "amazon.titan-text-express-v1", "tool_calling"],
    ["anthropic", "anthropic.claude-3-5-sonnet-20240620-v1:0", false],
    ["anthropic", "anthropic.claude-sonnet-4-5-20250929-v1:0", false],
    ["anthropic", "anthropic.claude-opus-4-6-v1", false],
    ["anthropic", "anthropic.claude-haiku-4-5-20251001-v1:0", false],
    ["anthropic", "anthropic.claude-opus-5", false],
    ["anthropic", "anthropic.claude-fable-5", false],
    ["anthropic", "anthropic.claude-v2:1", "tool_calling"],
    ["anthropic", "anthropic.claude-instant-v1", "tool_calling"],
    ["openai", "openai.gpt-oss-120b-1:0", false],
    ["cohere", "cohere.command-r-plus-v1:0", "tool_calling"], // Bedrock: no streaming tool use (Python: false)
    ["cohere", "cohere.command-text-v14", "tool_calling"],
    ["meta", "meta.llama3-1-70b-instruct-v1:0", "tool_calling"],
    ["mistral", "mistral.mistral-large-2407-v1:0", "tool_calling"],
    ["deepseek", "deepseek.v3-v1:0", false],
    ["deepseek", "deepseek.r1-v1:0", "tool_calling"],
    ["qwen", "qwen.qwen3-32b-v1:0", false],
    ["moonshot", "moonshot.kimi-k2-thinking", false],
    ["moonshotai", "moonshotai.kimi-k2.5", false],
    ["writer", "writer.palmyra-x5-v1:0", "tool_calling"],
  ];
  for (const [provider, base, expected] of matrix) {
    test(`${base} → ${String(expected)}`, () => {
      const d = disableStreamingDecision(provider, base);
      assert.equal(d.value, expected);
      assert.equal(d.warning, undefined);
    });
  }

  test("unknown models disable streaming with a warning", () => {
    const d = disableStreamingDecision("acme", "acme.frontier-9");
    assert.equal(d.value, true);
    assert.match(d.warning ?? "", /disableStreaming: false/);
    assert.match(d.warning ?? "", /acme\.frontier-9/);
  });

  test("the provider must match, not just the substring", () => {
    assert.equal(disableStreamingDecision("custom", "custom.nova-lite-clone").value, true);
  });
});

describe("CountTokens and sampling parameters", () => {
  test("CountTokens support", () => {
    for (const yes of [
      "anthropic.claude-3-5-haiku-20241022-v1:0",
      "anthropic.claude-3-7-sonnet-20250219-v1:0",
      "anthropic.claude-opus-4-20250514-v1:0",
      "anthropic.claude-sonnet-4-5-20250929-v1:0",
      "anthropic.claude-haiku-4-5-20251001-v1:0",
    ])
      assert.equal(supportsCountTokens(yes), true, yes);
    for (const no of ["anthropic.claude-3-haiku-20240307-v1:0", "amazon.nova-pro-v1:0", "meta.llama3-1-70b-instruct-v1:0"]) {
      assert.equal(supportsCountTokens(no), false, no);
    }
  });

  test("Opus 4.7 and later drop temperature and topP", () => {
    assert.equal(supportsTemperature("anthropic.claude-opus-4-7"), false);
    assert.equal(supportsTemperature("anthropic.claude-opus-4-8"), false);
    assert.equal(supportsTemperature("anthropic.claude-opus-5"), false);
    assert.equal(supportsTemperature("anthropic.claude-opus-4-6-v1"), true);
    assert.equal(supportsTemperature("anthropic.claude-opus-4-20250514-v1:0"), true);
    assert.equal(supportsTemperature("anthropic.claude-sonnet-4-6"), true);
    assert.equal(supportsTemperature("amazon.nova-pro-v1:0"), true);
  });
});

describe("reasoning effort", () => {
  test("levels per family", () => {
    assert.deepEqual(reasoningEffortLevels("anthropic.claude-opus-4-6-v1"), ["low", "medium", "high", "max"]);
    assert.deepEqual(reasoningEffortLevels("anthropic.claude-opus-4-7"), ["low", "medium", "high", "xhigh", "max"]);
    assert.deepEqual(reasoningEffortLevels("anthropic.claude-sonnet-5"), ["low", "medium", "high", "xhigh", "max"]);
    assert.equal(reasoningEffortLevels("anthropic.claude-sonnet-4-5-20250929-v1:0"), undefined);
    assert.equal(reasoningEffortLevels("anthropic.claude-haiku-4-5-20251001-v1:0"), undefined);
    assert.equal(reasoningEffortLevels("anthropic.claude-3-7-sonnet-20250219-v1:0"), undefined);
    assert.deepEqual(reasoningEffortLevels("amazon.nova-2-lite-v1:0"), ["low", "medium", "high"]);
    assert.deepEqual(reasoningEffortLevels("openai.gpt-oss-120b-1:0"), ["low", "medium", "high"]);
    assert.deepEqual(reasoningEffortLevels("moonshotai.kimi-k2.5", "moonshotai"), ["low", "medium", "high"]);
    assert.equal(reasoningEffortLevels("amazon.nova-pro-v1:0"), undefined);
  });

  test("Claude: adaptive thinking + outputConfig.effort, inputs untouched", () => {
    const fields = { top_k: 5 };
    const outputConfig = { textFormat: { type: "json_schema" as const, structure: undefined } };
    const r = applyReasoningEffort("high", "anthropic.claude-opus-4-6-v1", "anthropic", fields, outputConfig);
    assert.deepEqual(r.additionalModelRequestFields, { top_k: 5, thinking: { type: "adaptive" } });
    assert.deepEqual(r.outputConfig, { textFormat: { type: "json_schema", structure: undefined }, effort: "high" });
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.inferenceConfigPatch, { omit: [] });
    assert.deepEqual(fields, { top_k: 5 });
    assert.deepEqual(outputConfig, { textFormat: { type: "json_schema", structure: undefined } });
  });

  test("Claude: explicit thinking and effort win", () => {
    const thinking = { type: "enabled", budget_tokens: 2048 };
    const r = applyReasoningEffort("max", "anthropic.claude-opus-4-7", "anthropic", { thinking }, { effort: "low" });
    assert.deepEqual(r.additionalModelRequestFields, { thinking });
    assert.deepEqual(r.outputConfig, { effort: "low" });
    const native = applyReasoningEffort("max", "anthropic.claude-opus-4-7", "anthropic", { output_config: { effort: "low" } });
    assert.equal(native.outputConfig, undefined);
    assert.deepEqual(native.additionalModelRequestFields, { output_config: { effort: "low" }, thinking: { type: "adaptive" } });
  });

  test("older Claude: warning, nothing translated", () => {
    const fields = { foo: 1 };
    const r = applyReasoningEffort("high", "anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic", fields);
    assert.equal(r.additionalModelRequestFields, fields);
    assert.equal(r.outputConfig, undefined);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /not supported for model "anthropic\.claude-sonnet-4-5/);
  });

  test("unsupported level throws listing the levels", () => {
    assert.throws(
      () => applyReasoningEffort("xhigh", "anthropic.claude-opus-4-6-v1", "anthropic"),
      (e: unknown) =>
        e instanceof BedrockCapabilityError &&
        e.message ===
          'reasoningEffort "xhigh" is not supported by model "anthropic.claude-opus-4-6-v1". Supported values: low, medium, high, max.',
    );
    assert.throws(() => applyReasoningEffort("max", "amazon.nova-2-lite-v1:0", "amazon"), /Supported values: low, medium, high\./);
    assert.throws(() => applyReasoningEffort("max", "openai.gpt-oss-20b-1:0", "openai"), BedrockCapabilityError);
    assert.throws(() => applyReasoningEffort("xhigh", "moonshot.kimi-k2-thinking", "moonshot"), BedrockCapabilityError);
  });

  test("Nova 2: reasoningConfig; high drops maxTokens", () => {
    const medium = applyReasoningEffort("medium", "amazon.nova-2-lite-v1:0", "amazon");
    assert.deepEqual(medium.additionalModelRequestFields, { reasoningConfig: { type: "enabled", maxReasoningEffort: "medium" } });
    assert.deepEqual(medium.inferenceConfigPatch.omit, []);
    const high = applyReasoningEffort("high", "amazon.nova-2-lite-v1:0", "amazon");
    assert.deepEqual(high.additionalModelRequestFields, { reasoningConfig: { type: "enabled", maxReasoningEffort: "high" } });
    assert.deepEqual(high.inferenceConfigPatch.omit, ["maxTokens"]);
    assert.equal(high.outputConfig, undefined);
  });

  test("Nova: explicit reasoningConfig high drops maxTokens even without reasoningEffort", () => {
    const fields = { reasoningConfig: { type: "enabled", maxReasoningEffort: "high" } };
    assert.deepEqual(applyReasoningEffort(undefined, "amazon.nova-2-lite-v1:0", "amazon", fields).inferenceConfigPatch.omit, ["maxTokens"]);
    assert.equal(omitsMaxTokens("amazon.nova-2-lite-v1:0", { reasoningConfig: { type: "enabled", maxReasoningEffort: "low" } }), false);
    assert.equal(omitsMaxTokens("anthropic.claude-opus-4-6-v1", fields), false);
  });

  test("gpt-oss and Moonshot: flat reasoning_effort; explicit wins", () => {
    assert.deepEqual(applyReasoningEffort("low", "openai.gpt-oss-120b-1:0", "openai").additionalModelRequestFields, {
      reasoning_effort: "low",
    });
    assert.deepEqual(applyReasoningEffort("high", "moonshot.kimi-k2-thinking", "moonshot").additionalModelRequestFields, {
      reasoning_effort: "high",
    });
    assert.deepEqual(
      applyReasoningEffort("high", "openai.gpt-oss-120b-1:0", "openai", { reasoning_effort: "low" }).additionalModelRequestFields,
      { reasoning_effort: "low" },
    );
  });

  test("no effort: inputs returned as they are", () => {
    const fields = { a: 1 };
    const r = applyReasoningEffort(undefined, "anthropic.claude-opus-4-6-v1", "anthropic", fields);
    assert.equal(r.additionalModelRequestFields, fields);
    assert.deepEqual(r.warnings, []);
  });
});

describe("Nova 2 reasoningConfig validation", () => {
  const nova2 = "amazon.nova-2-lite-v1:0";
  test("accepts low/medium/high, disabled, and no config", () => {
    for (const e of ["low", "medium", "high"]) {
      assert.doesNotThrow(() => validateNova2ReasoningConfig(nova2, { reasoningConfig: { type: "enabled", maxReasoningEffort: e } }));
    }
    assert.doesNotThrow(() => validateNova2ReasoningConfig(nova2, { reasoningConfig: { type: "disabled" } }));
    assert.doesNotThrow(() => validateNova2ReasoningConfig(nova2, undefined));
  });
  test("rejects enabled without effort, a bad level, or a non-string", () => {
    assert.throws(() => validateNova2ReasoningConfig(nova2, { reasoningConfig: { type: "enabled" } }), /got nothing/);
    assert.throws(
      () => validateNova2ReasoningConfig(nova2, { reasoningConfig: { type: "enabled", maxReasoningEffort: "max" } }),
      /one of low, medium, high; got "max"/,
    );
    assert.throws(
      () => validateNova2ReasoningConfig(nova2, { reasoningConfig: { type: "enabled", maxReasoningEffort: 3 } }),
      BedrockCapabilityError,
    );
  });
  test("only Nova 2 is checked", () => {
    assert.doesNotThrow(() => validateNova2ReasoningConfig("amazon.nova-pro-v1:0", { reasoningConfig: { type: "enabled" } }));
  });
});
