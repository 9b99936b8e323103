// Smoke test: the quick benchmark (a tiny configuration of the same runner) completes and prints a
// table with a row for every client on both transports. No timing is asserted.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CLIENT_LABELS } from "../src/clients.js";
import { quickConfig, runBench } from "../src/run.js";

test("npm run bench -- --quick (tiny config) completes and prints every client's row", { timeout: 180_000 }, async () => {
  const cfg = quickConfig(() => {});
  Object.assign(cfg, {
    rounds: 2,
    invokes: 5,
    streams: { 50: 1, 500: 1 },
    history: { 100: 1, 500: 1, 2000: 1 },
    conversions: 2,
    structured: 2,
    concurrency: 20,
    concurrentRounds: 1,
    warmup: 1,
    observed: { invokes: 3, streams: { 50: 1, 500: 1 }, agentTurns: 1 },
    cases: [1, 2, 3, 4, 5, 8],
  });
  const { results, markdown } = await runBench(cfg);
  assert.deepEqual(results.errors, [], `bench errors:\n${results.errors.join("\n")}`);
  for (const label of Object.values(CLIENT_LABELS)) {
    assert.match(markdown, new RegExp(`^\\| ${label.replace(/[()/.@-]/g, "\\$&")} \\|`, "m"), `no row for ${label}`);
  }
  assert.match(markdown, /^\| raw SDK \|/m, "no in-memory raw SDK row");
  for (const heading of [
    "sequential invokes",
    "stream of 50 deltas",
    "stream of 500 deltas",
    "history of 500 messages",
    "structured output",
    "concurrent invokes",
    "one callback handler attached",
    "LangGraph agent turn",
  ]) {
    assert.ok(markdown.includes(heading), `no table for ${heading}`);
  }
  assert.match(markdown, /## Targets \(issues 7 and 12\)/);
  assert.match(markdown, /stream of 500 deltas, one callback handler, ours ÷ @langchain\/aws/);
  assert.match(markdown, /Conversion only/);
});
