// Who may use the admin API (/_emulator/*). It can queue the replies an agent acts on and read
// every logged request, so it is guarded against the three ways in on a developer's machine:
//   - another host on the network: loopback peers only, unless an admin token is configured;
//   - a web page the developer visits (cross-site request): a foreign Origin is refused, and a
//     request with a body must be application/json, which a page cannot send cross-site without a
//     CORS preflight (the emulator never answers one);
//   - DNS rebinding (a page whose host name resolves to 127.0.0.1): the Host must be the bound
//     address, a loopback name or (bound to every interface) one of this machine's addresses.
// The token travels in its own header, apart from Authorization (SigV4 or a Bedrock API key).
import { createHash, timingSafeEqual } from "node:crypto";
import net from "node:net";
import os from "node:os";
import type { AwsErrorSpec } from "./types.js";
import { awsError } from "./wire/errors.js";

export const ADMIN_TOKEN_HEADER = "x-emulator-admin-token";
export const ADMIN_TOKEN_ENV = "BEDROCK_EMULATOR_ADMIN_TOKEN";

export interface AdminAccessConfig {
  /** When set, every admin request must carry it in x-emulator-admin-token (from any address). */
  token?: string;
  /** Strict auth on the Bedrock routes; without a token it closes the admin API entirely. */
  requireAuth: boolean;
  /** The interface the server is bound to, e.g. "127.0.0.1", "0.0.0.0", "::". */
  boundHost: string;
}

export interface AdminRequestFacts {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** The peer's IP address. */
  remoteAddress: string | undefined;
  /** Bytes in the request body. */
  bodyBytes: number;
}

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1"]);
const WILDCARDS = new Set(["0.0.0.0", "::", "0:0:0:0:0:0:0:0"]);

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase().replace(/^::ffff:/, "");
  return a === "::1" || (net.isIPv4(a) && a.startsWith("127."));
}

/** Is binding to this interface reachable from other machines? */
export function bindsBeyondLoopback(host: string): boolean {
  return !(isLoopbackAddress(host) || host.toLowerCase() === "localhost");
}

/** The host names a legitimate admin request may carry in Host / :authority. */
export function allowedAdminHosts(boundHost: string): Set<string> {
  const hosts = new Set(LOOPBACK_NAMES);
  const bound = boundHost.toLowerCase().replace(/^\[|\]$/g, "");
  if (WILDCARDS.has(bound)) {
    // Every interface: any address of this machine, and its own name.
    for (const list of Object.values(os.networkInterfaces()))
      for (const i of list ?? []) hosts.add(i.address.toLowerCase().replace(/%.*$/, ""));
    hosts.add(os.hostname().toLowerCase());
  } else {
    hosts.add(bound);
  }
  return hosts;
}

/** "example.com:8787" -> "example.com", "[::1]:8787" -> "::1"; undefined when unparseable. */
function hostnameOf(hostHeader: string): string | undefined {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end > 0 ? h.slice(1, end) : undefined;
  }
  const name = h.replace(/:\d*$/, "");
  return name === "" || name.includes(":") ? undefined : name.replace(/\.$/, "");
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function sameToken(given: string, expected: string): boolean {
  // Hashes have equal length, so the comparison takes the same time whatever the guess.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

const denied = (message: string) => awsError("AccessDeniedException", message);

/** undefined when the admin request may proceed; else the error to answer. Never echoes a token. */
export function checkAdminAccess(
  config: AdminAccessConfig,
  req: AdminRequestFacts,
  allowedHosts: Set<string>,
  port: number,
): AwsErrorSpec | undefined {
  if (config.requireAuth && !config.token) {
    return denied(
      `The admin API is closed: --require-auth is set and no admin token is configured. Start the emulator with --admin-token (or ${ADMIN_TOKEN_ENV}) and send the token in the ${ADMIN_TOKEN_HEADER} header.`,
    );
  }
  const hostHeader = first(req.headers[":authority"]) ?? first(req.headers.host);
  const hostname = hostHeader === undefined ? undefined : hostnameOf(hostHeader);
  if (!hostname || !allowedHosts.has(hostname)) {
    return denied(
      `Admin requests must be addressed to the emulator's own address or localhost (Host was ${hostHeader === undefined ? "missing" : JSON.stringify(hostHeader.slice(0, 200))}).`,
    );
  }
  const origin = first(req.headers.origin);
  if (origin !== undefined && !isOwnOrigin(origin, allowedHosts, port)) {
    return denied(`Admin requests from a web page are refused (Origin ${JSON.stringify(origin.slice(0, 200))}).`);
  }
  if (config.token) {
    const given = first(req.headers[ADMIN_TOKEN_HEADER]);
    if (given === undefined) return denied(`This emulator has an admin token: send it in the ${ADMIN_TOKEN_HEADER} header.`);
    if (!sameToken(given, config.token)) return denied(`The ${ADMIN_TOKEN_HEADER} header does not match the emulator's admin token.`);
  } else if (!isLoopbackAddress(req.remoteAddress)) {
    return denied(
      `The admin API answers on loopback only. To use it from another host, start the emulator with --admin-token (or ${ADMIN_TOKEN_ENV}) and send the token in the ${ADMIN_TOKEN_HEADER} header.`,
    );
  }
  const hasBody = req.bodyBytes > 0 || req.method === "POST" || req.method === "PUT" || req.method === "PATCH";
  if (hasBody) {
    const contentType = first(req.headers["content-type"]);
    const media = contentType?.split(";")[0].trim().toLowerCase();
    if (media !== "application/json") {
      return awsError(
        "SerializationException",
        `Admin requests with a body must be sent with content-type: application/json (got ${contentType === undefined ? "none" : JSON.stringify(contentType.slice(0, 200))}).`,
      );
    }
  }
  return undefined;
}

/** An Origin of the emulator itself: an allowed host name on the emulator's port. */
function isOwnOrigin(origin: string, allowedHosts: Set<string>, port: number): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file:) and anything unparseable
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const originPort = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  return url.protocol === "http:" && allowedHosts.has(hostname) && originPort === port;
}
