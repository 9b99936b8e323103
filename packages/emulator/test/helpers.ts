// Shared test plumbing: SDK clients for both transports, a fast retry strategy, raw HTTP helpers.
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import http from "node:http";

export const MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
export const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
export const TIMEOUT = { timeout: 20_000 };

export type Transport = "h2" | "http1";
export const TRANSPORTS: Transport[] = ["h2", "http1"];

/** A client on the SDK's default handler (h2c) or on NodeHttpHandler (HTTP/1.1), retrying after 1 ms. */
export function client(url: string, transport: Transport = "h2", extra: Record<string, unknown> = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: url,
    region: "us-east-1",
    credentials: CREDENTIALS,
    retryStrategy: new ConfiguredRetryStrategy(typeof extra.maxAttempts === "number" ? extra.maxAttempts : 3, 1),
    ...(transport === "http1" ? { requestHandler: new NodeHttpHandler() } : {}),
    ...extra,
  });
}

export function userMessage(text: string) {
  return [{ role: "user" as const, content: [{ text }] }];
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP/1.1 request with full control over path, headers and body bytes. */
export function rawRequest(
  url: string,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      { method, headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export async function adminPost(url: string, path: string, body: unknown): Promise<RawResponse> {
  return rawRequest(url, "POST", path, JSON.stringify(body));
}

/** Collects every event of a ConverseStream response; rethrows an in-stream exception. */
export async function collect<T>(stream: AsyncIterable<T> | undefined): Promise<T[]> {
  const events: T[] = [];
  for await (const event of stream ?? []) events.push(event);
  return events;
}

/** The event kind of an SDK stream event ({messageStart: {...}} -> "messageStart"). */
export function kinds(events: object[]): string[] {
  return events.map((e) => Object.keys(e).find((k) => (e as Record<string, unknown>)[k] !== undefined) ?? "?");
}
