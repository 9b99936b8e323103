import { test } from "node:test";
import assert from "node:assert/strict";
import { validateRequest } from "./index.js";
import { signReasoning } from "../model/signature.js";
import type { Operation } from "../types.js";

const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"; // on demand, no thinking
const SONNET37 = "us.anthropic.claude-3-7-sonnet-20250219-v1:0"; // thinking
const P = "The model returned the following errors: ";

const user = (...content: unknown[]) => ({ role: "user", content });
const assistant = (...content: unknown[]) => ({ role: "assistant", content });
const text = (t: string) => ({ text: t });
const tool = (name: string, json: unknown = { type: "object" }) => ({ toolSpec: { name, inputSchema: { json } } });
const use = (id: string, name = "get_weather", input: unknown = {}) => ({ toolUse: { toolUseId: id, name, input } });
const result = (id: string) => ({ toolResult: { toolUseId: id, content: [{ text: "ok" }] } });
const thinking = (budget: number) => ({ thinking: { type: "enabled", budget_tokens: budget } });
const reasoning = (t: string, signature: string | null = signReasoning(t)) => ({
  reasoningContent: { reasoningText: signature === null ? { text: t } : { text: t, signature } },
});
const b64 = (bytes: number) => Buffer.alloc(bytes).toString("base64");

function fails(body: unknown, message: string, modelId = HAIKU, operation: Operation = "converse") {
  assert.deepEqual(validateRequest(operation, modelId, body), { ok: false, error: { type: "ValidationException", status: 400, message } });
}
function passes(body: unknown, modelId = HAIKU, operation: Operation = "converse") {
  const r = validateRequest(operation, modelId, body);
  assert.equal(r.ok, true, JSON.stringify(r));
}

// ---- conversation structure ----------------------------------------------------------------------

test("rule: conversation must start with a user message", () => {
  fails(
    { messages: [assistant(text("hi"))] },
    "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
  );
});

test("rule: an empty conversation is refused like one not starting with the user", () => {
  fails({ messages: [] }, "A conversation must start with a user message. Try again with a conversation that starts with a user message.");
  fails({}, "A conversation must start with a user message. Try again with a conversation that starts with a user message.");
});

test("rule: roles must alternate", () => {
  fails(
    { messages: [user(text("a")), user(text("b"))] },
    "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.",
  );
  passes({ messages: [user(text("a")), assistant(text("b")), user(text("c"))] });
});

test("rule: role 'system' in messages is refused with the historical enum text (1-based path)", () => {
  fails(
    { messages: [user(text("a")), { role: "system", content: [text("b")] }] },
    "1 validation error detected: Value 'system' at 'messages.2.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]",
  );
});

test("rule: blank and whitespace-only text blocks", () => {
  fails(
    { messages: [user(text("a")), assistant(text("ok"), text(""))] },
    "The text field in the ContentBlock object at messages.1.content.1 is blank. Add text to the text field, and try again.",
  );
  fails(
    { messages: [user(text(" \n\t "))] },
    "The text field in the ContentBlock object at messages.0.content.0 is blank. Add text to the text field, and try again.",
  );
});

test("rule: whitespace-only system text", () => {
  fails(
    { messages: [user(text("a"))], system: [text("   ")] },
    "The text field in the SystemContentBlock object at system.0 is blank. Add text to the text field, and try again.",
  );
});

// ---- tool use pairing ------------------------------------------------------------------------------

const toolConfig = { tools: [tool("get_weather")] };

test("rule: toolUse/toolResult blocks need a toolConfig", () => {
  fails(
    { messages: [user(text("a")), assistant(use("t1")), user(result("t1"))] },
    "The toolConfig field must be defined when using toolUse and toolResult content blocks.",
  );
});

test("rule: toolResult must answer the previous turn's toolUse ids", () => {
  fails(
    { toolConfig, messages: [user(text("a")), assistant(use("tooluse_S6hhcw36PqoKJAUBuu9hmw")), user(text("no result"))] },
    "Expected toolResult blocks at messages.2.content for the following Ids: tooluse_S6hhcw36PqoKJAUBuu9hmw",
  );
  fails(
    { toolConfig, messages: [user(text("a")), assistant(use("a1"), use("a2")), user(result("a1"), result("zz"))] },
    "Expected toolResult blocks at messages.2.content for the following Ids: a2",
  );
  passes({ toolConfig, messages: [user(text("a")), assistant(use("a1"), use("a2")), user(result("a2"), result("a1"))] });
});

test("rule: more toolResults than toolUses", () => {
  fails(
    { toolConfig, messages: [user(text("a")), assistant(use("a1")), user(result("a1"), result("a2"))] },
    "The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn.",
  );
  fails(
    { toolConfig, messages: [user(result("a1"))] },
    "The number of toolResult blocks at messages.0.content exceeds the number of toolUse blocks of previous turn.",
  );
});

test("rule: a toolUse in the history may name a tool toolConfig no longer lists (the service answers 200)", () => {
  passes({ toolConfig, messages: [user(text("a")), assistant(use("t1", "fetchUrl")), user(result("t1"))] });
});

test("rule: inputSchema.json must be a JSON object", () => {
  fails(
    { messages: [user(text("a"))], toolConfig: { tools: [tool("ok"), tool("bad", "{}")] } },
    "The format of the value at toolConfig.tools.1.toolSpec.inputSchema.json is invalid. Provide a json object for the field and try again.",
  );
  fails(
    { messages: [user(text("a"))], toolConfig: { tools: [tool("bad", [])] } },
    "The format of the value at toolConfig.tools.0.toolSpec.inputSchema.json is invalid. Provide a json object for the field and try again.",
  );
});

test("rule: duplicate tool names (provider text for Claude)", () => {
  fails({ messages: [user(text("a"))], toolConfig: { tools: [tool("x"), tool("x")] } }, `${P}tools: Tool names must be unique.`);
  fails(
    { messages: [user(text("a"))], toolConfig: { tools: [tool("x"), tool("x")] } },
    "tools: Tool names must be unique.",
    "amazon.nova-lite-v1:0",
  );
});

test("rule: toolChoice without any toolSpec", () => {
  fails(
    { messages: [user(text("a"))], toolConfig: { tools: [{ cachePoint: { type: "default" } }], toolChoice: { auto: {} } } },
    "The toolConfig.toolChoice field requires at least one toolSpec in toolConfig.tools. Add a tool and try again.",
  );
});

test("rule: toolChoice.tool naming an unknown tool", () => {
  fails(
    { messages: [user(text("a"))], toolConfig: { tools: [tool("x")], toolChoice: { tool: { name: "y" } } } },
    "The tool y specified in toolConfig.toolChoice.tool isn't defined in toolConfig.tools. Define the tool or choose another tool and try again.",
  );
  passes({ messages: [user(text("a"))], toolConfig: { tools: [tool("x")], toolChoice: { tool: { name: "x" } } } });
});

// ---- per-model capabilities ---------------------------------------------------------------------------

test("model: system messages unsupported", () => {
  fails(
    { messages: [user(text("a"))], system: [text("be nice")] },
    "This model doesn't support system messages. Try again without a system message or use a model that supports system messages.",
    "mistral.mistral-7b-instruct-v0:2",
  );
});

test("model: tool use unsupported in streaming mode", () => {
  const body = { messages: [user(text("a"))], toolConfig: { tools: [tool("x")] } };
  fails(body, "This model doesn't support tool use in streaming mode.", "meta.llama3-1-70b-instruct-v1:0", "converse-stream");
  passes(body, "meta.llama3-1-70b-instruct-v1:0", "converse");
  passes(body, HAIKU, "converse-stream");
});

test("model: tool use unsupported at all", () => {
  fails(
    { messages: [user(text("a"))], toolConfig: { tools: [tool("x")] } },
    "This model doesn't support tool use.",
    "amazon.titan-text-express-v1",
  );
});

test("model: toolChoice any / tool unsupported", () => {
  fails(
    { messages: [user(text("a"))], toolConfig: { tools: [tool("x")], toolChoice: { any: {} } } },
    "This model doesn't support the toolConfig.toolChoice.any field. Remove toolConfig.toolChoice.any and try again.",
    "cohere.command-r-v1:0",
  );
  fails(
    { messages: [user(text("a"))], toolConfig: { tools: [tool("x")], toolChoice: { tool: { name: "x" } } } },
    "This model doesn't support the toolConfig.toolChoice.tool field. Remove toolConfig.toolChoice.tool and try again.",
    "mistral.mistral-large-2402-v1:0",
  );
  passes({ messages: [user(text("a"))], toolConfig: { tools: [tool("x")], toolChoice: { any: {} } } }, "mistral.mistral-large-2402-v1:0");
});

test("model: maxTokens above the model limit", () => {
  fails(
    { messages: [user(text("a"))], inferenceConfig: { maxTokens: 8193 } },
    "The maximum tokens you requested exceeds the model limit of 8192. Try again with a maximum tokens value that is lower than 8192.",
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
  );
  passes({ messages: [user(text("a"))], inferenceConfig: { maxTokens: 8192 } }, "anthropic.claude-3-5-sonnet-20240620-v1:0");
});

test("model: image block on a text-only model", () => {
  fails(
    { messages: [user({ image: { format: "png", source: { bytes: b64(10) } } })] },
    "This model doesn't support the image field for user messages.",
    "meta.llama3-1-8b-instruct-v1:0",
  );
});

test("model: video block on a model without video", () => {
  fails(
    { messages: [user({ video: { format: "mp4", source: { bytes: b64(10) } } })] },
    "This model doesn't support the video field for user messages.",
  );
});

// ---- media limits ------------------------------------------------------------------------------------

test("limit: Claude image over 5 MB base64 (3.75 MB raw)", () => {
  const bytes = b64(3.75 * 1024 * 1024 + 3);
  fails(
    { messages: [user(text("look"), { cachePoint: { type: "default" } }, { image: { format: "png", source: { bytes } } })] },
    `${P}messages.0.content.1.image.source: image exceeds 5 MB maximum: ${bytes.length} bytes > 5242880 bytes`,
  );
  passes({ messages: [user(text("look"), { image: { format: "png", source: { bytes: b64(3.75 * 1024 * 1024) } } })] });
});

test("limit: image over 3.75 MB on a non-Anthropic model", () => {
  fails(
    { messages: [user(text("x"), { image: { format: "png", source: { bytes: b64(3.75 * 1024 * 1024 + 1) } } })] },
    "The image at messages.0.content.1 exceeds the maximum size of 3.75 MB. Reduce the image size and try again.",
    "amazon.nova-lite-v1:0",
  );
});

test("limit: more than 20 images", () => {
  const imgs = Array.from({ length: 21 }, () => ({ image: { format: "png", source: { bytes: b64(3) } } }));
  fails({ messages: [user(...imgs)] }, `${P}too many images and documents: 21 + 0 > 20`);
  fails({ messages: [user(...imgs)] }, "You can't include more than 20 images in a request.", "amazon.nova-lite-v1:0");
  passes({ messages: [user(...imgs.slice(1))] });
});

const docBlock = (name: string, bytes = b64(8)) => ({ document: { format: "txt", name, source: { bytes } } });
const ask = text("Summarize the documents.");

test("limit: document name characters and consecutive whitespace", () => {
  const msg =
    "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request.";
  fails({ messages: [user(ask, docBlock("report.pdf"))] }, msg);
  fails({ messages: [user(ask, docBlock("two  spaces"))] }, msg);
  fails({ messages: [user(ask, docBlock("tab\there"))] }, msg);
  fails({ messages: [user(ask, docBlock("r\u00e9sum\u00e9"))] }, msg);
  passes({ messages: [user(ask, docBlock("Report - Final (v2) [draft] with_underscore"))] });
});

test("limit: more than 5 documents", () => {
  fails(
    { messages: [user(ask, ...["a", "b", "c", "d", "e", "f"].map((n) => docBlock(n)))] },
    "You can't include more than 5 documents in a request.",
  );
  passes({ messages: [user(ask, ...["a", "b", "c", "d", "e"].map((n) => docBlock(n)))] });
});

test("limit: duplicate document names across the conversation", () => {
  fails(
    { messages: [user(ask, docBlock("report")), assistant(text("ok")), user(ask, docBlock("report"))] },
    "Messages can't contain duplicate document names. Rename the document and retry your request.",
  );
});

test("limit: document over 4.5 MB", () => {
  fails(
    { messages: [user(text("x"), docBlock("big", b64(4.5 * 1024 * 1024 + 1)))] },
    "The document at messages.0.content.1 exceeds the maximum size of 4.5 MB. Reduce the document size and try again.",
  );
});

test("limit: inline video over 25 MB (S3 videos have no inline limit)", () => {
  fails(
    { messages: [user(text("x"), { video: { format: "mp4", source: { bytes: b64(25 * 1024 * 1024 + 1) } } })] },
    "The video at messages.0.content.1 exceeds the maximum size of 25 MB for inline bytes. Upload the video to Amazon S3 and pass its s3Location instead.",
    "amazon.nova-pro-v1:0",
  );
  passes(
    { messages: [user({ video: { format: "mp4", source: { s3Location: { uri: "s3://videos/huge.mp4" } } } })] },
    "amazon.nova-pro-v1:0",
  );
});

test("limit: more than 4 cache points (Claude)", () => {
  const cp = { cachePoint: { type: "default" } };
  fails(
    {
      messages: [user(text("a"), cp, text("b"), cp), assistant(text("c"), cp), user(text("d"))],
      system: [text("s"), cp],
      toolConfig: { tools: [tool("x"), cp] },
    },
    `${P}A maximum of 4 blocks with cache_control may be provided. Found 5.`,
  );
  passes({ messages: [user(text("a"), cp, text("b"), cp)], system: [text("s"), cp] });
});

// ---- output config -------------------------------------------------------------------------------------

const withSchema = (schema: string) => ({
  messages: [user(text("a"))],
  outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { schema } } } },
});

test("rule: outputConfig schema must be JSON text describing an object", () => {
  const format =
    "The format of the value at outputConfig.textFormat.structure.jsonSchema.schema is invalid. Provide a json object for the field and try again.";
  fails(withSchema("{not json"), format);
  fails(withSchema("[1]"), format);
  fails(
    withSchema('{"type":"string"}'),
    "The json schema definition at outputConfig.textFormat.structure.jsonSchema.schema is invalid. Fix the following errors and try again: $.type: does not have a value in the enumeration [object]",
  );
  passes(withSchema('{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}'));
});

// ---- extended thinking (Claude 3.7+) ---------------------------------------------------------------------

test("thinking: budget_tokens is required and at least 1024", () => {
  fails(
    { messages: [user(text("a"))], additionalModelRequestFields: { thinking: { type: "enabled" } } },
    `${P}thinking.enabled.budget_tokens: Field required`,
    SONNET37,
  );
  fails(
    { messages: [user(text("a"))], additionalModelRequestFields: thinking(1023) },
    `${P}thinking.enabled.budget_tokens: Input should be greater than or equal to 1024`,
    SONNET37,
  );
});

test("thinking: max_tokens must exceed the budget", () => {
  fails(
    { messages: [user(text("a"))], inferenceConfig: { maxTokens: 2000 }, additionalModelRequestFields: thinking(2000) },
    `${P}\`max_tokens\` must be greater than \`thinking.budget_tokens\`.`,
    SONNET37,
  );
  passes({ messages: [user(text("a"))], inferenceConfig: { maxTokens: 2001 }, additionalModelRequestFields: thinking(2000) }, SONNET37);
});

test("thinking: budget_tokens >= maxTokens is fine with interleaved thinking on Claude 4, not on 3.7", () => {
  const fields = { ...thinking(8000), anthropic_beta: ["interleaved-thinking-2025-05-14"] };
  const body = { toolConfig, messages: [user(text("a"))], inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: fields };
  passes(body, "us.anthropic.claude-sonnet-4-20250514-v1:0");
  passes(body, "us.anthropic.claude-sonnet-5");
  fails(body, `${P}\`max_tokens\` must be greater than \`thinking.budget_tokens\`.`, SONNET37);
});

test("thinking: no maxTokens check without maxTokens (the service's own default) or in CountTokens", () => {
  passes({ messages: [user(text("a"))], additionalModelRequestFields: thinking(8000) }, SONNET37);
  passes(
    { input: { converse: { messages: [user(text("a"))], additionalModelRequestFields: thinking(16000) } } },
    "anthropic.claude-sonnet-4-20250514-v1:0",
    "count-tokens",
  );
});

test("thinking: temperature must be 1 or unset", () => {
  fails(
    { messages: [user(text("a"))], inferenceConfig: { maxTokens: 4000, temperature: 0.5 }, additionalModelRequestFields: thinking(1024) },
    `${P}\`temperature\` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#important-considerations-when-using-extended-thinking`,
    SONNET37,
  );
  passes(
    { messages: [user(text("a"))], inferenceConfig: { maxTokens: 4000, temperature: 1 }, additionalModelRequestFields: thinking(1024) },
    SONNET37,
  );
});

test("thinking: forced toolChoice is refused", () => {
  for (const toolChoice of [{ any: {} }, { tool: { name: "get_weather" } }]) {
    fails(
      {
        messages: [user(text("a"))],
        inferenceConfig: { maxTokens: 4000 },
        toolConfig: { tools: [tool("get_weather")], toolChoice },
        additionalModelRequestFields: thinking(1024),
      },
      `${P}Thinking may not be enabled when tool_choice forces tool use.`,
      SONNET37,
    );
  }
});

test("thinking: on a Claude model without extended thinking", () => {
  fails({ messages: [user(text("a"))], additionalModelRequestFields: thinking(1024) }, `${P}thinking: Extra inputs are not permitted`);
});

test("thinking: the last assistant turn with toolUse must start with reasoning", () => {
  const base = { toolConfig, inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: thinking(1024) };
  const tail =
    "When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking";
  fails(
    { ...base, messages: [user(text("a")), assistant(text("let me check"), use("t1")), user(result("t1"))] },
    `${P}messages.1.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`text\`. ${tail}`,
    SONNET37,
  );
  fails(
    { ...base, messages: [user(text("a")), assistant(use("t1")), user(result("t1"))] },
    `${P}messages.1.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`tool_use\`. ${tail}`,
    SONNET37,
  );
  passes({ ...base, messages: [user(text("a")), assistant(reasoning("I should call the tool"), use("t1")), user(result("t1"))] }, SONNET37);
  // an earlier completed tool loop does not need reasoning
  passes(
    { ...base, messages: [user(text("a")), assistant(use("t1")), user(result("t1")), assistant(text("done")), user(text("thanks"))] },
    SONNET37,
  );
});

test("thinking: reasoning blocks sent back need a signature", () => {
  fails(
    { messages: [user(text("a")), assistant(reasoning("hmm", null), text("b")), user(text("c"))] },
    `${P}messages.1.content.0.thinking.signature: Field required`,
    SONNET37,
  );
  fails(
    { messages: [user(text("a")), assistant(reasoning("hmm", ""), text("b")), user(text("c"))] },
    `${P}messages.1.content.0.thinking.signature: Field required`,
    SONNET37,
  );
});

test("thinking: a tampered signature is refused", () => {
  const forged = { reasoningContent: { reasoningText: { text: "edited reasoning", signature: signReasoning("original reasoning") } } };
  fails(
    { messages: [user(text("a")), assistant(text("x"), forged), user(text("c"))] },
    `${P}messages.1.content.1: Invalid \`signature\` in \`thinking\` block`,
    SONNET37,
  );
  passes({ messages: [user(text("a")), assistant(reasoning("original reasoning"), text("x")), user(text("c"))] }, SONNET37);
});

// ---- order -------------------------------------------------------------------------------------------------

test("order: shape before model id before rules", () => {
  // shape error on an unknown model: the shape wins
  assert.deepEqual(
    validateRequest("converse", "nope.model-v1:0", { messages: [assistant(text("a"))], inferenceConfig: { maxTokens: 0 } }),
    {
      ok: false,
      error: {
        type: "ValidationException",
        status: 400,
        message:
          "1 validation error detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1",
      },
    },
  );
  // unknown model with a rule violation: the model id wins
  fails({ messages: [assistant(text("a"))] }, "The provided model identifier is invalid.", "nope.model-v1:0");
});

test("order: the first failing rule is reported", () => {
  // starts with assistant AND has blank text AND exceeds the model limit
  fails(
    { messages: [assistant(text(" ")), user(text("a"))], inferenceConfig: { maxTokens: 99999 } },
    "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
  );
});

test("count-tokens: converse input gets the same conversation rules", () => {
  fails(
    { input: { converse: { messages: [user(text("a")), assistant(use("t1"))] } } },
    "The toolConfig field must be defined when using toolUse and toolResult content blocks.",
    HAIKU,
    "count-tokens",
  );
  passes({ input: { converse: { messages: [user(text("a"))], system: [text("s")] } } }, HAIKU, "count-tokens");
});

// ---- signatures the emulator did not issue -------------------------------------------------------------------

/** A stand-in for a real Claude signature: base64 of a few hundred opaque bytes. */
const foreignSignature = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256)).toString("base64");
const replayed = (t: string, signature: string) => ({ reasoningContent: { reasoningText: { text: t, signature } } });
const SIGNATURE_INVALID = `${P}messages.1.content.0: Invalid \`signature\` in \`thinking\` block`;

test("signatures: a real Claude signature replayed from a recorded session is accepted", () => {
  passes({ messages: [user(text("a")), assistant(replayed("real thoughts", foreignSignature), text("x")), user(text("c"))] }, SONNET37);
});

test("signatures: --strict-signatures refuses every signature the emulator did not issue", () => {
  const body = { messages: [user(text("a")), assistant(replayed("real thoughts", foreignSignature), text("x")), user(text("c"))] };
  assert.deepEqual(validateRequest("converse", SONNET37, body, { strictSignatures: true }), {
    ok: false,
    error: { type: "ValidationException", status: 400, message: SIGNATURE_INVALID },
  });
  // its own signatures still verify under strict
  const own = { messages: [user(text("a")), assistant(reasoning("own"), text("x")), user(text("c"))] };
  assert.equal(validateRequest("converse", SONNET37, own, { strictSignatures: true }).ok, true);
});

test("signatures: a tampered emulator signature is refused, even when it still looks like base64", () => {
  const sig = signReasoning("own");
  const tampered = (sig[0] === "A" ? "B" : "A") + sig.slice(1);
  fails({ messages: [user(text("a")), assistant(replayed("own", tampered), text("x")), user(text("c"))] }, SIGNATURE_INVALID, SONNET37);
});

test("signatures: something that cannot be a signature is refused", () => {
  for (const bad of ["not base64!", "c2hvcnQ=", foreignSignature.slice(0, -1), "A".repeat(200_000)]) {
    fails({ messages: [user(text("a")), assistant(replayed("t", bad), text("x")), user(text("c"))] }, SIGNATURE_INVALID, SONNET37);
  }
});
