// Forwarding a request to the real service (or any Bedrock-compatible URL), signed anew with the
// recorder's own credentials: the client's signature covers the emulator's host and cannot be
// reused. SigV4 through the AWS SDK's signer and default credential chain, or a Bedrock API key
// (AWS_BEARER_TOKEN_BEDROCK) as a bearer token.
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Checksum, SourceData } from "@smithy/types";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import http from "node:http";
import https from "node:https";

export interface UpstreamOptions {
  /** "aws" (default): the real endpoints of the request's region; or a base URL. */
  upstream?: string;
  /** Region when the request's signature names none (else AWS_REGION, AWS_DEFAULT_REGION, us-east-1). */
  region?: string;
  /** Credentials for SigV4 (default: the AWS SDK's default chain). */
  upstreamCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** A Bedrock API key sent as a bearer token (default: AWS_BEARER_TOKEN_BEDROCK). Wins over SigV4. */
  bearerToken?: string;
}

/** SHA-256 (or HMAC-SHA256 when given a secret) for the signer, on node:crypto. */
class Sha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(this.secret));
  }
  update(data: Uint8Array | string): void {
    this.hash.update(typeof data === "string" ? data : toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The recorder has nothing to sign with. */
export class UpstreamCredentialsError extends Error {
  override name = "UpstreamCredentialsError";
}

const SCOPE_REGION = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\//;

/** The region of a SigV4 credential scope, if the client signed. */
function regionFromAuthorization(authorization: string | undefined): string | undefined {
  return authorization ? SCOPE_REGION.exec(authorization)?.[1] : undefined;
}

export interface ForwardRequest {
  method: string;
  /** Raw path and query as the client sent it (still percent-encoded). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** GetInferenceProfile goes to the control plane ("bedrock.<region>"), the rest to the runtime. */
  controlPlane: boolean;
}

// Request headers that travel upstream; everything else (the client's auth, host, hop-by-hop) stays.
const FORWARDED = /^(content-type|accept|user-agent|x-amzn-bedrock-[a-z0-9-]+)$/;

export class Upstream {
  readonly label: string;
  private readonly base: URL | undefined;
  private readonly credentials: AwsCredentialIdentityProvider | undefined;
  private readonly bearer: string | undefined;
  private readonly signers = new Map<string, SignatureV4>();
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  constructor(private readonly options: UpstreamOptions) {
    const upstream = options.upstream ?? "aws";
    this.label = upstream;
    if (upstream !== "aws") {
      try {
        this.base = new URL(upstream);
      } catch {
        throw new TypeError(`upstream must be "aws" or an http(s) URL, got ${JSON.stringify(upstream)}`);
      }
      if (this.base.protocol !== "http:" && this.base.protocol !== "https:")
        throw new TypeError(`upstream URL must be http or https, got ${this.base.protocol}`);
      // user:password in the URL would end up in errors and in the cassette's recordedWith.
      if (this.base.username || this.base.password)
        throw new TypeError("upstream URL must not carry credentials (user:password@); the recorder signs with its own AWS credentials");
    }
    this.bearer = options.bearerToken ?? (process.env.AWS_BEARER_TOKEN_BEDROCK || undefined);
    if (!this.bearer) {
      const given = options.upstreamCredentials;
      this.credentials = typeof given === "function" ? given : given ? async () => given : defaultProvider();
    }
  }

  private region(authorization: string | undefined): string {
    return (
      regionFromAuthorization(authorization) ??
      this.options.region ??
      process.env.AWS_REGION ??
      process.env.AWS_DEFAULT_REGION ??
      "us-east-1"
    );
  }

  private target(region: string, controlPlane: boolean): URL {
    if (this.base) return this.base;
    return new URL(controlPlane ? `https://bedrock.${region}.amazonaws.com` : `https://bedrock-runtime.${region}.amazonaws.com`);
  }

  private signer(region: string): SignatureV4 {
    let signer = this.signers.get(region);
    if (!signer) {
      // Both the runtime and the control plane sign as service "bedrock".
      signer = new SignatureV4({ service: "bedrock", region, credentials: this.credentials!, sha256: Sha256, applyChecksum: false });
      this.signers.set(region, signer);
    }
    return signer;
  }

  /** Sends the request; resolves with the upstream's response as soon as its head arrives. */
  async send(request: ForwardRequest): Promise<http.IncomingMessage> {
    const auth = typeof request.headers.authorization === "string" ? request.headers.authorization : undefined;
    const region = this.region(auth);
    const base = this.target(region, request.controlPlane);
    const basePath = base.pathname.replace(/\/$/, "");
    const [path, query] = splitQuery(basePath + request.path);
    const headers: Record<string, string> = { host: base.host };
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string" && FORWARDED.test(name.toLowerCase())) headers[name.toLowerCase()] = value;
    }
    if (request.body.length > 0 || request.method !== "GET") headers["content-length"] = String(request.body.length);

    if (this.bearer) {
      headers.authorization = `Bearer ${this.bearer}`;
    } else {
      // Typically no credentials in the default chain; the provider's message names no secret.
      const signed = await this.signer(region)
        .sign({
          method: request.method,
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port ? Number(base.port) : undefined,
          path,
          query,
          headers,
          body: request.body,
        })
        .catch((err: unknown) => {
          throw new UpstreamCredentialsError(
            `The recorder could not sign the upstream request (${(err as Error).message}). Give it AWS credentials (environment, profile, SSO, ...) or a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK.`,
          );
        });
      Object.assign(headers, signed.headers);
    }

    const isHttps = base.protocol === "https:";
    const lib = isHttps ? https : http;
    const search = new URLSearchParams(query as Record<string, string>).toString();
    return new Promise((resolve, reject) => {
      const req = lib.request(
        {
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port || (isHttps ? 443 : 80),
          method: request.method,
          path: search ? `${path}?${search}` : path,
          headers,
          agent: isHttps ? this.agents.https : this.agents.http,
        },
        resolve,
      );
      req.on("error", reject);
      req.end(request.body.length ? request.body : undefined);
    });
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

function splitQuery(pathAndQuery: string): [string, Record<string, string>] {
  const at = pathAndQuery.indexOf("?");
  if (at < 0) return [pathAndQuery, {}];
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(pathAndQuery.slice(at + 1))) query[k] = v;
  return [pathAndQuery.slice(0, at), query];
}
