// Request shapes of Converse, ConverseStream and CountTokens, written by hand in the schema language of
// ./dsl.ts. Member names, required lists and min/max/pattern/enum constraints follow the Bedrock Runtime
// service model (apiVersion 2023-09-30). The service model file is NOT read at runtime.
import {
  blob,
  bool,
  checkShape,
  doc,
  enumOf,
  float,
  formatViolations,
  int,
  list,
  map,
  sensitive,
  str,
  struct,
  union,
  type Shape,
  type ShapeCheck,
  type StructureShape,
} from "./dsl.js";

// ---- leaves -------------------------------------------------------------------------------------

const String_ = str();
const NonEmptyString = str({ min: 1 });
const Document = doc();
const AccountId = str({ pattern: "[0-9]{12}" });
const S3Uri = str({ min: 1, max: 1024, pattern: "s3://[a-z0-9][\\.\\-a-z0-9]{1,61}[a-z0-9](/.*)?" });
const ToolUseId = str({ min: 1, max: 64, pattern: "[a-zA-Z0-9_.:-]+" });
const ToolName = str({ min: 1, max: 64, pattern: "[a-zA-Z0-9_-]+" });
const Boolean_ = bool();
const nonNegative = int({ min: 0 });

// ---- content ------------------------------------------------------------------------------------

const S3Location = struct("S3Location", { uri: S3Uri, bucketOwner: AccountId }, ["uri"]);
const ErrorBlock = sensitive(struct("ErrorBlock", { message: String_ }));
const CitationsConfig = struct("CitationsConfig", { enabled: Boolean_ }, ["enabled"]);

const ImageFormats = ["png", "jpeg", "gif", "webp"] as const;
const DocumentFormats = ["pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md"] as const;
// In the order the service lists them in its enum error (trap MED-4, quoted), not the service model's.
const VideoFormats = ["wmv", "mpg", "mpeg", "three_gp", "flv", "mp4", "mov", "mkv", "webm"] as const;
const AudioFormats = [
  "mp3",
  "opus",
  "wav",
  "aac",
  "flac",
  "mp4",
  "ogg",
  "mkv",
  "mka",
  "x-aac",
  "m4a",
  "mpeg",
  "mpga",
  "pcm",
  "webm",
] as const;

const ImageBlock = struct(
  "ImageBlock",
  {
    format: enumOf(...ImageFormats),
    source: sensitive(union("ImageSource", { bytes: blob({ min: 1 }), s3Location: S3Location })),
    error: ErrorBlock,
  },
  ["format", "source"],
);

const DocumentBlock = struct(
  "DocumentBlock",
  {
    format: enumOf(...DocumentFormats),
    name: str({ min: 1, max: 200 }),
    source: union("DocumentSource", {
      bytes: blob({ min: 1 }),
      s3Location: S3Location,
      text: String_,
      content: list(union("DocumentContentBlock", { text: String_ })),
    }),
    context: String_,
    citations: CitationsConfig,
  },
  ["name", "source"],
);

const VideoBlock = struct(
  "VideoBlock",
  {
    format: enumOf(...VideoFormats),
    source: union("VideoSource", { bytes: blob({ min: 1 }), s3Location: S3Location }),
  },
  ["format", "source"],
);

const AudioBlock = struct(
  "AudioBlock",
  {
    format: enumOf(...AudioFormats),
    source: sensitive(union("AudioSource", { bytes: blob({ min: 1 }), s3Location: S3Location })),
    error: ErrorBlock,
  },
  ["format", "source"],
);

const SearchResultBlock = struct(
  "SearchResultBlock",
  {
    source: String_,
    title: String_,
    content: list(struct("SearchResultContentBlock", { text: String_ }, ["text"])),
    citations: CitationsConfig,
  },
  ["source", "title", "content"],
);

const ToolUseBlock = struct(
  "ToolUseBlock",
  {
    toolUseId: ToolUseId,
    name: ToolName,
    input: Document,
    type: enumOf("server_tool_use"),
  },
  ["toolUseId", "name", "input"],
);

const ToolResultContentBlock = union("ToolResultContentBlock", {
  json: Document,
  text: String_,
  image: ImageBlock,
  document: DocumentBlock,
  video: VideoBlock,
  searchResult: SearchResultBlock,
});

const ToolResultBlock = struct(
  "ToolResultBlock",
  {
    toolUseId: ToolUseId,
    content: list(ToolResultContentBlock),
    status: enumOf("success", "error"),
    type: String_,
  },
  ["toolUseId", "content"],
);

const GuardrailConverseContentBlock = union("GuardrailConverseContentBlock", {
  text: struct(
    "GuardrailConverseTextBlock",
    {
      text: String_,
      qualifiers: list(enumOf("grounding_source", "query", "guard_content")),
    },
    ["text"],
  ),
  image: sensitive(
    struct(
      "GuardrailConverseImageBlock",
      {
        format: enumOf("png", "jpeg"),
        source: union("GuardrailConverseImageSource", { bytes: blob({ min: 1 }) }),
      },
      ["format", "source"],
    ),
  ),
});

const CachePointBlock = struct("CachePointBlock", { type: enumOf("default"), ttl: enumOf("5m", "1h") }, ["type"]);

const ReasoningContentBlock = sensitive(
  union("ReasoningContentBlock", {
    reasoningText: struct("ReasoningTextBlock", { text: String_, signature: String_ }, ["text"]),
    redactedContent: blob(),
  }),
);

const indexed = (name: string) => struct(name, { documentIndex: nonNegative, start: nonNegative, end: nonNegative });
const CitationLocation = union("CitationLocation", {
  web: struct("WebLocation", { url: String_, domain: String_ }),
  documentChar: indexed("DocumentCharLocation"),
  documentPage: indexed("DocumentPageLocation"),
  documentChunk: indexed("DocumentChunkLocation"),
  searchResultLocation: struct("SearchResultLocation", { searchResultIndex: nonNegative, start: nonNegative, end: nonNegative }),
});
const CitationsContentBlock = struct("CitationsContentBlock", {
  content: list(union("CitationGeneratedContent", { text: String_ })),
  citations: list(
    struct("Citation", {
      title: String_,
      source: String_,
      sourceContent: list(union("CitationSourceContent", { text: String_ })),
      location: CitationLocation,
    }),
  ),
});

const ToolReference = struct("ToolReference", {
  type: str({ min: 1, max: 64 }),
  name: str({ min: 1, max: 128 }),
  serverName: str({ min: 1, max: 128 }),
});

/** The 14 ContentBlock members, in service-model order. */
const ContentBlock = union("ContentBlock", {
  text: String_,
  image: ImageBlock,
  document: DocumentBlock,
  video: VideoBlock,
  audio: AudioBlock,
  toolUse: ToolUseBlock,
  toolResult: ToolResultBlock,
  guardContent: GuardrailConverseContentBlock,
  cachePoint: CachePointBlock,
  reasoningContent: ReasoningContentBlock,
  citationsContent: CitationsContentBlock,
  searchResult: SearchResultBlock,
  toolAddition: struct("ToolAdditionBlock", { tool: ToolReference }, ["tool"]),
  toolRemoval: struct("ToolRemovalBlock", { tool: ToolReference }, ["tool"]),
});

// Message content is not echoed in constraint errors: the service writes "Value at
// 'messages.1.member.content.2.member.image.format' ..." (traps MED-1, MED-4, TOOL-1, quoted).
const Message = struct(
  "Message",
  {
    role: enumOf("user", "assistant", "system"),
    content: sensitive(list(ContentBlock)),
  },
  ["role", "content"],
);

const SystemContentBlock = union("SystemContentBlock", {
  text: NonEmptyString,
  guardContent: GuardrailConverseContentBlock,
  cachePoint: CachePointBlock,
});

// ---- configuration --------------------------------------------------------------------------------

const InferenceConfiguration = struct("InferenceConfiguration", {
  maxTokens: int({ min: 1 }),
  temperature: float({ min: 0, max: 1 }),
  topP: float({ min: 0, max: 1 }),
  stopSequences: list(NonEmptyString, { min: 0, max: 2500 }),
});

const Tool = union("Tool", {
  toolSpec: struct(
    "ToolSpecification",
    {
      name: ToolName,
      description: NonEmptyString,
      inputSchema: union("ToolInputSchema", { json: Document }),
      strict: Boolean_,
    },
    ["name", "inputSchema"],
  ),
  systemTool: struct("SystemTool", { name: ToolName }, ["name"]),
  cachePoint: CachePointBlock,
});

const ToolChoice = union("ToolChoice", {
  auto: struct("AutoToolChoice", {}),
  any: struct("AnyToolChoice", {}),
  tool: struct("SpecificToolChoice", { name: ToolName }, ["name"]),
});

const ToolConfiguration = struct(
  "ToolConfiguration",
  {
    tools: list(Tool, { min: 1 }),
    toolChoice: ToolChoice,
  },
  ["tools"],
);

const guardrailMembers = {
  guardrailIdentifier: str({
    min: 0,
    max: 2048,
    pattern: "(|([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))",
  }),
  guardrailVersion: str({ pattern: "(|([1-9][0-9]{0,7})|(DRAFT))" }),
  trace: enumOf("enabled", "disabled", "enabled_full"),
};
const GuardrailConfiguration = struct("GuardrailConfiguration", guardrailMembers);
const GuardrailStreamConfiguration = struct("GuardrailStreamConfiguration", {
  ...guardrailMembers,
  streamProcessingMode: enumOf("sync", "async"),
});

const PromptVariableMap = sensitive(map(str(), union("PromptVariableValues", { text: String_ })));

const metadataChars = "[a-zA-Z0-9\\s:_@$#=/+,-.]";
const RequestMetadata = sensitive(
  map(str({ min: 1, max: 256, pattern: `${metadataChars}{1,256}` }), str({ min: 0, max: 256, pattern: `${metadataChars}{0,256}` }), {
    min: 1,
    max: 16,
  }),
);

const OutputConfig = struct("OutputConfig", {
  textFormat: struct(
    "OutputFormat",
    {
      type: enumOf("json_schema"),
      structure: sensitive(
        union("OutputFormatStructure", {
          jsonSchema: struct("JsonSchemaDefinition", { schema: String_, name: String_, description: String_ }, ["schema"]),
        }),
      ),
    },
    ["type", "structure"],
  ),
  effort: str({ min: 0, max: 16 }),
});

const commonConverseMembers: Record<string, Shape> = {
  messages: list(Message),
  system: list(SystemContentBlock),
  inferenceConfig: InferenceConfiguration,
  toolConfig: ToolConfiguration,
  guardrailConfig: GuardrailConfiguration,
  additionalModelRequestFields: Document,
  promptVariables: PromptVariableMap,
  additionalModelResponseFieldPaths: list(str({ min: 1, max: 256 }), { min: 0, max: 10 }),
  requestMetadata: RequestMetadata,
  performanceConfig: struct("PerformanceConfiguration", { latency: enumOf("standard", "optimized") }),
  serviceTier: struct("ServiceTier", { type: enumOf("priority", "default", "flex", "reserved") }, ["type"]),
  outputConfig: OutputConfig,
};

/** ConverseRequest body (modelId is a URI label and is checked separately). */
const ConverseRequestShape: StructureShape = struct("ConverseRequest", commonConverseMembers);

/** ConverseStreamRequest: identical except guardrailConfig has streamProcessingMode. */
const ConverseStreamRequestShape: StructureShape = struct("ConverseStreamRequest", {
  ...commonConverseMembers,
  guardrailConfig: GuardrailStreamConfiguration,
});

/** CountTokensRequest body: `input` (required) is a union of converse / invokeModel. */
const CountTokensRequestShape: StructureShape = struct(
  "CountTokensRequest",
  {
    input: union("CountTokensInput", {
      invokeModel: struct("InvokeModelTokensRequest", { body: sensitive(blob({ min: 0, max: 25_000_000 })) }, ["body"]),
      converse: struct("ConverseTokensRequest", {
        messages: list(Message),
        system: list(SystemContentBlock),
        toolConfig: ToolConfiguration,
        additionalModelRequestFields: Document,
      }),
    }),
  },
  ["input"],
);

// ---- model id (URI label) -------------------------------------------------------------------------

/** ConversationalModelId pattern, as the service model spells it (quoted verbatim in errors). */
const CONVERSATIONAL_MODEL_ID_PATTERN =
  "(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:(([0-9]{12}:custom-model/[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}/[a-z0-9]{12})|(:foundation-model/[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.:]?[a-z0-9-]{1,63}))|([0-9]{12}:imported-model/[a-z0-9]{12})|([0-9]{12}:provisioned-model/[a-z0-9]{12})|([0-9]{12}:custom-model-deployment/[a-z0-9]{12})|([0-9]{12}:(inference-profile|application-inference-profile)/[a-zA-Z0-9-:.]+)))|([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.:]?[a-z0-9-]{1,63}))|(([0-9a-zA-Z][_-]?)+)|([a-zA-Z0-9-:.]+)|(^(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:prompt/[0-9a-zA-Z]{10}(?::[0-9]{1,5})?))$|(^arn:aws:sagemaker:[a-z0-9-]+:[0-9]{12}:endpoint/[a-zA-Z0-9-]+$)|(^arn:aws(-[^:]+)?:bedrock:([0-9a-z-]{1,20}):([0-9]{12}):(default-)?prompt-router/[a-zA-Z0-9-:.]+$)";

const ConversationalModelId = str({ min: 1, max: 2048, pattern: CONVERSATIONAL_MODEL_ID_PATTERN });
const FoundationModelVersionIdentifier = str({ min: 1, max: 256, pattern: "[a-zA-Z_\\.\\-/0-9:]+" });

// ---- entry ----------------------------------------------------------------------------------------

export type ShapeOperation = "converse" | "converse-stream" | "count-tokens";

export interface ShapeOutcome {
  /** SerializationException text (deserialization failed) */
  serializationError?: string;
  /** formatted Coral message ("N validation errors detected: ..."), when constraints failed */
  constraintError?: string;
  /** Bedrock union-cardinality message */
  unionError?: string;
  value: unknown;
}

/**
 * Shape pass for one request: deserialization, then Coral constraints (modelId included, as the first
 * member), then union cardinality. Returns the first failing stage only.
 */
export function checkRequestShape(operation: ShapeOperation, modelId: string, body: unknown): ShapeOutcome {
  const shape =
    operation === "count-tokens"
      ? CountTokensRequestShape
      : operation === "converse-stream"
        ? ConverseStreamRequestShape
        : ConverseRequestShape;
  const result: ShapeCheck = checkShape(shape, body);
  if (result.serializationError !== undefined) return { serializationError: result.serializationError, value: undefined };
  const idShape = operation === "count-tokens" ? FoundationModelVersionIdentifier : ConversationalModelId;
  const idCheck = checkShape(idShape, modelId, { coral: "modelId", plain: "modelId" });
  const violations = [...idCheck.violations, ...result.violations];
  if (violations.length) return { constraintError: formatViolations(violations), value: undefined };
  if (result.unionError !== undefined) return { unionError: result.unionError, value: undefined };
  return { value: result.value };
}
