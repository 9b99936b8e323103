// HTTP to an OpenAI-compatible server (/chat/completions), with its failures turned into the
// errors Bedrock clients know: unreachable -> ServiceUnavailableException, 429 -> Throttling,
// other 4xx -> Validation (with the server's message), 5xx -> ModelError, timeout -> ModelTimeout.
import type { AwsErrorSpec } from "../types.js";
import { awsError } from "../wire/errors.js";
import type { ChatRequest } from "./openai-types.js";
import { BackendError } from "./translate-response.js";
import { SseParser } from "./sse.js";

export interface OpenAIClientOptions {
  /** Base URL including /v1, e.g. http://127.0.0.1:11434/v1 */
  url: string;
  /** Sent as a bearer token (local servers rarely need one). */
  apiKey?: string;
  /** Per request (default 300000). */
  timeoutMs?: number;
}

export function backendMessage(text: string): string {
  try {
    const json = JSON.parse(text) as { error?: { message?: string } | string; message?: string; detail?: string };
    const fromJson = typeof json.error === "string" ? json.error : (json.error?.message ?? json.message ?? json.detail);
    if (typeof fromJson === "string" && fromJson) return fromJson;
  } catch {
    // plain text
  }
  const trimmed = text.trim();
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}...` : trimmed || "(empty body)";
}

export function httpErrorSpec(status: number, text: string): AwsErrorSpec {
  const message = backendMessage(text);
  if (status === 429) return awsError("ThrottlingException", message);
  if (status === 408) return awsError("ModelTimeoutException", message);
  if (status >= 400 && status < 500) return awsError("ValidationException", message);
  return awsError("ModelErrorException", `The backend model failed with HTTP ${status}: ${message}`, { originalStatusCode: status });
}

export class OpenAIClient {
  private readonly endpoint: string;
  constructor(private readonly options: OpenAIClientOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new TypeError(`backend url must be an http(s) URL such as http://127.0.0.1:11434/v1, got ${JSON.stringify(options.url)}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError(`backend url must be http or https, got ${options.url}`);
    this.endpoint = `${options.url.replace(/\/+$/, "")}/chat/completions`;
  }

  /** POSTs `body`; resolves with the response once its status is 2xx, throws BackendError otherwise. */
  private async post(body: ChatRequest, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: body.stream ? "text/event-stream" : "application/json",
    };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 300_000);
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, timeout]),
      });
    } catch (err) {
      throw this.failure(err, timeout);
    }
    if (!response.ok) throw new BackendError(httpErrorSpec(response.status, await response.text().catch(() => "")));
    return response;
  }

  private failure(err: unknown, timeout: AbortSignal): BackendError {
    if (timeout.aborted)
      return new BackendError(
        awsError("ModelTimeoutException", `The backend model did not answer within ${this.options.timeoutMs ?? 300_000} ms.`),
      );
    const detail = (err as { cause?: { code?: string; message?: string } }).cause;
    const cause = detail?.code ?? detail?.message ?? (err as Error).message;
    return new BackendError(
      awsError("ServiceUnavailableException", `The local model backend at ${this.options.url} is not reachable (${cause}).`),
    );
  }

  async complete(body: ChatRequest, signal: AbortSignal): Promise<unknown> {
    const response = await this.post(body, signal);
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new BackendError(
        awsError("ModelErrorException", `The backend model answered with a body that is not JSON: ${text.slice(0, 200)}`),
      );
    }
  }

  /** The parsed JSON of each SSE event up to [DONE]. */
  async *stream(body: ChatRequest, signal: AbortSignal): AsyncGenerator<unknown> {
    const response = await this.post(body, signal);
    if (!response.body) return;
    const parser = new SseParser();
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        for (const data of parser.push(decoder.decode(chunk, { stream: true }))) {
          if (data === "[DONE]") return;
          yield parseChunk(data);
        }
      }
    } catch (err) {
      if (err instanceof BackendError || signal.aborted) throw err;
      throw new BackendError(awsError("ModelErrorException", `The backend model's stream broke off (${(err as Error).message}).`));
    }
    for (const data of parser.flush()) if (data !== "[DONE]") yield parseChunk(data);
  }
}

function parseChunk(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new BackendError(
      awsError("ModelErrorException", `The backend model sent a stream event that is not JSON: ${data.slice(0, 200)}`),
    );
  }
}
