import { test } from "node:test";
import assert from "node:assert/strict";
import { cachePointBlock, isCachePoint } from "./cache-points.js";

test("cachePointBlock: the wire form, ttl only when given", () => {
  assert.deepEqual(cachePointBlock(), { cachePoint: { type: "default" } });
  assert.equal("ttl" in cachePointBlock().cachePoint, false);
  assert.deepEqual(cachePointBlock("1h"), { cachePoint: { type: "default", ttl: "1h" } });
  assert.deepEqual(cachePointBlock("5m"), { cachePoint: { type: "default", ttl: "5m" } });
  assert.notEqual(cachePointBlock(), cachePointBlock(), "a fresh object each time (callers splice it into requests)");
});

test("isCachePoint: blocks with a cachePoint key", () => {
  assert.equal(isCachePoint(cachePointBlock()), true);
  assert.equal(isCachePoint({ type: "cachePoint", cachePoint: { type: "default" } }), true);
  for (const no of [{ text: "hi" }, null, undefined, "cachePoint", []]) assert.equal(isCachePoint(no), false);
});
