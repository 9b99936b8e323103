#!/usr/bin/env node
// bedrock-emulator: runs the emulator until SIGINT/SIGTERM. Prints one "listening" line, then one
// line per request, so scripts can wait for the first line and read the URL from it.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ADMIN_TOKEN_ENV, ADMIN_TOKEN_HEADER, bindsBeyondLoopback } from "./admin-access.js";
import { startEmulator } from "./server.js";
import { parseScript } from "./script.js";
import { DEFAULT_TRANSPORT_LIMITS } from "./transport.js";
import { BACKEND_CLI_OPTIONS, BACKEND_USAGE, backendOptionsFromArgs } from "./backend/cli-options.js";
import { CASSETTE_CLI_OPTIONS, CASSETTE_USAGE, cassetteOptionsFromArgs } from "./cassette/cli-options.js";

const USAGE = `Usage: bedrock-emulator [options]

A local Amazon Bedrock Runtime (Converse, ConverseStream, CountTokens) on one port
serving HTTP/1.1 and h2c.

Options:
  --host H          interface to bind (default 127.0.0.1; 0.0.0.0 = every interface)
  --port N          port to listen on; 0 picks a free one (default 8787)
  --script FILE     JSON array of scripted replies to queue at start
  --require-auth    reject requests without valid-looking SigV4 or Bearer credentials;
                    without --admin-token it also closes the admin API
  --admin-token T   open the admin API (/_emulator/*) to requests that send T in the
                    ${ADMIN_TOKEN_HEADER} header, from any address (default: ${ADMIN_TOKEN_ENV};
                    with neither, the admin API answers loopback clients only)
  --strict-models   accept only the catalog's model ids (default: any id of a known
                    provider, capabilities inferred from its family)
  --strict-signatures
                    refuse reasoning signatures the emulator did not issue (default:
                    accept well-formed ones, e.g. replayed from real Claude)
  --no-padding      leave out the random "p" padding member of stream events
  --chunk-size N    words per streamed text delta (default 3)
  --sniff-timeout-ms N       a new connection must send its first bytes within N ms (default ${DEFAULT_TRANSPORT_LIMITS.sniffTimeoutMs})
  --headers-timeout-ms N     HTTP/1.1 request headers must arrive within N ms (default ${DEFAULT_TRANSPORT_LIMITS.headersTimeoutMs})
  --keep-alive-timeout-ms N  idle HTTP/1.1 keep-alive connections close after N ms (default ${DEFAULT_TRANSPORT_LIMITS.keepAliveTimeoutMs})
  --idle-session-timeout-ms N  h2 sessions with no open stream close after N ms (default ${DEFAULT_TRANSPORT_LIMITS.idleSessionTimeoutMs})
  --max-connections N        most TCP connections open at once (default ${DEFAULT_TRANSPORT_LIMITS.maxConnections})
  --quiet           do not print a line per request
  -h, --help        show this help
${CASSETTE_USAGE}${BACKEND_USAGE}`;

const LIMIT_FLAGS = {
  "sniff-timeout-ms": "sniffTimeoutMs",
  "headers-timeout-ms": "headersTimeoutMs",
  "keep-alive-timeout-ms": "keepAliveTimeoutMs",
  "idle-session-timeout-ms": "idleSessionTimeoutMs",
  "max-connections": "maxConnections",
} as const;

function fail(message: string): never {
  process.stderr.write(`bedrock-emulator: ${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const values = (() => {
    try {
      return parseArgs({
        options: {
          host: { type: "string", default: "127.0.0.1" },
          port: { type: "string", default: "8787" },
          script: { type: "string" },
          "require-auth": { type: "boolean", default: false },
          "admin-token": { type: "string" },
          "sniff-timeout-ms": { type: "string" },
          "headers-timeout-ms": { type: "string" },
          "keep-alive-timeout-ms": { type: "string" },
          "idle-session-timeout-ms": { type: "string" },
          "max-connections": { type: "string" },
          "no-padding": { type: "boolean", default: false },
          "strict-models": { type: "boolean", default: false },
          "strict-signatures": { type: "boolean", default: false },
          "chunk-size": { type: "string" },
          quiet: { type: "boolean", default: false },
          help: { type: "boolean", short: "h", default: false },
          ...CASSETTE_CLI_OPTIONS,
          ...BACKEND_CLI_OPTIONS,
        },
        strict: true,
        allowPositionals: false,
      }).values;
    } catch (err) {
      fail(err instanceof Error ? err.message : String(err));
    }
  })();
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer 0..65535, got ${values.port}`);
  const chunkSize = values["chunk-size"] === undefined ? undefined : Number(values["chunk-size"]);
  if (chunkSize !== undefined && (!Number.isInteger(chunkSize) || chunkSize < 1)) fail("--chunk-size must be a positive integer");

  const limits: Partial<Record<(typeof LIMIT_FLAGS)[keyof typeof LIMIT_FLAGS], number>> = {};
  for (const [flag, key] of Object.entries(LIMIT_FLAGS)) {
    const text = values[flag as keyof typeof LIMIT_FLAGS];
    if (text === undefined) continue;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) fail(`--${flag} must be a positive integer, got ${text}`);
    limits[key] = n;
  }
  // The flag wins over the environment; an empty value counts as unset.
  const adminToken = values["admin-token"] || process.env[ADMIN_TOKEN_ENV] || undefined;
  if (adminToken !== undefined && adminToken.length < 8) fail(`the admin token must have at least 8 characters`);
  const cassette = cassetteOptionsFromArgs(values);
  if (typeof cassette === "string") fail(cassette);
  const backend = backendOptionsFromArgs(values);
  if (typeof backend === "string") fail(backend);

  let script: Extract<ReturnType<typeof parseScript>, { ok: true }>["replies"] | undefined;
  if (values.script) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(values.script, "utf8"));
    } catch (err) {
      fail(`cannot read script ${values.script}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const parsed = parseScript(json);
    if (!parsed.ok) fail(`${values.script}: ${parsed.message}`);
    script = parsed.replies;
  }

  // Handlers go in before the server starts, so a signal that arrives at any point stops cleanly.
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    (emulator ? emulator.close() : Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  emulator = await startEmulator({
    host: values.host,
    port,
    script,
    requireAuth: values["require-auth"],
    adminToken,
    ...limits,
    padding: !values["no-padding"],
    strictModels: values["strict-models"],
    strictSignatures: values["strict-signatures"],
    chunkSize,
    ...cassette,
    ...backend,
    log: values.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
  });
  if (stopping) {
    await emulator.close();
    process.exit(0);
  }
  // The address actually bound: 0.0.0.0 means every interface, and saying 127.0.0.1 would hide that.
  const bound = bindsBeyondLoopback(values.host)
    ? `http://${values.host.includes(":") ? `[${values.host}]` : values.host}:${emulator.port}`
    : emulator.url;
  process.stdout.write(`Bedrock Runtime emulator listening on ${bound}\n`);
  if (bindsBeyondLoopback(values.host)) {
    process.stderr.write(
      `bedrock-emulator: warning: listening on ${values.host}, reachable from other machines. Anyone who can reach port ${emulator.port} can call the Bedrock routes` +
        `${values["require-auth"] ? "" : " (add --require-auth to demand credentials)"}; the admin API ` +
        `${adminToken ? `requires the admin token in ${ADMIN_TOKEN_HEADER}.` : "answers loopback clients only (set --admin-token to use it remotely)."}\n`,
    );
  }
}

main().catch((err) => {
  process.stderr.write(`bedrock-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
