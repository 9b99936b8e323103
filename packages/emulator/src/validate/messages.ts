// Every error text the validator sends, in one place so the server, the model and tests can share them.
// [reported]: quoted by users from the real service (see the reference §4.3 or the cited public issues).
// UNVERIFIED: no public capture found; the wording follows the service's style and may differ.
import type { AwsErrorSpec } from "../types.js";

export const validation = (message: string): AwsErrorSpec => ({ type: "ValidationException", status: 400, message });
export const serialization = (message: string): AwsErrorSpec => ({ type: "SerializationException", status: 400, message });

/** Provider errors passed through by Bedrock carry this prefix [reported]. */
const MODEL_ERROR_PREFIX = "The model returned the following errors: ";
export const modelError = (text: string): AwsErrorSpec => validation(MODEL_ERROR_PREFIX + text);

/** Texts the Bedrock service itself sends. */
export const serviceMessages = {
  // model id [reported]
  invalidModelId: "The provided model identifier is invalid.",
  // The real service writes "isn’t" with U+2019 (every user capture of this text shows the curly
  // apostrophe); the reference's transcription uses a straight one.
  onDemandUnsupported: (id: string) =>
    `Invocation of model ID ${id} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
  countTokensUnsupported: "The provided model doesn't support counting tokens.",

  // conversation structure [reported]
  firstMessageUser: "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
  alternate:
    "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.",
  systemRoleEnum: (coralIndex: number) =>
    `1 validation error detected: Value 'system' at 'messages.${coralIndex}.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`,
  emptyContent: (i: number) =>
    `The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`,
  blankText: (path: string) => `The text field in the ContentBlock object at ${path} is blank. Add text to the text field, and try again.`,
  // UNVERIFIED: the same text for a blank system block, naming SystemContentBlock.
  blankSystemText: (path: string) =>
    `The text field in the SystemContentBlock object at ${path} is blank. Add text to the text field, and try again.`,

  // tools [reported]
  toolConfigRequired: "The toolConfig field must be defined when using toolUse and toolResult content blocks.",
  expectedToolResults: (i: number, ids: string[]) =>
    `Expected toolResult blocks at messages.${i}.content for the following Ids: ${ids.join(", ")}`,
  tooManyToolResults: (i: number) =>
    `The number of toolResult blocks at messages.${i}.content exceeds the number of toolUse blocks of previous turn.`,
  inputSchemaNotObject: (i: number) =>
    `The format of the value at toolConfig.tools.${i}.toolSpec.inputSchema.json is invalid. Provide a json object for the field and try again.`,
  toolStreamingUnsupported: "This model doesn't support tool use in streaming mode.",
  toolChoiceUnsupported: (kind: string) =>
    `This model doesn't support the toolConfig.toolChoice.${kind} field. Remove toolConfig.toolChoice.${kind} and try again.`,
  // UNVERIFIED
  toolsUnsupported: "This model doesn't support tool use.",
  // UNVERIFIED
  toolChoiceWithoutTools: "The toolConfig.toolChoice field requires at least one toolSpec in toolConfig.tools. Add a tool and try again.",
  // UNVERIFIED
  toolChoiceUnknownTool: (name: string) =>
    `The tool ${name} specified in toolConfig.toolChoice.tool isn't defined in toolConfig.tools. Define the tool or choose another tool and try again.`,
  // trap TOOL-6 [quoted]
  toolResultJsonNotObject: (path: string) =>
    `The format of the value at ${path}.json is invalid. Provide a json object for the field and try again.`,
  // trap TOOL-7 [quoted]
  toolResultErrorEmpty: (path: string) => `The content field at ${path}.toolResult cannot be empty when status value is error.`,
  // trap TOOL-8 [quoted]
  inputSchemaRootType: (i: number) =>
    `The value at toolConfig.tools.${i}.toolSpec.inputSchema.json.type must be one of the following: object.`,
  // trap STR-3 (UNVERIFIED wording, modeled on TOOL-6)
  toolUseInputNotObject: (path: string) =>
    `The format of the value at ${path}.toolUse.input is invalid. Provide a json object for the field and try again.`,
  // trap TOOL-5 [quoted, model-specific]
  mixedToolUseTurn: (i: number) => `messages.${i}.content: Conversation blocks and tool use blocks cannot be provided in the same turn.`,
  mixedToolResultTurn: (i: number) =>
    `messages.${i}.content: Conversation blocks and tool result blocks cannot be provided in the same turn.`,
  // trap RSN-2 [quoted]
  userReasoning: "User messages cannot contain reasoning content. Please remove the reasoning content and try again.",
  // trap CACHE-2 [quoted]
  cachePointAfterReasoning: "Cache point cannot be inserted after reasoning block. Please remove the invalid cache point and try again.",
  // traps CACHE-4, PRM-2, RSN-5 [quoted]: the non-Anthropic model layer's JSON-pointer texts
  extraneousKey: (pointer: string, key: string) =>
    `Malformed input request: ${pointer}: extraneous key [${key}] is not permitted, please reformat your input and try again.`,
  invalidReasoningConfig:
    "Malformed input request: the provided reasoning config value is invalid, please reformat your input and try again.",
  // trap PRM-4 [quoted]
  tooManyStopSequences: (rendered: string, max: number) =>
    `1 validation error detected: Value '${rendered}' at 'inferenceConfig.stopSequences' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
  // Anthropic's text, passed through [reported for the Anthropic API]
  duplicateToolNames: "tools: Tool names must be unique.",

  // model capabilities [reported]
  systemUnsupported:
    "This model doesn't support system messages. Try again without a system message or use a model that supports system messages.",
  maxTokensExceeded: (limit: number) =>
    `The maximum tokens you requested exceeds the model limit of ${limit}. Try again with a maximum tokens value that is lower than ${limit}.`,
  // [reported] for an image in a tool result on a model without that support; the same template is used
  // for documents and videos (UNVERIFIED for those).
  blockUnsupported: (field: string, role: string) => `This model doesn't support the ${field} field for ${role} messages.`,

  // documents [reported]
  documentName:
    "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request.",
  tooManyDocuments: "You can't include more than 5 documents in a request.",
  duplicateDocumentNames: "Messages can't contain duplicate document names. Rename the document and retry your request.",
  // trap DOC-3 [quoted]
  documentNeedsText: "A text block must be included when using documents.",
  // trap DOC-4 [quoted]
  documentSourceNeedsBytes: (path: string) =>
    `DocumentSource object at ${path}.document.source must set one of the following keys: bytes, s3Location.`,
  // UNVERIFIED
  documentTooLarge: (path: string) => `The document at ${path} exceeds the maximum size of 4.5 MB. Reduce the document size and try again.`,
  // images, Bedrock level (non-Anthropic models), UNVERIFIED
  imageTooLarge: (path: string) => `The image at ${path} exceeds the maximum size of 3.75 MB. Reduce the image size and try again.`,
  tooManyImages: "You can't include more than 20 images in a request.",
  // UNVERIFIED
  videoTooLarge: (path: string) =>
    `The video at ${path} exceeds the maximum size of 25 MB for inline bytes. Upload the video to Amazon S3 and pass its s3Location instead.`,

  // output config, UNVERIFIED (modeled on the toolSpec inputSchema texts)
  outputSchemaFormat:
    "The format of the value at outputConfig.textFormat.structure.jsonSchema.schema is invalid. Provide a json object for the field and try again.",
  outputSchemaNotObjectType:
    "The json schema definition at outputConfig.textFormat.structure.jsonSchema.schema is invalid. Fix the following errors and try again: $.type: does not have a value in the enumeration [object]",
} as const;

/** Texts of the model providers (mostly Anthropic, some Mistral), passed on after MODEL_ERROR_PREFIX. */
export const providerMessages = {
  // [reported]
  // trap MED-2 [quoted]
  imageTooLarge: (path: string, size: number) => `${path}.image.source: image exceeds 5 MB maximum: ${size} bytes > 5242880 bytes`,
  // trap MED-3 [quoted: the many-image tail; the rest of the wording is Anthropic's]
  imagePixels: (path: string, max: number) =>
    `${path}.image.source: At least one of the image dimensions exceed max allowed size: ${max} pixels`,
  manyImagePixels: (path: string, max: number) =>
    `${path}.image.source: At least one of the image dimensions exceed max allowed size for many-image requests: ${max} pixels`,
  // trap MED-5 [quoted]
  s3SourceUnsupported: (path: string, kind: string) => `${path}.${kind}.source.type: Field required`,
  // trap CACHE-1 [quoted]
  cachePointMisplaced: (path: string) => `${path}.type: Field required`,
  // trap TXT-1 [quoted]
  whitespaceText: "messages: text content blocks must contain non-whitespace text",
  // trap TXT-2 [quoted]
  trailingWhitespace: "messages: final assistant content cannot end with trailing whitespace",
  // trap MSG-4 [quoted]
  prefillWithTools:
    "Your API request included an `assistant` message in the final position, which would pre-fill the `assistant` response. When using tools, pre-filling the `assistant` response is not supported.",
  // trap PRM-1 [quoted]; the top_p text is UNVERIFIED
  temperatureAndTopP: "`temperature` and `top_p` cannot both be specified for this model. Please use only one.",
  temperatureDeprecated: "`temperature` is deprecated for this model.",
  topPDeprecated: "`top_p` is deprecated for this model.",
  // trap SO-1 [quoted]
  additionalPropertiesFalse: "output_config.format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false",
  // trap ERR-3 [quoted]
  inputTooLong: "Input is too long for requested model.",
  promptTooLong: (tokens: number, max: number) => `prompt is too long: ${tokens} tokens > ${max} maximum`,
  // trap TOOL-2 [quoted, Mistral's text]
  mistralToolCallId: (id: string) => `Tool call id was ${id} but must be a-z, A-Z, 0-9, with a length of 9.`,
  tooManyImages: (images: number, documents: number) => `too many images and documents: ${images} + ${documents} > 20`,
  // [reported for the Anthropic API]
  tooManyCachePoints: (found: number) => `A maximum of 4 blocks with cache_control may be provided. Found ${found}.`,
  budgetRequired: "thinking.enabled.budget_tokens: Field required",
  budgetMinimum: "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
  // [reported]; the service sometimes appends a documentation link, omitted here.
  maxTokensVsBudget: "`max_tokens` must be greater than `thinking.budget_tokens`.",
  temperatureWithThinking:
    "`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#important-considerations-when-using-extended-thinking",
  forcedToolWithThinking: "Thinking may not be enabled when tool_choice forces tool use.",
  thinkingFirst: (i: number, found: string) =>
    `messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${found}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`,
  signatureRequired: (i: number, j: number) => `messages.${i}.content.${j}.thinking.signature: Field required`,
  signatureInvalid: (i: number, j: number) => `messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`,
  // [reported] shape for unknown keys in additionalModelRequestFields; used for `thinking` sent to a
  // Claude model without extended thinking (UNVERIFIED for that case).
  extraInput: (key: string) => `${key}: Extra inputs are not permitted`,
} as const;
