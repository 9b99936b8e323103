// Test plumbing for record/replay: raw byte requests, and an upstream front that checks the
// recorder's SigV4 signature with the AWS SDK's signer before passing the request on.
import { SignatureV4 } from "@smithy/signature-v4";
import type { SourceData } from "@smithy/types";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface BytesResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP/1.1 request; the answer's exact bytes. */
export function bytesRequest(
  url: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<BytesResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method, headers: { "content-type": "application/json", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

class TestSha256 {
  private h: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", Buffer.from(secret as Uint8Array));
  }
  update(data: Uint8Array | string) {
    this.h.update(data);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
  reset() {
    this.h = this.secret === undefined ? createHash("sha256") : createHmac("sha256", Buffer.from(this.secret as Uint8Array));
  }
}

export interface Checked {
  path: string;
  scheme: "sigv4" | "bearer" | "none";
  /** SigV4: the signature recomputed with the known secret matched. */
  valid: boolean;
  region?: string;
  authorization?: string;
}

/** A front for `target` that recomputes each SigV4 signature (or reads the bearer token), then forwards. */
export async function startSignatureCheck(target: string, credentials: { accessKeyId: string; secretAccessKey: string }, bearer?: string) {
  const seen: Checked[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const auth = req.headers.authorization ?? "";
      const check: Checked = {
        path: req.url ?? "",
        scheme: auth ? (auth.startsWith("Bearer ") ? "bearer" : "sigv4") : "none",
        valid: false,
        authorization: auth,
      };
      if (check.scheme === "bearer") check.valid = auth === `Bearer ${bearer}`;
      if (check.scheme === "sigv4") {
        const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=/.exec(auth);
        const date = String(req.headers["x-amz-date"] ?? "");
        if (m && m[1] === credentials.accessKeyId && m[3] === "bedrock") {
          check.region = m[2];
          const headers: Record<string, string> = {};
          for (const name of m[4].split(";")) headers[name] = String(req.headers[name] ?? "");
          const signer = new SignatureV4({ service: "bedrock", region: m[2], credentials, sha256: TestSha256, applyChecksum: false });
          const [path, query] = (req.url ?? "/").split("?");
          const signed = await signer.sign(
            {
              method: req.method ?? "POST",
              protocol: "http:",
              hostname: String(req.headers.host).split(":")[0],
              path,
              query: Object.fromEntries(new URLSearchParams(query ?? "")),
              headers,
              body,
            },
            { signingDate: new Date(date.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z")) },
          );
          check.valid = signed.headers.authorization === auth;
        }
      }
      seen.push(check);
      if (!check.valid) {
        res.writeHead(403, { "content-type": "application/json", "x-amzn-errortype": "InvalidSignatureException" });
        res.end(JSON.stringify({ message: "The request signature we calculated does not match the signature you provided." }));
        return;
      }
      const forwarded = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      forwarded.on("error", () => res.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
