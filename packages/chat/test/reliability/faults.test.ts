// The fault matrix: every emulator fault kind x (invoke, stream, batch) x (retries on: maxRetries 2,
// off: maxRetries 0), over real HTTP. Each cell either recovers (a retryable fault firing no more
// often than maxRetries) or raises a typed BedrockConverseError whose name says the cause. A stream
// never ends quietly with partial content. The SDK does not retry an error raised mid-stream (the
// response has started), so stream faults fail the call whatever maxRetries is.
// The matrix is printed as a markdown table after the run.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AIMessage, type AIMessageChunk } from "@langchain/core/messages";
import type { Emulator, FaultSpec } from "bedrock-runtime-emulator";
import { BedrockConnectionError, BedrockConverseError, BedrockTimeoutError, StreamIncompleteError } from "langchain-bedrock-converse";
import { emulator, model, runtimeRequests } from "../helpers.js";

const PROMPT = "Please repeat this sentence about reliable streaming clients and careful retries.";
const EXPECTED = `You said: ${PROMPT}`;
// Only the latency cells set `timeout`: far below the injected delay, far above a loaded machine's answer time.
const TIMEOUT_MS = 1500;
const DEADLINE = { timeout: 20_000 };

type Op = "invoke" | "stream" | "batch";
const OPS: Op[] = ["invoke", "stream", "batch"];
const RETRIES = [2, 0] as const;

interface FaultCase {
  label: string;
  spec: FaultSpec;
  /** The SDK retries it when it fires before the response starts. */
  retryable: boolean;
  /** Fires only while a ConverseStream response is written (Converse is untouched). */
  midStream?: boolean;
  /** What the typed error looks like. */
  expect: (err: BedrockConverseError, op: Op) => void;
}

// Every AWS error type the emulator can answer with: [type, status, retryable by the SDK].
const AWS_ERRORS: Array<[string, number, boolean]> = [
  ["ValidationException", 400, false],
  ["AccessDeniedException", 403, false],
  ["ResourceNotFoundException", 404, false],
  ["ModelTimeoutException", 408, false],
  ["ModelErrorException", 424, false],
  ["ThrottlingException", 429, true],
  ["ModelNotReadyException", 429, true],
  ["ServiceQuotaExceededException", 400, false],
  ["InternalServerException", 500, true],
  ["ServiceUnavailableException", 503, true],
  ["UnrecognizedClientException", 403, false],
  ["UnknownOperationException", 404, false],
  ["SerializationException", 400, false],
];

const CASES: FaultCase[] = [
  ...AWS_ERRORS.map(
    ([type, status, retryable]): FaultCase => ({
      label: `error ${type} (${status})`,
      spec: { kind: "error", errorType: type, times: 2 },
      retryable,
      expect: (err) => {
        assert.equal(err.name, type);
        assert.equal(err.status, status);
        assert.equal(err.retryable, retryable);
        assert.match(err.requestId ?? "", /^[0-9a-f-]{36}$/);
      },
    }),
  ),
  {
    label: `latency 60 s > timeout ${TIMEOUT_MS} ms`,
    spec: { kind: "latency", delayMs: 60_000, times: 2 },
    retryable: true,
    expect: (err) => {
      assert.ok(err instanceof BedrockTimeoutError, `${err.name}: ${err.message}`);
      assert.match(err.message, /timed out/);
    },
  },
  {
    label: "connection reset before the answer",
    spec: { kind: "connection-reset", times: 2 },
    retryable: true,
    expect: (err) => {
      assert.ok(err instanceof BedrockConnectionError, `${err.name}: ${err.message}`);
      assert.equal(err.code, "ECONNRESET");
      assert.match(err.message, /lost its connection to Bedrock \(ECONNRESET\)/);
      assert.equal(err.retryable, true);
    },
  },
  {
    label: "stream cut after 3 events",
    spec: { kind: "stream-cut", afterEvents: 3, times: 2 },
    retryable: false,
    midStream: true,
    expect: (err) => {
      assert.ok(err instanceof StreamIncompleteError, `${err.name}: ${err.message}`);
      assert.equal((err as { partial?: boolean }).partial, true);
    },
  },
  {
    label: "in-stream throttlingException after 3 events",
    spec: { kind: "stream-exception", afterEvents: 3, errorType: "throttlingException", times: 2 },
    retryable: false,
    midStream: true,
    expect: (err) => {
      assert.equal(err.name, "ThrottlingException");
      assert.equal((err as { partial?: boolean }).partial, true);
    },
  },
  {
    label: "in-stream modelStreamErrorException after 3 events",
    spec: { kind: "stream-exception", afterEvents: 3, errorType: "modelStreamErrorException", times: 2 },
    retryable: false,
    midStream: true,
    expect: (err) => {
      assert.equal(err.name, "ModelStreamErrorException");
      assert.equal((err as { partial?: boolean }).partial, true);
    },
  },
  {
    label: "corrupted frame after 3 events",
    spec: { kind: "corrupt-frame", afterEvents: 3, times: 2 },
    retryable: false,
    midStream: true,
    expect: (err) => {
      assert.ok(err instanceof StreamIncompleteError, `${err.name}: ${err.message}`);
      assert.match(err.message, /corrupted event frame.*checksum/i);
      assert.equal((err as { partial?: boolean }).partial, true);
    },
  },
  {
    label: "connection reset after 3 stream events",
    spec: { kind: "connection-reset", afterEvents: 3, times: 2 },
    // Before any answer on Converse (retried); mid-stream on ConverseStream (not retried).
    retryable: true,
    midStream: true,
    expect: (err, op) => {
      if (op === "stream") {
        assert.ok(err instanceof StreamIncompleteError, `${err.name}: ${err.message}`);
        assert.match(err.message, /connection to Bedrock was lost mid-stream \(ECONNRESET\)/);
      } else {
        assert.ok(err instanceof BedrockConnectionError, `${err.name}: ${err.message}`);
      }
    },
  },
];

const table = new Map<string, Record<string, string>>();
let survived = 0;
let cells = 0;

after(() => {
  const cols = OPS.flatMap((op) => RETRIES.map((r) => `${op}, maxRetries ${r}`));
  const lines = [
    `| fault | ${cols.join(" | ")} |`,
    `|---|${cols.map(() => "---").join("|")}|`,
    ...CASES.map((c) => `| ${c.label} | ${cols.map((col) => table.get(c.label)?.[col] ?? "(not run)").join(" | ")} |`),
  ];
  console.log(
    `\nFault matrix: ${cells} cells, ${survived} recovered or failed cleanly with a typed error\n${lines.join("\n")}\n` +
      "Faults fire `times: 2`. Retryable faults before the answer are retried with backoff; the SDK does not retry an " +
      "error raised mid-stream (the response has started), so stream faults fail the stream call whatever maxRetries is. " +
      "Stream-only faults leave Converse (invoke, batch) untouched.\n",
  );
});

function record(c: FaultCase, op: Op, retries: number, outcome: string): void {
  const row = table.get(c.label) ?? {};
  row[`${op}, maxRetries ${retries}`] = outcome;
  table.set(c.label, row);
  survived++;
}

function assertTyped(err: unknown): asserts err is BedrockConverseError {
  assert.ok(err instanceof BedrockConverseError, `not a typed error: ${String(err)}`);
}

async function invokeCell(emu: Emulator, c: FaultCase, retries: number): Promise<string> {
  const llm = model(emu, { maxRetries: retries, ...(c.spec.kind === "latency" ? { timeout: TIMEOUT_MS } : {}) });
  const recovers = !c.midStream ? c.retryable && retries >= 2 : c.spec.kind === "connection-reset" && retries >= 2;
  const notApplicable = c.midStream && c.spec.kind !== "connection-reset";
  try {
    const msg = await llm.invoke(PROMPT);
    assert.ok(recovers || notApplicable, "the call should have failed");
    assert.ok(msg instanceof AIMessage);
    assert.deepEqual(msg.content, [{ type: "text", text: EXPECTED }]);
    const attempts = runtimeRequests(emu).length;
    assert.equal(attempts, notApplicable ? 1 : 3);
    assert.equal((msg.response_metadata as any).ResponseMetadata.RetryAttempts, attempts - 1);
    return notApplicable ? "ok (Converse untouched)" : `recovered (${attempts} attempts)`;
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    assert.ok(!recovers && !notApplicable, `should have recovered: ${String(err)}`);
    assertTyped(err);
    c.expect(err, "invoke");
    assert.equal(runtimeRequests(emu).length, 1, "a failure not retried is one attempt");
    return `${err.name}`;
  }
}

async function streamCell(emu: Emulator, c: FaultCase, retries: number): Promise<string> {
  const llm = model(emu, { maxRetries: retries, ...(c.spec.kind === "latency" ? { timeout: TIMEOUT_MS } : {}) });
  const recovers = !c.midStream && c.retryable && retries >= 2;
  const chunks: AIMessageChunk[] = [];
  try {
    for await (const chunk of await llm.stream(PROMPT)) chunks.push(chunk);
  } catch (err) {
    assert.ok(!recovers, `should have recovered: ${String(err)}`);
    assertTyped(err);
    c.expect(err, "stream");
    return c.midStream ? `${err.name} after ${chunks.length} chunks` : err.name;
  }
  // The stream ended normally: it must hold the whole reply, never a silent partial one.
  assert.ok(recovers, `the stream should have failed but ended quietly after ${chunks.length} chunks`);
  let full = chunks[0];
  for (const ch of chunks.slice(1)) full = full.concat(ch);
  const text = (full.content as Array<{ text?: string }>).map((b) => b.text ?? "").join("");
  assert.equal(text, EXPECTED);
  assert.ok(full.usage_metadata && full.usage_metadata.output_tokens > 0, "the stream reached its metadata event");
  return `recovered (${runtimeRequests(emu).length} attempts)`;
}

async function batchCell(emu: Emulator, c: FaultCase, retries: number): Promise<string> {
  const llm = model(emu, { maxRetries: retries, ...(c.spec.kind === "latency" ? { timeout: TIMEOUT_MS } : {}) });
  const inputs = [PROMPT, PROMPT, PROMPT];
  const results = await llm.batch(inputs, {}, { returnExceptions: true });
  const notApplicable = c.midStream && c.spec.kind !== "connection-reset";
  const recovers = notApplicable || (c.retryable && retries >= 2);
  let ok = 0;
  const errors: string[] = [];
  for (const r of results) {
    if (r instanceof AIMessage) {
      assert.deepEqual(r.content, [{ type: "text", text: EXPECTED }]);
      ok++;
    } else {
      assertTyped(r);
      c.expect(r, "batch");
      errors.push(r.name);
    }
  }
  if (recovers) {
    assert.equal(ok, 3, `every batch item recovers: ${errors.join(", ")}`);
    return notApplicable ? "3 ok (Converse untouched)" : "3 ok (recovered)";
  }
  // times: 2 -> two items fail, the third is answered.
  assert.equal(errors.length, 2);
  assert.equal(ok, 1);
  return `2× ${errors[0]}, 1 ok`;
}

describe("fault matrix", { concurrency: 4 }, () => {
  for (const c of CASES) {
    for (const op of OPS) {
      for (const retries of RETRIES) {
        test(`${c.label} | ${op} | maxRetries ${retries}`, DEADLINE, async () => {
          cells++;
          const emu = await emulator();
          try {
            emu.addFault(c.spec);
            const outcome =
              op === "invoke"
                ? await invokeCell(emu, c, retries)
                : op === "stream"
                  ? await streamCell(emu, c, retries)
                  : await batchCell(emu, c, retries);
            record(c, op, retries, outcome);
          } finally {
            await emu.close();
          }
        });
      }
    }
  }
});
