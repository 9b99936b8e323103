#!/usr/bin/env node
// bedrock-emulator: runs the emulator until SIGINT/SIGTERM. Prints one "listening" line, then one
// line per request, so scripts can wait for the first line and read the URL from it.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startEmulator } from "./server.js";
import { parseScript } from "./script.js";

const USAGE = `Usage: bedrock-emulator [options]

A local Amazon Bedrock Runtime (Converse, ConverseStream, CountTokens) on one port
serving HTTP/1.1 and h2c.

Options:
  --host H          interface to bind (default 127.0.0.1)
  --port N          port to listen on; 0 picks a free one (default 8787)
  --script FILE     JSON array of scripted replies to queue at start
  --require-auth    reject requests without valid-looking SigV4 or Bearer credentials
  --strict-models   accept only the catalog's model ids (default: any id of a known
                    provider, capabilities inferred from its family)
  --strict-signatures
                    refuse reasoning signatures the emulator did not issue (default:
                    accept well-formed ones, e.g. replayed from real Claude)
  --no-padding      leave out the random "p" padding member of stream events
  --chunk-size N    words per streamed text delta (default 3)
  --quiet           do not print a line per request
  -h, --help        show this help
`;

function fail(message: string): never {
  process.stderr.write(`bedrock-emulator: ${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "8787" },
        script: { type: "string" },
        "require-auth": { type: "boolean", default: false },
        "no-padding": { type: "boolean", default: false },
        "strict-models": { type: "boolean", default: false },
        "strict-signatures": { type: "boolean", default: false },
        "chunk-size": { type: "string" },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer 0..65535, got ${values.port}`);
  const chunkSize = values["chunk-size"] === undefined ? undefined : Number(values["chunk-size"]);
  if (chunkSize !== undefined && (!Number.isInteger(chunkSize) || chunkSize < 1)) fail("--chunk-size must be a positive integer");

  let script;
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
    padding: !values["no-padding"],
    strictModels: values["strict-models"],
    strictSignatures: values["strict-signatures"],
    chunkSize,
    log: values.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
  });
  if (stopping) {
    await emulator.close();
    process.exit(0);
  }
  process.stdout.write(`Bedrock Runtime emulator listening on ${emulator.url}\n`);
}

main().catch((err) => {
  process.stderr.write(`bedrock-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
