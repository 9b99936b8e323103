// Smoke test for bench case 8 (record/replay proxy, replay throughput, backend translation): a tiny
// configuration completes and yields a finite figure of each kind. No timing is asserted.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runRecordReplayBench } from "../src/record-replay-backend.js";

test("case 8 (tiny config) measures every figure", { timeout: 120_000 }, async () => {
  const r = await runRecordReplayBench({ proxyCalls: 10, replayRequests: 20, concurrency: 4, translateEvents: 50, rounds: 1 });
  for (const [name, values] of Object.entries(r)) {
    assert.equal(values.length, 1, name);
    assert.ok(Number.isFinite(values[0]), `${name} is not a number: ${values[0]}`);
  }
  assert.ok(r.translateUsPerEvent[0] > 0);
});
