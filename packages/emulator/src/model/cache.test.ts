import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConverseRequest, JsonObject } from "../types.js";
import { applyCache, CacheStore, checkpoints, defaultCache, resetCache } from "./cache.js";

const tools: JsonObject[] = [
  { toolSpec: { name: "lookup", inputSchema: { json: { type: "object" } } } },
  { cachePoint: { type: "default" } },
];
function req(question: string, ttl?: string): ConverseRequest {
  return {
    toolConfig: { tools },
    system: [{ text: "System rules here." }, { cachePoint: ttl ? { type: "default", ttl } : { type: "default" } }],
    messages: [{ role: "user", content: [{ text: question }] }],
  };
}

test("checkpoints measure the prefix before each cache point (tools, then system, then messages)", () => {
  const points = checkpoints(req("Hi"), "m");
  // toolSpec JSON {"name":"lookup","inputSchema":{"json":{"type":"object"}}} = 33 tokens; "System rules here." 5 more
  assert.deepEqual(
    points.map((p) => [p.tokens, p.ttl]),
    [
      [33, "5m"],
      [38, "5m"],
    ],
  );
  assert.notEqual(points[0].key, points[1].key);
  assert.equal(checkpoints(req("Other question"), "m")[1].key, points[1].key, "the prefix does not include the question");
  assert.notEqual(checkpoints(req("Hi"), "other-model")[1].key, points[1].key, "keys are per model");
});

test("write, then read the longest cached prefix; a longer prefix writes only the new part", () => {
  const store = new CacheStore();
  assert.deepEqual(applyCache(req("Hi"), "m", store), {
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 38,
    cacheDetails: [{ ttl: "5m", inputTokens: 38 }],
  });
  assert.deepEqual(applyCache(req("Another"), "m", store), { cacheReadInputTokens: 38, cacheWriteInputTokens: 0, cacheDetails: [] });
  const longer: ConverseRequest = {
    ...req("x"),
    messages: [{ role: "user", content: [{ text: "Long context words" }, { cachePoint: { type: "default" } }, { text: "q" }] }],
  };
  // "Long context words" = Long, conte, xt, words = 4 tokens past the system prefix
  assert.deepEqual(applyCache(longer, "m", store), {
    cacheReadInputTokens: 38,
    cacheWriteInputTokens: 4,
    cacheDetails: [{ ttl: "5m", inputTokens: 4 }],
  });
});

test("lookback: a prefix stored last turn is read although this turn's points sit later", () => {
  const store = new CacheStore();
  const p = { cachePoint: { type: "default" } };
  const turn1: ConverseRequest = { messages: [{ role: "user", content: [{ text: "First question here" }, p] }] };
  assert.deepEqual(applyCache(turn1, "m", store), {
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 4,
    cacheDetails: [{ ttl: "5m", inputTokens: 4 }],
  });
  const turn2: ConverseRequest = {
    messages: [
      { role: "user", content: [{ text: "First question here" }] },
      { role: "assistant", content: [{ text: "An answer" }, p] },
      { role: "user", content: [{ text: "Next" }, p] },
    ],
  };
  // reads the 4-token prefix (no cache point there any more), writes "An answer" (3) and "Next" (1)
  assert.deepEqual(applyCache(turn2, "m", store), {
    cacheReadInputTokens: 4,
    cacheWriteInputTokens: 4,
    cacheDetails: [{ ttl: "5m", inputTokens: 4 }],
  });
  // more than 20 blocks between the stored prefix and the first cache point: no hit
  const far: ConverseRequest = {
    messages: [
      { role: "user", content: [{ text: "First question here" }, ...Array.from({ length: 20 }, (_, i) => ({ text: `filler ${i}` })), p] },
    ],
  };
  assert.equal(applyCache(far, "m", store)?.cacheReadInputTokens, 0);
});

test("ttl 1h is reported per cache point; entries expire after their ttl", () => {
  let now = 0;
  const store = new CacheStore({ now: () => now });
  assert.deepEqual(applyCache(req("Hi", "1h"), "m", store)?.cacheDetails, [
    { ttl: "5m", inputTokens: 33 },
    { ttl: "1h", inputTokens: 5 },
  ]);
  now = 10 * 60_000; // the 5m entry is gone, the 1h one is still there
  assert.equal(applyCache(req("Hi", "1h"), "m", store)?.cacheReadInputTokens, 38);
  now = 2 * 60 * 60_000;
  assert.equal(applyCache(req("Hi", "1h"), "m", store)?.cacheReadInputTokens, 0);
});

test("no cache points -> no cache usage; the store keeps at most maxEntries; minTokens skips short prefixes", () => {
  assert.equal(applyCache({ messages: [{ role: "user", content: [{ text: "Hi" }] }] }, "m", new CacheStore()), undefined);
  const small = new CacheStore({ maxEntries: 1 });
  applyCache(req("Hi"), "m", small);
  assert.equal(small.size, 1);
  const strict = new CacheStore({ minTokens: 35 });
  assert.deepEqual(applyCache(req("Hi"), "m", strict), {
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 38,
    cacheDetails: [{ ttl: "5m", inputTokens: 38 }],
  });
  assert.equal(strict.size, 1, "only the 38-token prefix was stored");
});

test("the module's default store is used when none is passed and resetCache empties it", () => {
  resetCache();
  applyCache(req("Hi"), "default-store-model");
  assert.equal(applyCache(req("Hi"), "default-store-model")?.cacheReadInputTokens, 38);
  resetCache();
  assert.equal(defaultCache.size, 0);
  assert.equal(applyCache(req("Hi"), "default-store-model")?.cacheReadInputTokens, 0);
  resetCache();
});
