// One test per service-side trap of the field reference (quoted or reported confidence), named by
// its trap id: the triggering request over HTTP, then status, error type and exact text.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEmulator, type Emulator } from "../src/index.js";
import { pngHeader } from "../src/validate/image-size.js";

const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
const SONNET37 = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
const SONNET45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const P = "The model returned the following errors: ";
const u = (...content: unknown[]) => ({ role: "user", content });
const a = (...content: unknown[]) => ({ role: "assistant", content });
const t = (text: string) => ({ text });
const tools = { tools: [{ toolSpec: { name: "get_weather", inputSchema: { json: { type: "object" } } } }] };
const use = (id: string, input: unknown = {}) => ({ toolUse: { toolUseId: id, name: "get_weather", input } });
const res = (id: string, content: unknown[] = [t("ok")], extra = {}) => ({ toolResult: { toolUseId: id, content, ...extra } });
const doc = (name: string, format = "txt") => ({ document: { format, name, source: { bytes: Buffer.from("notes").toString("base64") } } });

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ port: 0 });
});
after(async () => {
  await emu.close();
});

async function expectError(modelId: string, body: unknown, message: string, op = "converse", status = 400, type = "ValidationException") {
  const r = await fetch(`${emu.url}/model/${encodeURIComponent(modelId)}/${op}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(r.status, status);
  assert.equal(r.headers.get("x-amzn-errortype")?.split(":")[0], type);
  assert.deepEqual(await r.json(), { message });
}

const cases: Array<[string, string, unknown, string, string?]> = [
  [
    "MSG-1",
    HAIKU,
    { messages: [u(t("a")), u(t("b"))] },
    "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.",
  ],
  [
    "MSG-2",
    HAIKU,
    { messages: [a(t("a"))] },
    "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
  ],
  [
    "MSG-3",
    HAIKU,
    { messages: [u(t("a")), a(), u(t("b"))] },
    "The content field in the Message object at messages.1 is empty. Add a ContentBlock object to the content field and try again.",
  ],
  [
    "MSG-4",
    HAIKU,
    { toolConfig: tools, messages: [u(t("a")), a(t("Sure"))] },
    `${P}Your API request included an \`assistant\` message in the final position, which would pre-fill the \`assistant\` response. When using tools, pre-filling the \`assistant\` response is not supported.`,
  ],
  [
    "TXT-1",
    HAIKU,
    { messages: [u(t(""))] },
    "The text field in the ContentBlock object at messages.0.content.0 is blank. Add text to the text field, and try again.",
  ],
  [
    "TXT-2",
    HAIKU,
    { messages: [u(t("a")), a(t("The answer is "))] },
    `${P}messages: final assistant content cannot end with trailing whitespace`,
  ],
  [
    "DOC-1",
    HAIKU,
    { messages: [u(t("read"), doc("report.pdf"))] },
    "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request.",
  ],
  [
    "DOC-2",
    HAIKU,
    { messages: [u(t("read"), doc("report")), a(t("ok")), u(t("again"), doc("report"))] },
    "Messages can't contain duplicate document names. Rename the document and retry your request.",
  ],
  ["DOC-3", HAIKU, { messages: [u(doc("report"))] }, "A text block must be included when using documents."],
  [
    "DOC-4",
    HAIKU,
    { messages: [u(t("read"), { document: { format: "txt", name: "n", source: { text: "plain" } } })] },
    "DocumentSource object at messages.0.content.1.document.source must set one of the following keys: bytes, s3Location.",
  ],
  [
    "MED-1",
    HAIKU,
    { messages: [u(t("see"), { image: { format: "jpg", source: { bytes: "aGk=" } } })] },
    "1 validation error detected: Value at 'messages.1.member.content.2.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [png, jpeg, gif, webp]",
  ],
  [
    "MED-2",
    HAIKU,
    { messages: [u(t("see"), { image: { format: "png", source: { bytes: Buffer.alloc(3.75 * 1024 * 1024 + 3).toString("base64") } } })] },
    `${P}messages.0.content.1.image.source: image exceeds 5 MB maximum: 5242880 bytes > 5242880 bytes`.replace(
      "5242880 bytes >",
      `${Math.ceil((3.75 * 1024 * 1024 + 3) / 3) * 4} bytes >`,
    ),
  ],
  [
    "MED-3",
    HAIKU,
    { messages: [u(t("see"), { image: { format: "png", source: { bytes: pngHeader(8001, 10).toString("base64") } } })] },
    `${P}messages.0.content.1.image.source: At least one of the image dimensions exceed max allowed size: 8000 pixels`,
  ],
  [
    "MED-4",
    "amazon.nova-pro-v1:0",
    { messages: [u(t("see"), { video: { format: "3gp", source: { bytes: "aGk=" } } })] },
    "1 validation error detected: Value at 'messages.1.member.content.2.member.video.format' failed to satisfy constraint: Member must satisfy enum value set: [wmv, mpg, mpeg, three_gp, flv, mp4, mov, mkv, webm]",
  ],
  [
    "MED-5",
    HAIKU,
    { messages: [u(t("read"), { document: { format: "pdf", name: "r", source: { s3Location: { uri: "s3://bucket/r.pdf" } } } })] },
    `${P}messages.0.content.1.document.source.type: Field required`,
  ],
  [
    "TOOL-1",
    HAIKU,
    { toolConfig: { tools: [{ toolSpec: { name: "browser.open", inputSchema: { json: { type: "object" } } } }] }, messages: [u(t("a"))] },
    "1 validation error detected: Value 'browser.open' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
  ],
  [
    "TOOL-2",
    "mistral.mistral-large-2407-v1:0",
    { toolConfig: tools, messages: [u(t("a")), a(use("a")), u(res("a"))] },
    `${P}Tool call id was a but must be a-z, A-Z, 0-9, with a length of 9.`,
  ],
  [
    "TOOL-3",
    HAIKU,
    { messages: [u(t("a")), a(use("t1")), u(res("t1"))] },
    "The toolConfig field must be defined when using toolUse and toolResult content blocks.",
  ],
  [
    "TOOL-4",
    HAIKU,
    { toolConfig: tools, messages: [u(t("a")), a(use("t1")), u(t("b"))] },
    "Expected toolResult blocks at messages.2.content for the following Ids: t1",
  ],
  [
    "TOOL-5",
    "meta.llama3-1-70b-instruct-v1:0",
    { toolConfig: tools, messages: [u(t("a")), a(t("calling"), use("t1")), u(res("t1"))] },
    "messages.1.content: Conversation blocks and tool use blocks cannot be provided in the same turn.",
  ],
  [
    "TOOL-6",
    HAIKU,
    { toolConfig: tools, messages: [u(t("a")), a(use("t1")), u(res("t1", [{ json: [1, 2] }]))] },
    "The format of the value at messages.2.content.0.toolResult.content.0.json is invalid. Provide a json object for the field and try again.",
  ],
  [
    "TOOL-7",
    HAIKU,
    { toolConfig: tools, messages: [u(t("a")), a(use("t1")), u(res("t1", [], { status: "error" }))] },
    "The content field at messages.2.content.0.toolResult cannot be empty when status value is error.",
  ],
  [
    "TOOL-8",
    HAIKU,
    { toolConfig: { tools: [{ toolSpec: { name: "noargs", inputSchema: { json: {} } } }] }, messages: [u(t("a"))] },
    "The value at toolConfig.tools.0.toolSpec.inputSchema.json.type must be one of the following: object.",
  ],
  [
    "TC-1",
    "us.meta.llama4-scout-17b-instruct-v1:0",
    { toolConfig: { ...tools, toolChoice: { any: {} } }, messages: [u(t("a"))] },
    "This model doesn't support the toolConfig.toolChoice.any field. Remove toolConfig.toolChoice.any and try again.",
  ],
  [
    "TC-2",
    SONNET37,
    {
      toolConfig: { ...tools, toolChoice: { any: {} } },
      inferenceConfig: { maxTokens: 4000 },
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
      messages: [u(t("a"))],
    },
    `${P}Thinking may not be enabled when tool_choice forces tool use.`,
  ],
  [
    "RSN-2",
    HAIKU,
    { messages: [u({ reasoningContent: { reasoningText: { text: "x", signature: "c2ln" } } }, t("a"))] },
    "User messages cannot contain reasoning content. Please remove the reasoning content and try again.",
  ],
  [
    "RSN-4",
    SONNET37,
    {
      inferenceConfig: { maxTokens: 4000, temperature: 0.2 },
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
      messages: [u(t("a"))],
    },
    `${P}\`temperature\` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#important-considerations-when-using-extended-thinking`,
  ],
  [
    "RSN-5",
    "amazon.nova-pro-v1:0",
    { additionalModelRequestFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "low" } }, messages: [u(t("a"))] },
    "Malformed input request: the provided reasoning config value is invalid, please reformat your input and try again.",
  ],
  [
    "CACHE-1",
    HAIKU,
    { messages: [u(t("read"), doc("notes"), { cachePoint: { type: "default" } })] },
    `${P}messages.0.content.2.type: Field required`,
  ],
  [
    "CACHE-2",
    SONNET37,
    {
      messages: [
        u(t("a")),
        a({ reasoningContent: { reasoningText: { text: "x", signature: "c2ln" } } }, { cachePoint: { type: "default" } }, t("b")),
        u(t("c")),
      ],
    },
    "Cache point cannot be inserted after reasoning block. Please remove the invalid cache point and try again.",
  ],
  [
    "CACHE-4",
    "amazon.nova-pro-v1:0",
    { toolConfig: { tools: [...tools.tools, { cachePoint: { type: "default" } }] }, messages: [u(t("a"))] },
    "Malformed input request: #/toolConfig/tools/1: extraneous key [cachePoint] is not permitted, please reformat your input and try again.",
  ],
  [
    "PRM-1",
    SONNET45,
    { inferenceConfig: { temperature: 0.5, topP: 0.9 }, messages: [u(t("a"))] },
    `${P}\`temperature\` and \`top_p\` cannot both be specified for this model. Please use only one.`,
  ],
  [
    "PRM-2",
    "meta.llama3-1-70b-instruct-v1:0",
    { additionalModelRequestFields: { top_k: 5 }, messages: [u(t("a"))] },
    "Malformed input request: #: extraneous key [top_k] is not permitted, please reformat your input and try again.",
  ],
  [
    "PRM-3",
    HAIKU,
    { inferenceConfig: { maxTokens: 5000 }, messages: [u(t("a"))] },
    "The maximum tokens you requested exceeds the model limit of 4096. Try again with a maximum tokens value that is lower than 4096.",
  ],
  [
    "PRM-4",
    HAIKU,
    { inferenceConfig: { stopSequences: ["a", "b", "c", "d", "e"] }, messages: [u(t("a"))] },
    "1 validation error detected: Value '[a, b, c, d, e]' at 'inferenceConfig.stopSequences' failed to satisfy constraint: Member must have length less than or equal to 4",
  ],
  [
    "PRM-5",
    "mistral.mistral-7b-instruct-v0:2",
    { system: [t("be brief")], messages: [u(t("a"))] },
    "This model doesn't support system messages. Try again without a system message or use a model that supports system messages.",
  ],
  [
    "STR-2",
    "meta.llama3-1-70b-instruct-v1:0",
    { toolConfig: tools, messages: [u(t("a"))] },
    "This model doesn't support tool use in streaming mode.",
    "converse-stream",
  ],
  [
    "STR-3",
    HAIKU,
    { toolConfig: tools, messages: [u(t("a")), a(use("t1", "")), u(res("t1"))] },
    "The format of the value at messages.1.content.0.toolUse.input is invalid. Provide a json object for the field and try again.",
  ],
  ["ERR-3", SONNET45, { messages: [u(t("word ".repeat(210_000)))] }, `${P}prompt is too long: 210000 tokens > 200000 maximum`],
  [
    "AUTH-1",
    "anthropic.claude-3-7-sonnet-20250219-v1:0",
    { messages: [u(t("a"))] },
    "Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
  ],
  [
    "TOK-1",
    "amazon.nova-pro-v1:0",
    { input: { converse: { messages: [u(t("a"))] } } },
    "The provided model doesn't support counting tokens.",
    "count-tokens",
  ],
  [
    "SO-1",
    SONNET45,
    {
      outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: '{"type":"object","properties":{}}' } } } },
      messages: [u(t("a"))],
    },
    `${P}output_config.format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false`,
  ],
];

for (const [id, modelId, body, message, op] of cases) {
  test(`${id}: ${message.slice(0, 70)}`, async () => expectError(modelId, body, message, op ?? "converse"));
}

test("AUTH-2: an ARN with a literal slash gets HTTP 200 and a Coral UnknownOperationException body", async () => {
  const r = await fetch(`${emu.url}/model/arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc/converse`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [u(t("a"))] }),
  });
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { Output: { __type: "com.amazon.coral.service#UnknownOperationException" }, Version: "1.0" });
});
