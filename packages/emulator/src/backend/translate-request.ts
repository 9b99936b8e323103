// Converse request -> OpenAI Chat Completions request (pure). What an OpenAI-compatible server
// cannot take (non-text documents, video, audio, S3 sources) is refused with a
// ValidationException that names the limitation, never dropped.
import type { AwsErrorSpec, ConverseRequest, JsonObject, JsonValue } from "../types.js";
import { awsError } from "../wire/errors.js";
import type { ChatContentPart, ChatMessage, ChatRequest, ChatTool, ChatToolCall, ChatToolChoice } from "./openai-types.js";

export type Translated = { ok: true; body: ChatRequest } | { ok: false; error: AwsErrorSpec };

/** Document formats sent to the model as their text. */
const TEXT_DOCUMENT_FORMATS = ["txt", "md", "csv", "html"];

class Limitation extends Error {}

const limit = (message: string): never => {
  throw new Limitation(message);
};

function obj(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}

function str(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function converseToChat(request: ConverseRequest, model: string, stream: boolean): Translated {
  try {
    return { ok: true, body: build(request, model, stream) };
  } catch (err) {
    if (err instanceof Limitation) return { ok: false, error: awsError("ValidationException", err.message) };
    throw err;
  }
}

function build(request: ConverseRequest, model: string, stream: boolean): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = systemText(request.system ?? []);
  if (system) messages.push({ role: "system", content: system });
  for (const message of request.messages ?? []) {
    if (message.role === "assistant") messages.push(assistantMessage(message.content));
    else messages.push(...userMessages(message.content));
  }
  const body: ChatRequest = { model, messages };

  const tools = (request.toolConfig?.tools ?? []).flatMap(toolOf);
  if (tools.length) {
    body.tools = tools;
    const choice = toolChoiceOf(request.toolConfig?.toolChoice);
    if (choice) body.tool_choice = choice;
  }
  const config = request.inferenceConfig ?? {};
  if (config.maxTokens !== undefined) body.max_tokens = config.maxTokens;
  if (config.temperature !== undefined) body.temperature = config.temperature;
  if (config.topP !== undefined) body.top_p = config.topP;
  if (config.stopSequences?.length) body.stop = config.stopSequences;
  const extra = obj(request.additionalModelRequestFields as JsonValue);
  if (typeof extra?.top_k === "number") body.top_k = extra.top_k;
  const schema = jsonSchemaOf(request);
  if (schema) body.response_format = { type: "json_schema", json_schema: { name: schema.name, schema: schema.schema } };
  if (stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

function systemText(blocks: JsonObject[]): string {
  const parts: string[] = [];
  for (const block of blocks) {
    if (typeof block.text === "string") parts.push(block.text);
    else if (obj(block.guardContent)) parts.push(guardText(block.guardContent));
    else if (block.cachePoint !== undefined)
      continue; // a caching hint: nothing to send
    else limit(`The local model backend cannot take a system block of type ${Object.keys(block)[0]}; send text.`);
  }
  return parts.join("\n\n");
}

function guardText(guard: JsonValue | undefined): string {
  return str(obj(obj(guard)?.text)?.text) ?? limit("The local model backend takes guardContent only as text.");
}

function userMessages(content: JsonObject[]): ChatMessage[] {
  const toolMessages: ChatMessage[] = [];
  const parts: ChatContentPart[] = [];
  for (const block of content) {
    if (typeof block.text === "string") parts.push({ type: "text", text: block.text });
    else if (obj(block.image)) parts.push(imagePart(obj(block.image)!));
    else if (obj(block.document)) parts.push({ type: "text", text: documentText(obj(block.document)!) });
    else if (obj(block.toolResult)) toolMessages.push(toolMessage(obj(block.toolResult)!));
    else if (obj(block.guardContent)) parts.push({ type: "text", text: guardText(block.guardContent) });
    else if (block.cachePoint !== undefined) continue;
    else if (block.video !== undefined || block.audio !== undefined) {
      limit(
        `The local model backend cannot take ${block.video !== undefined ? "video" : "audio"} content; send text, images or text documents.`,
      );
    } else limit(`The local model backend cannot take a content block of type ${Object.keys(block)[0]}.`);
  }
  // Tool results answer the previous assistant turn's calls, so they come before the user's own text.
  const out = [...toolMessages];
  if (parts.length) {
    const onlyText = parts.every((p) => p.type === "text");
    out.push({ role: "user", content: onlyText ? parts.map((p) => (p as { text: string }).text).join("\n") : parts });
  }
  return out;
}

function imagePart(image: JsonObject): ChatContentPart {
  const source = obj(image.source);
  const bytes = str(source?.bytes);
  if (!bytes) limit("The local model backend takes images as bytes only; an image from s3Location cannot be sent. Send the image bytes.");
  const format = str(image.format) ?? "png";
  return { type: "image_url", image_url: { url: `data:image/${format === "jpg" ? "jpeg" : format};base64,${bytes}` } };
}

function documentText(doc: JsonObject): string {
  const name = str(doc.name) ?? "document";
  const format = str(doc.format) ?? "txt";
  const source = obj(doc.source);
  let text: string | undefined = str(source?.text);
  if (text === undefined && Array.isArray(source?.content)) {
    text = source.content.map((part) => str(obj(part)?.text) ?? "").join("\n");
  }
  if (text === undefined && str(source?.bytes) !== undefined) {
    if (!TEXT_DOCUMENT_FORMATS.includes(format)) {
      limit(
        `The local model backend reads only text documents (${TEXT_DOCUMENT_FORMATS.join(", ")} or a text source); document "${name}" is ${format}.`,
      );
    }
    text = Buffer.from(str(source!.bytes)!, "base64").toString("utf8");
  }
  if (text === undefined) limit(`The local model backend cannot read document "${name}" from its source; send bytes or text.`);
  return `Document "${name}" (${format}):\n${text}`;
}

function toolMessage(result: JsonObject): ChatMessage {
  const pieces: string[] = [];
  for (const part of Array.isArray(result.content) ? result.content : []) {
    const block = obj(part) ?? {};
    if (typeof block.text === "string") pieces.push(block.text);
    else if (block.json !== undefined) pieces.push(JSON.stringify(block.json));
    else if (obj(block.document)) pieces.push(documentText(obj(block.document)!));
    else limit(`The local model backend takes tool results as text, JSON or text documents; got ${Object.keys(block)[0]}.`);
  }
  const text = pieces.join("\n");
  return { role: "tool", tool_call_id: str(result.toolUseId) ?? "", content: result.status === "error" ? `Error: ${text}` : text };
}

function assistantMessage(content: JsonObject[]): ChatMessage {
  const texts: string[] = [];
  const calls: ChatToolCall[] = [];
  for (const block of content) {
    if (typeof block.text === "string") texts.push(block.text);
    else if (obj(block.toolUse)) {
      const use = obj(block.toolUse)!;
      calls.push({
        id: str(use.toolUseId) ?? "",
        type: "function",
        function: { name: str(use.name) ?? "", arguments: JSON.stringify(use.input ?? {}) },
      });
    } else if (obj(block.citationsContent)) {
      const parts = obj(block.citationsContent)!.content;
      if (Array.isArray(parts)) texts.push(parts.map((p) => str(obj(p)?.text) ?? "").join(""));
    }
    // reasoningContent stays behind: OpenAI-compatible servers take no reasoning back in history.
  }
  const text = texts.join("\n");
  return calls.length ? { role: "assistant", content: text || null, tool_calls: calls } : { role: "assistant", content: text };
}

function toolOf(tool: JsonObject): ChatTool[] {
  const spec = obj(tool.toolSpec);
  if (!spec) {
    if (tool.cachePoint !== undefined) return [];
    return limit(`The local model backend takes only toolSpec tools; got ${Object.keys(tool)[0]}.`);
  }
  const schema = obj(spec.inputSchema)?.json;
  const out: ChatTool = {
    type: "function",
    function: { name: str(spec.name) ?? "", parameters: schema ?? { type: "object", properties: {} } },
  };
  if (typeof spec.description === "string") out.function.description = spec.description;
  return [out];
}

function toolChoiceOf(choice: JsonObject | undefined): ChatToolChoice | undefined {
  if (!choice) return undefined;
  if (choice.auto !== undefined) return "auto";
  if (choice.any !== undefined) return "required";
  const named = str(obj(choice.tool)?.name);
  return named ? { type: "function", function: { name: named } } : undefined;
}

function jsonSchemaOf(request: ConverseRequest): { name: string; schema: unknown } | undefined {
  const format = obj(obj(request.outputConfig as JsonValue)?.textFormat);
  if (format?.type !== "json_schema") return undefined;
  const jsonSchema = obj(obj(format.structure)?.jsonSchema);
  if (!jsonSchema) return undefined;
  let schema: unknown = jsonSchema.schema;
  if (typeof schema === "string") {
    try {
      schema = JSON.parse(schema);
    } catch {
      return limit("outputConfig.textFormat.structure.jsonSchema.schema is not valid JSON.");
    }
  }
  return { name: str(jsonSchema.name) ?? "response", schema };
}
