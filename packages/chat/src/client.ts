// BedrockRuntimeClient construction: credentials, bearer API key, endpoint, headers,
// timeout/retries and connection reuse. Everything that touches the AWS SDK's config lives here.
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { Readable } from "node:stream";
import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { BedrockConfigError } from "./errors.js";
import { firstDefined, regionFromEnv, type ChatBedrockConverseInput, type EnvSource } from "./options.js";

export interface ClientSettings {
  region?: string;
  endpointUrl?: string;
  credentialsProfileName?: string;
  awsAccessKeyId?: string;
  awsSecretAccessKey?: string;
  awsSessionToken?: string;
  bedrockApiKey?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  defaultHeaders?: Record<string, string>;
  config?: BedrockRuntimeClientConfig;
  timeout?: number;
  maxRetries?: number;
}

/**
 * The client's settings from the model's args: the aliases (`region`, `baseUrl`, `apiKey`) and the
 * AWS SDK's environment conventions (AWS_REGION / AWS_DEFAULT_REGION, AWS_ENDPOINT_URL_BEDROCK_RUNTIME,
 * AWS_BEARER_TOKEN_BEDROCK) applied.
 */
export function resolveClientSettings(fields: ChatBedrockConverseInput, env: EnvSource, warn: (message: string) => void): ClientSettings {
  const bedrockApiKey = firstDefined(fields.bedrockApiKey, fields.apiKey) ?? (env.AWS_BEARER_TOKEN_BEDROCK || undefined);
  if (bedrockApiKey && (fields.awsAccessKeyId || fields.credentials)) {
    warn("ChatBedrockConverse: both a Bedrock API key and AWS credentials were given; the API key is used.");
  }
  return {
    region: firstDefined(fields.regionName, fields.region) ?? regionFromEnv(env),
    endpointUrl: firstDefined(fields.endpointUrl, fields.baseUrl) ?? (env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME || undefined),
    credentialsProfileName: fields.credentialsProfileName,
    awsAccessKeyId: fields.awsAccessKeyId,
    awsSecretAccessKey: fields.awsSecretAccessKey,
    awsSessionToken: fields.awsSessionToken,
    bedrockApiKey,
    credentials: fields.credentials,
    defaultHeaders: fields.defaultHeaders,
    config: fields.config,
    timeout: fields.timeout,
    maxRetries: fields.maxRetries,
  };
}

/**
 * ConverseStream calls that decode their own event stream: keyed by the command's input object, the
 * middleware below puts the raw HTTP body of a successful response here and hands the SDK an empty one.
 */
export const rawEventStreams = new WeakMap<object, { body?: AsyncIterable<Uint8Array> }>();

/** Where HTTP response headers of a call are stashed on the command output. */
const RESPONSE_HEADERS = Symbol.for("langchain-bedrock-converse.responseHeaders");

// One pool of keep-alive sockets per process: the SDK's default HTTP/2 handler opens a new
// session (a new TCP connection, and a new TLS handshake against AWS) for every request.
let sharedAgents: { http: HttpAgent; https: HttpsAgent } | undefined;
function agents(): { http: HttpAgent; https: HttpsAgent } {
  sharedAgents ??= {
    http: new HttpAgent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 1000 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 1000 }),
  };
  return sharedAgents;
}

/** Explicit credentials from the constructor args, or undefined to let the SDK chain decide. */
export function resolveCredentials(
  s: Pick<ClientSettings, "awsAccessKeyId" | "awsSecretAccessKey" | "awsSessionToken" | "credentials">,
): AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined {
  if (s.credentials) return s.credentials;
  const hasId = Boolean(s.awsAccessKeyId);
  const hasSecret = Boolean(s.awsSecretAccessKey);
  if (hasId !== hasSecret || (!hasId && s.awsSessionToken)) {
    throw new BedrockConfigError(
      "Both awsAccessKeyId and awsSecretAccessKey must be specified (awsSessionToken is optional and only used with them). " +
        "Pass both, or neither to use the default AWS credential chain.",
    );
  }
  if (!hasId) return undefined;
  return {
    accessKeyId: s.awsAccessKeyId as string,
    secretAccessKey: s.awsSecretAccessKey as string,
    ...(s.awsSessionToken ? { sessionToken: s.awsSessionToken } : {}),
  };
}

/** The SDK config for a new runtime client; pure, so tests can check what we ask the SDK for. */
export function buildClientConfig(s: ClientSettings): BedrockRuntimeClientConfig {
  const config: BedrockRuntimeClientConfig = { ...(s.config ?? {}) };
  if (s.region) config.region = s.region;
  if (s.endpointUrl) config.endpoint = s.endpointUrl;
  if (s.credentialsProfileName) config.profile = s.credentialsProfileName;
  if (s.bedrockApiKey) {
    // The API key wins over AWS credentials, as in Python; the SDK signs nothing then.
    const token = s.bedrockApiKey;
    config.token = async () => ({ token });
    config.authSchemePreference = ["httpBearerAuth"];
  } else {
    const credentials = resolveCredentials(s);
    if (credentials) config.credentials = credentials;
  }
  if (s.maxRetries !== undefined) {
    if (!Number.isInteger(s.maxRetries) || s.maxRetries < 0) {
      throw new BedrockConfigError(`maxRetries must be a whole number >= 0, got ${String(s.maxRetries)}.`);
    }
    config.maxAttempts = s.maxRetries + 1;
  }
  if (s.timeout !== undefined && (typeof s.timeout !== "number" || !(s.timeout > 0))) {
    throw new BedrockConfigError(`timeout must be a positive number of milliseconds, got ${String(s.timeout)}.`);
  }
  // Resolve the middleware stack once per command class instead of on every send (an SDK option;
  // calls with a per-call abortSignal still resolve it afresh). Middleware added to this client after
  // its first call is then ignored: pass config.cacheMiddleware = false to add some later.
  if (s.config?.cacheMiddleware === undefined) config.cacheMiddleware = true;
  if (!s.config?.requestHandler) {
    const { http, https } = agents();
    config.requestHandler = new NodeHttpHandler({ httpAgent: http, httpsAgent: https, ...httpTimeouts(s.timeout) });
  }
  return config;
}

/** botocore's default connect and read timeouts (60 s each), which Python's ChatBedrockConverse inherits. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * The HTTP handler's limits for each attempt (the SDK's retries each get their own): connecting, and
 * socket inactivity, which bounds the wait for a Converse answer and every gap between stream events,
 * as botocore's read timeout does. Without them the SDK waits forever for a server that never answers.
 */
export function httpTimeouts(timeout: number | undefined): {
  connectionTimeout: number;
  socketTimeout: number;
  requestTimeout?: number;
  throwOnRequestTimeout?: boolean;
} {
  const limit = timeout ?? DEFAULT_TIMEOUT_MS;
  return {
    connectionTimeout: limit,
    socketTimeout: limit,
    // An explicit timeout also bounds the wait for the response head as a whole (as it always has).
    ...(timeout !== undefined ? { requestTimeout: timeout, throwOnRequestTimeout: true } : {}),
  };
}

export function createRuntimeClient(s: ClientSettings): BedrockRuntimeClient {
  const client = new BedrockRuntimeClient(buildClientConfig(s));
  installMiddleware(client, s.defaultHeaders);
  return client;
}

/** The part of the Bedrock control-plane client we use (GetInferenceProfile). */
export interface ControlClient {
  send(command: unknown): Promise<{ models?: { modelArn?: string }[]; inferenceProfileId?: string }>;
}

/**
 * A Bedrock control-plane client (for GetInferenceProfile) with the runtime client's region,
 * endpoint, profile and credentials (or its API key as a bearer token). Loaded on first use: only
 * application inference profiles need it.
 */
export async function createControlClient(s: ClientSettings, runtime: BedrockRuntimeClient): Promise<ControlClient> {
  const { BedrockClient } = await import("@aws-sdk/client-bedrock");
  const region = s.region ?? (await runtime.config.region());
  const credentials = s.bedrockApiKey ? undefined : (s.credentials ?? runtime.config.credentials);
  return new BedrockClient({
    region,
    ...(s.endpointUrl ? { endpoint: s.endpointUrl } : {}),
    ...(s.credentialsProfileName ? { profile: s.credentialsProfileName } : {}),
    ...(credentials ? { credentials } : {}),
    ...(s.bedrockApiKey ? { token: async () => ({ token: s.bedrockApiKey as string }), authSchemePreference: ["httpBearerAuth"] } : {}),
  }) as unknown as ControlClient;
}

/**
 * Adds our middlewares to a client (ours or the user's): default headers on every request, the
 * response headers kept on the output for response_metadata, and the raw event stream of a
 * ConverseStream for our own decoder. Idempotent by name.
 */
export function installMiddleware(client: BedrockRuntimeClient, defaultHeaders?: Record<string, string>): void {
  const stack = client.middlewareStack;
  stack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { headers?: Record<string, string> } | undefined;
      if (response?.headers && result.output && typeof result.output === "object") {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(response.headers)) if (!k.startsWith(":")) headers[k] = String(v);
        Object.defineProperty(result.output, RESPONSE_HEADERS, { value: headers, enumerable: false });
      }
      return result;
    },
    // high priority: outermost in the deserialize step, so the parsed output exists.
    { step: "deserialize", name: "bedrockConverseResponseHeaders", priority: "high", override: true },
  );
  stack.add(
    (next) => async (args) => {
      const slot = args.input && typeof args.input === "object" ? rawEventStreams.get(args.input) : undefined;
      if (!slot) return next(args);
      const result = await next(args);
      const response = result.response as { statusCode?: number; headers?: Record<string, string>; body?: unknown } | undefined;
      const body = response?.body as AsyncIterable<Uint8Array> | undefined;
      const contentType = response?.headers?.["content-type"] ?? "";
      if (
        response &&
        response.statusCode !== undefined &&
        response.statusCode >= 200 &&
        response.statusCode < 300 &&
        contentType.startsWith("application/vnd.amazon.eventstream") &&
        body &&
        typeof body[Symbol.asyncIterator] === "function"
      ) {
        slot.body = body;
        response.body = Readable.from([]);
      }
      return result;
    },
    // low priority: inside the SDK's deserializer, so it sees the raw response before the SDK reads it.
    { step: "deserialize", name: "bedrockConverseRawEventStream", priority: "low", override: true },
  );
  if (defaultHeaders && Object.keys(defaultHeaders).length > 0) {
    const headers = { ...defaultHeaders };
    stack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string> };
        if (request?.headers) Object.assign(request.headers, headers);
        return next(args);
      },
      { step: "build", name: "bedrockConverseDefaultHeaders", override: true },
    );
  }
}

export function responseHeadersOf(output: unknown): Record<string, string> | undefined {
  if (!output || typeof output !== "object") return undefined;
  return (output as Record<symbol, Record<string, string> | undefined>)[RESPONSE_HEADERS];
}

/**
 * The secrets to redact from an error: those given to the constructor, a credentials object, and
 * the credentials the SDK signed with (a provider or the default chain), which an AWS answer may echo.
 */
export async function secretsToRedact(s: ClientSettings, client: BedrockRuntimeClient, err?: unknown): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [s.awsAccessKeyId, s.awsSecretAccessKey, s.awsSessionToken, s.bedrockApiKey];
  const given = s.credentials;
  if (given && typeof given === "object") out.push(given.accessKeyId, given.secretAccessKey, given.sessionToken);
  const e = err as { $metadata?: unknown; $fault?: unknown } | undefined;
  // Only a signed request that got an answer can have its credentials echoed, and by then the SDK
  // holds them memoized; never resolve the chain here otherwise (it may go to the network).
  if (e && typeof e === "object" && (e.$metadata !== undefined || e.$fault !== undefined) && !s.bedrockApiKey) {
    try {
      const provider = (client.config as { credentials?: unknown }).credentials;
      if (typeof provider === "function") {
        const id = (await provider()) as { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string } | undefined;
        if (id) out.push(id.accessKeyId, id.secretAccessKey, id.sessionToken);
      }
    } catch {
      // nothing more to redact
    }
  }
  return out;
}
