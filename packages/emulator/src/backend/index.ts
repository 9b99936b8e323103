// A real local model behind Converse and ConverseStream: requests that passed the emulator's own
// validation are translated to an OpenAI-compatible /chat/completions call, and the answer (or
// its SSE stream, as it arrives) back to Bedrock's JSON and event stream.
import { countOutputTokens, countTokens } from "../model/index.js";
import { addNote, type LoggedRequest } from "../request-log.js";
import type { AnyResponse } from "../transport.js";
import type { ConverseRequest, JsonObject, ModelCall } from "../types.js";
import { awsError } from "../wire/errors.js";
import { encodeExceptionFrame, EVENTSTREAM_CONTENT_TYPE, eventFrameToWrite, randomPadding } from "../wire/eventstream.js";
import type { StreamEvent } from "../wire/stream-events.js";
import { gone, sendError, writeChunk } from "../respond.js";
import { chooseModel, parseModelMap, type ModelRule } from "./model-map.js";
import { OpenAIClient } from "./openai-client.js";
import type { ChatResponse, ChatStreamChunk } from "./openai-types.js";
import { converseToChat } from "./translate-request.js";
import { BackendError, ChatStreamTranslator, chatToConverse } from "./translate-response.js";

export interface BackendOptions {
  /** The protocol the backend speaks; only "openai" (/v1/chat/completions) for now. */
  type: "openai";
  /** Base URL with the /v1, e.g. http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:8080/v1 (llama.cpp). */
  url: string;
  /** Backend model for every Bedrock model id the map does not name. */
  model?: string;
  /** "anthropic.*=qwen2.5:7b,amazon.nova-*=llama3.2:3b" or { "anthropic.*": "qwen2.5:7b" }; first match wins. */
  modelMap?: string | Record<string, string>;
  /** Bearer token for servers that want one. */
  apiKey?: string;
  /** Per request, default 300000 (local models can be slow): then ModelTimeoutException. */
  timeoutMs?: number;
}

export interface BackendEmulatorOptions {
  /** A real local model (OpenAI-compatible server) instead of the default model, after validation. */
  backend?: BackendOptions;
}

export interface LocalModelBackend {
  /** Answers one validated Converse/ConverseStream call on `res`. */
  serve(call: ModelCall, res: AnyResponse, requestId: string, entry: LoggedRequest, padding: boolean): Promise<void>;
}

export function createBackend(options: BackendOptions | undefined): LocalModelBackend | undefined {
  if (!options) return undefined;
  if (options.type !== "openai") throw new TypeError(`backend type must be "openai", got ${JSON.stringify(options.type)}`);
  const rules: ModelRule[] = options.modelMap ? parseModelMap(options.modelMap) : [];
  if (!options.model && rules.length === 0)
    throw new TypeError("a backend needs a model: set model (--backend-model) or modelMap (--backend-model-map)");
  const client = new OpenAIClient(options);

  return {
    async serve(call, res, requestId, entry, padding) {
      const model = chooseModel(call.modelId, rules, options.model);
      const fail = (error: BackendError | { spec: ReturnType<typeof awsError> }) => {
        entry.status = error.spec.status;
        entry.errorType = error.spec.type;
        sendError(res, requestId, error.spec);
      };
      if (!model) {
        return fail({
          spec: awsError(
            "ValidationException",
            `No backend model for ${call.modelId}: add it to the backend model map or set a default backend model.`,
          ),
        });
      }
      const stream = call.operation === "converse-stream";
      const translated = converseToChat(call.request, model, stream);
      if (!translated.ok) return fail({ spec: translated.error });
      addNote(entry, `answered by backend model ${model}`);

      // A client that leaves cancels the backend call.
      const abort = new AbortController();
      const onClose = () => abort.abort();
      res.once("close", onClose);
      const started = Date.now();
      const usage = (outputText: string) => fallbackUsage(call.request, call.modelId, outputText);
      try {
        if (!stream) {
          const answer = (await client.complete(translated.body, abort.signal)) as ChatResponse;
          const response = chatToConverse(answer, Date.now() - started, usage);
          if (gone(res)) return;
          const bytes = Buffer.from(JSON.stringify(response), "utf8");
          entry.status = 200;
          res.writeHead(200, {
            "x-amzn-requestid": requestId,
            date: new Date().toUTCString(),
            "content-type": "application/json",
            "content-length": String(bytes.length),
          });
          res.end(bytes);
          return;
        }
        const translator = new ChatStreamTranslator();
        const write = async (events: StreamEvent[]) => {
          for (const event of events) {
            if (!res.headersSent) {
              entry.status = 200;
              entry.streamEvents = [];
              res.writeHead(200, {
                "x-amzn-requestid": requestId,
                date: new Date().toUTCString(),
                "content-type": EVENTSTREAM_CONTENT_TYPE,
              });
            }
            const payload = padding ? { ...event.payload, p: randomPadding() } : event.payload;
            if (!(await writeChunk(res, eventFrameToWrite(event.type, payload)))) return false;
            entry.streamEvents!.push(event.type);
          }
          return true;
        };
        for await (const chunk of client.stream(translated.body, abort.signal)) {
          if (!(await write(translator.push(chunk as ChatStreamChunk)))) return;
        }
        if (await write(translator.end(Date.now() - started, usage))) res.end();
      } catch (err) {
        if (!(err instanceof BackendError)) throw err;
        if (gone(res)) return;
        if (!res.headersSent) return fail(err);
        // Mid-stream: the in-stream exception clients already handle.
        const payload: JsonObject = { message: err.message };
        if (err.spec.extra?.originalStatusCode !== undefined) payload.originalStatusCode = err.spec.extra.originalStatusCode;
        entry.errorType = "modelStreamErrorException";
        if (await writeChunk(res, encodeExceptionFrame("modelStreamErrorException", payload)))
          entry.streamEvents?.push("modelStreamErrorException");
        res.end();
      } finally {
        res.off("close", onClose);
      }
    },
  };
}

/** Usage when the server reports none: the emulator's own tokenizer over the input and the output text. */
function fallbackUsage(request: ConverseRequest, modelId: string, outputText: string): { input: number; output: number } {
  const input = countTokens({ input: { converse: request } }, modelId);
  const output = countOutputTokens([{ text: outputText }]);
  return { input, output };
}
