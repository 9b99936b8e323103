// What tracers (LangSmith, any handler) read about a run, spelled as LangChain.js spells it:
// getLsParams' six keys, and ls_structured_output_format {kwargs: {method}, schema: toJsonSchema(schema)}.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import type { Emulator } from "bedrock-runtime-emulator";
import { z } from "zod";
import { emulator, model } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

class StartRecorder extends BaseCallbackHandler {
  name = "StartRecorder";
  extraParams: Record<string, unknown>[] = [];
  metadata: Record<string, unknown>[] = [];
  override handleChatModelStart(
    _llm: unknown,
    _m: unknown,
    _r: string,
    _p?: string,
    extra?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ): void {
    this.extraParams.push(extra ?? {});
    this.metadata.push(metadata ?? {});
  }
}

describe("getLsParams", () => {
  test("exactly LangChain.js's six keys, from the instance and overridden by the call", () => {
    const m = model(emu, { temperature: 0.2, maxTokens: 300, stopSequences: ["STOP"] });
    const params = m.getLsParams({} as never);
    assert.deepEqual(params, {
      ls_provider: "amazon_bedrock",
      ls_model_name: "anthropic.claude-3-haiku-20240307-v1:0",
      ls_model_type: "chat",
      ls_temperature: 0.2,
      ls_max_tokens: 300,
      ls_stop: ["STOP"],
    });
    assert.deepEqual(m.getLsParams({ temperature: 1, maxTokens: 5, stop: ["X"] } as never), {
      ...params,
      ls_temperature: 1,
      ls_max_tokens: 5,
      ls_stop: ["X"],
    });
  });

  test("an inference profile traces the base model; the run metadata carries the params", async () => {
    const h = new StartRecorder();
    await model(emu, { model: "us.anthropic.claude-3-haiku-20240307-v1:0" }).invoke("hi", { callbacks: [h] });
    const md = h.metadata[0]!;
    assert.equal(md.ls_model_name, "anthropic.claude-3-haiku-20240307-v1:0");
    assert.equal(md.ls_provider, "amazon_bedrock");
    assert.equal(md.ls_invocation_params, undefined);
  });
});

describe("ls_structured_output_format", () => {
  const Person = z.object({ name: z.string().describe("Name"), age: z.number().int().describe("Age") }).describe("A person");
  const cases = [
    { method: "functionCalling", model: "anthropic.claude-3-haiku-20240307-v1:0" },
    { method: "jsonSchema", model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" },
    { method: "promptPrefill", model: "amazon.nova-lite-v1:0" },
  ] as const;
  for (const c of cases) {
    test(`${c.method}: {kwargs: {method: "${c.method}"}, schema: toJsonSchema(schema)} reaches handleChatModelStart`, async () => {
      const h = new StartRecorder();
      const structured = model(emu, { model: c.model }).withStructuredOutput(Person, {
        name: "Person",
        method: c.method,
        includeRaw: true,
      });
      await structured.invoke("Describe a person.", { callbacks: [h] });
      assert.equal(h.extraParams.length, 1);
      const options = h.extraParams[0]!.options as { ls_structured_output_format?: unknown };
      const expected = { kwargs: { method: c.method }, schema: toJsonSchema(Person) };
      assert.deepEqual(options.ls_structured_output_format, expected);
      assert.equal((expected.schema as { $schema?: string }).$schema !== undefined, true, "core's JSON schema keeps its $schema");
    });
  }

  test("snake_case method aliases are recorded under LangChain.js's names", async () => {
    const h = new StartRecorder();
    await model(emu)
      .withStructuredOutput(Person, { method: "function_calling" as never })
      .invoke("Describe a person.", { callbacks: [h] });
    assert.deepEqual(
      (h.extraParams[0]!.options as { ls_structured_output_format: { kwargs: unknown } }).ls_structured_output_format.kwargs,
      { method: "functionCalling" },
    );
  });
});
